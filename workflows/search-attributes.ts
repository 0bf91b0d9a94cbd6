/**
 * The Case* search attributes (keys in contract.ts) through which the Temporal UI finds stuck and
 * overdue cases. The API sets the first set when it starts a case's workflow, so they are written in
 * the start's own visibility record; the workflow upserts them whenever the case moves on.
 * Free of Node APIs: the workflow bundle imports it.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair, TypedSearchAttributes } from '@temporalio/common';
import { acceptanceInstant, decisionTermDays, termEnd } from '../domain/calendar';
import { localityOf } from '../domain/kato';
import { parseInstant } from '../domain/time';
import {
  SA_CASE_KATO,
  SA_CASE_PATH,
  SA_CASE_STATUS,
  SA_DECISION_DUE_AT,
  SA_WAITING_ON,
  type ApplicationWorkflowInput,
  type CaseStatus,
} from './contract';

/** What the search attributes say about a case. */
export interface CaseIndex {
  status: CaseStatus;
  path: ApplicationWorkflowInput['declaration']['path'];
  decisionDueAtMs: number;
  waitingOn: readonly string[];
  kato: string;
}

/** The upsert for a case's index; an empty WaitingOn clears that attribute. */
export function caseSearchAttributes(index: CaseIndex): SearchAttributeUpdatePair[] {
  return [
    { key: SA_CASE_STATUS, value: index.status },
    { key: SA_CASE_PATH, value: index.path },
    { key: SA_DECISION_DUE_AT, value: new Date(index.decisionDueAtMs) },
    { key: SA_WAITING_ON, value: index.waitingOn.length > 0 ? [...index.waitingOn] : null },
    { key: SA_CASE_KATO, value: localityOf(index.kato) },
  ];
}

/** A new case: checking, due R13's term after acceptance (SPEC §2), waiting on nobody. */
export function initialCaseIndex(input: ApplicationWorkflowInput): CaseIndex {
  const acceptedAtMs = acceptanceInstant(parseInstant(input.receivedAt));
  return {
    status: 'CHECKING',
    path: input.declaration.path,
    decisionDueAtMs: termEnd(acceptedAtMs, decisionTermDays(input.declaration.path)),
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
  return (
    current.get(SA_CASE_STATUS) === index.status &&
    current.get(SA_CASE_PATH) === index.path &&
    current.get(SA_DECISION_DUE_AT)?.getTime() === index.decisionDueAtMs &&
    (current.get(SA_WAITING_ON) ?? []).join('\n') === index.waitingOn.join('\n') &&
    current.get(SA_CASE_KATO) === localityOf(index.kato)
  );
}
