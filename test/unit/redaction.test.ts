/**
 * No personal data in the logs (issue #3). `redactText` on its own, then the whole API driven with
 * requests full of IINs, phone numbers, e-mail addresses and names — in bodies, headers, paths and
 * queries, on success, validation, rate-limit and failure paths, including a database error that
 * quotes them and a failed audit write — while the pino output is captured. No server needed: the
 * pool is a stub.
 */
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { createApiApp } from '../../api/app';
import { loadSettings } from '../../config/settings';
import { redactText } from '../../personal-data/redaction';
import type { ApplicationRow } from '../../db/cases/applications';

const IIN = '950314419498';
const REP_IIN = '870412300411';
const PHONE = '+77011234567';
const NAME = 'Аманов Серік Болатұлы';
const LATIN_NAME = 'Serik Amanov';
const EMAIL = 'serik.amanov@example.kz';
const APP_ID = '0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11';

/** The forms personal data can take in the output: raw, with separators, JSON-escaped. */
const FORBIDDEN = [IIN, REP_IIN, PHONE, '701 123 45 67', '7011234567', NAME, 'Аманов', 'Серік', 'Amanov', EMAIL, 'example.kz'];
const escaped = (s: string): string => JSON.stringify(s).slice(1, -1);

function expectClean(text: string): void {
  for (const s of FORBIDDEN) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(escaped(s));
  }
}

describe('redactText', () => {
  it('masks IINs, phone numbers in any spelling, e-mail addresses and quoted values', () => {
    const out = redactText(
      `invalid input syntax for type uuid: "${NAME}" near '${LATIN_NAME}' ${IIN} tel +7 (701) 123-45-67 or 8 701 123 45 67 mail ${EMAIL}`,
    );
    expectClean(out);
    expect(out).not.toContain('123-45-67');
    expect(out).toMatch(/^invalid input syntax for type uuid: "\[redacted\]"/);
  });

  it('keeps what is needed to debug: SQL identifiers, short numbers, words', () => {
    const msg = 'duplicate key value violates unique constraint "applications_one_active_per_person" (line 12, code 23505)';
    expect(redactText(msg)).toBe(msg);
  });
});

interface Query {
  text: string;
}

/** A pool whose queries answer from `answer` (rows, or an error to throw) and whose connect() fails. */
function stubPool(answer: (sql: string) => unknown[] | Error, connectError: Error): Pool {
  const query = async (q: string | Query): Promise<{ rows: unknown[]; rowCount: number }> => {
    const sql = typeof q === 'string' ? q : q.text;
    const a = answer(sql);
    if (a instanceof Error) throw a;
    return { rows: a, rowCount: a.length };
  };
  const stub = { query, connect: async () => Promise.reject(connectError), on: () => stub, end: async () => undefined };
  return stub as unknown as Pool; // a stand-in with the two methods the API uses
}

const dbError = (): Error =>
  Object.assign(new Error(`invalid input syntax for type uuid: "${NAME} ${IIN} ${PHONE} ${EMAIL}"`), { code: '22P02' });

// Typed as the row db/cases reads, so that a new column cannot leave this stand-in behind.
const applicationRow: ApplicationRow = {
  id: APP_ID,
  idempotency_key: 'key-00000001',
  request_hash: 'x',
  applicant_iin: IIN,
  representative_iin: REP_IIN,
  submitted_by: `representative:${REP_IIN}`,
  path: 'NO_HOUSING',
  fund: 'STATE_HOUSING',
  kato: '351010000',
  locality: '351010000',
  declaration: { applicantIin: IIN, path: 'NO_HOUSING', fund: 'STATE_HOUSING', kato: '351010000', categories: [], contact: { mobile: PHONE, email: EMAIL }, consents: [] },
  received_at: new Date('2026-11-20T05:00:00Z'),
  accepted_at: new Date('2026-11-20T05:00:00Z'),
  decision_due_at: new Date('2026-11-21T13:30:00Z'),
  status: 'REGISTERED',
  case_status: 'REGISTERED',
  flags: [],
  waiting_on: [],
  failure: null,
  grounds: [],
  categories: null,
  workflow_id: 'application-x',
  decided_at: new Date('2026-11-20T06:00:00Z'),
  workflow_started_at: new Date('2026-11-20T05:00:00Z'),
  reference_snapshot_id: null,
};

