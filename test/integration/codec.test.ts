/**
 * Payload encryption end to end: a real case (demo person S01, R7.1 → REGISTERED) runs through the
 * API, the dev server and the worker; its history, fetched raw from Temporal's service API (no data
 * converter), holds no IIN, name, phone number or address in any byte; the codec server decodes
 * its payloads for a staff member signed in to the API whose role the policy lets read payloads
 * (security/policy/policy.json `payloads.decode`), with a stated purpose, writing each decode to
 * the hash-chained audit log — and refuses everyone else.
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
import { createSession } from '../../api/auth/sessions';
import { verifyAudit } from '../../db/audit';
import { makeIin, validateIin } from '../../domain/iin';
import { parseFixture } from '../../sandbox/fixture';
import { DECODE_ROLES, StaffTokens, startCodecServer, type RunningCodecServer } from '../../security/codec/codec-server';
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

// Sessions of the API (api/auth/sessions.ts), opened in beforeAll for staff in the staff registry.
let AUDITOR_TOKEN: string;
let ADMIN_COOKIE_TOKEN: string;
let OPERATOR_SESSION: string;
let APPLICANT_SESSION: string;
const BREAK_GLASS_TOKEN = randomBytes(32).toString('base64url');
const PURPOSE = 'INC-2291: workflow stuck after a registry outage';
let breakGlassServer: RunningCodecServer;
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
      'x-hpc-purpose': PURPOSE,
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
  // The staff registry and sessions, as sign-in would leave them (docs/access-control.md).
  const staffIin = (): string => makeIin('1980-01-01', 'M', randomInt(10_000));
  const timeouts = { idleTimeoutMs: 15 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 };
  const open = async (role: 'auditor' | 'administrator' | 'operator', staffId: string): Promise<string> => {
    const iin = staffIin();
    await stack.pool.query(
      `INSERT INTO staff_members (iin, staff_id, roles, updated_by) VALUES ($1, $2, $3, 'test') ON CONFLICT (staff_id) DO UPDATE SET roles = EXCLUDED.roles`,
      [iin, staffId, [role]],
    );
    const row = await stack.pool.query<{ iin: string }>('SELECT iin FROM staff_members WHERE staff_id = $1', [staffId]);
    return (await createSession(stack.pool, { role, subjectIin: row.rows[0].iin, staffId, certificateSerial: 'test', withCsrf: false }, new Date(), timeouts)).token;
  };
  AUDITOR_TOKEN = await open('auditor', 'AU-0001');
  ADMIN_COOKIE_TOKEN = await open('administrator', 'AD-0001');
  OPERATOR_SESSION = await open('operator', 'OP-0001');
  APPLICANT_SESSION = (await createSession(stack.pool, { role: 'applicant', subjectIin: IIN, staffId: null, certificateSerial: 'test', withCsrf: false }, new Date(), timeouts)).token;
  codecServer = await startCodecServer({
    codec: stack.payloadCodec,
    sessions: { pool: stack.pool, idleTimeoutMs: timeouts.idleTimeoutMs },
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
  expect(res.status).toBe(202);
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
  await breakGlassServer?.close();
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
    const atStart = Object.entries(startedEvent(rawHistory).searchAttributes?.indexedFields ?? {});
    const upserts = (rawHistory.events ?? []).flatMap((e) => Object.entries(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
    expect(atStart.length).toBeGreaterThan(0);
    expect(upserts.length).toBeGreaterThan(0);
    for (const [name, payload] of [...atStart, ...upserts]) {
      expect(['CaseApplicationId', 'CaseStatus', 'CaseFlags', 'CasePath', 'DecisionDueAt', 'WaitingOn', 'CaseKato']).toContain(name);
      expect(isEncryptedPayload(payload as Payload)).toBe(false); // Temporal indexes them: codecs never touch them
    }
    expect(workflowId).toMatch(/^application-[0-9a-f]{32}$/);
  });

  it('the API starts the case indexed (checking, due at its term); the workflow does not upsert the same again', () => {
    const text = (p: unknown): unknown => JSON.parse(Buffer.from((p as Payload).data ?? []).toString('utf8'));
    const atStart = startedEvent(rawHistory).searchAttributes?.indexedFields ?? {};
    expect(text(atStart.CaseStatus)).toBe('CHECKING');
    expect(text(atStart.CasePath)).toBe('NO_HOUSING');
    // From the API's case to its workflow: the case id (a random UUID, not personal data).
    expect(text(atStart.CaseApplicationId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(atStart.WaitingOn).toBeUndefined();
    const statuses = (rawHistory.events ?? [])
      .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.CaseStatus)
      .filter((p) => p !== undefined && p !== null)
      .map(text);
    expect(statuses).not.toContain('CHECKING');
    expect(workflowId).not.toContain(IIN);
  });
});

describe('the codec server', () => {
  it('lets read payloads only the roles of the policy: auditor and administrator (least privilege)', () => {
    expect([...DECODE_ROLES].sort()).toEqual(['administrator', 'auditor']);
  });

  it('decodes the history payloads for an auditor\'s session and writes an audit line without content', async () => {
    const input = startedEvent(rawHistory).input?.payloads ?? [];
    const res = await decodeCall(AUDITOR_TOKEN, input.map((p) => payloadToJSON(p)));
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
    expect(line).toMatchObject({ staffId: 'AU-0001', role: 'auditor', via: 'session', namespace: 'default', count: 1 });
    expect(typeof line?.at).toBe('string');
    expect(JSON.stringify(auditLines)).not.toContain(IIN);
    expect(JSON.stringify(auditLines)).not.toContain(AUDITOR_TOKEN);

    // …and a row of the hash-chained audit log: who, role, session, why.
    const rows = await stack.pool.query(
      `SELECT actor, actor_role, session_id, application_id, action, purpose, purpose_text, route FROM audit_log
        WHERE action = 'DECODE_PAYLOADS' AND actor = 'auditor:AU-0001' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows.rows[0]).toMatchObject({
      actor_role: 'auditor',
      application_id: null,
      purpose: 'PAYLOAD_INSPECTION',
      purpose_text: PURPOSE,
      route: 'POST /decode',
    });
    expect(rows.rows[0].session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await verifyAudit(stack.pool)).toMatchObject({ valid: true });
  });

  it('takes the session cookie (the UI with "include cross-origin credentials") and the purpose from the endpoint path', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const purpose = 'Тексеру: INC-2292 проверка';
    const res = await fetch(`${codecServer.url}/purpose/${encodeURIComponent(purpose)}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', cookie: `__Host-hpc_session=${ADMIN_COOKIE_TOKEN}`, origin: UI_ORIGIN },
      body: JSON.stringify({ payloads: input }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const row = await stack.pool.query(`SELECT actor, purpose_text FROM audit_log WHERE action = 'DECODE_PAYLOADS' ORDER BY id DESC LIMIT 1`);
    expect(row.rows[0]).toEqual({ actor: 'administrator:AD-0001', purpose_text: purpose });
  });

  it('400 PURPOSE_REQUIRED without a stated purpose, and nothing is disclosed or audited', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const before = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    const res = await fetch(`${codecServer.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', authorization: `Bearer ${AUDITOR_TOKEN}` },
      body: JSON.stringify({ payloads: input }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PURPOSE_REQUIRED');
    expect((await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(before.rows[0].n);
  });

  it('a revoked session is 401 at once', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const token = (await createSession(stack.pool, { role: 'auditor', subjectIin: (await stack.pool.query<{ iin: string }>(`SELECT iin FROM staff_members WHERE staff_id = 'AU-0001'`)).rows[0].iin, staffId: 'AU-0001', certificateSerial: 'test', withCsrf: false }, new Date(), { idleTimeoutMs: 60_000, absoluteTimeoutMs: 3_600_000 })).token;
    expect((await decodeCall(token, input)).status).toBe(200);
    await stack.pool.query(`UPDATE sessions SET revoked_at = now() WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token]);
    expect((await decodeCall(token, input)).status).toBe(401);
  });

  it('break-glass tokens (HPC_CODEC_TOKENS) only where enabled, audited as such', async () => {
    breakGlassServer = await startCodecServer({
      codec: stack.payloadCodec,
      sessions: { pool: stack.pool, idleTimeoutMs: 60_000 },
      tokens: StaffTokens.parse(`${BREAK_GLASS_TOKEN}:AD-0009:administrator`),
      corsOrigins: [],
      namespaces: ['default'],
      logger: quietLogger(),
      host: '127.0.0.1',
      port: 0,
    });
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    // The main server has no tokens: the same token is nobody there.
    expect((await decodeCall(BREAK_GLASS_TOKEN, input)).status).toBe(401);
    const res = await fetch(`${breakGlassServer.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', 'x-hpc-purpose': PURPOSE, authorization: `Bearer ${BREAK_GLASS_TOKEN}` },
      body: JSON.stringify({ payloads: input }),
    });
    expect(res.status).toBe(200);
    const row = await stack.pool.query(`SELECT actor, session_id, purpose FROM audit_log WHERE action = 'DECODE_PAYLOADS' ORDER BY id DESC LIMIT 1`);
    expect(row.rows[0]).toEqual({ actor: 'administrator:AD-0009', session_id: null, purpose: 'PAYLOAD_INSPECTION_BREAK_GLASS' });
  });

  it('decodes several payloads at once, unencrypted ones unchanged', async () => {
    const markers = (rawHistory.events ?? []).map((e) => e.markerRecordedEventAttributes?.details?.result?.payloads?.[0]).filter((p): p is Payload => !!p);
    const legacy: JSONPayload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') };
    const res = await decodeCall(AUDITOR_TOKEN, [...markers.map((p) => payloadToJSON(p)), legacy]);
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
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AUDITOR_TOKEN}`, 'x-namespace': 'default', 'x-hpc-purpose': PURPOSE },
      body: JSON.stringify({ payloads: [plain] }),
    });
    expect(enc.status).toBe(200);
    const encoded = ((await enc.json()) as { payloads: JSONPayload[] }).payloads;
    expect(Buffer.from(encoded[0].metadata?.encoding ?? '', 'base64').toString()).toBe(ENCODING_ENCRYPTED);
    expect(Buffer.from(encoded[0].data ?? '', 'base64').includes(Buffer.from(IIN))).toBe(false);
    const dec = await decodeCall(AUDITOR_TOKEN, encoded);
    expect(((await dec.json()) as { payloads: JSONPayload[] }).payloads).toEqual([plain]);
  });

  it('401 without a session or with an unknown token; 403 for an operator and for an applicant; none reveals anything', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const none = await decodeCall(undefined, input);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const unknown = await decodeCall(randomBytes(32).toString('base64url'), input);
    expect(unknown.status).toBe(401);
    const applicant = await decodeCall(APPLICANT_SESSION, input);
    expect(applicant.status).toBe(403);
    const operator = await decodeCall(OPERATOR_SESSION, input);
    expect(operator.status).toBe(403);
    for (const r of [none, unknown, applicant, operator]) expect(await r.text()).not.toContain(Buffer.from(IIN).toString('base64').slice(0, 12));
    expect(auditLines.filter((l) => l.outcome === 'denied').map((l) => l.status)).toEqual(expect.arrayContaining([401, 403]));
    expect(auditLines.filter((l) => l.outcome === 'denied' && l.status === 403).map((l) => l.role)).toEqual(expect.arrayContaining(['applicant', 'operator']));
  });

  it('400 for another namespace, a malformed body, or a payload it cannot decrypt', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    expect((await decodeCall(AUDITOR_TOKEN, input, { 'x-namespace': 'other' })).status).toBe(400);
    const bad = await fetch(`${codecServer.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AUDITOR_TOKEN}`, 'x-hpc-purpose': PURPOSE },
      body: '{"payloads": [',
    });
    expect(bad.status).toBe(400);
    expect((await decodeCall(AUDITOR_TOKEN, [{ metadata: { encoding: 'not base64!' } } as JSONPayload])).status).toBe(400);
    const tampered = { ...input[0], data: Buffer.from(Buffer.from(input[0].data ?? '', 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64') };
    const res = await decodeCall(AUDITOR_TOKEN, [tampered]);
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
    const fromUi = await decodeCall(AUDITOR_TOKEN, input, { origin: UI_ORIGIN });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('serves the protocol under any prefix (only the last path segment counts)', async () => {
    const input = (startedEvent(rawHistory).input?.payloads ?? []).map((p) => payloadToJSON(p));
    const res = await fetch(`${codecServer.url}/default/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AUDITOR_TOKEN}`, 'x-namespace': 'default', 'x-hpc-purpose': PURPOSE },
      body: JSON.stringify({ payloads: input }),
    });
    expect(res.status).toBe(200);
  });
});
