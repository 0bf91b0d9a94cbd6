/**
 * The API's side of Temporal: start a case's workflow, read its live state, send it updates.
 *
 * Workflow IDs are per person (`application-<HMAC(IIN)>`, no IIN in Temporal's visibility) and are
 * reused across a person's applications (ALLOW_DUPLICATE), so an ID alone does not say which
 * application a run belongs to. Each run therefore carries its applicationId in its memo; before
 * reading or updating, the API describes the ID, checks the memo, and pins the run by its runId.
 *
 * Every call has a deadline: a gRPC call without one can wait forever when the server is away.
 */
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { applicationWorkflow } from '../workflows/application/workflow';
import type { categoryRecheckWorkflow, CategoryRecheckWorkflowInput, smsNoticeWorkflow, SmsNoticeWorkflowInput } from '../workflows/category-recheck';
import { toAlmatyIso } from '../domain/time';
import {
  CASE_DECIDED_FAILURE,
  caseStateQuery,
  consentWithdrawnUpdate,
  INVALID_CASE_ACTION_FAILURE,
  WORKFLOW_TYPE,
  type ActionResult,
  type ApplicationWorkflowInput,
  type CaseState,
  type ConsentWithdrawnResult,
} from '../workflows/contract';
import { COMPLAINT_WORKFLOW_TYPE, type ComplaintActionResult, type ComplaintWorkflowInput } from '../workflows/complaint/contract';
import { startSearchAttributes } from '../workflows/search-attributes';
import { apiError, invalidCaseAction, type ApiError } from './errors';

const RPC_DEADLINE_MS = 5_000;
const QUERY_DEADLINE_MS = 3_000;
const START_DEADLINE_MS = 10_000;
/** How long an HTTP request waits for the workflow to finish acting on an update before answering 202. */
const UPDATE_WAIT_MS = 15_000;

/** `application-` + the first 32 hex chars of HMAC-SHA256(key, IIN). */
function deadline(ms: number): number {
  return Date.now() + ms;
}

export type StartOutcome = 'STARTED' | 'ALREADY_THIS_CASE' | 'OTHER_CASE_RUNNING';

/**
 * Starts the case's workflow. An existing run of the same ID is either this application (a retried
 * request: fine) or another of the person's applications still running (the caller answers 409).
 * Any other failure is thrown as is: the caller treats it as Temporal being unavailable.
 */
