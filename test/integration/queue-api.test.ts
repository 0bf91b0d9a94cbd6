/**
 * The register after registration through the API (issue #11), on real PostgreSQL and Temporal:
 * S01 is registered by its workflow (R7.1), then migrated records are merged ahead of it and one of
 * them leaves on a Housing Law ground; S12 registers (in its own locality) and withdraws.
 *  - §1 GET /v1/applications/:id/queue-history: per list, newest first, reasons in kk/ru, cursor
 *    pages (a forged cursor refused), audited, never naming the others, 404 for another's case;
 *  - §3 GET /v1/queue/:kato/stats: counts only, public.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { removeFromQueue } from '../../db/cases';
import { withQueueChangeReason } from '../../db/queue-ledger';
import { withTransaction } from '../../db/transaction';
import { TEST_PKCS12_PASSWORD } from '../../dev/pki/test-ca';
import { developmentSystemSigner } from '../../dev/pki/system-signer';
import { ensureSchedule, QUEUE_SNAPSHOT_SCHEDULE } from '../../worker/schedules';
import { testApiApp } from '../helpers/api';
import { hpc } from '../helpers/cli';
import { privateDemo } from '../helpers/demo';
import { recordCompletedOfTypes } from '../helpers/record-history';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01', 'S12']);
const S01 = demo.scenario('S01').declaration.applicantIin;
const S12 = demo.scenario('S12').declaration.applicantIin;

let stack: Stack;
let app: Express;
let s01: string;
let s12: string;
let locality: string;
let keyDir: string;

async function waitRegistered(id: string, actor: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const res = await request(app).get(`/v1/applications/${id}`).set('X-HPC-Actor', actor);
    if (res.body.status === 'REGISTERED') return;
    if (res.body.status === 'REFUSED') throw new Error(`case ${id} refused`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`case ${id} not registered in time`);
}

async function file(scenario: string, iin: string): Promise<string> {
  const res = await request(app).post('/v1/applications').set('X-HPC-Actor', `applicant:${iin}`).set('Idempotency-Key', `q-${randomUUID()}`).send(demo.bodyOf(scenario));
  if (res.status !== 202) throw new Error(`filing ${scenario}: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.applicationId as string;
  await waitRegistered(id, `applicant:${iin}`);
  return id;
}

/** Migrated records merged ahead of everyone (received long ago), in one statement. */
async function mergeAhead(n: number, tag: string): Promise<number[]> {
  return withTransaction(stack.pool, async (tx) => {
    await withQueueChangeReason(tx, 'MIGRATED');
    const r = await tx.query<{ id: number }>(
      `INSERT INTO queue_entries (source, registration_number, applicant_iin, kato, locality, received_at, registered_at, categories, source_akimat)
       SELECT 'MIGRATED', $1 || '-' || $2 || g, '2' || lpad((floor(random() * 1e9)::bigint * 10 + g)::text, 11, '0'), $1, $1,
              '2001-01-01T00:00:00Z'::timestamptz + (g || ' days')::interval, '2001-01-01T00:00:00Z', '{}', 'test'
         FROM generate_series(1, $3::int) g RETURNING id::int`,
      [locality, tag, n],
    );
    return r.rows.map((x) => x.id);
  });
}

beforeAll(async () => {
  // The provider's system key, from a folder this test knows, so the CLI can be given its CA.
  keyDir = mkdtempSync(join(tmpdir(), 'hpc-queue-api-'));
  await developmentSystemSigner(join(keyDir, 'key'), join(keyDir, 'ca'));
  process.env.HPC_SYSTEM_SIGNING_KEY = join(keyDir, 'key', 'system.p12');
  process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD = TEST_PKCS12_PASSWORD;
  stack = await startStack({ fixture: demo.fixture });
  app = testApiApp(stack);
  s01 = await file('S01', S01);
  locality = (await stack.pool.query<{ locality: string }>(`SELECT locality FROM queue_entries WHERE application_id = $1`, [s01])).rows[0].locality;
  const merged = await mergeAhead(3, `M${Date.now() % 100000}-`);
  s12 = await file('S12', S12);
  // One of the merged records ahead of both leaves: housing provided (Housing Law; interpretation).
  await withTransaction(stack.pool, async (tx) => {
    await withQueueChangeReason(tx, 'HOUSING_PROVIDED');
    await tx.query(`UPDATE queue_entries SET status = 'REMOVED', removed_at = now(), removal_reason = 'HOUSING_PROVIDED' WHERE id = $1`, [merged[1]]);
  });
  await withTransaction(stack.pool, (tx) => removeFromQueue(tx, s12, 'WITHDRAWN', new Date()));
}, 180_000);

