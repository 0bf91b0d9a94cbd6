/**
 * Payload encryption end to end: a real case (demo person S01, R7.1 → REGISTERED) runs through the
 * API, the dev server and the worker; its history, fetched raw from Temporal's service API (no data
 * converter), holds no IIN, name, phone number or address in any byte; the codec server decodes
 * its payloads for an authorised staff member and refuses everyone else.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Payload } from '@temporalio/common';
import { payloadToJSON, type History, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { makeIin, validateIin } from '../../domain/iin';
import { parseFixture } from '../../sandbox/fixture';
import { StaffTokens, startCodecServer, type RunningCodecServer } from '../../security/codec/codec-server';
import { ENCODING_ENCRYPTED, isEncryptedPayload, METADATA_KEY_ID } from '../../security/codec/encryption-codec';
import { decodeHistoryPayloads } from '../../security/codec/history';
import { DEMO_FIXTURE, startStack, type Stack } from '../helpers/stack';

jest.setTimeout(90_000);

// S01 of the demo fixture, under a fresh IIN so that no other test file's case collides with ours.
const S01 = '950314419498';
const demoText = readFileSync(DEMO_FIXTURE, 'utf8');
const s01 = validateIin(S01);
if (!s01.valid) throw new Error('demo IIN S01 is invalid');
let IIN: string;
do IIN = makeIin(s01.birthDate, s01.sex, randomInt(10_000));
while (IIN === S01 || demoText.includes(IIN));
const fixture = parseFixture(JSON.parse(demoText.split(S01).join(IIN)));
const ACTOR = `applicant:${IIN}`;
/** What the registries say about S01 (sandbox/fixtures/demo.json): each must stay out of the history. */
const PERSONAL = [IIN, 'ЖАКСЫБЕКОВА', 'АЙГЕРИМ', 'НУРЛАНОВНА', '+77473485859', '7473485859', 'Ерубаева', '093436632'];

const OPERATOR_TOKEN = randomBytes(32).toString('base64url');
const APPLICANT_TOKEN = randomBytes(32).toString('base64url');
const UI_ORIGIN = 'http://127.0.0.1:8233';

let stack: Stack;
let app: Express;
let codecServer: RunningCodecServer;
const auditLines: Record<string, unknown>[] = [];
let applicationId: string;
let workflowId: string;
let rawHistory: History;

function quietLogger(sink?: Record<string, unknown>[]): pino.Logger {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        sink?.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        cb();
      },
    }),
  );
}

/** Every page of the history as Temporal stores it: the raw gRPC service, no data converter. */
async function fetchRawHistory(): Promise<History> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

function historyBytes(h: History): Buffer {
  return Buffer.from(temporal.api.history.v1.History.encode(h).finish());
}

function decodeCall(token: string | undefined, payloads: JSONPayload[], headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${codecServer.url}/decode`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-namespace': 'default',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ payloads }),
  });
}

function startedEvent(h: History): temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes {
  const attrs = h.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!attrs) throw new Error('the history does not start with WorkflowExecutionStarted');
  return attrs;
}

beforeAll(async () => {
  stack = await startStack({ fixture });
  // A private workflow-ID key: other test files on the same Temporal server never collide with us.
  app = createApiApp({ pool: stack.pool, client: stack.client, settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` }, logger: quietLogger() });
  codecServer = await startCodecServer({
    codec: stack.payloadCodec,
    tokens: StaffTokens.parse(`${OPERATOR_TOKEN}:OP-0001:operator,${APPLICANT_TOKEN}:AP-0001:applicant`),
    corsOrigins: [UI_ORIGIN],
    namespaces: ['default'],
    logger: quietLogger(auditLines),
    host: '127.0.0.1',
    port: 0,
  });

  const res = await request(app)
    .post('/v1/applications')
    .set('X-HPC-Actor', ACTOR)
    .set('Idempotency-Key', `codec-${randomUUID()}`)
    .send({ applicantIin: IIN, path: 'NO_HOUSING', fund: 'STATE_HOUSING', kato: '351010000', categories: [], contact: { mobile: '+77473485859' }, consents: ['C1', 'C2', 'C3', 'C4'] });
  expect(res.status).toBe(201);
  applicationId = res.body.applicationId as string;
  const until = Date.now() + 30_000;
  let status = '';
  while (Date.now() < until) {
    const got = await request(app).get(`/v1/applications/${applicationId}`).set('X-HPC-Actor', ACTOR);
    status = (got.body as { status: string }).status;
    if (status === 'REGISTERED') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe('REGISTERED');
  const row = await stack.pool.query<{ workflow_id: string }>('SELECT workflow_id FROM applications WHERE id = $1', [applicationId]);
  workflowId = row.rows[0].workflow_id;
  // The workflow completes just after the case record says REGISTERED.
  await stack.client.workflow.getHandle(workflowId).result();
  rawHistory = await fetchRawHistory();
}, 90_000);

