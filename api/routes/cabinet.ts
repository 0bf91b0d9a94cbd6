/**
 * The personal cabinet (issue #11 §3) — what the SMS points to ("Толығырақ: жеке кабинет"):
 *
 *   GET  /v1/cabinet/applications               the caller's applications and those they represent
 *   GET  /v1/cabinet/notices?cursor=&limit=     every cabinet notice of theirs, newest first, read or not
 *   POST /v1/cabinet/notices/:noticeId/read     marks one read (204, idempotent)
 *
 * Who is whose: the caller (a person signed in with EDS, api/identity.ts) is a case's applicant, or
 * its representative — and then only while the representation registry confirms it, asked now as
 * for every other representative request (api/auth/representation.ts); a guardianship that ended
 * takes the principal's cases out of the cabinet at once. A representative does not read the
 * principal's notices about the representative's own actions (REPRESENTATIVE_ACTION): those are
 * addressed to the principal.
 *
 * Every case shown is an audited read of that case (api/audit.ts auditedMany): one row per case.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import * as cases from '../../db/cases';
import { withTransaction } from '../../db/transaction';
import { allowedActions, type ActionAvailability } from '../../domain/procedure/actions';
import { STATUS_TEXT } from '../../domain/procedure/statuses';
import { toAlmatyIso } from '../../domain/time';
import { recordInTransaction, auditSubjects } from '../audit';
import { REPRESENTATIVE_ACTION } from '../auth/notices';
import { authError } from '../auth/messages';
import { confirmRepresentation, RepresentationUnavailableError, type RepresentationRegistry } from '../auth/representation';
import { dbCaseStatus } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf, type Actor } from '../identity';
import { emptyBody, noticeParams, noticesQuery } from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

export interface CabinetContext {
  registry: RepresentationRegistry;
  now: () => Date;
}

const iso = (d: Date): string => toAlmatyIso(d.getTime());

/** timestamptz as PostgreSQL prints it, and a UUID: what a notice cursor holds. */
export const PG_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Notice kinds a representative is not the addressee of. */
const NOT_FOR_REPRESENTATIVE = [REPRESENTATIVE_ACTION];

interface PersonCase {
  row: cases.CabinetApplicationRow;
  role: 'applicant' | 'representative';
}

/**
 * The caller's cases: as applicant, and as representative where the registry confirms it now
 * (asked once per principal). The registry down is 503: the cabinet does not show a partial list
 * as if it were whole.
 */
async function casesOfCaller(deps: ApiDeps, ctx: CabinetContext, actor: Actor): Promise<PersonCase[]> {
  const rows = await cases.applicationsOfPerson(deps.pool, actor.id);
  const confirmed = new Map<string, boolean>();
  const out: PersonCase[] = [];
  for (const row of rows) {
    if (row.applicant_iin === actor.id) {
      out.push({ row, role: 'applicant' });
      continue;
    }
    const principal = row.applicant_iin;
    let ok = confirmed.get(principal);
    if (ok === undefined) {
      try {
        ok = (await confirmRepresentation(ctx.registry, actor.id, principal, ctx.now())).confirmed;
      } catch (err) {
        if (err instanceof RepresentationUnavailableError) throw authError(503, 'REPRESENTATION_UNAVAILABLE');
        throw err;
      }
      confirmed.set(principal, ok);
    }
    if (ok) out.push({ row, role: 'representative' });
  }
  return out;
}

const SIGN_IN_AS = {
  applicant: {
    code: 'SIGN_IN_AS_APPLICANT',
    kk: 'Бұл өтініш бойынша әрекет ету үшін өтініш беруші ретінде кіріңіз',
    ru: 'Чтобы действовать по этому заявлению, войдите как заявитель',
    en: 'Sign in as the applicant to act on this application',
  },
  representative: {
    code: 'SIGN_IN_AS_REPRESENTATIVE',
    kk: 'Бұл өтініш бойынша әрекет ету үшін заңды өкіл ретінде кіріңіз',
    ru: 'Чтобы действовать по этому заявлению, войдите как представитель',
    en: 'Sign in as the representative to act on this application',
  },
} as const;

