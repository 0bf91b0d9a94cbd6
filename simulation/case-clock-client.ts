/**
 * The simulator's case clock, on the client side: starts a case with the shift between the
 * scenario's instant and the test server's clock in a header that simulation/case-clock.ts reads.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import { CASE_CLOCK_HEADER } from './case-clock';

export interface CaseClockStarter {
  interceptor: WorkflowClientInterceptor;
  /** The shift the next start carries. */
  setShift(ms: number): void;
}

export function caseClockStarter(): CaseClockStarter {
  let shiftMs = 0;
  const withShift = (input: WorkflowStartInput): WorkflowStartInput => ({
    ...input,
    headers: { ...input.headers, [CASE_CLOCK_HEADER]: defaultPayloadConverter.toPayload(shiftMs) },
  });
  return {
    interceptor: {
      start: (input, next) => next(withShift(input)),
      startWithDetails: (input, next) => next(withShift(input)),
    },
    setShift(ms) {
      shiftMs = ms;
    },
  };
}

/** The workflow interceptor module the simulator's worker and the replay load. */
export const CASE_CLOCK_WORKFLOW_MODULE = require.resolve('./case-clock');