afterAll(async () => {
  await codecServer?.close();
  await stack?.stop();
});

describe('the history at rest', () => {
  it('holds no IIN, name, phone number, address or document number in any byte', () => {
    const bytes = historyBytes(rawHistory);
    expect(rawHistory.events?.length).toBeGreaterThan(10);
    const found = PERSONAL.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
    expect(found).toEqual([]);
  });

  it('does hold them once decrypted (the search above can find them)', async () => {
    // The positive control: the same search over the decrypted history finds the personal data.
    const decoded = await decodeHistoryPayloads(temporal.api.history.v1.History.decode(historyBytes(rawHistory)), stack.payloadCodec);
    const bytes = historyBytes(decoded);
    expect(PERSONAL.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')))).toEqual(expect.arrayContaining([IIN, 'ЖАКСЫБЕКОВА', 'АЙГЕРИМ']));
  });

  it('encrypts the input, the memo, the markers and the result with the active key', () => {
    const started = startedEvent(rawHistory);
    const input = started.input?.payloads?.[0] as Payload;
    expect(isEncryptedPayload(input)).toBe(true);
    expect(Buffer.from(input.metadata?.[METADATA_KEY_ID] ?? []).toString()).toBe(stack.payloadCodec.keyring.activeKeyId);
    // The memo the API sets (applicationId) goes through the codec too.
    const memo = started.memo?.fields?.applicationId as Payload | undefined;
    expect(memo && isEncryptedPayload(memo)).toBe(true);
    const events = rawHistory.events ?? [];
    const markers = events.flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) => d.payloads ?? []));
    expect(markers.length).toBeGreaterThan(0);
    // Each local activity's result is encrypted; core's own marker data (activity type, attempt) is not personal.
    const results = events.map((e) => e.markerRecordedEventAttributes?.details?.result?.payloads?.[0]).filter((p): p is Payload => !!p);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((p) => isEncryptedPayload(p))).toBe(true);
    const completed = events[events.length - 1].workflowExecutionCompletedEventAttributes?.result?.payloads?.[0] as Payload;
    expect(isEncryptedPayload(completed)).toBe(true);
  });

  it('search attributes stay readable and carry no personal data; the workflow ID is a pseudonym', () => {
    const upserts = (rawHistory.events ?? []).flatMap((e) => Object.entries(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
    expect(upserts.length).toBeGreaterThan(0);
    for (const [name, payload] of upserts) {
      expect(['CaseStatus', 'CasePath', 'DecisionDueAt', 'WaitingOn', 'CaseKato']).toContain(name);
      expect(isEncryptedPayload(payload as Payload)).toBe(false); // Temporal indexes them: codecs never touch them
    }
    expect(workflowId).toMatch(/^application-[0-9a-f]{32}$/);
    expect(workflowId).not.toContain(IIN);
  });
});

