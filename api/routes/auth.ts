/**
 * Sign-in with EDS by challenge and response, sessions, and the staff registry
 * (docs/access-control.md):
 *
 *   POST /v1/auth/challenge   → 201 {nonce, expiresAt}: 32 random bytes (base64) for NCALayer to sign
 *   POST /v1/auth/sign-in     {nonce, cms, as, role?, delivery?} → 201 the session
 *   POST /v1/auth/sign-out    → 204, the session ended and its cookies cleared
 *   GET  /v1/auth/session     → who the session belongs to and when it expires
 *   GET  /v1/admin/staff      → the staff registry (administrators)
 *   PUT  /v1/admin/staff/:iin {staffId, roles, active} → grant, change or suspend (administrators)
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { toAlmatyIso } from '../../domain/time';
import { newSignInNonce, verifySignIn, type PkiReason } from '../../security/pki';
import { STAFF_ROLES, type Role } from '../../security/policy/policy';
import type { AuthSettings } from '../auth/config';
import { clearSessionCookies, setSessionCookies } from '../auth/cookies';
import { authError } from '../auth/messages';
import { consumeChallenge, createSession, revokeSession, storeChallenge } from '../auth/sessions';
import { findStaffMember, listStaff, StaffIdTakenError, upsertStaffMember } from '../auth/staff';
import { ApiError, parseOrThrow } from '../errors';
import { jsonBody } from '../edge';
import { noStore, type ApiDeps } from '../http';
import { actorOf, actorRef, sessionOf } from '../identity';
import { iinSchema } from '../schemas';

const iso = (d: Date): string => toAlmatyIso(d.getTime());

const roleForStaffOnly = {
  code: 'ROLE_FOR_STAFF_ONLY',
  kk: 'role өрісі тек қызметкерлер үшін (as: "staff")',
  ru: 'Поле role только для сотрудников (as: "staff")',
  en: 'role is for staff only (as: "staff")',
};

export const signInBody = z
  .strictObject({
    /** The nonce of POST /v1/auth/challenge, as issued. */
    nonce: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'the nonce of POST /v1/auth/challenge'),
    /** NCALayer's answer: the CMS (base64) over the nonce's bytes, made with the AUTH key. */
    cms: z.string().min(16).max(60_000).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
    as: z.enum(['applicant', 'representative', 'staff']),
    /** Staff holding several roles choose one for the session. */
    role: z.enum(STAFF_ROLES).optional(),
    /** cookie (browsers, default): HttpOnly cookie + CSRF token; bearer (programs): the token in the answer. */
    delivery: z.enum(['cookie', 'bearer']).default('cookie'),
  })
  .superRefine((b, ctx) => {
    if (b.role !== undefined && b.as !== 'staff') ctx.addIssue({ code: 'custom', path: ['role'], params: { reason: roleForStaffOnly } });
  });

export const staffParams = z.strictObject({ iin: iinSchema });
export const staffBody = z.strictObject({
  staffId: z.string().regex(/^[A-Z]{2}-\d{4}$/, 'a staff id such as OP-0002'),
  roles: z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length),
  active: z.boolean(),
});

/** PKI refusals that are the infrastructure's fault: try again later. */
const UNAVAILABLE: ReadonlySet<PkiReason['code']> = new Set(['REVOCATION_UNAVAILABLE', 'VERIFIER_UNAVAILABLE']);

function refusal(failure: PkiReason): ApiError {
  const { code, kk, ru, en } = failure;
  return new ApiError(UNAVAILABLE.has(code) ? 503 : 401, code, { kk, ru, en });
}

export interface AuthRouteDeps {
  deps: ApiDeps;
  auth: AuthSettings;
  logger: Logger;
}

