/**
 * Registry reads through the e-government gateway (in development and tests: the gateway sandbox).
 * A thin HTTP client: the retry policy lives in the workflow, which keeps a case visibly waiting
 * while a registry stays down.
 */
import { ApplicationFailure } from '@temporalio/common';
import { REGISTRIES, type RegistryName } from '../domain/registry-facts';
import type { RegistryActivities } from './types';

export interface GatewayConfig {
  /** Base URL of the gateway, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Per-call timeout; shorter than the activity's start-to-close timeout. */
  timeoutMs?: number;
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
        const res = await fetch(`${config.url}/gateway/v1/${registry}/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ iins: batch }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) {
          // 5xx and 429 are the gateway's trouble: retryable. A 4xx is a bug in the request.
          const retryable = res.status >= 500 || res.status === 429;
          const message = `gateway ${registry}: HTTP ${res.status}`;
          if (!retryable) throw ApplicationFailure.nonRetryable(message, 'GatewayRejected');
          throw ApplicationFailure.retryable(message, 'RegistryUnavailable', { registry });
        }
        const body = (await res.json()) as { data: Record<string, unknown> };
        Object.assign(out, body.data);
      }
      return out;
    },
  };
}
