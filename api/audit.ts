/**
 * The audit of personal data (issue #3): every read and change of a person's case through the API
 * leaves one row in the hash-chained audit log (db/audit.ts) — who (`role:id`), their role, when,
 * which case, what (the action) and why (the route's purpose code and, for staff, their own words).
 *
 * One middleware, `audited(deps, action)`, stands in front of every case route (api/app.ts):
 *  - staff must say why they read a case (`X-HPC-Purpose`): a staff read without it is 400
 *    PURPOSE_REQUIRED before the handler loads anything;
 *  - the row is written when the handler answers 2xx, before the body leaves. If the write fails
 *    the caller gets 500 and none of the data (fail closed);
 *  - a handler that changes data in a database transaction writes the row inside it
 *    (`recordInTransaction`), so the change and its record commit or fail together.
 * Answers other than 2xx add no row: nothing was disclosed or changed (a 4xx/5xx body carries no
 * case data). So, precisely: each 2xx answer of a case route adds exactly one audit row, any other
 * answer adds none.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { PoolClient } from 'pg';
import { appendAudit, appendAuditInTransaction, type AuditEntry } from '../db/audit';
import { apiError, scrub } from './errors';
import type { ApiDeps } from './http';
import { actorOf, actorRef, isStaff } from './identity';

export const PURPOSE_HEADER = 'X-HPC-Purpose';

/** Why the data is processed, one code per kind of access (the legal basis behind it in brackets). */
export type PurposeCode =
  | 'REGISTRATION_APPLICATION' // filing the application (R13)
  | 'CASE_PROCESSING' // examining the case and its timeline (R13–R17)
  | 'QUEUE_INFORMATION' // the person's place in the queue (Housing Law art. 71)
  | 'EMERGENCY_DWELLING_CHECK' // the expert's report (R7.2, A1.8.2)
  | 'HEARING' // position, re-check and outcome (R17)
  | 'CONSENT_MANAGEMENT' // giving, reading and withdrawing consents (R12)
  | 'REPORT_REVIEW' // the operator's review of the report (R15.6)
  | 'DATA_SUBJECT_ACCESS' // the person's right to know who processed their data (Personal Data Law art. 24)
  | 'CASE_OPERATIONS' // resuming a case held by a failed step (operating the system)
  | 'COMPLAINT_REVIEW' // R18, R19: a complaint filed, read, decided
  | 'REGISTER_REMOVAL'; // issue #11 §2: removal from the register (Housing Law; APPC art. 73 hearing)

interface ActionSpec {
  purpose: PurposeCode;
  /** Reads show a person's data: staff must state why. */
  kind: 'read' | 'change';
}

