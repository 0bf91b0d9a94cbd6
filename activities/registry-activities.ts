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

/**
 * One registry's answers for many IINs through the gateway's batch endpoint, `MAX_BATCH` IINs a
 * call and at most `concurrency` calls in flight (the re-verification reads a thousand entries at
 * once; a case reads a family, one call). 5xx and 429 are the gateway's trouble: retryable; another
 * 4xx is a bug in the request.
 */
export async function fetchFromGateway(
  config: Pick<GatewayConfig, 'url' | 'timeoutMs'>,
  registry: RegistryName,
  iins: readonly string[],
  concurrency = 1,
): Promise<Record<string, unknown>> {
  if (!REGISTRIES.includes(registry)) {
    throw ApplicationFailure.nonRetryable(`unknown registry ${registry}`, 'UnknownRegistry');
  }
  const timeoutMs = config.timeoutMs ?? 10_000;
  const batches: string[][] = [];
  for (let i = 0; i < iins.length; i += MAX_BATCH) batches.push(iins.slice(i, i + MAX_BATCH));
  const out: Record<string, unknown> = {};
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const res = await postJson(`${config.url}/gateway/v1/${registry}/batch`, { iins: batch }, timeoutMs);
      if (res.status < 200 || res.status >= 300) {
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
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, batches.length)) }, lane));
  return out;
}

export function createRegistryActivities(config: GatewayConfig): RegistryActivities {
  return {
    async fetchRegistry(registry: RegistryName, iins: string[]): Promise<Record<string, unknown>> {
      const out = await fetchFromGateway(config, registry, iins);
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
