/**
 * The activities the application workflow calls, with their timeouts and retries.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { HpcActivities } from '../../activities/types';

// Registry reads are short, idempotent GETs: local activities keep them out of the server's task
// queues (one workflow task for the whole parallel fetch). A few quick retries ride out a blip;
// a longer outage comes back to the workflow, which waits visibly (WaitingOn) and tries again.
export const registry = proxyLocalActivities<HpcActivities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '3s', maximumAttempts: 5 },
});

// Small writes of the case's progress: local, retried until the database answers (a write that
// fails on its data fails as non-retryable instead: activities/case-activities.ts).
export const caseRecord = proxyLocalActivities<HpcActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s' },
});

// Decisions and notices are regular activities: each is visible in the history and the UI, and is
// retried by the server however long the database or the SMS gateway is away.
export const decisions = proxyActivities<HpcActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
