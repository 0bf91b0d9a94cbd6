/**
 * One logger for every process (issue #13 §1): pino, with the redaction paths that keep personal
 * data (IINs, names, contacts, request bodies and headers) out of every line
 * (personal-data/redaction.ts). The worker also routes the Temporal Runtime's own log (Core and the
 * SDK, e.g. the workflow bundler) through it (`runtimeLogger`).
 */
import pino, { type Logger } from 'pino';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { LOG_REDACT_PATHS, redactText } from '../personal-data/redaction';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

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
