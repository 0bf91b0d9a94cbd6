/**
 * Who is calling — the one place that reads identity (docs/access-control.md).
 *
 * A caller is identified by a session made by EDS sign-in (api/routes/auth.ts):
 *   - `Authorization: Bearer <token>` (programs; no CSRF token needed), or
 *   - the `__Host-hpc_session` cookie (browsers); a state-changing request (anything but GET, HEAD,
 *     OPTIONS) must then also carry the session's CSRF token in `X-CSRF-Token`.
 * The IIN comes from the certificate the person signed in with, the role from what they signed in
 * as (citizens) or from the staff registry (staff); never from anything the client says later.
 *
 * Development and tests only (HPC_DEV_IDENTITY_HEADER=1, refused with NODE_ENV=production; `npm
 * start` sets it): instead of a session, a caller may name itself in `X-HPC-Actor: <role>:<id>`
 *   applicant | representative  → id is a valid 12-digit IIN (checksum checked, SPEC §11);
 *   operator | officer | head | complaint-review | auditor | administrator → a staff id `AA-0000`.
 * A session always wins over the header. No credentials, an ended session or a malformed header
 * is 401. Public endpoints never ask (security/policy/policy.json).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { validateIin } from '../domain/iin';
import { isStaffRole, ROLES, type PersonRole, type Role, type StaffRole } from '../security/policy/policy';
import { clearSessionCookies } from './auth/cookies';
import { authError } from './auth/messages';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, sameDigest, sha256, touchSession, type ActiveSession } from './auth/sessions';

export const ACTOR_HEADER = 'X-HPC-Actor';

export type { PersonRole, Role, StaffRole };

export interface Actor {
  role: Role;
  /** The IIN for applicants and representatives; the staff id (`AA-0000`) for staff. */
  id: string;
  /** How the caller was identified; absent means the development header. */
  via?: 'session' | 'dev-header';
  /** The session's id (never its token), for sign-out and the audit. */
  sessionId?: string;
  /** A staff member's IIN from their certificate (sessions only). */
  iin?: string;
  /**
   * On behalf of whom: set on a representative's actor once the representation registry has
   * confirmed, for this request's case, that they represent its applicant (api/auth/authorise.ts).
   * The audit records it next to the actor.
   */
  principalIin?: string;
}

const STAFF_ID = /^[A-Z]{2}-\d{4}$/;
const HEADER_RE = new RegExp(`^(${ROLES.join('|')}):(.+)$`);
const BEARER = /^Bearer ([A-Za-z0-9_-]+)$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// WeakMaps rather than properties on Request: no global type augmentation, and nothing but this
// module can set who the caller is.
const actors = new WeakMap<Request, Actor>();
const sessions = new WeakMap<Request, ActiveSession>();

/** Parses the development header's value, or undefined when it is not a well-formed actor. */
export function parseActor(value: string | undefined): Actor | undefined {
  if (typeof value !== 'string') return undefined;
  const m = HEADER_RE.exec(value.trim());
  if (!m) return undefined;
  const role = m[1] as Role; // the regex admits exactly the roles
  const id = m[2];
  if (role === 'applicant' || role === 'representative') {
    return validateIin(id).valid ? { role, id, via: 'dev-header' } : undefined;
  }
  return STAFF_ID.test(id) ? { role, id, via: 'dev-header' } : undefined;
}

export interface IdentityOptions {
  pool: Pool;
  /** Accept X-HPC-Actor (api/auth/config.ts: devIdentityHeaderEnabled). */
  devHeader: boolean;
  idleTimeoutMs: number;
  now: () => Date;
}

export interface Identity {
  /** Middleware: identifies the caller or answers 401 (403 for a missing CSRF token). */
  requireActor: RequestHandler;
  /** The caller of a request, identified once and remembered; throws the 401/403 ApiError. */
  identify(req: Request, res: Response): Promise<Actor>;
}

export function createIdentity(options: IdentityOptions): Identity {
  async function fromSession(req: Request, res: Response, token: string, cookie: boolean): Promise<Actor> {
    const session = await touchSession(options.pool, token, options.now(), options.idleTimeoutMs);
    if (!session) {
      if (cookie) clearSessionCookies(res);
      throw authError(401, 'SESSION_EXPIRED');
    }
    if (cookie && !SAFE_METHODS.has(req.method)) {
      const sent = req.get(CSRF_HEADER);
      if (!sent || session.csrfHash === null || !sameDigest(sha256(sent), session.csrfHash)) {
        throw authError(403, 'CSRF_FAILED', { field: CSRF_HEADER });
      }
    }
    sessions.set(req, session);
    return isStaffRole(session.role)
      ? { role: session.role, id: session.staffId ?? '', iin: session.subjectIin, via: 'session', sessionId: session.id }
      : { role: session.role, id: session.subjectIin, via: 'session', sessionId: session.id };
  }

  async function identify(req: Request, res: Response): Promise<Actor> {
    const known = actors.get(req);
    if (known) return known;
    let actor: Actor | undefined;
    const authorization = req.get('Authorization');
    const cookie = cookieValue(req.get('Cookie'), SESSION_COOKIE);
    if (authorization !== undefined) {
      const m = BEARER.exec(authorization.trim());
      if (!m) throw authError(401, 'AUTHORIZATION_MALFORMED', { field: 'Authorization' });
      actor = await fromSession(req, res, m[1], false);
    } else if (cookie !== undefined) {
      actor = await fromSession(req, res, cookie, true);
    } else if (options.devHeader) {
      actor = parseActor(req.get(ACTOR_HEADER));
    }
    if (!actor) throw authError(401, 'UNAUTHENTICATED');
    actors.set(req, actor);
    return actor;
  }

  return {
    identify,
    requireActor: async (req, res, next) => {
      await identify(req, res);
      next();
    },
  };
}

/** The actor of a request that was identified (requireActor, or a guarded route). */
export function actorOf(req: Request): Actor {
  const actor = actors.get(req);
  // Reaching here without the middleware is a routing bug, not a client error.
  if (!actor) throw new Error('actorOf called on a route without requireActor');
  return actor;
}

/** The actor if the request was identified, else undefined. */
export function maybeActorOf(req: Request): Actor | undefined {
  return actors.get(req);
}

/** The session behind a request's actor (undefined for the development header). */
export function sessionOf(req: Request): ActiveSession | undefined {
  return sessions.get(req);
}

/** `role:id`, the form the workflow records actors in. */
export function actorRef(actor: Actor): string {
  return `${actor.role}:${actor.id}`;
}

export function isStaff(actor: Actor): actor is Actor & { role: StaffRole } {
  return isStaffRole(actor.role);
}