afterAll(async () => {
  if (stack) await recordCompletedOfTypes(stack.client, { queueSnapshotsWorkflow: 'queue-snapshots' }, stack.payloadCodec);
  await stack?.client.schedule.getHandle(QUEUE_SNAPSHOT_SCHEDULE.id).delete().catch(() => undefined);
  await stack?.stop();
  delete process.env.HPC_SYSTEM_SIGNING_KEY;
  delete process.env.HPC_SYSTEM_SIGNING_KEY_PASSWORD;
  rmSync(keyDir, { recursive: true, force: true });
});

interface Item {
  at: string;
  list: { kato: string; category?: string };
  from: number | null;
  to: number | null;
  reason: { code: string; kk: string; ru: string };
}

describe('§1 GET /v1/applications/:id/queue-history', () => {
  it('newest first: a departure ahead, a merge ahead, the registration; positions agree with queue-position', async () => {
    const res = await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const items = (res.body.entries as Item[]).filter((i) => !i.list.category);
    expect(items.map((i) => i.reason.code)).toEqual(['HOUSING_PROVIDED', 'MIGRATED', 'REGISTERED']);
    const [left, merged, registered] = items;
    expect(registered).toMatchObject({ from: null, list: { kato: locality } });
    expect(merged.from).toBe(registered.to);
    expect(merged.to).toBe(registered.to! + 3);
    expect(left).toMatchObject({ from: merged.to, to: merged.to! - 1 });
    expect(left.reason.ru).toBe('Стоящему впереди предоставлено жильё');
    expect(left.reason.kk.length).toBeGreaterThan(0);
    expect(left.at).toMatch(/\+05:00$/);
    // S12 (another locality) registered and withdrew: not in S01's lists, so not in its history.
    const pos = await request(app).get(`/v1/applications/${s01}/queue-position`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(pos.body.position).toBe(left.to);
    // Nobody else is named: no IINs, no registration numbers, no case ids but its own.
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toContain(s12);
    expect(text).not.toMatch(new RegExp(`${locality}-`));
  });

  it("the withdrawn entry's own history ends with its withdrawal", async () => {
    const res = await request(app).get(`/v1/applications/${s12}/queue-history`).set('X-HPC-Actor', `applicant:${S12}`);
    expect(res.status).toBe(200);
    const items = (res.body.entries as Item[]).filter((i) => !i.list.category);
    expect(items[0]).toMatchObject({ to: null, reason: { code: 'WITHDRAWN', ru: 'Вы сняты с учёта по собственному заявлению' } });
    expect(items[1]).toMatchObject({ from: null, to: items[0].from, reason: { code: 'REGISTERED', ru: 'Вы поставлены на учёт' } });
    expect(items).toHaveLength(2);
  });

  it('cursor pages: one item at a time gives the same history; a forged cursor is 400', async () => {
    const all = (await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', `applicant:${S01}`)).body.entries as Item[];
    const paged: Item[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await request(app)
        .get(`/v1/applications/${s01}/queue-history`)
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set('X-HPC-Actor', `applicant:${S01}`);
      expect(res.status).toBe(200);
      paged.push(...(res.body.entries as Item[]));
      cursor = res.body.nextCursor as string | undefined;
      if (!cursor) break;
    }
    expect(paged).toEqual(all);
    const first = await request(app).get(`/v1/applications/${s01}/queue-history`).query({ limit: 1 }).set('X-HPC-Actor', `applicant:${S01}`);
    const [body, mac] = (first.body.nextCursor as string).split('.');
    const forged = Buffer.from(JSON.stringify([999999999, 0, [1]])).toString('base64url');
    for (const c of [`${forged}.${mac}`, `${body}.AAAA${mac.slice(4)}`, 'nonsense']) {
      const res = await request(app).get(`/v1/applications/${s01}/queue-history`).query({ cursor: c }).set('X-HPC-Actor', `applicant:${S01}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_CURSOR', field: 'cursor' });
      expect(res.body.error.message.kk.length).toBeGreaterThan(0);
    }
    // Another case's cursor is refused too (the MAC binds the case).
    const other = await request(app).get(`/v1/applications/${s12}/queue-history`).query({ limit: 1 }).set('X-HPC-Actor', `applicant:${S12}`);
    const res = await request(app).get(`/v1/applications/${s01}/queue-history`).query({ cursor: other.body.nextCursor }).set('X-HPC-Actor', `applicant:${S01}`);
    expect(res.status).toBe(400);
    const bad = await request(app).get(`/v1/applications/${s01}/queue-history`).query({ limit: 0 }).set('X-HPC-Actor', `applicant:${S01}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('limit');
  });

  it('audited like every read of personal data; staff must say why; another person gets 404', async () => {
    const count = async (): Promise<number> =>
      (await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE application_id = $1 AND action = 'READ_QUEUE_HISTORY'`, [s01])).rows[0].n;
    const before = await count();
    await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', `applicant:${S01}`).expect(200);
    expect(await count()).toBe(before + 1);
    const row = await stack.pool.query(`SELECT actor_role, purpose FROM audit_log WHERE application_id = $1 AND action = 'READ_QUEUE_HISTORY' ORDER BY id DESC LIMIT 1`, [s01]);
    expect(row.rows[0]).toEqual({ actor_role: 'applicant', purpose: 'QUEUE_INFORMATION' });
    const staff = await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', 'operator:OP-0001');
    expect(staff.status).toBe(400);
    expect(staff.body.error.code).toBe('PURPOSE_REQUIRED');
    await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', 'operator:OP-0001').set('X-HPC-Purpose', 'complaint about position').expect(200);
    expect(await count()).toBe(before + 2);
    const stranger = await request(app).get(`/v1/applications/${s01}/queue-history`).set('X-HPC-Actor', `applicant:${S12}`);
    expect(stranger.status).toBe(404);
    expect(await count()).toBe(before + 2);
  });
});

describe('§3 GET /v1/queue/:kato/stats', () => {
  it('counts per category, registrations per month, waiting times; public; no personal data', async () => {
    const res = await request(app).get(`/v1/queue/${locality}/stats`);
    expect(res.status).toBe(200);
    const active = (await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_entries WHERE status = 'ACTIVE' AND locality = $1`, [locality])).rows[0].n;
    expect(res.body).toMatchObject({ kato: locality, active });
    const waiting = res.body.waitingYears as { fromYears: number; toYears: number | null; active: number }[];
    expect(waiting.map((w) => w.fromYears)).toEqual([0, 1, 2, 3, 5, 10]);
    expect(waiting.reduce((a, w) => a + w.active, 0)).toBe(active);
    // The merged records waited since 2001: the last bucket holds at least the two still active.
    expect(waiting[5].active).toBeGreaterThanOrEqual(2);
    const month = (res.body.registrationsByMonth as { month: string; registrations: number }[]).at(-1)!;
    expect(month.month).toMatch(/^\d{4}-\d{2}$/);
    expect(month.registrations).toBeGreaterThanOrEqual(1); // S01 this month
    expect(typeof res.body.medianWaitingDays).toBe('number');
    expect(JSON.stringify(res.body)).not.toMatch(/\d{12}/);
    const bad = await request(app).get('/v1/queue/12/stats');
    expect(bad.status).toBe(400);
  });
});

describe('§4 signed snapshots: the hourly schedule, the public snapshot, the proof, the offline check', () => {
  const snapshotsOf = async (): Promise<{ seq: number; tree_size: number }[]> =>
    (await stack.pool.query(`SELECT seq, tree_size FROM queue_snapshots WHERE locality = $1 AND category = '' ORDER BY seq`, [locality])).rows;
  /** Runs the schedule now and waits for its workflow run to finish. */
  async function runSchedule(): Promise<void> {
    const handle = stack.client.schedule.getHandle(QUEUE_SNAPSHOT_SCHEDULE.id);
    const before = (await handle.describe()).info.recentActions.length;
    await handle.trigger();
    const until = Date.now() + 60_000;
    for (;;) {
      const d = await handle.describe();
      const last = d.info.recentActions[d.info.recentActions.length - 1];
      if (d.info.recentActions.length > before && last) {
        await stack.client.workflow.getHandle(last.action.workflow.workflowId, last.action.workflow.firstExecutionRunId).result();
        return;
      }
      if (Date.now() > until) throw new Error('the schedule did not start its workflow');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const cli = (snap: unknown, proof: unknown, ...more: string[]) => {
    const f = (name: string, v: unknown) => {
      const p = join(keyDir, name);
      writeFileSync(p, JSON.stringify(v));
      return p;
    };
    return hpc('verify-queue-proof', f('snap.json', snap), f('proof.json', proof), '--ca', join(keyDir, 'ca', 'ca.cer'), ...more);
  };

  it('the worker-side schedule is created once (idempotent)', async () => {
    expect(await ensureSchedule(stack.client, QUEUE_SNAPSHOT_SCHEDULE, stack.settings.taskQueue)).toBe(true);
    expect(await ensureSchedule(stack.client, QUEUE_SNAPSHOT_SCHEDULE, stack.settings.taskQueue)).toBe(false);
    const d = await stack.client.schedule.getHandle(QUEUE_SNAPSHOT_SCHEDULE.id).describe();
    expect(d.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'queueSnapshotsWorkflow' });
  });

  let first: { statement: { seq: number; rootHash: string; treeSize: number } };

  it('a run builds every changed list; the public snapshot; the proof; the CLI says valid', async () => {
    await runSchedule();
    expect((await snapshotsOf()).map((x) => x.seq)).toEqual([1]);
    const snap = await request(app).get(`/v1/queue/${locality}/snapshot`);
    expect(snap.status).toBe(200);
    first = snap.body;
    const active = (await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM queue_entries WHERE status = 'ACTIVE' AND locality = $1`, [locality])).rows[0].n;
    expect(snap.body.statement).toMatchObject({ type: 'HPC_QUEUE_SNAPSHOT', kato: locality, category: null, seq: 1, treeSize: active, previousRootHash: null });
    expect(snap.body.statement.changes).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'MIGRATED', arrived: 3 })]));
    expect(JSON.stringify(snap.body)).not.toContain(S01);

    const proof = await request(app).get(`/v1/applications/${s01}/queue-proof`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(proof.status).toBe(200);
    const pos = await request(app).get(`/v1/applications/${s01}/queue-position`).set('X-HPC-Actor', `applicant:${S01}`);
    expect(proof.body.leaf).toMatchObject({ kato: locality, category: null, position: pos.body.position });
    expect(proof.body.leaf.entryId).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(proof.body);
    expect(text).not.toContain(S01);
    expect(text).not.toContain(pos.body.registrationNumber);
    const audited = await stack.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE application_id = $1 AND action = 'READ_QUEUE_PROOF'`, [s01]);
    expect(audited.rows[0].n).toBe(1);

    const r = cli(snap.body, proof.body);
    expect(r.json).toEqual({ valid: true, kato: locality, position: pos.body.position, snapshotAt: snap.body.statement.snapshotAt });
    expect(r.status).toBe(0);
    const bad = cli(snap.body, { ...proof.body, leaf: { ...proof.body.leaf, position: proof.body.leaf.position + 1 } });
    expect(bad.json).toEqual({ valid: false, reason: 'LEAF_MISMATCH' });
    expect(bad.status).toBe(1);

    // S12 withdrew before any snapshot of its list was built: in none of them.
    const gone = await request(app).get(`/v1/applications/${s12}/queue-proof`).set('X-HPC-Actor', `applicant:${S12}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NOT_IN_SNAPSHOT');
  });

  it('no change, no new snapshot; after a change the next one signs the previous root', async () => {
    await runSchedule();
    expect((await snapshotsOf()).map((x) => x.seq)).toEqual([1]);
    await mergeAhead(2, `N${Date.now() % 100000}-`);
    await runSchedule();
    expect((await snapshotsOf()).map((x) => x.seq)).toEqual([1, 2]);
    const snap = await request(app).get(`/v1/queue/${locality}/snapshot`);
    expect(snap.body.statement).toMatchObject({ seq: 2, previousSeq: 1, previousRootHash: first.statement.rootHash, treeSize: first.statement.treeSize + 2 });
    expect(snap.body.statement.changes).toEqual([{ reason: 'MIGRATED', arrived: 2, left: 0 }]);
    const proof = await request(app).get(`/v1/applications/${s01}/queue-proof`).set('X-HPC-Actor', `applicant:${S01}`);
    const f = join(keyDir, 'prev.json');
    writeFileSync(f, JSON.stringify(first));
    expect(cli(snap.body, proof.body, '--previous', f).json).toMatchObject({ valid: true, position: proof.body.leaf.position });
    // The old snapshot's working copies are dropped; it stays published and cannot be changed.
    const old = await stack.pool.query(`SELECT entries IS NULL AS e, tree IS NULL AS t FROM queue_snapshots WHERE locality = $1 AND category = '' AND seq = 1`, [locality]);
    expect(old.rows[0]).toEqual({ e: true, t: true });
    await expect(stack.pool.query(`UPDATE queue_snapshots SET statement = '{}' WHERE locality = $1`, [locality])).rejects.toThrow(/cannot be changed/);
    await expect(stack.pool.query(`DELETE FROM queue_snapshots WHERE locality = $1`, [locality])).rejects.toThrow(/append-only/);
    // A category list nobody stands in has no snapshot.
    const none = await request(app).get(`/v1/queue/${locality}/snapshot`).query({ category: 'ALTYN_ALKA' });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('NO_SNAPSHOT');
  });
});
