/**
 * The audit log in PostgreSQL (db/audit.ts, db/migrations/002_personal_data.sql): concurrent writers
 * keep one unbroken chain; the triggers refuse edits; `hpc audit verify` finds altered, removed
 * and inserted rows; the consents table keeps its rows as declared; the migration carries over
 * consents given before it.
 *
 * Tampering needs the triggers switched off, which would spoil the shared test database for every
 * other file, so this file works in a database of its own, dropped at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient, type Pool } from 'pg';
import { appendAudit, verifyAudit, type AuditEntry } from '../../db/audit';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { testEnv } from '../helpers/stack';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const DB_NAME = `hpc_audit_${process.pid}_${Date.now()}`;
let adminUrl: string;
let url: string;
let pool: Pool;

async function admin(sql: string): Promise<void> {
  const c = new PgClient({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function dbUrl(name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

beforeAll(async () => {
  adminUrl = process.env.HPC_TEST_DATABASE_ADMIN_URL ?? testEnv('HPC_TEST_DATABASE_URL');
  await admin(`CREATE DATABASE "${DB_NAME}"`);
  url = dbUrl(DB_NAME);
  pool = createPool(url, 10);
  await migrate(pool);
});

afterAll(async () => {
  await pool?.end();
  await admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`).catch(() => undefined);
});

const entry = (i: number): AuditEntry => ({
  actor: i % 4 === 0 ? 'operator:OP-0001' : 'applicant:950314419498',
  actorRole: i % 4 === 0 ? 'operator' : 'applicant',
  onBehalfOf: i % 7 === 0 ? 'applicant:110912643698' : null,
  sessionId: i % 4 === 0 ? randomUUID() : null,
  applicationId: randomUUID(),
  action: 'READ_CASE',
  purpose: 'CASE_PROCESSING',
  purposeText: i % 4 === 0 ? `review ${i}` : null,
  route: 'GET /v1/applications/:id',
});

interface CliRun {
  status: number | null;
  json: unknown;
  stdout: string;
}

/** `npm run --silent hpc -- audit verify` as a person runs it, against this file's database. */
function verifyCli(databaseUrl: string | null = url): CliRun {
  const env = { ...process.env };
  if (databaseUrl === null) delete env.DATABASE_URL;
  else env.DATABASE_URL = databaseUrl;
  const r = spawnSync('npx', ['tsx', 'cli/hpc.ts', 'audit', 'verify'], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, stdout: r.stdout };
}

