/**
 * The payload encryption keys (docs/payload-encryption.md).
 *
 * Production: `HPC_PAYLOAD_KEYS=keyId:base64key,keyId2:base64key2` (each key 32 random bytes) and
 * `HPC_PAYLOAD_ACTIVE_KEY=<keyId>`, the key new payloads are encrypted with. The other keys stay for
 * decryption only, so a key can be rotated without making older histories unreadable.
 *
 * Development (no HPC_PAYLOAD_KEYS, and NODE_ENV is not `production`): a random key created on first
 * use in `data/payload-keys.json` (data/ is gitignored) and reused by every process of this checkout,
 * so the worker, the API and the codec server agree. There is no built-in key anywhere in the code:
 * a key in the source would be a key for every copy of it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** AES-256: 32 bytes of key. */
export const KEY_BYTES = 32;
/** Key ids go into payload metadata and environment variables: keep them short and plain. */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Where `npm start`, the worker and the API keep the development key. */
export const DEV_KEY_FILE = join(__dirname, '..', '..', 'data', 'payload-keys.json');

/** A key configuration that cannot be used; the message names the setting and never a key's bytes. */
export class KeyringConfigError extends Error {
  override readonly name = 'KeyringConfigError';
}

export type KeyringSource = 'HPC_PAYLOAD_KEYS' | 'development key file' | 'ephemeral' | 'explicit';

export class Keyring {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    /** The key new payloads are encrypted with. */
    readonly activeKeyId: string,
    readonly source: KeyringSource,
  ) {}

  /** A keyring from key ids and raw keys; `activeKeyId` must be one of them. */
  static of(entries: ReadonlyArray<{ id: string; key: Uint8Array }>, activeKeyId: string, source: KeyringSource = 'explicit'): Keyring {
    if (entries.length === 0) throw new KeyringConfigError('a keyring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      checkKeyId(id);
      if (keys.has(id)) throw new KeyringConfigError(`key id "${id}" appears twice`);
      if (key.length !== KEY_BYTES) throw new KeyringConfigError(`key "${id}" is ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES}`);
      // A private copy: the caller's buffer may be reused or zeroed later.
      keys.set(id, Buffer.from(key));
    }
    if (!keys.has(activeKeyId)) {
      throw new KeyringConfigError(`the active key "${activeKeyId}" is not among the keys (${[...keys.keys()].join(', ')})`);
    }
    return new Keyring(keys, activeKeyId, source);
  }

  /**
   * Parses the `HPC_PAYLOAD_KEYS` format, `id:base64,id2:base64`. With one key, it is the active one
   * unless `activeKeyId` says otherwise; with several, `activeKeyId` is required, so that adding a
   * key for a rotation never silently changes which key encrypts.
   */
  static parse(spec: string, activeKeyId?: string): Keyring {
    return parseSpec(spec, activeKeyId, 'HPC_PAYLOAD_KEYS', { keys: 'HPC_PAYLOAD_KEYS', active: 'HPC_PAYLOAD_ACTIVE_KEY' });
  }

  /** A random key held only in memory: for the time-skipping test server and tests, where nothing outlives the process. */
  static ephemeral(id = 'ephemeral'): Keyring {
    return Keyring.of([{ id, key: randomBytes(KEY_BYTES) }], id, 'ephemeral');
  }

  /** The key to encrypt with. */
  get active(): { id: string; key: Buffer } {
    // The constructor's callers guarantee the active key is present.
    return { id: this.activeKeyId, key: this.keys.get(this.activeKeyId)! };
  }

  /** The key with this id, or undefined when this keyring does not hold it. */
  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** A keyring with the same keys and another active key: the second step of a rotation, and its test. */
  withActiveKey(id: string): Keyring {
    if (!this.keys.has(id)) throw new KeyringConfigError(`the active key "${id}" is not among the keys (${this.keyIds.join(', ')})`);
    return new Keyring(this.keys, id, this.source);
  }

  /** A keyring with one more key (not active): the first step of a rotation. */
  withKey(id: string, key: Uint8Array): Keyring {
    return Keyring.of([...[...this.keys].map(([i, k]) => ({ id: i, key: k })), { id, key }], this.activeKeyId, this.source);
  }
}

function checkKeyId(id: string): void {
  if (!KEY_ID.test(id)) {
    throw new KeyringConfigError(`key id "${id}" is not valid: 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit`);
  }
}

