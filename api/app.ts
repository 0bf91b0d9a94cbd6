/**
 * The HTTP API (Express 5). Routes are thin: validation with the zod schemas of api/schemas.ts,
 * identity from api/identity.ts, cases in PostgreSQL (the system of record) and their workflows in
 * Temporal (api/workflow-gateway.ts). Every error leaves through the central handler in one format.
 *
 * Personal data (issue #3): security headers, strict CORS and rate limits (api/hardening.ts); every
 * case route is audited (api/audit.ts); the log is redacted (personal-data/redaction.ts).
 *
 * Access (issue #3, docs/access-control.md): callers sign in with EDS (api/routes/auth.ts) and are
 * identified by their session (api/identity.ts); security/policy/policy.json says which roles may
 * call each endpoint, and installPolicy() puts that check in front of every route — a route
 * missing from the policy stops the app from starting.
 */
import express from 'express';
import pino from 'pino';
import { LOG_REDACT_PATHS } from '../personal-data/redaction';
import { audited, auditedMany, type AuditAction } from './audit';
import { apiError, errorHandler } from './errors';
import { hardeningFromEnv, perAddressLimit, perIinLimit, securityHeaders, strictCors } from './hardening';
import { edgeGuard, jsonBody, methodNotAllowed } from './edge';
import { noStore, requestLogger, type ApiDeps } from './http';
import { authSettings, devIdentityHeaderEnabled, type AuthAppOptions } from './auth/config';
import { installPolicy } from './auth/authorise';
import { gatewayRepresentationRegistry } from './auth/representation';
import { createIdentity } from './identity';
import { loadPolicy } from '../security/policy/policy';
import { adminRouter, authRouter } from './routes/auth';
import { openApiDocument } from './openapi';
import { webApp, type WebOptions } from './web';
import {
  consentsHandler,
  finalRefusalHandler,
  hearingOutcomeHandler,
  pdfBody,
  positionHandler,
  preUploadTechnicalReportHandler,
  recheckHandler,
  reportReviewHandler,
  requirePdf,
  retryFailedStepHandler,
  technicalReportHandler,
} from './routes/actions';
import { accessLogHandler, consentsListHandler, withdrawConsentHandler } from './routes/personal-data';
import { healthHandler, queueListHandler } from './routes/public';
import { getApplicationHandler, queuePositionHandler, timelineHandler } from './routes/read';
import { queueHistoryHandler, queueProofHandler, queueSnapshotHandler, queueStatsHandler } from './routes/queue';
import { submitHandler } from './routes/submit';
import { cabinetApplicationsHandler, cabinetNoticesHandler, markNoticeReadHandler } from './routes/cabinet';
import { prefillHandler } from './routes/prefill';
import { emergencyRecognitionHandler, technicalReportDownloadHandler } from './routes/report';
import { worklistHandler } from './routes/staff';
import { withdrawalHandler } from './routes/withdrawal';
import { cabinetRemovalsHandler, openRemovalHandler, removalDecisionHandler, removalHandler, removalPositionHandler, removalSignRequestHandler } from './routes/removals';
import { categoryRecheckHandler } from './routes/category-recheck';
import {
  caseComplaintsHandler,
  complaintHandler,
  complaintListHandler,
  fileComplaintHandler,
  providerComplaintDecisionHandler,
  reviewBodyComplaintDecisionHandler,
} from './routes/complaints';
import {
  applicationSignatureHandler,
  applicationSignRequestHandler,
  caseSignaturesHandler,
  caseSignRequestHandler,
  documentSigning,
} from './routes/signatures';

export type { ApiDeps } from './http';

export interface SigningAppOptions {
  /** Require EDS signatures of callers named by X-HPC-Actor too (HPC_REQUIRE_SIGNATURES=1; off by default); sessions always need them. */
  requireSignatures?: boolean;
  /** The web app's pages (api/web.ts); false leaves them out. */
  web?: WebOptions | false;
}

export interface ObservabilityOptions {
  /** Extra request middleware before every route: the request metrics and, when traced, a span per request (api/main.ts). */
  requestObservers?: express.RequestHandler[];
}