export const AUDIT_ACTIONS = {
  SUBMIT: { purpose: 'REGISTRATION_APPLICATION', kind: 'change' },
  READ_CASE: { purpose: 'CASE_PROCESSING', kind: 'read' },
  READ_TIMELINE: { purpose: 'CASE_PROCESSING', kind: 'read' },
  READ_QUEUE_POSITION: { purpose: 'QUEUE_INFORMATION', kind: 'read' },
  READ_QUEUE_HISTORY: { purpose: 'QUEUE_INFORMATION', kind: 'read' },
  READ_QUEUE_PROOF: { purpose: 'QUEUE_INFORMATION', kind: 'read' },
  UPLOAD_REPORT: { purpose: 'EMERGENCY_DWELLING_CHECK', kind: 'change' },
  STATE_POSITION: { purpose: 'HEARING', kind: 'change' },
  GIVE_CONSENT: { purpose: 'CONSENT_MANAGEMENT', kind: 'change' },
  WITHDRAW_CONSENT: { purpose: 'CONSENT_MANAGEMENT', kind: 'change' },
  READ_CONSENTS: { purpose: 'CONSENT_MANAGEMENT', kind: 'read' },
  REQUEST_RECHECK: { purpose: 'HEARING', kind: 'change' },
  REVIEW_REPORT: { purpose: 'REPORT_REVIEW', kind: 'change' },
  HEARING_OUTCOME: { purpose: 'HEARING', kind: 'change' },
  SIGN_FINAL_REFUSAL: { purpose: 'HEARING', kind: 'change' },
  RETRY_FAILED_STEP: { purpose: 'CASE_OPERATIONS', kind: 'change' },
  READ_ACCESS_LOG: { purpose: 'DATA_SUBJECT_ACCESS', kind: 'read' },
  FILE_COMPLAINT: { purpose: 'COMPLAINT_REVIEW', kind: 'change' },
  READ_COMPLAINTS: { purpose: 'COMPLAINT_REVIEW', kind: 'read' },
  DECIDE_COMPLAINT: { purpose: 'COMPLAINT_REVIEW', kind: 'change' },
  // EDS (api/routes/signatures.ts): the form to sign shows the case's data; the signatures name the signers.
  PREPARE_SIGNATURE: { purpose: 'HEARING', kind: 'change' },
  READ_SIGNATURES: { purpose: 'CASE_PROCESSING', kind: 'read' },
  // Issue #11 §3: the cabinet (one row per case shown), the A2 prefill (the registry read about the
  // person or the principal; no case yet), the report and the emergency recognition the operator reviews.
  READ_CABINET: { purpose: 'CASE_PROCESSING', kind: 'read' },
  READ_NOTICES: { purpose: 'CASE_PROCESSING', kind: 'read' },
  MARK_NOTICE_READ: { purpose: 'CASE_PROCESSING', kind: 'change' },
  READ_PREFILL: { purpose: 'REGISTRATION_APPLICATION', kind: 'read' },
  READ_REPORT: { purpose: 'REPORT_REVIEW', kind: 'read' },
  READ_EMERGENCY_RECOGNITION: { purpose: 'REPORT_REVIEW', kind: 'read' },
  // Issue #11 §2: the person leaves the queue.
  WITHDRAW_FROM_QUEUE: { purpose: 'QUEUE_INFORMATION', kind: 'change' },
  REQUEST_CATEGORY_RECHECK: { purpose: 'QUEUE_INFORMATION', kind: 'change' },
  // Issue #11 §2: removal from the register by an officer (api/routes/removals.ts). A migrated
  // record has no application: its rows name no case (application_id NULL) but the route and actor.
  OPEN_REMOVAL: { purpose: 'REGISTER_REMOVAL', kind: 'change' },
  READ_REMOVAL: { purpose: 'REGISTER_REMOVAL', kind: 'read' },
  STATE_REMOVAL_POSITION: { purpose: 'REGISTER_REMOVAL', kind: 'change' },
  PREPARE_REMOVAL_SIGNATURE: { purpose: 'REGISTER_REMOVAL', kind: 'change' },
  DECIDE_REMOVAL: { purpose: 'REGISTER_REMOVAL', kind: 'change' },
} as const satisfies Record<string, ActionSpec>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

interface AuditContext {
  what: Pick<AuditEntry, 'action' | 'purpose' | 'purposeText' | 'route'>;
  recorded: boolean;
  /**
   * For a route that answers about several cases or none (auditedMany): the cases the answer
   * shows, one row each; `null` for a read that concerns no case yet (the A2 prefill).
   */
  subjects?: (string | null)[];
  many?: boolean;
}

// Per request, like the actor in api/identity.ts: nothing but this module can set it.
const contexts = new WeakMap<Request, AuditContext>();

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The staff member's stated purpose: HTTP header values are Latin-1 on the wire, so Kazakh or
 * Russian text is sent percent-encoded (UTF-8). Undefined when absent; 400 PURPOSE_INVALID when
 * it cannot be read or is not 3–500 characters of text.
 */
export function parsePurpose(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let text = raw;
  if (raw.includes('%')) {
    try {
      text = decodeURIComponent(raw);
    } catch {
      throw apiError(400, 'PURPOSE_INVALID', { field: PURPOSE_HEADER });
    }
  }
  text = text.trim();
  if (text.length === 0) return undefined;
  if (text.length < 3 || text.length > 500 || CONTROL.test(text)) throw apiError(400, 'PURPOSE_INVALID', { field: PURPOSE_HEADER });
  return text;
}

/** The route as `METHOD /template`, never the URL with its values. */
function routeOf(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  const path = typeof route?.path === 'string' ? `${req.baseUrl}${route.path === '/' ? '' : route.path}` || '/' : req.baseUrl;
  return `${req.method} ${path}`;
}

/** The case a 2xx answer concerns: the `:id` of the path, or the id a submission created. */
function subjectOf(req: Request, body: unknown): string | undefined {
  const fromPath: unknown = req.params.id;
  if (typeof fromPath === 'string' && UUID.test(fromPath)) return fromPath.toLowerCase();
  if (typeof body === 'object' && body !== null) {
    const created: unknown = (body as { applicationId?: unknown }).applicationId;
    if (typeof created === 'string' && UUID.test(created)) return created;
  }
  return undefined;
}

/** The middleware in front of a case route (after requireActor). */
export function audited(deps: ApiDeps, action: AuditAction): RequestHandler {
  return auditMiddleware(deps, action, false);
}