function decodeKey(id: string, text: string): Buffer {
  const b64 = text.trim();
  // Buffer.from(…, 'base64') skips characters it does not know; a typo must not become a short key.
  if (!BASE64.test(b64)) throw new KeyringConfigError(`key "${id}" is not base64`);
  const key = Buffer.from(b64, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringConfigError(`key "${id}" is ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
}

/** `id:base64,…` with the names of the settings it came from, for the error messages. */
function parseSpec(spec: string, activeKeyId: string | undefined, source: KeyringSource, names: { keys: string; active: string }): Keyring {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item, i) => {
      const colon = item.indexOf(':');
      if (colon < 0) throw new KeyringConfigError(`${names.keys}: entry ${i + 1} is not "keyId:base64key"`);
      const id = item.slice(0, colon);
      checkKeyId(id);
      return { id, key: decodeKey(id, item.slice(colon + 1)) };
    });
  if (entries.length === 0) throw new KeyringConfigError(`${names.keys} holds no keys`);
  const dup = entries.find((e, i) => entries.findIndex((f) => f.id === e.id) !== i);
  if (dup) throw new KeyringConfigError(`${names.keys}: key id "${dup.id}" appears twice`);
  const ids = entries.map((e) => e.id).join(', ');
  const active = activeKeyId?.trim() || (entries.length === 1 ? entries[0].id : undefined);
  if (!active) {
    throw new KeyringConfigError(`${names.keys} holds ${entries.length} keys: set ${names.active} to the one that encrypts (${ids})`);
  }
  if (!entries.some((e) => e.id === active)) {
    throw new KeyringConfigError(`${names.active} "${active}" is not in ${names.keys} (${ids})`);
  }
  return Keyring.of(entries, active, source);
}

// ---- the development key file ----

interface DevKeyFile {
  activeKeyId: string;
  keys: Record<string, string>;
}

function parseDevKeyFile(file: string, text: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyringConfigError(`${file} is not JSON; delete it only if no history you still need was encrypted with it`);
  }
  const p = parsed as Partial<DevKeyFile> | null; // checked field by field below
  if (!p || typeof p !== 'object' || typeof p.activeKeyId !== 'string' || !p.keys || typeof p.keys !== 'object') {
    throw new KeyringConfigError(`${file} must be {"activeKeyId": "...", "keys": {"<id>": "<base64>"}}`);
  }
  const spec = Object.entries(p.keys)
    .map(([id, key]) => {
      if (typeof key !== 'string') throw new KeyringConfigError(`${file}: key "${id}" is not a base64 string`);
      return `${id}:${key}`;
    })
    .join(',');
  return parseSpec(spec, p.activeKeyId, 'development key file', { keys: `${file}: keys`, active: `${file}: activeKeyId` });
}

/**
 * The development keyring in `file`, created with one random key if the file does not exist.
 * Creation is atomic (a temporary file hard-linked into place), so a worker and an API starting at
 * the same moment end up with the same key rather than one each.
 */
export function loadOrCreateDevKeyring(file: string = DEV_KEY_FILE): Keyring {
  try {
    return parseDevKeyFile(file, readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(file), { recursive: true });
  const id = `dev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const content: DevKeyFile & { note: string } = {
    note: 'Development payload encryption key (docs/payload-encryption.md). Never use in production; losing it makes this checkout\'s Temporal histories unreadable.',
    activeKeyId: id,
    keys: { [id]: randomBytes(KEY_BYTES).toString('base64') },
  };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  try {
    chmodSync(tmp, 0o600); // the umask may have widened it
    linkSync(tmp, file); // fails with EEXIST when another process got there first: then use theirs
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  return parseDevKeyFile(file, readFileSync(file, 'utf8'));
}

export interface KeyringSettings {
  /** HPC_PAYLOAD_KEYS */
  payloadKeys: string | undefined;
  /** HPC_PAYLOAD_ACTIVE_KEY */
  payloadActiveKeyId: string | undefined;
  /** False in production (NODE_ENV=production): then HPC_PAYLOAD_KEYS is required. */
  allowDevPayloadKey: boolean;
}

/** The process's keyring: HPC_PAYLOAD_KEYS when set, otherwise (development only) the key file. */
export function loadKeyring(settings: KeyringSettings, devKeyFile: string = DEV_KEY_FILE): Keyring {
  if (settings.payloadKeys !== undefined && settings.payloadKeys.trim() !== '') {
    return Keyring.parse(settings.payloadKeys, settings.payloadActiveKeyId);
  }
  if (settings.payloadActiveKeyId) {
    throw new KeyringConfigError('HPC_PAYLOAD_ACTIVE_KEY is set but HPC_PAYLOAD_KEYS is not');
  }
  if (!settings.allowDevPayloadKey) {
    throw new KeyringConfigError('HPC_PAYLOAD_KEYS is required when NODE_ENV=production (docs/payload-encryption.md)');
  }
  return loadOrCreateDevKeyring(devKeyFile);
}