function captureApp(pool: Pool, limits: { perAddress: number }): { app: ReturnType<typeof createApiApp>; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  const app = createApiApp({ devIdentityHeader: true,
    pool,
    client: {} as unknown as Client, // never reached on these paths: the stub pool answers or fails first
    settings: loadSettings({}),
    logger,
    // Behind a proxy, so that the per-address limit sees the X-Forwarded-For address (loopback is exempt).
    hardening: { rateLimitPerAddress: limits.perAddress, rateLimitPerIin: 1_000, trustProxy: 1 },
  });
  return { app, lines };
}

describe('the API log carries no personal data', () => {
  it('on validation, not-found, database failure and rate-limit paths', async () => {
    const { app, lines } = captureApp(
      stubPool(() => dbError(), dbError()),
      { perAddress: 14 },
    );
    const submit = {
      applicantIin: IIN,
      path: 'NO_HOUSING',
      kato: '351010000',
      contact: { mobile: PHONE, email: EMAIL },
      consents: ['C1', 'C2'],
    };
    // A client address as the proxy reports it (loopback is exempt from the per-address limit).
    const via = {
      get: (url: string) => request(app).get(url).set('X-Forwarded-For', '203.0.113.7'),
      post: (url: string) => request(app).post(url).set('X-Forwarded-For', '203.0.113.7'),
    };
    const responses = [
      // Reaches the database (which fails quoting the values): 500.
      await via.post('/v1/applications').set('X-HPC-Actor', `applicant:${IIN}`).set('Idempotency-Key', 'key-00000001').send(submit),
      await via.get(`/v1/applications/${APP_ID}`).set('X-HPC-Actor', `applicant:${IIN}`),
      await request(app)
        .get(`/v1/applications/${APP_ID}/timeline`)
        .set('X-HPC-Actor', 'operator:OP-0001')
        .set('X-HPC-Purpose', encodeURIComponent(`${NAME} ${IIN} ${PHONE}`)),
      await via.post(`/v1/applications/${APP_ID}/position`).set('X-HPC-Actor', `applicant:${IIN}`).send({ text: `${NAME}, ${PHONE}, ${EMAIL}` }),
      // Refused before the database: 400 / 401 / 404 / 415.
      await via.post('/v1/applications').set('X-HPC-Actor', `applicant:${IIN}`).set('Idempotency-Key', 'key-00000002').send({ ...submit, name: NAME }),
      await via.post('/v1/applications').set('X-HPC-Actor', `applicant:${IIN}`).set('Content-Type', 'application/json').send(`{"applicantIin": "${IIN}", "mobile": "${PHONE}"`),
      await via.get(`/v1/applications/${APP_ID}`).set('X-HPC-Actor', `applicant:${IIN.slice(0, 11)}0`),
      await via.get(`/v1/persons/${IIN}`).query({ phone: PHONE, email: EMAIL, name: LATIN_NAME }),
      await via.get(`/v1/queue/${IIN}`).query({ category: NAME }),
      await via.post(`/v1/applications/${APP_ID}/position`).set('X-HPC-Actor', `applicant:${IIN}`).set('Content-Type', 'text/plain').send(`${NAME} ${PHONE}`),
      await via.get(`/v1/applications/${APP_ID}`).set('X-HPC-Actor', 'officer:HO-0001'),
    ];
    // …and past the per-address limit: 429.
    let limited = 0;
    for (let i = 0; i < 6; i++) {
      const r = await via.get(`/v1/applications/${APP_ID}`).set('X-HPC-Actor', `applicant:${IIN}`);
      if (r.status === 429) limited += 1;
    }
    expect(limited).toBeGreaterThan(0);
    expect(responses.map((r) => r.status)).toEqual([500, 500, 500, 500, 400, 400, 401, 404, 400, 415, 400]);
    for (const r of responses) expect(JSON.stringify(r.body)).not.toContain(NAME);

    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain('"status":429');
    expectClean(log);
  });

  it('when the audit write fails: 500, no data in the answer, nothing personal in the log', async () => {
    const pool = stubPool((sql) => (sql.includes('audit_append') ? dbError() : sql.includes('FROM applications') ? [applicationRow] : []), dbError());
    const { app, lines } = captureApp(pool, { perAddress: 1_000 });
    const res = await request(app).get(`/v1/applications/${APP_ID}`).set('X-HPC-Actor', `applicant:${IIN}`);
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    expectClean(JSON.stringify(res.body));
    expect(JSON.stringify(res.body)).not.toContain(APP_ID);
    const log = lines.join('');
    expect(log).toContain('audit write failed');
    expectClean(log);
  });
});
