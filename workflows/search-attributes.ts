/**
 * The Case* search attributes (keys in contract.ts) through which the Temporal UI finds stuck and
 * overdue cases. The API sets the first set when it starts a case's workflow, so they are written in
 * the start's own visibility record; the workflow upserts them whenever the case moves on.
 * Nothing personal: the status, flags, path, due instant, who is to act (a role or a registry), the
 * locality and the API's random case id. Free of Node APIs: the workflow bundle imports it.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import { localityOf } from '../domain/locality';
import { parseInstant } from '../domain/time';
import {
  SA_APPLICATION_ID,
  SA_CASE_FLAGS,
  SA_CASE_KATO,
  SA_CASE_PATH,
  SA_CASE_STATUS,
  SA_DECISION_DUE_AT,
  SA_WAITING_ON,
  type ApplicationWorkflowInput,
  type CaseFlag,
  type CaseStatus,
} from './contract';

/** What the search attributes say about a case. */
export interface CaseIndex {
  applicationId: string;
  status: CaseStatus;
  flags: readonly CaseFlag[];
  path: ApplicationWorkflowInput['declaration']['path'];
  decisionDueAtMs: number;
  waitingOn: readonly string[];
  kato: string;
}

/** The upsert for a case's index; an empty list clears its attribute. */
export function caseSearchAttributes(index: CaseIndex): SearchAttributeUpdatePair[] {
  return [
    { key: SA_APPLICATION_ID, value: index.applicationId },
    { key: SA_CASE_STATUS, value: index.status },
    { key: SA_CASE_FLAGS, value: index.flags.length > 0 ? [...index.flags] : null },
    { key: SA_CASE_PATH, value: index.path },
    { key: SA_DECISION_DUE_AT, value: new Date(index.decisionDueAtMs) },
    { key: SA_WAITING_ON, value: index.waitingOn.length > 0 ? [...index.waitingOn] : null },
    { key: SA_CASE_KATO, value: localityOf(index.kato) },
  ];
}

/** A new case: checking, due R13's term (computed at intake), waiting on nobody. */
export function initialCaseIndex(input: ApplicationWorkflowInput): CaseIndex {
  return {
    applicationId: input.applicationId,
    status: 'CHECKING',
    flags: [],
    path: input.declaration.path,
    decisionDueAtMs: parseInstant(input.decisionDueAt),
    waitingOn: [],
    kato: input.declaration.kato,
  };
}

/** The search attributes to start a case's workflow with (the client's `typedSearchAttributes`). */
export function startSearchAttributes(input: ApplicationWorkflowInput): SearchAttributePair[] {
  return caseSearchAttributes(initialCaseIndex(input)).filter((p): p is SearchAttributePair => p.value !== null);
}

/** Whether a run's search attributes already say what `index` says (then no upsert is needed). */
export function indexedAs(current: TypedSearchAttributes, index: CaseIndex): boolean {
  const list = (v: readonly string[] | undefined): string => (v ?? []).join('\n');
  return (
    current.get(SA_APPLICATION_ID) === index.applicationId &&
    current.get(SA_CASE_STATUS) === index.status &&
    list(current.get(SA_CASE_FLAGS)) === list(index.flags) &&
    current.get(SA_CASE_PATH) === index.path &&
    current.get(SA_DECISION_DUE_AT)?.getTime() === index.decisionDueAtMs &&
    list(current.get(SA_WAITING_ON)) === list(index.waitingOn) &&
    current.get(SA_CASE_KATO) === localityOf(index.kato)
  );
}
