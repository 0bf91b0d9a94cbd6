/**
 * The access policy as data: `policy.json` next to this file lists every endpoint of the HTTP API
 * with the roles that may call it and the scope each role has. This module reads and checks the
 * file and answers one question, purely: may this caller do this, to this case?
 *
 * The HTTP side (api/auth/authorise.ts) applies the answer: a role not listed is 403; a person
 * acting on a case that is not theirs is 404 (so case ids cannot be probed); a representative's
 * authority is confirmed with the representation registry at that moment (api/auth/representation.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

import { PERSON_ROLES, ROLES, STAFF_ROLES, type PersonRole, type Role, type StaffRole } from '../../domain/procedure/roles';

export { PERSON_ROLES, ROLES, STAFF_ROLES, type PersonRole, type Role, type StaffRole };


export type Scope = 'own' | 'represented' | 'any';
/** Where the case an endpoint acts on comes from. */
export type SubjectSource = 'case' | 'body' | 'none';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const POLICY_FILE = join(__dirname, 'policy.json');

const localized = z.strictObject({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
const roleSchema = z.enum(ROLES);
const scopeSchema = z.enum(['own', 'represented', 'any']);
const methodSchema = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const pathSchema = z.string().regex(/^\/[A-Za-z0-9._\-/:]*$/, 'a route template such as /v1/applications/:id');

const publicEndpoint = z.strictObject({
  method: methodSchema,
  path: pathSchema,
  public: z.literal(true),
  summary: z.string().min(1),
});
const guardedEndpoint = z.strictObject({
  method: methodSchema,
  path: pathSchema,
  public: z.literal(false).optional(),
  subject: z.enum(['case', 'body', 'none']),
  summary: z.string().min(1),
  allow: z.partialRecord(roleSchema, scopeSchema),
  /** A POST that changes nothing (e.g. a sign-request): a representative's call of it is no action to notify the principal of. */
  changesNothing: z.literal(true).optional(),
});

const policySchema = z
  .strictObject({
    $comment: z.string().optional(),
    version: z.literal(1),
    /** Who may read decrypted Temporal payloads (the codec server); staff roles only. */
    payloads: z.strictObject({ $comment: z.string().optional(), decode: z.array(z.enum(STAFF_ROLES)) }).optional(),
    roles: z.record(roleSchema, z.strictObject({ kind: z.enum(['person', 'staff']), title: localized })),
    endpoints: z.array(z.union([publicEndpoint, guardedEndpoint])).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.endpoints.forEach((e, i) => {
      const key = endpointKey(e.method, e.path);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['endpoints', i], message: `${key} is listed twice` });
      seen.add(key);
      if (e.public === true) return;
      for (const [role, scope] of Object.entries(e.allow)) {
        const kind = p.roles[role as Role]?.kind; // keys were checked against ROLES by the record schema
        // Staff act on any case; a person only on their own or a represented one.
        if (kind === 'staff' && scope !== 'any') {
          ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'allow', role], message: 'staff roles have scope "any"' });
        }
        if (kind === 'person' && e.subject !== 'none' && scope === 'any') {
          ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'allow', role], message: 'a person never acts on any case' });
        }
        if (role === 'applicant' && scope === 'represented') {
          ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'allow', role], message: 'an applicant acts on their own case' });
        }
        if (role === 'representative' && scope === 'own') {
          ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'allow', role], message: 'a representative acts on represented cases' });
        }
        if (e.subject === 'none' && scope !== 'any') {
          ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'allow', role], message: 'an endpoint without a case has scope "any"' });
        }
      }
    });
    for (const role of ROLES) {
      if (!(role in p.roles)) ctx.addIssue({ code: 'custom', path: ['roles'], message: `role ${role} is not described` });
    }
  });

export type PolicyFile = z.output<typeof policySchema>;

export interface PublicEndpoint {
  key: string;
  method: HttpMethod;
  path: string;
  summary: string;
  public: true;
}

