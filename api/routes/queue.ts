/**
 * The register after registration (issue #11): a person's queue history (§1), the public statistics
 * of a locality's queue (§3), and the signed snapshots anyone can verify (§4).
 *
 * Nothing here names anyone but the caller: a history item says an entry ahead left and why,
 * never whose; the statistics are counts; the snapshots carry opaque entry ids.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { entryForProof } from '../../db/cases';
import * as ledger from '../../db/queue-ledger';
import { latestSnapshot, leafOf, treeNodes } from '../../db/queue-snapshots';
import type { QueueProof, SignedSnapshot, SnapshotStatement } from '../../domain/queue-snapshot';
import { leafBytes } from '../../domain/queue-snapshot';
import { leafHash, proofOffsets, rootFromInclusionProof } from '../../security/merkle';
import { queueStats } from '../../db/queue-stats';
import { localityOf } from '../../domain/kato';
import { QUEUE_REASON_TEXT } from '../../domain/queue-reasons';
import { toAlmatyIso } from '../../domain/time';
import { caseForActor } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf } from '../identity';
import { applicationIdParams, queueCategoryQuery, queueHistoryQuery, queueParams } from '../schemas';

const iso = (d: Date): string => toAlmatyIso(d.getTime());

/**
 * Cursors carry each list's position at the page boundary (recomputing it would mean walking every
 * change since), so they are MACed with the server's key: a forged one is refused, not believed.
 */
function cursorMac(key: string, applicationId: string, body: string): string {
  return createHmac('sha256', `queue-history-cursor:${key}`).update(`${applicationId}.${body}`).digest('base64url').slice(0, 22);
}

export function encodeCursor(key: string, applicationId: string, c: ledger.HistoryCursor): string {
  const body = Buffer.from(JSON.stringify([c.change, c.list, c.positions])).toString('base64url');
  return `${body}.${cursorMac(key, applicationId, body)}`;
}

function decodeCursor(key: string, applicationId: string, s: string): ledger.HistoryCursor {
  const invalid = () => apiError(400, 'INVALID_CURSOR', { field: 'cursor' });
  const [body, mac] = s.split('.');
  if (!body || !mac) throw invalid();
  const want = Buffer.from(cursorMac(key, applicationId, body));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw invalid();
  const [change, list, positions] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [number, number, (number | null)[]];
  return { change, list, positions };
}

/** GET /v1/applications/:id/queue-history — why the case's positions changed, newest first (§1). */
export function queueHistoryHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const { cursor, limit } = parseOrThrow(queueHistoryQuery, req.query);
    const row = await caseForActor(deps.pool, id, actor);
    const entry = await ledger.entryOfApplication(deps.pool, row.id);
    if (!entry) throw apiError(404, 'NOT_IN_QUEUE');
    const key = deps.settings.workflowIdKey;
    const page = await ledger.queueHistoryPage(deps.pool, entry, { limit, ...(cursor ? { cursor: decodeCursor(key, row.id, cursor) } : {}) });
    res.json({
      applicationId: row.id,
      entries: page.items.map((h) => {
        const text = QUEUE_REASON_TEXT[h.reason][h.own ? 'own' : 'ahead'];
        return {
          at: iso(h.at),
          list: { kato: h.list.locality, ...(h.list.category ? { category: h.list.category } : {}) },
          from: h.from,
          to: h.to,
          reason: { code: h.reason, kk: text.kk, ru: text.ru },
        };
      }),
      ...(page.next ? { nextCursor: encodeCursor(key, row.id, page.next) } : {}),
    });
  };
}

/** GET /v1/queue/:kato/stats — counts only (§3): per category, registrations per month, waiting times. */
export function queueStatsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { kato } = parseOrThrow(queueParams, req.params);
    const locality = localityOf(kato);
    const stats = await queueStats(deps.pool, locality, new Date());
    res.set('Cache-Control', 'public, max-age=300');
    res.json({ kato: locality, ...stats, at: iso(stats.at) });
  };
}

/** GET /v1/queue/:kato/snapshot[?category=] — the latest signed snapshot of the list (§4), public. */
export function queueSnapshotHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { kato } = parseOrThrow(queueParams, req.params);
    const { category } = parseOrThrow(queueCategoryQuery, req.query);
    const snap = await latestSnapshot(deps.pool, { locality: localityOf(kato), category: category ?? '' });
    if (!snap) throw apiError(404, 'NO_SNAPSHOT');
    const body: SignedSnapshot = { statement: JSON.parse(snap.statement) as SnapshotStatement, signature: snap.signature };
    res.set('Cache-Control', 'public, max-age=60');
    res.json(body);
  };
}

/**
 * GET /v1/applications/:id/queue-proof[?category=] — the inclusion proof of the case's row in the
 * latest snapshot of its locality's list, or of one of its category lists (§4). Audited: the
 * proof links the person to an opaque id and a position.
 */
export function queueProofHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const { category } = parseOrThrow(queueCategoryQuery, req.query);
    const row = await caseForActor(deps.pool, id, actor);
    const entry = await entryForProof(deps.pool, row.id);
    if (!entry) throw apiError(404, 'NOT_IN_QUEUE');
    const snap = await latestSnapshot(deps.pool, { locality: entry.locality, category: category ?? '' });
    if (!snap) throw apiError(404, 'NO_SNAPSHOT');
    const leaf = await leafOf(deps.pool, snap.id, entry.id);
    if (!leaf) throw apiError(404, 'NOT_IN_SNAPSHOT');
    const statement = JSON.parse(snap.statement) as SnapshotStatement;
    const path = await treeNodes(deps.pool, snap.id, proofOffsets(leaf.index, snap.treeSize));
    const leafData = {
      category: statement.category,
      entryId: entry.publicId,
      kato: statement.kato,
      position: leaf.index + 1,
      registrationDate: leaf.published ? entry.registrationDate : null,
    };
    // Never hand out a proof that does not verify: a mismatch is our fault, not the person's.
    const root = rootFromInclusionProof(leaf.index, snap.treeSize, leafHash(leafBytes(leafData)), path);
    if (!root || !root.equals(snap.root)) throw new Error(`queue snapshot ${snap.id}: the proof of a stored leaf does not lead to its root`);
    const proof: QueueProof = {
      type: 'HPC_QUEUE_PROOF',
      version: 1,
      kato: statement.kato,
      category: statement.category,
      seq: statement.seq,
      snapshotAt: statement.snapshotAt,
      treeSize: statement.treeSize,
      rootHash: statement.rootHash,
      leafIndex: leaf.index,
      leaf: leafData,
      path: path.map((p) => p.toString('hex')),
    };
    res.json(proof);
  };
}
