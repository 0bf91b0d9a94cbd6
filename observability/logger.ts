/**
 * One logger for every process (issue #13 §1): pino, with the redaction paths that keep personal
 * data (IINs, names, contacts, request bodies and headers) out of every line
 * (personal-data/redaction.ts). The worker also routes the Temporal Runtime's own log (Core and the
 * SDK, e.g. the workflow bundler) through it (observability/runtime-logger.ts).
 */
import pino, { type Logger } from 'pino';
import { LOG_REDACT_PATHS } from '../personal-data/redaction';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

