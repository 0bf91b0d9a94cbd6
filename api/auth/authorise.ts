/**
 * Authorisation: the policy of security/policy/policy.json applied to every route of the app.
 *
 * `installPolicy(app, …)` runs once, after the routes are mounted (api/app.ts). It lists the
 * app's routes and puts a guard in front of each (before any of the route's own handlers):
 *   - a route missing from the policy stops the app from starting (and fails the permission test);
 *   - public endpoints pass; for the others the caller is identified (api/identity.ts: 401) and
 *     their role must be listed for the endpoint (else 403 FORBIDDEN, before anything is read).
 * The case-level half happens where the case is known, through `authorise()`:
 *   - own: the caller is the case's applicant; represented: the case names the caller as
 *     representative AND the representation registry confirms it now (api/auth/representation.ts);
 *     any: staff.
 *   - another person's case is 404 NOT_FOUND, the same as a missing one (no probing of case ids);
 *     filing for someone else is 403 FORBIDDEN; an unconfirmed representative 403
 *     REPRESENTATION_NOT_CONFIRMED; the registry down 503 REPRESENTATION_UNAVAILABLE.
 * When a confirmed representative changes something, `actor.principalIin` names the principal
 * (the audit records both persons) and the principal gets a cabinet notice (api/auth/notices.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import {
  decide,
  endpointKey,
  type CaseSubject,
  type EndpointPolicy,
  type GuardedEndpoint,
  type HttpMethod,
  type Policy,
} from '../../security/policy/policy';
import { apiError } from '../errors';
import type { Actor, Identity } from '../identity';
import { authError } from './messages';
import { noticeRepresentativeAction } from './notices';
import { confirmRepresentation, RepresentationUnavailableError, type RepresentationRegistry } from './representation';

export interface AuthoriseContext {
  registry: RepresentationRegistry;
  now: () => Date;
}

/**
 * May `actor` call `endpoint` on `subject` (the parties of the case, or of the application being
 * filed)? Resolves when allowed; throws the ApiError to answer otherwise. For a representative,
 * asks the representation registry and, when it confirms, records the principal on the actor.
 */
export async function authorise(actor: Actor, endpoint: EndpointPolicy, subject: CaseSubject | undefined, ctx: AuthoriseContext): Promise<void> {
  const d = decide(endpoint, actor, subject);
  if (d.allow === true) return;
  if (d.allow === false) {
    if (d.because === 'subject' && endpoint.public === false && endpoint.subject === 'case') throw apiError(404, 'NOT_FOUND');
    throw apiError(403, 'FORBIDDEN');
  }
  let check;
  try {
    check = await confirmRepresentation(ctx.registry, actor.id, d.principalIin, ctx.now());
  } catch (err) {
    if (err instanceof RepresentationUnavailableError) throw authError(503, 'REPRESENTATION_UNAVAILABLE');
    throw err;
  }
  if (!check.confirmed) throw authError(403, 'REPRESENTATION_NOT_CONFIRMED', { details: [{ reason: check.reason }] });
  actor.principalIin = d.principalIin;
}

// ---- per request: what the guard allowed, for the case-level check ----------------------------

interface Grant {
  endpoint: GuardedEndpoint;
  ctx: AuthoriseContext;
  /** The case this request acts on, once authorised. */
  caseId?: string;
  /** The own/represented scope was checked against the case or the filed application. */
  checked: boolean;
}

// Keyed by the request's actor object (one per request, made by api/identity.ts), so the case
// loaders of api/cases.ts, which are handed the actor, find what the route's guard decided.
const grants = new WeakMap<Actor, Grant>();

function grantOf(actor: Actor): Grant {
  const grant = grants.get(actor);
  // A case read on a route the policy guard did not pass is a wiring bug (installPolicy).
  if (!grant) throw new Error('authorisation: no policy guard ran for this request');
  return grant;
}

/** The case-level check for a case loaded from the path (`:id`): 404 when it is not the actor's. */
export async function authoriseCase(actor: Actor, row: { id: string; applicant_iin: string; representative_iin: string | null }): Promise<void> {
  const grant = grantOf(actor);
  await authorise(actor, grant.endpoint, { applicantIin: row.applicant_iin, representativeIin: row.representative_iin }, grant.ctx);
  grant.caseId = row.id;
  grant.checked = true;
}

/** The check for an application being filed: 403 unless the actor may file it. */
export async function authoriseSubject(actor: Actor, subject: CaseSubject): Promise<void> {
  const grant = grantOf(actor);
  await authorise(actor, grant.endpoint, subject, grant.ctx);
  grant.checked = true;
}

// ---- the app's routes ---------------------------------------------------------------------------

/** One method of one route of the app, as `METHOD /template`. */
export interface AppRoute {
  method: HttpMethod;
  path: string;
}

// Express 5 (router 2.x) keeps its routes in `app.router.stack`: a layer holds a route (`route`) or
// a mounted router (`handle.stack`, mounted at `rawPath`). Minimal shapes of what we read.
interface RouteLike {
  path: unknown;
  methods: Record<string, boolean | undefined>;
  stack: unknown[];
}
interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: unknown };
  rawPath?: unknown;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}

