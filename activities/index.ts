import type { Pool } from 'pg';
import { createCaseActivities } from './case-activities';
import { createComplaintActivities, type ComplaintActivities } from './complaint-activities';
import { createNoticeActivities } from './notice-activities';
import { createQueueSnapshotActivities } from './queue-snapshots';
import { createRemovalActivities, type RemovalActivities } from './removal-activities';
import { createRegistryActivities } from './registry-activities';
import { createReverificationActivities, type ReverificationActivities } from './reverification';
import type { HpcActivities } from './types';

export interface ActivityDeps {
  pool: Pool;
  /** The e-government gateway (the sandbox in development), which also serves the SMS gateway. */
  gatewayUrl: string;
  smsUrl?: string;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps): HpcActivities & ComplaintActivities & RemovalActivities & ReverificationActivities {
  return {
    ...createRegistryActivities({ url: deps.gatewayUrl, pool: deps.pool }),
    ...createCaseActivities(deps.pool),
    ...createComplaintActivities(deps.pool),
    ...createNoticeActivities(deps.pool, { url: deps.smsUrl ?? deps.gatewayUrl }),
    ...createQueueSnapshotActivities(deps.pool),
    ...createReverificationActivities({ url: deps.gatewayUrl, pool: deps.pool }),
    ...createRemovalActivities(deps.pool, { gatewayUrl: deps.gatewayUrl, ...(deps.smsUrl ? { smsUrl: deps.smsUrl } : {}) }),
  };
}
