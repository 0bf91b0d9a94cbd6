import interpretations from '../reference/interpretations.json';

/**
 * The project's contract where the Rules are ambiguous (SPEC "Interpretation" notes). Kept as data
 * so it can change without a code change; `version` is stored with each case.
 */
export type Interpretations = typeof interpretations;

export const INTERPRETATIONS: Interpretations = interpretations;
