/**
 * GET /v1/staff/worklist (issue #11 §3): the open cases the caller's role is to act on now —
 * operators the reports to review, officers the hearing outcomes and final refusals to sign, the
 * head the overdue cases (and open alerts, migration 011), administrators the cases held by a
 * failed step — overdue first, then by the instant each is due (R13, R16, R17), filterable by
 * locality and status, cursor-paginated, each with what the caller may do now (domain/procedure
 * `allowedActions`, the same answer as GET /v1/applications/:id).
 *
 * No personal data: a case id, its KATO, stage, flags and due instant. So the list is not an
 * audited read; opening a case from it is (GET /v1/applications/:id, with X-HPC-Purpose).
 */
import type { Request, Response } from 'express';
import * as cases from '../../db/cases';
import { allowedActions } from '../../domain/procedure/actions';
import { toAlmatyIso } from '../../domain/time';
import { dbCaseStatus } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf } from '../identity';
import { worklistQuery } from '../schemas';
import { UUID } from './cabinet';
import { decodeCursor, encodeCursor } from './cursor';
import { removalWorklist } from './removals';

const iso = (d: Date): string => toAlmatyIso(d.getTime());
const WORKLIST_ROLES = new Set<string>(['operator', 'officer', 'head', 'administrator']);
const PG_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function worklistHandler(deps: ApiDeps, now: () => Date) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    // The policy lets only these roles in; a role without a worklist is a policy edit away from here.
    if (!WORKLIST_ROLES.has(actor.role)) throw apiError(403, 'FORBIDDEN');
    const role = actor.role as cases.WorklistRole;
    const q = parseOrThrow(worklistQuery, req.query);
    const cursor =
      q.cursor === undefined
        ? undefined
        : decodeCursor(q.cursor, (v) =>
            typeof v.asOf === 'string' && !Number.isNaN(Date.parse(v.asOf)) && typeof v.o === 'boolean' && typeof v.d === 'string' && PG_INSTANT.test(v.d) && typeof v.id === 'string' && UUID.test(v.id)
              ? { asOf: new Date(v.asOf), after: { overdue: v.o, dueAt: v.d, id: v.id } }
              : undefined,
          );
    const asOf = cursor?.asOf ?? now();
    const rows = await cases.worklist(deps.pool, {
      role,
      asOf,
      ...(q.kato ? { kato: q.kato } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(cursor ? { after: cursor.after } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((r) => {
        const status = dbCaseStatus(r);
        return {
          applicationId: r.id,
          kato: r.kato,
          status,
          flags: r.flags,
          dueAt: iso(r.decision_due_at),
          overdue: r.overdue,
          openAlerts: r.open_alerts,
          allowedActions: allowedActions({ status, flags: r.flags, path: r.path }, { role: actor.role }),
        };
      }),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ asOf: asOf.toISOString(), o: last.overdue, d: last.due_key, id: last.id }) : null,
      asOf: iso(asOf),
      // Issue #11 §2: the officer's removal cases awaiting the decision, by due instant, on the first page.
      ...(actor.role === 'officer' && !cursor ? { removals: await removalWorklist(deps, asOf, actor) } : {}),
    });
  };
}
