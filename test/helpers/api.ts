/**
 * The API on a test stack as most integration tests want it: the development identity header on,
 * a private workflow-ID key, a silent log, rate limits out of the way. `extra` overrides any of it.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import pino from 'pino';
import { createApiApp } from '../../api/app';
import type { Stack } from './stack';

export function testApiApp(stack: Stack, extra: Partial<Parameters<typeof createApiApp>[0]> = {}): Express {
  return createApiApp({
    devIdentityHeader: true,
    pool: stack.pool,
    client: stack.client,
    settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` },
    logger: pino({ level: 'silent' }),
    hardening: { rateLimitPerAddress: 1_000_000, rateLimitPerIin: 1_000_000 },
    ...extra,
  });
}
