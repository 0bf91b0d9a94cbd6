/**
 * The payload encryption codec and its keyring (security/codec/): round trip, tampering, rotation,
 * unknown keys, pass-through of unencrypted payloads, configuration errors, the development key
 * file, the whole-history decoder, and the codec server's staff tokens and authorisation.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import {
  decodeOptionalFailureToOptionalError,
  encodeErrorToFailure,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { Request } from 'express';
import { authoriseCodecRequest, CodecTokenConfigError, StaffTokens } from '../../security/codec/codec-server';
import { payloadDataConverter } from '../../security/codec/data-converter';
import {
  ENCODING_ENCRYPTED,
  EncryptionCodec,
  METADATA_KEY_ID,
  PayloadDecryptionError,
  UnknownPayloadKeyError,
} from '../../security/codec/encryption-codec';
import { decodeHistoryPayloads } from '../../security/codec/history';
import { Keyring, KeyringConfigError, loadKeyring, loadOrCreateDevKeyring } from '../../security/codec/keyring';

const IIN = '950314419498';
const VALUE = { applicantIin: IIN, surname: 'ЖАКСЫБЕКОВА', contact: { mobile: '+77473485859' }, n: 1 };

const b64 = (): string => randomBytes(32).toString('base64');
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const isEncrypted = (p: Payload): boolean => text(p.metadata?.[METADATA_ENCODING_KEY]) === ENCODING_ENCRYPTED;

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(Keyring.ephemeral('k1'));

  it('round-trips a payload, metadata included', async () => {
    const original = plain(VALUE);
    const [encrypted] = await codec.encode([original]);
    const [decoded] = await codec.decode([encrypted]);
    expect(text(decoded.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(VALUE);
  });

  it('marks the payload encrypted with its key id, and hides the content and the original encoding', async () => {
    const [encrypted] = await codec.encode([plain(VALUE)]);
    expect(text(encrypted.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCODING_ENCRYPTED);
    expect(text(encrypted.metadata?.[METADATA_KEY_ID])).toBe('k1');
    const raw = Buffer.from(encrypted.data ?? []);
    for (const needle of [IIN, 'ЖАКСЫБЕКОВА', '+77473485859', 'json/plain']) expect(raw.includes(Buffer.from(needle))).toBe(false);
  });

  it('uses a fresh IV each time: the same value encrypts differently', async () => {
    const [a, b] = await codec.encode([plain(VALUE), plain(VALUE)]);
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });

  it('round-trips an empty list, an empty payload and binary data', async () => {
    expect(await codec.decode(await codec.encode([]))).toEqual([]);
    const binary = defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2, 255]));
    const empty = defaultPayloadConverter.toPayload(undefined);
    const [b, e] = await codec.decode(await codec.encode([binary, empty]));
    expect(defaultPayloadConverter.fromPayload(b)).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(defaultPayloadConverter.fromPayload(e)).toBeUndefined();
  });

  it('rejects a tampered ciphertext, IV or tag', async () => {
    const [encrypted] = await codec.encode([plain(VALUE)]);
    const data = Buffer.from(encrypted.data ?? []);
    for (const at of [1, 5, 20, data.length - 1]) {
      const altered = Buffer.from(data);
      altered[at] ^= 0x01;
      await expect(codec.decode([{ ...encrypted, data: altered }])).rejects.toThrow(PayloadDecryptionError);
    }
  });

  it('rejects a payload whose key id was swapped for another key the keyring holds', async () => {
    const both = new EncryptionCodec(Keyring.ephemeral('k1').withKey('k2', randomBytes(32)));
    const [encrypted] = await both.encode([plain(VALUE)]);
    const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/failed authentication/);
  });

  it('rejects truncated data, an unknown format version and a missing key id', async () => {
    const [encrypted] = await codec.encode([plain(VALUE)]);
    const data = Buffer.from(encrypted.data ?? []);
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
    const v2 = Buffer.from(data);
    v2[0] = 2;
    await expect(codec.decode([{ ...encrypted, data: v2 }])).rejects.toThrow(/format version 2/);
    const noId = { ...encrypted, metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING_ENCRYPTED) } };
    await expect(codec.decode([noId])).rejects.toThrow(/no encryption-key-id/);
  });

  it('names an unknown key id, and never a key', async () => {
    const other = new EncryptionCodec(Keyring.ephemeral('retired-2025'));
    const [encrypted] = await other.encode([plain(VALUE)]);
    const err = await codec.decode([encrypted]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownPayloadKeyError);
    expect((err as UnknownPayloadKeyError).keyId).toBe('retired-2025');
    expect((err as Error).message).toMatch(/"retired-2025".*\(k1\).*HPC_PAYLOAD_KEYS/);
  });

  it('passes unencrypted payloads through decode untouched (histories from before encryption)', async () => {
    const legacy = [plain(VALUE), defaultPayloadConverter.toPayload(null), { metadata: {}, data: new Uint8Array([1]) }];
    const out = await codec.decode(legacy);
    expect(out).toHaveLength(3);
    out.forEach((p, i) => expect(p).toBe(legacy[i]));
  });

  it('rotation: payloads encrypted with k1 still decrypt after k2 becomes active; new ones use k2', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const before = new EncryptionCodec(Keyring.parse(`k1:${k1.toString('base64')}`));
    const [old] = await before.encode([plain(VALUE)]);

    // Step 1: every process gets k2 as well (k1 still active). Step 2: k2 becomes active.
    const added = new EncryptionCodec(Keyring.parse(`k1:${k1.toString('base64')},k2:${k2.toString('base64')}`, 'k1'));
    const [stillK1] = await added.encode([plain(VALUE)]);
    expect(text(stillK1.metadata?.[METADATA_KEY_ID])).toBe('k1');
    const rotated = new EncryptionCodec(Keyring.parse(`k1:${k1.toString('base64')},k2:${k2.toString('base64')}`, 'k2'));

    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toEqual(VALUE);
    const [fresh] = await rotated.encode([plain(VALUE)]);
    expect(text(fresh.metadata?.[METADATA_KEY_ID])).toBe('k2');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([fresh]))[0])).toEqual(VALUE);
    // A process that still has only k1 cannot read k2's payloads: why step 1 comes first.
    await expect(before.decode([fresh])).rejects.toThrow(UnknownPayloadKeyError);
  });
});

describe('failure messages', () => {
  it('are encrypted with the payloads (a database error may quote an IIN) and restored for a client with the codec', async () => {
    const converter = loadDataConverter(payloadDataConverter(new EncryptionCodec(Keyring.ephemeral('f'))));
    const error = ApplicationFailure.nonRetryable(`duplicate key value: (applicant_iin)=(${IIN})`, 'InvalidCaseAction');
    const failure = await encodeErrorToFailure(converter, error);
    expect(failure.message).toBe('Encoded failure');
    const bytes = Buffer.from(temporal.api.failure.v1.Failure.encode(failure).finish());
    expect(bytes.includes(Buffer.from(IIN))).toBe(false);
    expect(failure.encodedAttributes && isEncrypted(failure.encodedAttributes)).toBe(true);
    // What the API sees on a refused update: the type (not personal) and the original message.
    const back = await decodeOptionalFailureToOptionalError(converter, failure);
    expect(back).toBeInstanceOf(ApplicationFailure);
    expect((back as ApplicationFailure).type).toBe('InvalidCaseAction');
    expect((back as ApplicationFailure).message).toBe(`duplicate key value: (applicant_iin)=(${IIN})`);
  });
});

describe('Keyring configuration', () => {
  it('parses HPC_PAYLOAD_KEYS; one key is active by itself', () => {
    const r = Keyring.parse(` k1:${b64()} `);
    expect(r.activeKeyId).toBe('k1');
    expect(r.keyIds).toEqual(['k1']);
    expect(r.source).toBe('HPC_PAYLOAD_KEYS');
  });

  it('requires HPC_PAYLOAD_ACTIVE_KEY with several keys, and that it be one of them', () => {
    const spec = `k1:${b64()},k2:${b64()}`;
    expect(() => Keyring.parse(spec)).toThrow(/set HPC_PAYLOAD_ACTIVE_KEY.*k1, k2/);
    expect(() => Keyring.parse(spec, 'k3')).toThrow(/HPC_PAYLOAD_ACTIVE_KEY "k3" is not in HPC_PAYLOAD_KEYS/);
    expect(Keyring.parse(spec, 'k2').activeKeyId).toBe('k2');
  });

  it.each([
    ['', /holds no keys/],
    ['k1', /not "keyId:base64key"/],
    [`bad id:${b64()}`, /key id "bad id" is not valid/],
    ['k1:not*base64', /key "k1" is not base64/],
    [`k1:${randomBytes(16).toString('base64')}`, /"k1" is 16 bytes; AES-256 needs exactly 32/],
    [`k1:${b64()},k1:${b64()}`, /"k1" appears twice/],
  ])('rejects %j with a clear error', (spec, message) => {
    expect(() => Keyring.parse(spec)).toThrow(KeyringConfigError);
    expect(() => Keyring.parse(spec)).toThrow(message);
  });

  it('never puts key material in an error message', () => {
    const key = randomBytes(16).toString('base64');
    expect(() => Keyring.parse(`k1:${key}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(key) }) as Error);
  });

  it('loadKeyring: HPC_PAYLOAD_KEYS first; the development file only outside production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-keys-'));
    const file = join(dir, 'payload-keys.json');
    try {
      expect(loadKeyring({ payloadKeys: `prod-1:${b64()}`, payloadActiveKeyId: undefined, allowDevPayloadKey: false }, file).activeKeyId).toBe('prod-1');
      expect(() => loadKeyring({ payloadKeys: undefined, payloadActiveKeyId: undefined, allowDevPayloadKey: false }, file)).toThrow(
        /HPC_PAYLOAD_KEYS is required when NODE_ENV=production/,
      );
      expect(() => loadKeyring({ payloadKeys: undefined, payloadActiveKeyId: 'k1', allowDevPayloadKey: true }, file)).toThrow(
        /HPC_PAYLOAD_ACTIVE_KEY is set but HPC_PAYLOAD_KEYS is not/,
      );
      const dev = loadKeyring({ payloadKeys: undefined, payloadActiveKeyId: undefined, allowDevPayloadKey: true }, file);
      expect(dev.source).toBe('development key file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the development key file once (mode 600) and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-keys-'));
    const file = join(dir, 'sub', 'payload-keys.json');
    try {
      const first = loadOrCreateDevKeyring(file);
      expect(first.activeKeyId).toMatch(/^dev-\d{8}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const again = loadOrCreateDevKeyring(file);
      expect(again.activeKeyId).toBe(first.activeKeyId);
      // Same key: what one process encrypts, the other decrypts.
      const [p] = await new EncryptionCodec(first).encode([plain(VALUE)]);
      expect(defaultPayloadConverter.fromPayload((await new EncryptionCodec(again).decode([p]))[0])).toEqual(VALUE);
      // Two keys in the file: a rotation in development works the same way.
      const content = JSON.parse(readFileSync(file, 'utf8')) as { activeKeyId: string; keys: Record<string, string> };
      writeFileSync(file, JSON.stringify({ activeKeyId: 'dev-2', keys: { ...content.keys, 'dev-2': b64() } }));
      const rotated = loadOrCreateDevKeyring(file);
      expect(rotated.activeKeyId).toBe('dev-2');
      expect(defaultPayloadConverter.fromPayload((await new EncryptionCodec(rotated).decode([p]))[0])).toEqual(VALUE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a broken development key file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-keys-'));
    const file = join(dir, 'payload-keys.json');
    try {
      writeFileSync(file, '{not json');
      expect(() => loadOrCreateDevKeyring(file)).toThrow(new RegExp(`${file} is not JSON`));
      writeFileSync(file, JSON.stringify({ activeKeyId: 'dev-1', keys: { 'dev-1': 'short' } }));
      expect(() => loadOrCreateDevKeyring(file)).toThrow(/key "dev-1" is 3 bytes/);
      writeFileSync(file, JSON.stringify({ keys: {} }));
      expect(() => loadOrCreateDevKeyring(file)).toThrow(/must be \{"activeKeyId"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decodeHistoryPayloads', () => {
  it('decrypts payloads wherever they sit in a history, and leaves everything else', async () => {
    const codec = new EncryptionCodec(Keyring.ephemeral('h'));
    const [input, marker, memo] = await codec.encode([plain(VALUE), plain({ [IIN]: { surname: 'X' } }), plain('app-1')]);
    const history = {
      events: [
        { eventId: 1, workflowExecutionStartedEventAttributes: { input: { payloads: [input] }, memo: { fields: { applicationId: memo } } } },
        { eventId: 2, markerRecordedEventAttributes: { details: { data: { payloads: [marker] } } } },
        { eventId: 3, workflowExecutionCompletedEventAttributes: { result: { payloads: [plain('legacy')] } } },
      ],
    };
    const out = await decodeHistoryPayloads(history as unknown as History, codec); // a plain-object history; event ids as numbers, not Long

    const events = out.events ?? [];
    expect(defaultPayloadConverter.fromPayload(events[0].workflowExecutionStartedEventAttributes!.input!.payloads![0])).toEqual(VALUE);
    expect(defaultPayloadConverter.fromPayload(events[0].workflowExecutionStartedEventAttributes!.memo!.fields!.applicationId)).toBe('app-1');
    expect(defaultPayloadConverter.fromPayload(events[1].markerRecordedEventAttributes!.details!.data!.payloads![0])).toEqual({ [IIN]: { surname: 'X' } });
    expect(defaultPayloadConverter.fromPayload(events[2].workflowExecutionCompletedEventAttributes!.result!.payloads![0])).toBe('legacy');
  });
});

describe('codec server authorisation', () => {
  const token = (c: string): string => c.repeat(40);
  const tokens = StaffTokens.parse(`${token('a')}:OP-0001:operator,${token('b')}:AP-1:applicant,${token('c')}:AU-7:auditor`);
  const req = (authorization?: string): Request => ({ get: (h: string) => (h.toLowerCase() === 'authorization' ? authorization : undefined) }) as unknown as Request; // only get() is read

  it('401 without a Bearer token or with an unknown one; 403 for a role that may not read; ok for staff', () => {
    expect(authoriseCodecRequest(req(), tokens)).toMatchObject({ ok: false, status: 401 });
    expect(authoriseCodecRequest(req(`Basic ${token('a')}`), tokens)).toMatchObject({ ok: false, status: 401 });
    expect(authoriseCodecRequest(req(`Bearer ${token('z')}`), tokens)).toMatchObject({ ok: false, status: 401 });
    expect(authoriseCodecRequest(req(`Bearer ${token('b')}`), tokens)).toMatchObject({ ok: false, status: 403, staff: { staffId: 'AP-1', role: 'applicant' } });
    // Least privilege (security/policy/policy.json payloads.decode): an operator works through the API.
    expect(authoriseCodecRequest(req(`Bearer ${token('a')}`), tokens)).toMatchObject({ ok: false, status: 403, staff: { staffId: 'OP-0001', role: 'operator' } });
    expect(authoriseCodecRequest(req(`bearer   ${token('c')}`), tokens)).toEqual({ ok: true, staff: { staffId: 'AU-7', role: 'auditor', sessionId: null, via: 'break-glass-token' } });
  });

  it.each([
    ['short:OP-1:operator', /32-512 characters/],
    [`${token('a')}:OP-1`, /not "token:staffId:role"/],
    [`${token('a')}:OP-1:clerk`, /role "clerk" is not one of/],
    [`${token('a')}:bad id:operator`, /staff id "bad id"/],
    [`${token('a')}:OP-1:operator,${token('a')}:OP-2:officer`, /used twice/],
  ])('rejects HPC_CODEC_TOKENS %j', (spec, message) => {
    expect(() => StaffTokens.parse(spec)).toThrow(CodecTokenConfigError);
    expect(() => StaffTokens.parse(spec)).toThrow(message);
  });

  it('an unset HPC_CODEC_TOKENS is an empty table', () => {
    expect(StaffTokens.parse(undefined).size).toBe(0);
  });
});