export function createApiApp(apiDeps: ApiDeps & AuthAppOptions & SigningAppOptions & ObservabilityOptions): express.Express {
  // Redaction is a second line of defence: the API logs only fixed fields (api/http.ts, errors.ts).
  const logger = (apiDeps.logger ?? pino({ name: 'api', level: process.env.LOG_LEVEL ?? 'info' })).child(
    {},
    { redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
  );
  const deps: ApiDeps = { ...apiDeps, logger };
  const hardening = { ...hardeningFromEnv(), ...apiDeps.hardening };
  const auth = authSettings(apiDeps.auth ?? {}, apiDeps.settings.gatewayUrl);
  const identity = createIdentity({
    pool: apiDeps.pool,
    devHeader: devIdentityHeaderEnabled(apiDeps.devIdentityHeader),
    idleTimeoutMs: auth.idleTimeoutMs,
    now: auth.now,
  });
  // Signed documents (api/routes/signatures.ts): the same trust store and revocation as sign-in.
  const signing = documentSigning({ auth, pool: apiDeps.pool, requireSignatures: apiDeps.requireSignatures });
  // Who represents whom, asked now (api/auth/representation.ts): the policy guard and the routes
  // that decide it themselves (the cabinet, the prefill) use the same registry.
  const representation = { registry: gatewayRepresentationRegistry(auth.gatewayUrl), now: auth.now };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', hardening.trustProxy);
  // `simple` (node:querystring): a repeated parameter becomes an array, which the schemas reject,
  // and no nested objects can be smuggled in.
  app.set('query parser', 'simple');

  for (const observe of apiDeps.requestObservers ?? []) app.use(observe);
  app.use(requestLogger(logger));
  const policy = loadPolicy();
  // The pages (issue #12) before the API's own headers: they carry a CSP of their own (api/web.ts).
  if (apiDeps.web !== false) app.use(webApp(apiDeps.web ?? {}));
  app.use(securityHeaders());
  app.use(strictCors(hardening.corsOrigins));
  app.use(perAddressLimit(hardening));
  // An undeclared method on a declared path: 405 with Allow (api/edge.ts).
  app.use(methodNotAllowed(policy.endpoints));
  // Hostile text in the path, the query or a header the API reads: 400 naming it (api/edge.ts) —
  // after the security headers, CORS and the address limit, so its answers carry them and count.
  app.use(edgeGuard(policy.endpoints.map((e) => e.path)));
  // JSON bodies are parsed per route, after the caller is identified and the type is checked; the
  // PDF upload has its own raw parser with its own limit. Bytes that are not UTF-8 and hostile
  // strings anywhere in the body are 400 (api/edge.ts).
  const json = jsonBody('64kb');

  // ---- public ----
  app.get('/health', healthHandler(deps));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.get('/v1/queue/:kato', queueListHandler(deps));
  app.get('/v1/queue/:kato/stats', queueStatsHandler(deps));
  app.get('/v1/queue/:kato/snapshot', queueSnapshotHandler(deps));

  // ---- sign-in, sessions, the staff registry ----
  app.use('/v1/auth', authRouter({ deps, auth, logger }));
  app.use('/v1/admin', adminRouter({ deps, auth, logger }));

  // ---- a person's case: identified callers only, never cached, every access audited ----
  const cases = express.Router();
  cases.use(noStore, identity.requireActor, perIinLimit(hardening));
  const audit = (action: AuditAction): express.RequestHandler => audited(deps, action);
  cases.post('/', audit('SUBMIT'), json, submitHandler(deps, signing));
  // Before '/:id…': the canonical form of an application to sign (nothing stored, nothing audited).
  cases.post('/sign-request', json, applicationSignRequestHandler(deps));
  // Before '/:id': A2's identity block from the registries (issue #11 §3).
  cases.get('/prefill', auditedMany(deps, 'READ_PREFILL'), prefillHandler(deps, representation));
  cases.get('/:id', audit('READ_CASE'), getApplicationHandler(deps));
  cases.get('/:id/timeline', audit('READ_TIMELINE'), timelineHandler(deps));
  cases.get('/:id/queue-position', audit('READ_QUEUE_POSITION'), queuePositionHandler(deps));
  cases.get('/:id/queue-history', audit('READ_QUEUE_HISTORY'), queueHistoryHandler(deps));
  cases.get('/:id/queue-proof', audit('READ_QUEUE_PROOF'), queueProofHandler(deps));
  cases.post('/:id/technical-report', audit('UPLOAD_REPORT'), requirePdf, pdfBody, technicalReportHandler(deps));
  cases.post('/:id/position', audit('STATE_POSITION'), json, positionHandler(deps, signing));
  cases.get('/:id/consents', audit('READ_CONSENTS'), consentsListHandler(deps));
  cases.post('/:id/consents', audit('GIVE_CONSENT'), json, consentsHandler(deps, signing));
  cases.post('/:id/consents/:code/withdraw', audit('WITHDRAW_CONSENT'), json, withdrawConsentHandler(deps));
  cases.post('/:id/recheck', audit('REQUEST_RECHECK'), json, recheckHandler(deps));
  cases.post('/:id/report-review', audit('REVIEW_REPORT'), json, reportReviewHandler(deps));
  cases.post('/:id/hearing-outcome', audit('HEARING_OUTCOME'), json, hearingOutcomeHandler(deps, signing));
  cases.post('/:id/final-refusal', audit('SIGN_FINAL_REFUSAL'), json, finalRefusalHandler(deps, signing));
  cases.post('/:id/retry-failed-step', audit('RETRY_FAILED_STEP'), json, retryFailedStepHandler(deps));
  cases.post('/:id/sign-request', audit('PREPARE_SIGNATURE'), json, caseSignRequestHandler(deps, auth));
  cases.get('/:id/signature', audit('READ_SIGNATURES'), applicationSignatureHandler(deps, signing));
  cases.get('/:id/signatures', audit('READ_SIGNATURES'), caseSignaturesHandler(deps, signing));
  cases.get('/:id/access-log', audit('READ_ACCESS_LOG'), accessLogHandler(deps));
  cases.post('/:id/complaints', audit('FILE_COMPLAINT'), json, fileComplaintHandler(deps, signing));
  cases.get('/:id/complaints', audit('READ_COMPLAINTS'), caseComplaintsHandler(deps));
  cases.get('/:id/technical-report', audit('READ_REPORT'), technicalReportDownloadHandler(deps));
  cases.post('/:id/withdrawal', audit('WITHDRAW_FROM_QUEUE'), json, withdrawalHandler(deps, signing, auth));
  cases.post('/:id/category-recheck', audit('REQUEST_CATEGORY_RECHECK'), json, categoryRecheckHandler(deps, auth.now));
  cases.get('/:id/emergency-recognition', audit('READ_EMERGENCY_RECOGNITION'), emergencyRecognitionHandler(deps));
  app.use('/v1/applications', cases);

  // ---- complaints (R18, R19): the head's and the review body's side; each answer names its case, for the audit ----
  const complaintRoutes = express.Router();
  complaintRoutes.use(noStore, identity.requireActor, perIinLimit(hardening));
  complaintRoutes.get('/', complaintListHandler(deps));
  complaintRoutes.get('/:complaintId', audit('READ_COMPLAINTS'), complaintHandler(deps));
  complaintRoutes.post('/:complaintId/provider-decision', audit('DECIDE_COMPLAINT'), json, providerComplaintDecisionHandler(deps));
  complaintRoutes.post('/:complaintId/review-body-decision', audit('DECIDE_COMPLAINT'), json, reviewBodyComplaintDecisionHandler(deps));
  app.use('/v1/complaints', complaintRoutes);
  // ---- removal from the register (issue #11 §2; Housing Law, APPC art. 73): an officer's case on a
  // queue entry, an application's or a migrated record; audited per answer (no case for a migrated record) ----
  const removalRoutes = express.Router();
  removalRoutes.use(noStore, identity.requireActor, perIinLimit(hardening));
  removalRoutes.post('/', auditedMany(deps, 'OPEN_REMOVAL'), json, openRemovalHandler(deps, auth.now));
  removalRoutes.get('/:removalId', auditedMany(deps, 'READ_REMOVAL'), removalHandler(deps, representation));
  removalRoutes.post('/:removalId/position', auditedMany(deps, 'STATE_REMOVAL_POSITION'), json, removalPositionHandler(deps, signing, representation));
  removalRoutes.post('/:removalId/sign-request', auditedMany(deps, 'PREPARE_REMOVAL_SIGNATURE'), json, removalSignRequestHandler(deps, representation));
  removalRoutes.post('/:removalId/decision', auditedMany(deps, 'DECIDE_REMOVAL'), json, removalDecisionHandler(deps, signing, representation));
  app.use('/v1/removals', removalRoutes);
  // R7.2, A1.8.2: the report uploaded just before the application that carries it. No case exists
  // yet, so the case audit has no subject: the upload is the uploader's own and nobody else's until
  // their application claims it, and that submission is audited with the case.
  app.post('/v1/uploads/technical-report', noStore, identity.requireActor, perIinLimit(hardening), requirePdf, pdfBody, preUploadTechnicalReportHandler(deps));

  // ---- the personal cabinet and the staff worklists (issue #11 §3) ----
  const cabinet = express.Router();
  cabinet.use(noStore, identity.requireActor, perIinLimit(hardening));
  cabinet.get('/applications', auditedMany(deps, 'READ_CABINET'), cabinetApplicationsHandler(deps, representation));
  cabinet.get('/notices', auditedMany(deps, 'READ_NOTICES'), cabinetNoticesHandler(deps, representation));
  cabinet.post('/notices/:noticeId/read', audited(deps, 'MARK_NOTICE_READ'), json, markNoticeReadHandler(deps, representation));
  // Issue #11 §2: the removal cases about the caller's entries (a migrated record has no cabinet case).
  cabinet.get('/removals', auditedMany(deps, 'READ_REMOVAL'), cabinetRemovalsHandler(deps, representation));
  app.use('/v1/cabinet', cabinet);
  app.get('/v1/staff/worklist', noStore, identity.requireActor, perIinLimit(hardening), worklistHandler(deps, auth.now));

  // Every route above gets the policy's guard in front of its handlers (api/auth/authorise.ts).
  installPolicy(app, {
    policy,
    identity,
    ctx: representation,
    pool: deps.pool,
    logger,
  });

  app.use((_req, _res, next) => {
    next(apiError(404, 'ROUTE_NOT_FOUND'));
  });
  app.use(errorHandler(logger));
  return app;
}
