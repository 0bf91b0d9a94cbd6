/**
 * Who is calling — a stand-in until EDS (electronic digital signature) login exists; a later issue
 * replaces this module, and only this module, so nothing else parses identity.
 *
 * The caller names itself in one header:  `X-HPC-Actor: <role>:<id>`
 *   applicant | representative  → id is a valid 12-digit IIN (checksum checked, SPEC §11);
 *   operator  | officer         → id is a staff id `AA-0000`.
 * A missing or malformed header is 401. Public endpoints do not mount this middleware.
 */
import type { Request, RequestHandler } from 'express';
import { validateIin } from '../domain/iin';
import { apiError } from './errors';

export const ACTOR_HEADER = 'X-HPC-Actor';

export type PersonRole = 'applicant' | 'representative';
export type StaffRole = 'operator' | 'officer';
export type Role = PersonRole | StaffRole;

export interface Actor {
  role: Role;
  id: string;
}

const STAFF_ID = /^[A-Z]{2}-\d{4}$/;
const HEADER_RE = /^(applicant|representative|operator|officer):(.+)$/;

// A WeakMap rather than a property on Request: no global type augmentation, and the actor cannot
// be set by anything but this middleware.
const actors = new WeakMap<Request, Actor>();

/** Parses the header value, or undefined when it is not a well-formed actor. */
export function parseActor(value: string | undefined): Actor | undefined {
  if (typeof value !== 'string') return undefined;
  const m = HEADER_RE.exec(value.trim());
  if (!m) return undefined;
  const role = m[1] as Role; // the regex admits exactly the four roles
  const id = m[2];
  if (role === 'applicant' || role === 'representative') {
    return validateIin(id).valid ? { role, id } : undefined;
  }
  return STAFF_ID.test(id) ? { role, id } : undefined;
}

/** Rejects the request with 401 unless it carries a well-formed actor. */
export const requireActor: RequestHandler = (req, _res, next) => {
  const actor = parseActor(req.get(ACTOR_HEADER));
  if (!actor) {
    next(apiError(401, 'UNAUTHENTICATED'));
    return;
  }
  actors.set(req, actor);
  next();
};

/** The actor of a request that went through `requireActor`. */
export function actorOf(req: Request): Actor {
  const actor = actors.get(req);
  // Reaching here without the middleware is a routing bug, not a client error.
  if (!actor) throw new Error('actorOf called on a route without requireActor');
  return actor;
}

/** `role:id`, the form the workflow records actors in. */
export function actorRef(actor: Actor): string {
  return `${actor.role}:${actor.id}`;
}

export function isStaff(actor: Actor): actor is Actor & { role: StaffRole } {
  return actor.role === 'operator' || actor.role === 'officer';
}