/**
 * The middleware in front of a route that shows several cases (the cabinet) or a person's data
 * before there is a case (the prefill): the handler names what its answer shows with
 * `auditSubjects` before it answers; each becomes a row (an empty list: nothing shown, no row).
 * A handler that names nothing gets 500 and its data stays here, as with `audited`.
 */
export function auditedMany(deps: ApiDeps, action: AuditAction): RequestHandler {
  return auditMiddleware(deps, action, true);
}

/** The cases (or `null`: no case) a 2xx answer of an auditedMany route shows. */
export function auditSubjects(req: Request, subjects: (string | null)[]): void {
  const ctx = contexts.get(req);
  if (!ctx || !ctx.many) throw new Error('auditSubjects called on a route without auditedMany()');
  ctx.subjects = [...new Set(subjects)];
}

function auditMiddleware(deps: ApiDeps, action: AuditAction, many: boolean): RequestHandler {
  const spec: ActionSpec = AUDIT_ACTIONS[action];
  return (req, res, next) => {
    const actor = actorOf(req);
    let purposeText: string | undefined;
    if (isStaff(actor)) {
      purposeText = parsePurpose(req.get(PURPOSE_HEADER));
      if (spec.kind === 'read' && purposeText === undefined) throw apiError(400, 'PURPOSE_REQUIRED', { field: PURPOSE_HEADER });
    }
    const ctx: AuditContext = {
      what: { action, purpose: spec.purpose, purposeText: purposeText ?? null, route: routeOf(req) },
      recorded: false,
      many,
    };
    contexts.set(req, ctx);
    interceptJson(deps, req, res, ctx);
    next();
  };
}

/**
 * The row for a request, made when it is written: by then the authorisation has added what it
 * found out about the caller (a representative's principal, confirmed by the registry).
 */
function entryOf(req: Request, ctx: AuditContext, applicationId: string | null): AuditEntry {
  const actor = actorOf(req);
  return {
    ...ctx.what,
    actor: actorRef(actor),
    actorRole: actor.role,
    onBehalfOf: actor.principalIin ? `applicant:${actor.principalIin}` : null,
    sessionId: actor.sessionId ?? null,
    applicationId,
  };
}

function interceptJson(deps: ApiDeps, req: Request, res: Response, ctx: AuditContext): void {
  const send = res.json.bind(res);
  const fail = (err: unknown): void => {
    const e = err instanceof Error ? err : new Error('non-error thrown');
    const code = (e as { code?: unknown }).code;
    deps.logger?.error(
      { err: { name: e.name, ...(typeof code === 'string' ? { code } : {}), message: scrub(e.message) }, action: ctx.what.action },
      'audit write failed: answer withheld',
    );
    res.removeHeader('Location');
    res.status(500);
    send(apiError(500, 'INTERNAL').toBody());
  };
  // Handlers answer with res.json; the wrapper holds the body back until its audit row is stored.
  res.json = ((body: unknown) => {
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if (!ok || ctx.recorded) return send(body);
    ctx.recorded = true;
    if (ctx.many) {
      const subjects = ctx.subjects;
      if (!subjects) {
        fail(new Error(`no subjects named for the audit of ${ctx.what.route}`));
        return res;
      }
      let entries: AuditEntry[];
      try {
        entries = subjects.map((s) => entryOf(req, ctx, s));
      } catch (err) {
        fail(err);
        return res;
      }
      // One after another: the chain serialises appends anyway, and the order stays the list's.
      entries
        .reduce<Promise<unknown>>((p, e) => p.then(() => appendAudit(deps.pool, e)), Promise.resolve())
        .then(
          () => send(body),
          (err: unknown) => fail(err),
        );
      return res;
    }
    const applicationId = subjectOf(req, body);
    if (!applicationId) {
      // Every case route answers about one case; not knowing which is a bug, and the data stays here.
      fail(new Error(`no case id for the audit of ${ctx.what.route}`));
      return res;
    }
    let entry: AuditEntry;
    try {
      entry = entryOf(req, ctx, applicationId);
    } catch (err) {
      fail(err);
      return res;
    }
    appendAudit(deps.pool, entry).then(
      () => send(body),
      (err: unknown) => fail(err),
    );
    return res;
  }) as Response['json'];
}

/**
 * For a handler that changes data in a database transaction: writes the request's audit row in the
 * same transaction (so the change and its record commit together) and marks the request recorded.
 */
export async function recordInTransaction(req: Request, tx: PoolClient, applicationId: string): Promise<void> {
  const ctx = contexts.get(req);
  // A route that records in its transaction must be mounted behind `audited`.
  if (!ctx) throw new Error('recordInTransaction called on a route without audited()');
  await appendAuditInTransaction(tx, entryOf(req, ctx, applicationId));
  ctx.recorded = true;
}