export async function startCaseWorkflow(
  client: Client,
  opts: { workflowId: string; taskQueue: string; input: ApplicationWorkflowInput },
): Promise<StartOutcome> {
  try {
    await client.withDeadline(deadline(START_DEADLINE_MS), () =>
      client.workflow.start<typeof applicationWorkflow>(WORKFLOW_TYPE, {
        workflowId: opts.workflowId,
        taskQueue: opts.taskQueue,
        args: [opts.input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { applicationId: opts.input.applicationId },
        // Indexed from the start, in the start's own visibility record (workflows/search-attributes.ts).
        typedSearchAttributes: startSearchAttributes(opts.input),
      }),
    );
    return 'STARTED';
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const running = await runOf(client, opts.workflowId, opts.input.applicationId);
    return running === 'THIS_CASE' ? 'ALREADY_THIS_CASE' : 'OTHER_CASE_RUNNING';
  }
}

type RunMatch = 'THIS_CASE' | 'OTHER_CASE' | 'NONE';

/** Whose run the latest execution of the ID is, judged by its memo (or its state, when it has no memo). */
async function runOf(client: Client, workflowId: string, applicationId: string): Promise<RunMatch> {
  const desc = await describe(client, workflowId);
  if (!desc) return 'NONE';
  const memoId = desc.memo?.applicationId;
  if (typeof memoId === 'string') return memoId === applicationId ? 'THIS_CASE' : 'OTHER_CASE';
  // A run started without the memo (e.g. by another tool): ask the workflow itself.
  const state = await queryState(client.workflow.getHandle(workflowId, desc.runId));
  return state?.applicationId === applicationId ? 'THIS_CASE' : 'OTHER_CASE';
}

interface RunDescription {
  runId: string;
  running: boolean;
  memo?: Record<string, unknown>;
}

/** The latest run of the ID, or undefined when there is none. Other failures are thrown. */
async function describe(client: Client, workflowId: string): Promise<RunDescription | undefined> {
  try {
    const d = await client.withDeadline(deadline(RPC_DEADLINE_MS), () => client.workflow.getHandle(workflowId).describe());
    return { runId: d.runId, running: d.status.name === 'RUNNING', ...(d.memo ? { memo: d.memo } : {}) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function queryState(handle: WorkflowHandle): Promise<CaseState | undefined> {
  try {
    return await handle.client.withDeadline(deadline(QUERY_DEADLINE_MS), () => handle.query(caseStateQuery));
  } catch {
    // No worker answering, or the run is gone: the caller falls back to the database.
    return undefined;
  }
}

/**
 * Whether this application's workflow was ever started (running or closed), so a retried
 * submission knows whether to start it. Throws when Temporal cannot be asked.
 */
export async function caseWorkflowExists(client: Client, workflowId: string, applicationId: string): Promise<boolean> {
  return (await runOf(client, workflowId, applicationId)) === 'THIS_CASE';
}

/** The running workflow of this application, pinned to its run, or undefined (closed, other case, not found). */
async function runningCase(client: Client, workflowId: string, applicationId: string): Promise<WorkflowHandle | undefined> {
  const desc = await describe(client, workflowId);
  if (!desc || !desc.running) return undefined;
  const handle = client.workflow.getHandle(workflowId, desc.runId);
  const memoId = desc.memo?.applicationId;
  if (typeof memoId === 'string') return memoId === applicationId ? handle : undefined;
  const state = await queryState(handle);
  return state?.applicationId === applicationId ? handle : undefined;
}

export interface UpdateOutcome {
  /** The workflow finished acting on the update (200); otherwise it accepted it and is still at it (202). */
  completed: boolean;
  status: ActionResult['status'] | undefined;
}

/** A rejected update: the workflow said no (validator) with an 'InvalidCaseAction' failure. */
export function isInvalidCaseAction(err: unknown): err is WorkflowUpdateFailedError {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === INVALID_CASE_ACTION_FAILURE
  );
}

/** The workflow's refusal as the API's 409, with the procedure table's kk/ru/en reason it carries. */
export function refusalOf(err: WorkflowUpdateFailedError): ApiError {
  const reason = (err.cause as ApplicationFailure).details?.[0] as { code?: unknown; kk?: unknown; ru?: unknown; en?: unknown } | undefined;
  if (reason && typeof reason.code === 'string' && typeof reason.kk === 'string' && typeof reason.ru === 'string' && typeof reason.en === 'string') {
    return invalidCaseAction({ code: reason.code, kk: reason.kk, ru: reason.ru, en: reason.en });
  }
  return apiError(409, 'INVALID_CASE_ACTION', { en: err.cause?.message ?? MESSAGE_FALLBACK });
}

const CASE_CLOSED_EN = 'the case is closed: it takes no more actions';

/**
 * Sends an update to the running workflow of this application and waits (bounded) for its result.
 * `updateId` makes a repeat of the same request the same update (Temporal answers it once).
 * Rejections become 409 INVALID_CASE_ACTION (with the workflow's kk/ru/en reason); Temporal being
 * unreachable becomes 503 TEMPORAL_UNAVAILABLE.
 */
export async function updateCase<Arg>(
  client: Client,
  workflowId: string,
  applicationId: string,
  def: UpdateDefinition<ActionResult, [Arg]>,
  arg: Arg,
  updateId?: string,
): Promise<UpdateOutcome> {
  let handle: WorkflowHandle | undefined;
  try {
    handle = await runningCase(client, workflowId, applicationId);
  } catch {
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
  if (!handle) throw apiError(409, 'INVALID_CASE_ACTION', { en: CASE_CLOSED_EN });
  const pinned = handle;
  try {
    // startUpdate returns once the workflow accepted the update (its validator passed) — it waits
    // for a worker, hence the deadline.
    const update = await client.withDeadline(deadline(START_DEADLINE_MS), () =>
      pinned.startUpdate(def, { args: [arg], waitForStage: 'ACCEPTED', ...(updateId ? { updateId } : {}) }),
    );
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), UPDATE_WAIT_MS);
    try {
      const result = await client.withAbortSignal(abort.signal, () => update.result());
      return { completed: true, status: result.status };
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      // Still at it: the caller answers with the case's record as it stands.
      return { completed: false, status: undefined };
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    if (isInvalidCaseAction(err)) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) throw apiError(409, 'INVALID_CASE_ACTION', { en: CASE_CLOSED_EN });
    if (err instanceof WorkflowUpdateFailedError) throw err; // an unexpected failure inside the handler: 500
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
}

const MESSAGE_FALLBACK = 'the case does not take this action now';

/** What telling the case about a withdrawn consent came to. */
export type ConsentWithdrawalDelivery =
  /** C3 or C4: they do not bear on the decision; the case is not told. */
  | { workflow: 'NOT_CONCERNED' }
  /** The case is decided (its record, or its workflow, says so): the withdrawal changes no decision. */
  | { workflow: 'DECIDED' }
  /** The workflow acted on it (see `effect` and `grounds`), or took it and is still at it (`completed: false`). */
  | { workflow: 'TOLD'; completed: boolean; result?: ConsentWithdrawnResult };

/**
 * R12, A1.9.4: tells the running case that a party withdrew consent C1 or C2 (the consentWithdrawn
 * update), before the withdrawal is committed — like a consent given, so that a failure here
 * leaves nothing half done and the person can simply retry (the update is idempotent: a consent
 * the case no longer holds is NOT_IN_FORCE). A decided case is not told: a withdrawal does not undo
 * a decision (personal-data/withdrawal.ts explains what it does). Temporal unreachable while the case
 * is open: 503 TEMPORAL_UNAVAILABLE, and the caller records nothing.
 */
export async function tellCaseConsentWithdrawn(
  client: Client,
  row: { id: string; workflow_id: string; status: string },
  w: { code: string; at: Date; by: string },
): Promise<ConsentWithdrawalDelivery> {
  if (w.code !== 'C1' && w.code !== 'C2') return { workflow: 'NOT_CONCERNED' };
  if (row.status !== 'ACTIVE') return { workflow: 'DECIDED' };
  let handle: WorkflowHandle | undefined;
  try {
    handle = await runningCase(client, row.workflow_id, row.id);
  } catch {
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
  // The record still said ACTIVE but the workflow has closed: it decided in the meantime.
  if (!handle) return { workflow: 'DECIDED' };
  const pinned = handle;
  const arg = { code: w.code, at: toAlmatyIso(w.at.getTime()), by: w.by } as const;
  try {
    const update = await client.withDeadline(deadline(START_DEADLINE_MS), () =>
      pinned.startUpdate(consentWithdrawnUpdate, { args: [arg], waitForStage: 'ACCEPTED' }),
    );
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), UPDATE_WAIT_MS);
    try {
      const result = await client.withAbortSignal(abort.signal, () => update.result());
      return { workflow: 'TOLD', completed: true, result };
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      return { workflow: 'TOLD', completed: false };
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === CASE_DECIDED_FAILURE) {
      return { workflow: 'DECIDED' };
    }
    if (err instanceof WorkflowNotFoundError) return { workflow: 'DECIDED' };
    if (isInvalidCaseAction(err)) throw refusalOf(err);
    if (err instanceof WorkflowUpdateFailedError) throw err; // an unexpected failure inside the handler: 500
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
}

/** Temporal reachability for /health. */
export async function temporalReachable(client: Client): Promise<boolean> {
  try {
    await client.withDeadline(deadline(2_000), () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/** How long the API waits for a category re-check (two registry reads and one write). */
const RECHECK_WAIT_MS = 20_000;

/**
 * R9 after registration (issue #11 §2): runs the case's category re-check workflow and waits for
 * its result. The same request key is the same run (a retried request gets its result again).
 * Throws WorkflowFailedError when the registries stayed down; other errors are Temporal's.
 */
/** The result of an earlier run for this request key, if there was one (a retried request). */
export async function earlierCategoryRecheck(
  client: Client,
  applicationId: string,
  requestKey: string,
): Promise<Awaited<ReturnType<typeof categoryRecheckWorkflow>> | undefined> {
  const handle = client.workflow.getHandle<typeof categoryRecheckWorkflow>(categoryRecheckWorkflowId(applicationId, requestKey));
  return client.withDeadline(deadline(RECHECK_WAIT_MS), async () => {
    try {
      await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    return handle.result();
  });
}

function categoryRecheckWorkflowId(applicationId: string, requestKey: string): string {
  return `category-recheck-${applicationId}-${requestKey}`;
}

export async function runCategoryRecheck(
  client: Client,
  opts: { taskQueue: string; input: CategoryRecheckWorkflowInput },
): Promise<Awaited<ReturnType<typeof categoryRecheckWorkflow>>> {
  const workflowId = categoryRecheckWorkflowId(opts.input.applicationId, opts.input.requestKey);
  return client.withDeadline(deadline(RECHECK_WAIT_MS), async () => {
    let handle;
    try {
      handle = await client.workflow.start<typeof categoryRecheckWorkflow>('categoryRecheckWorkflow', {
        workflowId,
        taskQueue: opts.taskQueue,
        args: [opts.input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A failed run (the registries stayed down) may be tried again under the same key.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowExecutionTimeout: '5m',
        memo: { applicationId: opts.input.applicationId },
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = client.workflow.getHandle<typeof categoryRecheckWorkflow>(workflowId);
    }
    return handle.result();
  });
}

/**
 * R16: sends the SMS of a notice the API wrote to the cabinet (workflows/category-recheck.ts
 * smsNoticeWorkflow). Started, not awaited: the action it tells of is done; the same notice
 * (case, kind, dedupe key) is one run.
 */
export async function startSmsNotice(client: Client, opts: { taskQueue: string; input: SmsNoticeWorkflowInput }): Promise<void> {
  const { applicationId, kind, dedupeKey } = opts.input;
  try {
    await client.withDeadline(deadline(START_DEADLINE_MS), () =>
      client.workflow.start<typeof smsNoticeWorkflow>('smsNoticeWorkflow', {
        workflowId: `sms-notice-${applicationId}-${kind}-${Buffer.from(dedupeKey).toString('base64url')}`,
        taskQueue: opts.taskQueue,
        args: [opts.input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { applicationId },
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Starts a complaint's workflow (R18, R19). One run per complaint, ever: a retried filing finds the
 * one it started, and a closed complaint is not run again.
 */
export async function startComplaintWorkflow(client: Client, taskQueue: string, workflowId: string, input: ComplaintWorkflowInput): Promise<void> {
  try {
    await client.withDeadline(deadline(START_DEADLINE_MS), () =>
      client.workflow.start(COMPLAINT_WORKFLOW_TYPE, {
        workflowId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}

/**
 * A staff decision on a complaint, waited for (bounded): the workflow's refusal becomes 409 with
 * its kk/ru/en reason, a closed complaint 409 COMPLAINT_CLOSED, Temporal away 503.
 */
export async function updateComplaint<Arg>(
  client: Client,
  workflowId: string,
  def: UpdateDefinition<ComplaintActionResult, [Arg]>,
  arg: Arg,
  updateId?: string,
): Promise<ComplaintActionResult> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    return await client.withDeadline(deadline(UPDATE_WAIT_MS), () => handle.executeUpdate(def, { args: [arg], ...(updateId ? { updateId } : {}) }));
  } catch (err) {
    if (isInvalidCaseAction(err)) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) throw invalidCaseAction(COMPLAINT_CLOSED);
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
}

const COMPLAINT_CLOSED = {
  code: 'COMPLAINT_CLOSED',
  kk: 'Шағым бойынша шешім қабылданған: бұл әрекет енді мүмкін емес',
  ru: 'По жалобе принято решение: это действие больше невозможно',
  en: 'The complaint is decided: this action is no longer possible',
};