/**
 * What the caller may do on the case now (domain/procedure), as GET /v1/applications/:id says it.
 * A case the caller holds in the other capacity than the one they signed in with (their own case
 * while signed in as a representative, or the reverse) takes no action in this session: the
 * policy would refuse it, so the cabinet says why instead of offering it.
 */
function actionsFor(pc: PersonCase, actor: Actor): ActionAvailability[] {
  const state = { status: dbCaseStatus(pc.row), flags: pc.row.flags, path: pc.row.path };
  const actions = allowedActions(state, { role: actor.role });
  if (pc.role === actor.role) return actions;
  return actions.map((a) => (a.allowed ? { action: a.action, allowed: false as const, reason: SIGN_IN_AS[pc.role] } : a));
}

/** GET /v1/cabinet/applications */
export function cabinetApplicationsHandler(deps: ApiDeps, ctx: CabinetContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    parseOrThrow(z.strictObject({}), req.query);
    const mine = await casesOfCaller(deps, ctx, actor);
    auditSubjects(
      req,
      mine.map((m) => m.row.id),
    );
    res.json({
      items: mine.map((pc) => {
        const status = dbCaseStatus(pc.row);
        return {
          applicationId: pc.row.id,
          role: pc.role,
          path: pc.row.path,
          kato: pc.row.kato,
          status,
          statusText: STATUS_TEXT[status].name,
          statusNext: STATUS_TEXT[status].next,
          receivedAt: iso(pc.row.received_at),
          decisionDueAt: iso(pc.row.decision_due_at),
          allowedActions: actionsFor(pc, actor),
        };
      }),
    });
  };
}

/** GET /v1/cabinet/notices */
export function cabinetNoticesHandler(deps: ApiDeps, ctx: CabinetContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const q = parseOrThrow(noticesQuery, req.query);
    const before =
      q.cursor === undefined
        ? undefined
        : decodeCursor(q.cursor, (v) => (typeof v.t === 'string' && PG_INSTANT.test(v.t) && typeof v.id === 'string' && UUID.test(v.id) ? { issuedAt: v.t, id: v.id } : undefined));
    const mine = await casesOfCaller(deps, ctx, actor);
    const hidden: Record<string, string[]> = {};
    for (const m of mine) if (m.role === 'representative') hidden[m.row.id] = NOT_FOR_REPRESENTATIVE;
    // One more than asked: whether a next page exists, without counting.
    const rows = await cases.cabinetNotices(deps.pool, {
      applicationIds: mine.map((m) => m.row.id),
      hiddenKindsByCase: hidden,
      readerIin: actor.id,
      ...(before ? { before } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    auditSubjects(
      req,
      page.map((n) => n.application_id),
    );
    res.json({
      items: page.map((n) => ({
        noticeId: n.id,
        applicationId: n.application_id,
        kind: n.kind,
        at: iso(n.issued_at),
        text: { kk: n.body.kk, ru: n.body.ru },
        read: n.read_at !== null,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.issued_key, id: last.id }) : null,
    });
  };
}

/** POST /v1/cabinet/notices/:noticeId/read — 204; again: 204, the first instant kept. */
export function markNoticeReadHandler(deps: ApiDeps, ctx: CabinetContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { noticeId } = parseOrThrow(noticeParams, req.params);
    parseOrThrow(emptyBody, req.body ?? {});
    const notice = await cases.cabinetNotice(deps.pool, noticeId);
    // Not a notice of the caller's (or none at all): the same 404, so notice ids cannot be probed.
    if (!notice) throw apiError(404, 'NOTICE_NOT_FOUND');
    const mine = (await casesOfCaller(deps, ctx, actor)).find((m) => m.row.id === notice.application_id);
    if (!mine || (mine.role === 'representative' && NOT_FOR_REPRESENTATIVE.includes(notice.kind))) throw apiError(404, 'NOTICE_NOT_FOUND');
    await withTransaction(deps.pool, async (tx) => {
      await cases.markNoticeRead(tx, noticeId, actor.id, ctx.now());
      await recordInTransaction(req, tx, notice.application_id);
    });
    res.status(204).end();
  };
}
