/**
 * The HTTP API (Express 5). Routes are thin: validation with the zod schemas of api/schemas.ts,
 * identity from api/identity.ts, cases in PostgreSQL (the system of record) and their workflows in
 * Temporal (api/workflow-gateway.ts). Every error leaves through the central handler in one format.
 */
import express from 'express';
import pino from 'pino';
import { apiError, errorHandler } from './errors';
import { noStore, requestLogger, requireJson, type ApiDeps } from './http';
import { requireActor } from './identity';
import { openApiDocument } from './openapi';
import {
  consentsHandler,
  hearingOutcomeHandler,
  pdfBody,
  positionHandler,
  recheckHandler,
  reportReviewHandler,
  requirePdf,
  technicalReportHandler,
} from './routes/actions';
import { healthHandler, queueListHandler } from './routes/public';
import { getApplicationHandler, queuePositionHandler, timelineHandler } from './routes/read';
import { submitHandler } from './routes/submit';

export type { ApiDeps } from './http';

export function createApiApp(deps: ApiDeps): express.Express {
  const logger = deps.logger ?? pino({ name: 'api', level: process.env.LOG_LEVEL ?? 'info' });
  const app = express();
  app.disable('x-powered-by');
  // `simple` (node:querystring): a repeated parameter becomes an array, which the schemas reject,
  // and no nested objects can be smuggled in.
  app.set('query parser', 'simple');

  app.use(requestLogger(logger));
  // JSON bodies are parsed per route, after the caller is identified and the type is checked; the
  // PDF upload has its own raw parser with its own limit.
  const json = [requireJson, express.json({ limit: '64kb' })];

  // ---- public ----
  app.get('/health', healthHandler(deps));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.get('/v1/queue/:kato', queueListHandler(deps));

  // ---- a person's case: identified callers only, never cached ----
  const cases = express.Router();
  cases.use(noStore, requireActor);
  cases.post('/', json, submitHandler(deps));
  cases.get('/:id', getApplicationHandler(deps));
  cases.get('/:id/timeline', timelineHandler(deps));
  cases.get('/:id/queue-position', queuePositionHandler(deps));
  cases.post('/:id/technical-report', requirePdf, pdfBody, technicalReportHandler(deps));
  cases.post('/:id/position', json, positionHandler(deps));
  cases.post('/:id/consents', json, consentsHandler(deps));
  cases.post('/:id/recheck', json, recheckHandler(deps));
  cases.post('/:id/report-review', json, reportReviewHandler(deps));
  cases.post('/:id/hearing-outcome', json, hearingOutcomeHandler(deps));
  app.use('/v1/applications', cases);

  app.use((_req, _res, next) => {
    next(apiError(404, 'ROUTE_NOT_FOUND'));
  });
  app.use(errorHandler(logger));
  return app;
}
