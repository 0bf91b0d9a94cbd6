/** The procedure (SPEC §7) as data and pure functions: statuses, flags, the action table, terms. */
export * from './statuses';
export * from './actions';
export * from './terms';
export * from './working-calendar';
export type { ReferenceSnapshot } from './reference';
export type { Localized, Reason } from './text';
export * from './inputs';
export * from './next-step';
export * from './roles';