describe('the codec server', () => {
  it('decodes the history payloads for an operator and writes an audit line without content', async () => {
    const input = startedEvent(rawHistory).input?.payloads ?? [];
    const res = await decodeCall(OPERATOR_TOKEN, input.map((p) => payloadToJSON(p)));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { payloads: JSONPayload[] };
    expect(body.payloads).toHaveLength(1);
    const decoded = body.payloads[0];
    expect(Buffer.from(decoded.metadata?.encoding ?? '', 'base64').toString()).toBe('json/plain');
    const value = JSON.parse(Buffer.from(decoded.data ?? '', 'base64').toString('utf8')) as { applicationId: string; declaration: { applicantIin: string } };
    expect(value.declaration.applicantIin).toBe(IIN);
    expect(value.applicationId).toBe(applicationId);

    const line = auditLines.find((l) => l.event === 'codec.decode' && l.outcome === 'ok');
    expect(line).toMatchObject({ staffId: 'OP-0001', role: 'operator', namespace: 'default', count: 1 });
    expect(typeof line?.at).toBe('string');
    expect(JSON.stringify(auditLines)).not.toContain(IIN);
    expect(JSON.stringify(auditLines)).not.toContain(OPERATOR_TOKEN);
  });

  it('decodes several payloads at once, unencrypted ones unchanged', async () => {
    const markers = (rawHistory.events ?? []).map((e) => e.markerRecordedEventAttributes?.details?.result?.payloads?.[0]).filter((p): p is Payload => !!p);
    const legacy: JSONPayload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') };
    const res = await decodeCall(OPERATOR_TOKEN, [...markers.map((p) => payloadToJSON(p)), legacy]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { payloads: JSONPayload[] };
    expect(body.payloads).toHaveLength(markers.length + 1);
    expect(body.payloads[markers.length]).toEqual(legacy);
    const texts = body.payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8'));
    expect(texts.some((t) => t.includes('ЖАКСЫБЕКОВА'))).toBe(true);
  });

  it('encodes for the UI (e.g. an update sent from it), and what it encodes decodes back', async () => {
    const plain: JSONPayload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ iin: IIN })).toString('base64') };
    const enc = await fetch(`${codecServer.url}/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}`, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [plain] }),
    });
    expect(enc.status).toBe(200);
    const encoded = ((await enc.json()) as { payloads: JSONPayload[] }).payloads;
    expect(Buffer.from(encoded[0].metadata?.encoding ?? '', 'base64').toString()).toBe(ENCODING_ENCRYPTED);
    expect(Buffer.from(encoded[0].data ?? '', 'base64').includes(Buffer.from(IIN))).toBe(false);
    const dec = await decodeCall(OPERATOR_TOKEN, encoded);
    expect(((await dec.json()) as { payloads: JSONPayload[] }).payloads).toEqual([plain]);
  });

  it('401 without a token or with an unknown one; 403 for an applicant; neither reveals anything', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const none = await decodeCall(undefined, input);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const unknown = await decodeCall(randomBytes(32).toString('base64url'), input);
    expect(unknown.status).toBe(401);
    const applicant = await decodeCall(APPLICANT_TOKEN, input);
    expect(applicant.status).toBe(403);
    for (const r of [none, unknown, applicant]) expect(await r.text()).not.toContain(Buffer.from(IIN).toString('base64').slice(0, 12));
    expect(auditLines.filter((l) => l.outcome === 'denied').map((l) => l.status)).toEqual(expect.arrayContaining([401, 403]));
    expect(auditLines.find((l) => l.outcome === 'denied' && l.status === 403)).toMatchObject({ staffId: 'AP-0001', role: 'applicant' });
  });

  it('400 for another namespace, a malformed body, or a payload it cannot decrypt', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    expect((await decodeCall(OPERATOR_TOKEN, input, { 'x-namespace': 'other' })).status).toBe(400);
    const bad = await fetch(`${codecServer.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: '{"payloads": [',
    });
    expect(bad.status).toBe(400);
    expect((await decodeCall(OPERATOR_TOKEN, [{ metadata: { encoding: 'not base64!' } } as JSONPayload])).status).toBe(400);
    const tampered = { ...input[0], data: Buffer.from(Buffer.from(input[0].data ?? '', 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64') };
    const res = await decodeCall(OPERATOR_TOKEN, [tampered]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CODEC_ERROR');
  });

  it('answers the Temporal UI origin\'s CORS preflight, and no other origin', async () => {
    const preflight = (origin: string): Promise<Response> =>
      fetch(`${codecServer.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const other = await preflight('http://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // A real request from the UI gets the origin echoed.
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const fromUi = await decodeCall(OPERATOR_TOKEN, input, { origin: UI_ORIGIN });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('serves the protocol under any prefix (only the last path segment counts)', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const res = await fetch(`${codecServer.url}/default/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}`, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: input }),
    });
    expect(res.status).toBe(200);
  });
});
