/**
 * A Temporal PayloadCodec that encrypts every payload with AES-256-GCM, so that workflow inputs,
 * results, activity arguments, local-activity markers, update arguments, memos and (with
 * security/codec/failure-converter.ts) failure messages reach Temporal's database as ciphertext.
 *
 * Codecs run outside the workflow sandbox: in the Client and in the Worker's main thread, never in
 * the bundled workflow code, so workflow determinism does not depend on keys or IVs.
 *
 * Encoded payload:
 *   metadata  encoding: binary/encrypted
 *             encryption-key-id: <id of the key in the keyring>
 *             encryption-cipher: AES-256-GCM
 *   data      version (1 byte, 0x01) ‖ IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16 bytes)
 *
 * The plaintext is the whole original Payload message (protobuf), metadata included, so even the
 * original encoding (json/plain, …) is hidden and restored exactly. The key id and the format
 * version are authenticated as additional data: changing either makes decryption fail.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
// @temporalio/proto is the exact version @temporalio/common depends on; the Payload message type is
// needed to serialise a whole payload, metadata included.
import { temporal } from '@temporalio/proto';
import type { Keyring } from './keyring';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ENCODING_ENCRYPTED_BYTES = Buffer.from(ENCODING_ENCRYPTED);
const CIPHER_BYTES = Buffer.from(CIPHER);

/** A payload encrypted with a key this process does not hold (not configured, or removed too early). */
export class UnknownPayloadKeyError extends Error {
  override readonly name = 'UnknownPayloadKeyError';
  constructor(
    readonly keyId: string,
    known: string[],
  ) {
    super(
      `payload was encrypted with key "${keyId}", which is not in this process's keyring (${known.join(', ')}); ` +
        'add it to HPC_PAYLOAD_KEYS (keys stay for decryption after a rotation: docs/payload-encryption.md)',
    );
  }
}

/** A payload that is marked encrypted but cannot be decrypted: malformed, altered, or the wrong key under its id. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

function utf8(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
}

/** The authenticated additional data: binds the ciphertext to its key id and format version. */
function aad(keyId: string): Buffer {
  return Buffer.from(`hpc-payload/v${FORMAT_VERSION}/${keyId}`);
}

export function isEncryptedPayload(payload: Payload): boolean {
  return utf8(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCODING_ENCRYPTED;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keyring.active;
    const additional = aad(id);
    const keyIdBytes = Buffer.from(id);
    return payloads.map((payload) => {
      const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additional);
      const body = Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: ENCODING_ENCRYPTED_BYTES,
          [METADATA_KEY_ID]: keyIdBytes,
          [METADATA_CIPHER]: CIPHER_BYTES,
        },
        data: body,
      };
    });
  }

  /**
   * Decrypts encrypted payloads and returns every other payload untouched: histories written before
   * encryption was switched on (and the recorded histories of test/histories/) still replay.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncryptedPayload(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const keyId = utf8(payload.metadata?.[METADATA_KEY_ID]);
    if (!keyId) throw new PayloadDecryptionError(`an encrypted payload has no ${METADATA_KEY_ID}`);
    const cipherName = utf8(payload.metadata?.[METADATA_CIPHER]);
    if (cipherName !== undefined && cipherName !== CIPHER) {
      throw new PayloadDecryptionError(`an encrypted payload uses cipher "${cipherName}"; only ${CIPHER} is supported`);
    }
    const key = this.keyring.key(keyId);
    if (!key) throw new UnknownPayloadKeyError(keyId, this.keyring.keyIds);
    const data = payload.data;
    if (!data || data.length < 1 + IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") is too short`);
    if (data[0] !== FORMAT_VERSION) throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") has unknown format version ${data[0]}`);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const ciphertext = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(keyId));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      // OpenSSL's own message ("Unsupported state or unable to authenticate data") says nothing useful.
      throw new PayloadDecryptionError(
        `an encrypted payload (key "${keyId}") failed authentication: it was altered, or the key under that id is not the one it was encrypted with`,
      );
    }
    try {
      return temporal.api.common.v1.Payload.decode(plaintext);
    } catch {
      // Authenticated, yet not a Payload message: written by something else with our key and format.
      throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") decrypted to something that is not a payload`);
    }
  }
}
