/**
 * The Temporal Runtime's logger (Core and the SDK: the workflow bundler, worker state changes)
 * writing into the process's one pino logger (observability/logger.ts). Apart from logger.ts so
 * that processes without a worker (the codec server) do not load @temporalio/worker.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';
import { redactText } from '../personal-data/redaction';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal Runtime's logger writing into `logger` (its messages pass redactText too). */
export function runtimeLogger(logger: Logger, level: LogLevel = 'WARN'): DefaultLogger {
  const child = logger.child({ component: 'temporal-runtime' });
  return new DefaultLogger(level, (entry: LogEntry) => {
    // Only the SDK's structural fields: workflow inputs never reach the Runtime's log, but a
    // message may quote data, so it is redacted like any other text.
    const { sdkComponent, taskQueue, workflowType, activityType, state } = (entry.meta ?? {}) as Record<string, unknown>;
    child[PINO_LEVEL[entry.level]]({ sdkComponent, taskQueue, workflowType, activityType, state }, redactText(entry.message));
  });
}