/** Runs SQL with the table's guard triggers off, as a superuser tampering with the log would. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await c.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
    await c.query(sql, params);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await c.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

async function expectRefused(sql: string, params: unknown[] = []): Promise<void> {
  await expect(pool.query(sql, params)).rejects.toThrow(/not allowed|append-only|must extend|can only advance/);
}

describe('the chain under concurrent writers', () => {
  it('an empty log is valid with 0 rows', async () => {
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: true, rows: 0 });
  });

  it('200 appends from 10 connections at once make ids 1..200 in one valid chain', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => appendAudit(pool, entry(i + 1))));
    const ids = await pool.query<{ id: number }>('SELECT id FROM audit_log ORDER BY id');
    expect(ids.rows.map((r) => Number(r.id))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: true, rows: 200 });
    const cli = verifyCli();
    expect(cli.status).toBe(0);
    expect(cli.json).toEqual({ valid: true, rows: 200 });
  });
});

describe('the triggers', () => {
  it('refuse UPDATE, DELETE and TRUNCATE of the log, and DELETE or TRUNCATE of the head', async () => {
    await expectRefused(`UPDATE audit_log SET actor = 'operator:OP-9999' WHERE id = 3`);
    await expectRefused('DELETE FROM audit_log WHERE id = 200');
    await expectRefused('TRUNCATE audit_log');
    await expectRefused('DELETE FROM audit_head');
    await expectRefused('TRUNCATE audit_head');
  });

  it('refuse a row that does not extend the head, and a head that does not advance onto the new row', async () => {
    const head = await pool.query<{ last_hash: string }>('SELECT last_hash FROM audit_head');
    await expectRefused(
      `INSERT INTO audit_log (id, at, actor, actor_role, action, purpose, route, prev_hash, hash)
       VALUES (500, now(), 'operator:OP-0001', 'operator', 'READ_CASE', 'CASE_PROCESSING', 'GET /', $1, $2)`,
      [head.rows[0].last_hash, 'b'.repeat(64)],
    );
    await expectRefused(`UPDATE audit_head SET last_id = 150`);
    await expectRefused(`UPDATE audit_head SET last_id = 201, last_hash = $1`, ['c'.repeat(64)]);
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: true, rows: 200 });
  });
});

describe('hpc audit verify finds tampering (triggers switched off)', () => {
  it('an altered row: ALTERED at its id, exit 1; valid again once restored', async () => {
    const before = await pool.query<{ actor: string }>('SELECT actor FROM audit_log WHERE id = 57');
    await tamper(`UPDATE audit_log SET actor = 'operator:OP-0666' WHERE id = 57`);
    const cli = verifyCli();
    expect(cli.status).toBe(1);
    expect(cli.json).toEqual({ valid: false, firstBadRow: 57, reason: 'ALTERED' });
    await tamper('UPDATE audit_log SET actor = $1 WHERE id = 57', [before.rows[0].actor]);
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: true, rows: 200 });
  });

  it('a removed row in the middle: REMOVED at its id', async () => {
    const saved = await pool.query('SELECT * FROM audit_log WHERE id = 120');
    await tamper('DELETE FROM audit_log WHERE id = 120');
    const cli = verifyCli();
    expect(cli.status).toBe(1);
    expect(cli.json).toEqual({ valid: false, firstBadRow: 120, reason: 'REMOVED' });
    const r = saved.rows[0] as Record<string, unknown>;
    const cols = Object.keys(r);
    await tamper(
      `INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => r[c]),
    );
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: true, rows: 200 });
  });

  it('the removed last row: REMOVED (the head still names it)', async () => {
    await tamper('DELETE FROM audit_log WHERE id = 200');
    await expect(verifyAudit(pool)).resolves.toEqual({ valid: false, firstBadRow: 200, reason: 'REMOVED' });
    const cli = verifyCli();
    expect(cli.status).toBe(1);
    expect(cli.json).toEqual({ valid: false, firstBadRow: 200, reason: 'REMOVED' });
  });

  it('without DATABASE_URL: a JSON error in kk/ru/en, exit 1, no stack trace', () => {
    const cli = verifyCli(null);
    expect(cli.status).toBe(1);
    const body = cli.json as { error: { code: string; reason: { kk: string; ru: string } } };
    expect(body.error.code).toBe('NO_DATABASE');
    expect(body.error.reason.kk).toMatch(/DATABASE_URL/);
    expect(cli.stdout).not.toMatch(/\n\s+at /);
  });
});

describe('consents keep what was declared', () => {
  it('content and a recorded withdrawal never change; a second consent in force is refused', async () => {
    const app = randomUUID();
    const ins = await pool.query<{ id: number }>(
      `INSERT INTO consents (application_id, code, given_at, given_by) VALUES ($1, 'C1', now(), 'applicant:950314419498') RETURNING id`,
      [app],
    );
    const id = ins.rows[0].id;
    await expect(pool.query(`UPDATE consents SET given_by = 'operator:OP-0001' WHERE id = $1`, [id])).rejects.toThrow(/content cannot change/);
    await expect(
      pool.query(`INSERT INTO consents (application_id, code, given_at, given_by) VALUES ($1, 'C1', now(), 'x')`, [app]),
    ).rejects.toThrow(/consents_one_in_force/);
    await pool.query(`UPDATE consents SET signature = 'MIIB...' WHERE id = $1`, [id]);
    await expect(pool.query(`UPDATE consents SET signature = 'other' WHERE id = $1`, [id])).rejects.toThrow(/signature cannot change/);
    await pool.query(`UPDATE consents SET withdrawn_at = now(), withdrawn_by = 'applicant:950314419498' WHERE id = $1`, [id]);
    await expect(pool.query(`UPDATE consents SET withdrawal_reason = 'later' WHERE id = $1`, [id])).rejects.toThrow(
      /withdrawal cannot change/,
    );
    // Given again: a new row in force beside the withdrawn one.
    await pool.query(`INSERT INTO consents (application_id, code, given_at, given_by) VALUES ($1, 'C1', now(), 'applicant:950314419498')`, [app]);
  });
});

describe('migration 002 on a database with cases', () => {
  const name = `${DB_NAME}_m`;
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  });

  it('carries over the consents of submitted declarations and of CONSENT_GIVEN events', async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const p = createPool(dbUrl(name), 2);
    try {
      // The database as it was before this migration: 001 applied and recorded.
      await p.query(readFileSync(join(ROOT, 'db', 'migrations', '001_cases.sql'), 'utf8'));
      await p.query(`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      await p.query(`INSERT INTO schema_migrations (name) VALUES ('001_cases.sql')`);
      const id = randomUUID();
      const declaration = {
        applicantIin: '950314419498',
        path: 'NO_HOUSING',
        fund: 'STATE_HOUSING',
        kato: '351010000',
        categories: [],
        contact: {},
        consents: [
          { code: 'C2', givenAt: '2026-11-20T10:00:00+05:00' },
          { code: 'C3', givenAt: '2026-11-20T10:00:00+05:00' },
        ],
      };
      await p.query(
        `INSERT INTO applications (id, idempotency_key, request_hash, applicant_iin, submitted_by, path, fund, kato, locality, declaration,
           received_at, accepted_at, decision_due_at, workflow_id, interpretations_version, calendar_version)
         VALUES ($1, $2, 'x', '950314419498', 'applicant:950314419498', 'NO_HOUSING', 'STATE_HOUSING', '351010000', '351010000', $3,
           '2026-11-20T10:00:00+05:00', '2026-11-20T10:00:00+05:00', '2026-11-21T18:30:00+05:00', 'w', 'v', 'v')`,
        [id, `key-${id}`, JSON.stringify(declaration)],
      );
      await p.query(
        `INSERT INTO case_events (application_id, event_key, at, kind, actor, data)
         VALUES ($1, 'k1', '2026-11-21T09:00:00+05:00', 'CONSENT_GIVEN', 'applicant:950314419498', '{"codes": ["C1", "C2"]}'),
                ($1, 'k2', '2026-11-21T09:00:00+05:00', 'ACCEPTED', 'system', '{"codes": "not a list"}')`,
        [id],
      );
      expect(await migrate(p)).toEqual(expect.arrayContaining(['002_personal_data.sql']));
      const rows = await p.query<{ code: string; given_at: Date; given_by: string }>(
        'SELECT code, given_at, given_by FROM consents WHERE application_id = $1 ORDER BY code',
        [id],
      );
      expect(rows.rows.map((r) => [r.code, r.given_at.toISOString()])).toEqual([
        ['C1', '2026-11-21T04:00:00.000Z'],
        ['C2', '2026-11-20T05:00:00.000Z'],
        ['C3', '2026-11-20T05:00:00.000Z'],
      ]);
      await expect(verifyAudit(p)).resolves.toEqual({ valid: true, rows: 0 });
    } finally {
      await p.end();
    }
  });
});