/** Mounted at /v1/auth. */
export function authRouter({ deps, auth, logger }: AuthRouteDeps): Router {
  const { pool } = deps;
  const json = jsonBody('64kb');
  const router = express.Router();
  router.use(noStore);

  router.post('/challenge', ...json, async (_req: Request, res: Response) => {
    const nonce = newSignInNonce();
    const issuedAt = auth.now();
    const expiresAt = new Date(issuedAt.getTime() + auth.challengeTtlMs);
    await storeChallenge(pool, nonce, issuedAt, expiresAt);
    res.status(201).json({ nonce, expiresAt: iso(expiresAt) });
  });

  router.post('/sign-in', ...json, async (req: Request, res: Response) => {
    const body = parseOrThrow(signInBody, req.body);
    const staff = body.as === 'staff';
    if (staff && auth.providerBin === undefined) throw authError(503, 'STAFF_SIGN_IN_UNAVAILABLE');
    const at = auth.now();
    // Used up before it is checked: a nonce answers one sign-in attempt, right or wrong.
    if (!(await consumeChallenge(pool, body.nonce, at))) throw authError(401, 'CHALLENGE_INVALID', { field: 'nonce' });
    const result = await verifySignIn({
      cmsBase64: body.cms,
      nonce: body.nonce,
      at,
      purpose: staff ? 'STAFF' : 'CITIZEN',
      ...(staff ? { providerBin: auth.providerBin } : {}),
      trust: auth.trust(),
      revocation: auth.revocation,
      ...(auth.verifier ? { verifier: auth.verifier } : {}),
      maxSigningAgeMs: auth.challengeTtlMs,
    });
    if (!result.ok) {
      logger.info({ reason: result.failure.code, as: body.as }, 'sign-in refused');
      throw refusal(result.failure);
    }
    const { identity } = result;

    let role: Role;
    let staffId: string | null = null;
    if (staff) {
      // The certificate proves an employee of the provider; only the registry gives a role.
      const member = await findStaffMember(pool, identity.iin);
      if (!member || !member.active) throw authError(403, 'NOT_STAFF');
      if (body.role !== undefined) {
        if (!member.roles.includes(body.role)) throw authError(403, 'ROLE_NOT_GRANTED', { field: 'role' });
        role = body.role;
      } else if (member.roles.length === 1) {
        role = member.roles[0];
      } else {
        throw authError(400, 'ROLE_REQUIRED', { field: 'role', details: [{ roles: member.roles }] });
      }
      staffId = member.staffId;
    } else {
      role = body.as === 'applicant' ? 'applicant' : 'representative';
    }

    const session = await createSession(
      pool,
      { role, subjectIin: identity.iin, staffId, certificateSerial: identity.certificateSerial, withCsrf: body.delivery === 'cookie' },
      at,
      auth,
    );
    if (session.csrfToken !== undefined) setSessionCookies(res, session.token, session.csrfToken);
    logger.info({ role }, 'signed in');
    res.status(201).json({
      role,
      id: staffId ?? identity.iin,
      ...(staffId ? { staffId } : {}),
      name: identity.commonName,
      expiresAt: iso(session.expiresAt),
      idleExpiresAt: iso(session.idleExpiresAt),
      ...(session.csrfToken !== undefined ? { csrfToken: session.csrfToken } : { token: session.token, tokenType: 'Bearer' }),
    });
  });

  router.post('/sign-out', async (req: Request, res: Response) => {
    const session = sessionOf(req);
    if (session) await revokeSession(pool, session.id, auth.now());
    clearSessionCookies(res);
    res.status(204).end();
  });

  router.get('/session', (req: Request, res: Response) => {
    const actor = actorOf(req);
    const session = sessionOf(req);
    res.json({
      role: actor.role,
      id: actor.id,
      via: actor.via ?? 'dev-header',
      ...(session ? { expiresAt: iso(session.expiresAt), idleExpiresAt: iso(session.idleExpiresAt) } : {}),
    });
  });

  return router;
}

/** Mounted at /v1/admin: the staff registry. */
export function adminRouter({ deps }: AuthRouteDeps): Router {
  const { pool } = deps;
  const router = express.Router();
  router.use(noStore);

  router.get('/staff', async (_req: Request, res: Response) => {
    const staff = await listStaff(pool);
    res.json({
      staff: staff.map((m) => ({ iin: m.iin, staffId: m.staffId, roles: m.roles, active: m.active, updatedAt: iso(m.updatedAt), updatedBy: m.updatedBy })),
    });
  });

  router.put('/staff/:iin', ...jsonBody('16kb'), async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const { iin } = parseOrThrow(staffParams, req.params, 'params');
    const body = parseOrThrow(staffBody, req.body);
    // Separation of duties: nobody grants themselves a role.
    if (actor.iin === iin || actor.id === body.staffId) throw authError(403, 'OWN_STAFF_ENTRY');
    const existing = await findStaffMember(pool, iin);
    if (existing && existing.staffId === actor.id) throw authError(403, 'OWN_STAFF_ENTRY');
    try {
      const m = await upsertStaffMember(pool, { iin, staffId: body.staffId, roles: body.roles, active: body.active, by: actorRef(actor) });
      res.status(existing ? 200 : 201).json({ iin: m.iin, staffId: m.staffId, roles: m.roles, active: m.active, updatedAt: iso(m.updatedAt), updatedBy: m.updatedBy });
    } catch (err) {
      if (err instanceof StaffIdTakenError) throw authError(409, 'STAFF_ID_TAKEN', { field: 'staffId' });
      throw err;
    }
  });

  return router;
}