function walk(stack: unknown[], prefix: string, visit: (route: RouteLike, path: string, method: HttpMethod) => void): void {
  for (const item of stack) {
    const layer = item as LayerLike; // router 2.x Layer (see LayerLike)
    if (layer.route) {
      const { route } = layer;
      if (typeof route.path !== 'string') throw new Error(`authorisation: a route under ${prefix || '/'} has a non-string path`);
      const path = joinPath(prefix, route.path);
      if (route.methods._all) throw new Error(`authorisation: ${path} answers every method; the policy lists methods`);
      for (const [m, on] of Object.entries(route.methods)) {
        if (!on) continue;
        const method = m.toUpperCase() as HttpMethod;
        if (!METHODS.includes(method)) throw new Error(`authorisation: ${m.toUpperCase()} ${path} is a method the policy cannot list`);
        visit(route, path, method);
      }
    } else if (layer.handle && Array.isArray(layer.handle.stack)) {
      const mount = layer.rawPath;
      if (typeof mount !== 'string') throw new Error('authorisation: a router is mounted at a non-string path');
      walk(layer.handle.stack, joinPath(prefix, mount === '/' ? '' : mount), visit);
    }
  }
}

/** Every `METHOD /template` the app answers (the permission test compares it with the policy). */
export function listRoutes(app: Express): AppRoute[] {
  const out: AppRoute[] = [];
  walk(app.router.stack, '', (_route, path, method) => out.push({ method, path }));
  return out;
}

export interface PolicyGuardDeps {
  policy: Policy;
  identity: Identity;
  ctx: AuthoriseContext;
  pool: Pool;
  logger: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,128}$/;

/** The request's id for idempotent side effects: X-Request-Id, else Idempotency-Key, else new. */
function requestIdOf(req: Request): string {
  for (const h of ['X-Request-Id', 'Idempotency-Key']) {
    const v = req.get(h);
    if (v !== undefined && REQUEST_ID.test(v)) return `${h.toLowerCase()}:${v}`;
  }
  return `generated:${randomUUID()}`;
}

/**
 * For a representative's change: once the answer is 2xx and before it leaves, the principal's
 * cabinet notice is written. A failure to write it is logged; the action itself stands.
 */
function noticeOnSuccess(req: Request, res: Response, actor: Actor, grant: Grant, deps: PolicyGuardDeps): void {
  const send = res.json.bind(res);
  const requestId = requestIdOf(req);
  let done = false;
  res.json = ((body: unknown) => {
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const principal = actor.principalIin;
    const created = typeof body === 'object' && body !== null ? (body as { applicationId?: unknown }).applicationId : undefined;
    const applicationId = grant.caseId ?? (typeof created === 'string' ? created : undefined);
    if (done || !ok || principal === undefined || applicationId === undefined) return send(body);
    done = true;
    noticeRepresentativeAction(deps.pool, {
      applicationId,
      requestId,
      representativeIin: actor.id,
      endpoint: grant.endpoint.key,
      at: deps.ctx.now(),
    }).then(
      () => send(body),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error('non-error thrown');
        deps.logger.error({ err: { name: e.name }, endpoint: grant.endpoint.key }, 'representative action notice not written');
        send(body);
      },
    );
    return res;
  }) as Response['json'];
}

/**
 * Fail closed: a person's 2xx answer on a case endpoint leaves only if the handler had the case
 * checked (authoriseCase / authoriseSubject). A handler that forgot is a bug; its answer is 500.
 */
function requireCaseCheck(res: Response, grant: Grant, deps: PolicyGuardDeps): void {
  const send = res.json.bind(res);
  res.json = ((body: unknown) => {
    if (res.statusCode >= 200 && res.statusCode < 300 && !grant.checked) {
      deps.logger.error({ endpoint: grant.endpoint.key }, 'authorisation: a case endpoint answered a person without checking the case');
      res.removeHeader('Location');
      res.status(500);
      return send(apiError(500, 'INTERNAL').toBody());
    }
    return send(body);
  }) as Response['json'];
}

function guardFor(endpoint: EndpointPolicy, deps: PolicyGuardDeps): RequestHandler {
  if (endpoint.public) return (_req, _res, next) => next();
  return async (req, res, next) => {
    const actor = await deps.identity.identify(req, res);
    const d = decide(endpoint, actor);
    if (d.allow === false) throw apiError(403, 'FORBIDDEN');
    const scope = endpoint.allow[actor.role];
    const grant: Grant = { endpoint, ctx: deps.ctx, checked: scope === 'any' };
    grants.set(actor, grant);
    if (!grant.checked) requireCaseCheck(res, grant, deps);
    if (endpoint.method !== 'GET' && !endpoint.changesNothing && scope === 'represented') noticeOnSuccess(req, res, actor, grant, deps);
    next();
  };
}

/**
 * Puts the policy's guard in front of every route of `app` (call after the routes are mounted).
 * Throws if a route is missing from the policy: an unlisted route would otherwise be unguarded.
 */
export function installPolicy(app: Express, deps: PolicyGuardDeps): void {
  const missing: string[] = [];
  walk(app.router.stack, '', (route, path, method) => {
    const endpoint = deps.policy.endpoint(method, path);
    if (!endpoint) {
      missing.push(endpointKey(method, path));
      return;
    }
    // route.get(fn) etc. add a layer for that method at the end; it is then moved to the front so
    // it runs before the route's own handlers (body parsers, audit, the handler).
    const add = (route as unknown as Record<string, (fn: RequestHandler) => unknown>)[method.toLowerCase()]; // Route#get/post/…
    add.call(route, guardFor(endpoint, deps));
    route.stack.unshift(route.stack.pop());
  });
  if (missing.length > 0) {
    throw new Error(`routes missing from security/policy/policy.json (every route needs an entry): ${missing.join(', ')}`);
  }
}
