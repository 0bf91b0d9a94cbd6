/**
 * Who takes part in the procedure (SPEC §1): the persons whose case it is, and the provider's and
 * the review body's staff. security/policy/policy.json says which endpoints each may call; the
 * procedure table (actions.ts) which action each takes in which status.
 */
export const PERSON_ROLES = ['applicant', 'representative'] as const;
export const STAFF_ROLES = ['operator', 'officer', 'head', 'complaint-review', 'auditor', 'administrator'] as const;
export const ROLES = [...PERSON_ROLES, ...STAFF_ROLES] as const;

export type PersonRole = (typeof PERSON_ROLES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = (typeof ROLES)[number];
