/**
 * Registry reads through the e-government gateway (in development and tests: the gateway sandbox).
 * A thin HTTP client: the retry policy lives in the workflow, which keeps a case visibly waiting
 * while a registry stays down.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { REGISTRIES, type RegistryName, type UnifiedQueueRecord } from '../domain/registry-facts';
import { migratedUnifiedRecords } from '../db/cases/queue';
import { postJson } from './http-json';
import type { RegistryActivities } from './types';

export interface GatewayConfig {
  /** Base URL of the gateway, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Per-call timeout; shorter than the activity's start-to-close timeout. */
  timeoutMs?: number;
  /**
   * The provider's database: since the akimats handed their queues over (`hpc import-unified`),
   * it holds the unified database's records itself, and `unifiedQueue` answers include them.
   */
  pool?: Pool;
}

/** The gateway's records and the migrated ones, without repeating a record both hold. */
export function mergeUnifiedRecords(gateway: UnifiedQueueRecord[], migrated: UnifiedQueueRecord[]): UnifiedQueueRecord[] {
  const key = (r: UnifiedQueueRecord): string => `${r.kato}|${Date.parse(r.registeredAt)}`;
  const seen = new Set(gateway.map(key));
  return [...gateway, ...migrated.filter((r) => !seen.has(key(r)))];
}

const MAX_BATCH = 50;

export function createRegistryActivities(config: GatewayConfig): RegistryActivities {
  const timeoutMs = config.timeoutMs ?? 10_000;
  return {
    async fetchRegistry(registry: RegistryName, iins: string[]): Promise<Record<string, unknown>> {
      if (!REGISTRIES.includes(registry)) {
        throw ApplicationFailure.nonRetryable(`unknown registry ${registry}`, 'UnknownRegistry');
      }
      const out: Record<string, unknown> = {};
      for (let i = 0; i < iins.length; i += MAX_BATCH) {
        const batch = iins.slice(i, i + MAX_BATCH);
        const res = await postJson(`${config.url}/gateway/v1/${registry}/batch`, { iins: batch }, timeoutMs);
        if (res.status < 200 || res.status >= 300) {
          // 5xx and 429 are the gateway's trouble: retryable. A 4xx is a bug in the request.
          const retryable = res.status >= 500 || res.status === 429;
          const message = `gateway ${registry}: HTTP ${res.status}`;
          if (!retryable) throw ApplicationFailure.nonRetryable(message, 'GatewayRejected');
          throw ApplicationFailure.retryable(message, 'RegistryUnavailable', { registry });
        }
        const body = res.body as { data?: Record<string, unknown> } | undefined;
        if (!body || typeof body.data !== 'object' || body.data === null) {
          throw ApplicationFailure.retryable(`gateway ${registry}: an answer without data`, 'RegistryUnavailable', { registry });
        }
        Object.assign(out, body.data);
      }
      if (registry === 'unifiedQueue' && config.pool && iins.length > 0) {
        let migrated: Record<string, UnifiedQueueRecord[]>;
        try {
          migrated = await migratedUnifiedRecords(config.pool, iins);
        } catch (err) {
          // The database being down is as temporary as the gateway being down: the case waits.
          throw ApplicationFailure.retryable(`unifiedQueue: database: ${(err as Error).message}`, 'RegistryUnavailable', { registry });
        }
        for (const [iin, records] of Object.entries(migrated)) {
          out[iin] = mergeUnifiedRecords((out[iin] as UnifiedQueueRecord[] | undefined) ?? [], records);
        }
      }
      return out;
    },
  };
}