export interface GuardedEndpoint {
  key: string;
  method: HttpMethod;
  path: string;
  summary: string;
  public: false;
  subject: SubjectSource;
  allow: Partial<Record<Role, Scope>>;
  changesNothing: boolean;
}

export type EndpointPolicy = PublicEndpoint | GuardedEndpoint;

export interface Policy {
  endpoints: readonly EndpointPolicy[];
  /** Staff roles that may read decrypted payloads through the codec server (none when unlisted). */
  payloadDecodeRoles: readonly StaffRole[];
  roles: PolicyFile['roles'];
  /** The endpoint of `METHOD /template`, if listed. */
  endpoint(method: string, path: string): EndpointPolicy | undefined;
}

/** `GET /v1/applications/:id` — the key of an endpoint. */
export function endpointKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Checks a policy document; throws PolicyError naming every problem. */
export function parsePolicy(json: unknown): Policy {
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PolicyError(`the access policy is invalid: ${problems}`);
  }
  const endpoints: EndpointPolicy[] = parsed.data.endpoints.map((e) =>
    e.public === true
      ? { key: endpointKey(e.method, e.path), method: e.method, path: e.path, summary: e.summary, public: true }
      : { key: endpointKey(e.method, e.path), method: e.method, path: e.path, summary: e.summary, public: false, subject: e.subject, allow: e.allow, changesNothing: e.changesNothing === true },
  );
  const byKey = new Map(endpoints.map((e) => [e.key, e]));
  return {
    endpoints,
    roles: parsed.data.roles,
    payloadDecodeRoles: parsed.data.payloads?.decode ?? [],
    endpoint: (method, path) => byKey.get(endpointKey(method, path)),
  };
}

let loaded: Policy | undefined;

/** security/policy/policy.json, read and checked once per process. */
export function loadPolicy(file: string = POLICY_FILE): Policy {
  if (file !== POLICY_FILE) return parsePolicy(JSON.parse(readFileSync(file, 'utf8')));
  loaded ??= parsePolicy(JSON.parse(readFileSync(file, 'utf8')));
  return loaded;
}

// ---- the decision ------------------------------------------------------------------------------

/** The parties of a case, or of an application being filed. */
export interface CaseSubject {
  applicantIin: string;
  representativeIin: string | null;
}

/** Who is asking, as far as the policy is concerned. */
export interface PolicyActor {
  role: Role;
  /** The IIN for persons; the staff id for staff. */
  id: string;
}

export type Decision =
  | { allow: true; scope: Scope }
  /** Allowed if the representation registry confirms that `actor` represents `principalIin` now. */
  | { allow: 'if-represented'; scope: 'represented'; principalIin: string }
  /**
   * `role`: the role may not call this endpoint at all (403). `subject`: the role may, but not on
   * this case (404 for a case in the path, 403 for an application being filed).
   */
  | { allow: false; because: 'public-endpoint' | 'role' | 'subject' };

/**
 * May `actor` call `endpoint` (on `subject`, for endpoints that have one)? Without a subject only
 * the role is checked: the answer is then provisional for own/represented scopes.
 */
export function decide(endpoint: EndpointPolicy, actor: PolicyActor, subject?: CaseSubject): Decision {
  if (endpoint.public) return { allow: true, scope: 'any' };
  const scope = endpoint.allow[actor.role];
  if (scope === undefined) return { allow: false, because: 'role' };
  if (scope === 'any' || subject === undefined) return { allow: true, scope };
  if (scope === 'own') {
    const mine = actor.id === subject.applicantIin;
    // Filing: an applicant files for themselves only; naming a representative is the representative's act.
    const ok = endpoint.subject === 'body' ? mine && subject.representativeIin === null : mine;
    return ok ? { allow: true, scope } : { allow: false, because: 'subject' };
  }
  // represented: the case names this person as representative (and the registry must agree).
  if (subject.representativeIin !== null && subject.representativeIin === actor.id && actor.id !== subject.applicantIin) {
    return { allow: 'if-represented', scope: 'represented', principalIin: subject.applicantIin };
  }
  return { allow: false, because: 'subject' };
}

export function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
