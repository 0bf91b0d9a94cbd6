/**
 * The simulator's case clock, on the workflow side: a workflow interceptor module that only the
 * simulator's worker (and the replay of the histories it recorded) loads — never the production
 * worker. A scenario happens at its historical instant (`submittedAt`), but the time-skipping
 * test server's clock starts at the real now and only moves forward; so the simulator starts each
 * case with the difference in a header (simulation/case-clock-client.ts), and this interceptor
 * shifts the workflow's clock by it on every activation. The production workflow reads the
 * plain workflow clock and carries nothing of this in its input.
 *
 * `getActivator` is an SDK internal (the workflow clock lives on it); the SDK is pinned by the
 * lockfile, and test/workflow/scenarios.test.ts fails at once if it moves.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { getActivator } from '@temporalio/workflow/lib/global-attributes';

export const CASE_CLOCK_HEADER = 'hpc-simulation-case-clock-shift-ms';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let shiftMs = 0;
  return {
    internals: [
      {
        activate(input, next) {
          const init = input.activation.jobs?.find((j) => j.initializeWorkflow)?.initializeWorkflow;
          const header = init?.headers?.[CASE_CLOCK_HEADER];
          if (header) shiftMs = defaultPayloadConverter.fromPayload<number>(header);
          // The SDK sets `now` from the activation's timestamp before this runs; once per activation.
          if (shiftMs !== 0 && input.batchIndex === 0) getActivator().now += shiftMs;
          return next(input);
        },
      },
    ],
  };
};
