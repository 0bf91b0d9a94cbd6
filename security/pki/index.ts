/** EDS (NCA RK) certificates, chains, revocation, CMS and sign-in: see docs/eds.md. */
export * from './auth';
export * from './certificate';
export * from './chain';
export * from './cms';
export * from './reasons';
export * from './revocation';
export * from './trust-store';
export * from './verifier';
