/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with.
 * Served at GET /openapi.json.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PURPOSE_HEADER } from './audit';
import { ACTOR_HEADER } from './identity';
import { SESSION_COOKIE } from './auth/sessions';
import { loadPolicy } from '../security/policy/policy';
import {
  accessLogQuery,
  accessLogResponse,
  actionResultResponse,
  applicationCreatedResponse,
  applicationIdParams,
  applicationViewResponse,
  consentParams,
  consentsBody,
  emptyBody,
  finalRefusalBody,
  consentsResponse,
  createApplicationBody,
  documentResultResponse,
  preUploadResponse,
  errorResponse,
  healthResponse,
  hearingOutcomeBody,
  idempotencyKeySchema,
  positionBody,
  queueListResponse,
  queueParams,
  queuePositionResponse,
  queueHistoryQuery,
  queueHistoryResponse,
  queueCategoryQuery,
  queueProofResponse,
  queueSnapshotResponse,
  queueStatsResponse,
  queueQuery,
  recheckBody,
  reportReviewBody,
  technicalReportQuery,
  timelineResponse,
  withdrawalResponse,
  withdrawConsentBody,
  caseComplaintsResponse,
  complaintIdParams,
  complaintListQuery,
  complaintListResponse,
  complaintViewResponse,
  fileComplaintBody,
  providerComplaintDecisionBody,
  reviewBodyComplaintDecisionBody,
  cabinetApplicationsResponse,
  cabinetNoticesResponse,
  emergencyRecognitionResponse,
  noticeParams,
  noticesQuery,
  prefillQuery,
  prefillResponse,
  worklistQuery,
  worklistResponse,
  withdrawalBody,
  withdrawalResultResponse,
  categoryRecheckResponse,
} from './schemas';
import { signInBody, staffBody, staffParams } from './routes/auth';
import { caseSignRequestBody, signatureView, signaturesResponse, signRequestResponse } from './routes/signatures';
import { cabinetRemovalsResponse, openRemovalBody, removalDecisionBody, removalIdParams, removalPositionBody, removalSignRequestBody, removalViewResponse } from './removal-schemas';

const json = (schema: z.ZodType, description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema } },
});
const err = (description: string): ResponseConfig => json(errorResponse, description);

const actorHeader = z.object({
  [ACTOR_HEADER]: z.string().meta({
    description:
      'Development and tests only (HPC_DEV_IDENTITY_HEADER=1; refused in production): `<role>:<id>` — applicant|representative with an IIN, ' +
      'operator|officer with a staff id AA-0000. Otherwise the caller is the EDS session: the session cookie with X-CSRF-Token, or ' +
      '`Authorization: Bearer <token>` from POST /v1/auth/sign-in.',
    example: 'applicant:950314419498',
  }),
});

/** Staff reading a case say why; the text is recorded in the audit log and shown to the person. */
const purposeHeader = z.object({
  [ACTOR_HEADER]: actorHeader.shape[ACTOR_HEADER],
  [PURPOSE_HEADER]: z
    .string()
    .optional()
    .meta({
      description:
        'Staff only: why they access the case, 3–500 characters (non-ASCII text percent-encoded UTF-8). Required for staff reads ' +
        '(400 PURPOSE_REQUIRED), optional for staff actions; recorded in the audit log and shown to the person.',
      example: 'R15.6%20review%20of%20the%20technical%20report',
    }),
});

const common = {
  400: err('Validation failed: `field` names the first failing field, `details` lists all; PURPOSE_REQUIRED for a staff read without X-HPC-Purpose'),
  401: err('Not signed in: no valid session (cookie with X-CSRF-Token, or Bearer token), or the session expired'),
  404: err('No such application (or not yours)'),
  429: err('RATE_LIMITED: too many requests from this address or by this person (Retry-After)'),
  500: err('Internal error (also when the audit row cannot be written: no data is returned)'),
};

/** Case actions take an Idempotency-Key of the caller's own: a repeat gets the first answer (api/routes/actions.ts). */
const actionHeaders = purposeHeader.extend({
  'Idempotency-Key': idempotencyKeySchema.optional().meta({
    description: "The caller's key for this request (8–128 of A–Z a–z 0–9 - _): a repeat changes nothing and gets the first answer",
  }),
});

function caseAction(path: string, summary: string, body: z.ZodType | undefined, who: string): RouteConfig {
  return {
    method: 'post',
    path,
    summary,
    description: who,
    request: { params: applicationIdParams, headers: actionHeaders, ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}) },
    responses: {
      200: json(actionResultResponse, 'The workflow acted on it: the status after the action'),
      202: json(actionResultResponse, 'Accepted by the workflow, still being processed'),
      ...common,
      403: err('Not allowed for this role'),
      409: err('INVALID_CASE_ACTION: the procedure table (allowedActions) says the case does not take this action now; the reason in kk/ru/en, its code in details'),
      422: err('IDEMPOTENCY_KEY_REUSED: the key was used for another request'),
      503: err('TEMPORAL_UNAVAILABLE'),
    },
  };
}

function buildDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();

  registry.registerPath({
    method: 'post',
    path: '/v1/applications',
    summary: 'Submit an application (A2)',
    description:
      'By the applicant, or by the representative named in it. Staff cannot submit. Signed with EDS: `signature` is the CMS over the ' +
      'form of POST /v1/applications/sign-request — required for callers signed in by EDS (400 SIGNATURE_REQUIRED); a signature that ' +
      'does not verify is 400 with its code (CONTENT_MISMATCH, SIGNER_NOT_ACTOR, NOT_SIGN_KEY, CERT_EXPIRED, CERT_REVOKED, …) and field `signature`.',
    request: {
      headers: z.object({ [ACTOR_HEADER]: actorHeader.shape[ACTOR_HEADER], 'Idempotency-Key': idempotencyKeySchema }),
      body: { content: { 'application/json': { schema: createApplicationBody } } },
    },
    responses: {
      202: json(
        applicationCreatedResponse,
        'On record (status RECEIVED, queued for checking): receivedAt — the place in the queue — and the term are fixed; the case is checked once its workflow starts (the intake outbox, never waited for)',
      ),
      200: json(applicationCreatedResponse, 'The same Idempotency-Key and request again, its checking started: the existing case (202 while it has not started)'),
      400: common[400],
      401: common[401],
      403: err('The actor may not submit this application'),
      409: err('ACTIVE_APPLICATION_EXISTS'),
      413: err('Body larger than 64 kB'),
      422: err('IDEMPOTENCY_KEY_REUSED with a different request'),
      429: common[429],
      503: err('CALENDAR_UNAVAILABLE, or INTAKE_BUSY: the database cannot take more now (Retry-After); nothing was written'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}',
    summary: 'The case: declaration and live state',
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(applicationViewResponse, 'The case'), ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/timeline',
    summary: 'The case timeline (+05:00)',
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(timelineResponse, 'Events in order'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/technical-report',
    summary: "Upload the expert's technical report (R7.2, A1.8.2)",
    description: 'Applicant or representative of the case. Raw PDF body, at most 10 MB.',
    request: {
      params: applicationIdParams,
      query: technicalReportQuery,
      headers: actorHeader,
      body: { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
    },
    responses: {
      200: json(documentResultResponse, 'Stored and handed to the case'),
      ...common,
      403: err('Not the applicant or representative'),
      409: err('INVALID_CASE_ACTION'),
      413: err('Larger than 10 MB'),
      415: err('Not application/pdf'),
      503: err('TEMPORAL_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/uploads/technical-report',
    summary: "Upload the expert's technical report before the application that carries it (R7.2, A1.8.2)",
    description: 'Applicant or representative. Raw PDF body, at most 10 MB. The application names it in `technicalReport.uploadId` and claims it as its version 1; until then it is the uploader\'s alone.',
    request: {
      query: technicalReportQuery,
      headers: actorHeader,
      body: { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
    },
    responses: {
      201: json(preUploadResponse, 'Stored, not yet attached to an application'),
      ...common,
      403: err('Not a person'),
      413: err('Larger than 10 MB'),
      415: err('Not application/pdf'),
    },
  });
  registry.registerPath(caseAction('/v1/applications/{id}/position', 'State a position before the hearing (R17)', positionBody, 'Applicant or representative'));
  registry.registerPath(caseAction('/v1/applications/{id}/consents', 'Give missing consents (R17, A2.C)', consentsBody, 'Applicant or representative'));
  registry.registerPath(caseAction('/v1/applications/{id}/recheck', 'Ask for a re-check after a registry correction (R9, R17)', recheckBody, 'Applicant or representative'));
  registry.registerPath(caseAction('/v1/applications/{id}/report-review', 'Operator review of the technical report (R13, R15.6)', reportReviewBody, 'Operator only'));
  registry.registerPath(caseAction('/v1/applications/{id}/hearing-outcome', 'Hearing outcome (R17)', hearingOutcomeBody, 'Officer only'));
  registry.registerPath(
    caseAction(
      '/v1/applications/{id}/final-refusal',
      'Sign the final refusal after a hearing without a position (R17: the authorised person signs with EDS)',
      finalRefusalBody,
      'Officer only. Sign the form of POST …/sign-request (action final-refusal) and send it with its decidedAt.',
    ),
  );
  registry.registerPath(
    caseAction(
      '/v1/applications/{id}/retry-failed-step',
      'Resume a case held by a step that failed on its data (flag STEP_FAILED), once the data is mended',
      emptyBody,
      'Administrator only',
    ),
  );
  // ---- complaints (R18, R19; SPEC §8) ----
  const complaintErrors = {
    ...common,
    403: err('Not allowed for this role'),
    409: err('INVALID_CASE_ACTION: the complaint table says no (e.g. INACTION while the case is not overdue, a decision on a closed complaint); the reason in kk/ru/en'),
    503: err('TEMPORAL_UNAVAILABLE'),
  };
  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/complaints',
    summary: "File a complaint about a decision, action or inaction of the provider, addressed to its head (R18)",
    description:
      'Applicant or representative. Signed with EDS like every document (sign the form of POST …/sign-request, action complaint). ' +
      'Registered by the acceptance rule; the head may satisfy it within 3 working days of receipt, otherwise it is forwarded ' +
      'with the signed case file to the review body (R19). Idempotency-Key required: a repeat gets the first answer (200).',
    request: {
      params: applicationIdParams,
      headers: actionHeaders.extend({ 'Idempotency-Key': idempotencyKeySchema }),
      body: { content: { 'application/json': { schema: fileComplaintBody } } },
    },
    responses: {
      201: json(complaintViewResponse, 'Filed: the complaint with its terms'),
      200: json(complaintViewResponse, 'A repeat of the same request: the complaint as filed'),
      ...complaintErrors,
      422: err('IDEMPOTENCY_KEY_REUSED: the key was used for another request'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/complaints',
    summary: "The case's complaints, newest first",
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(caseComplaintsResponse, 'The complaints'), ...common, 403: err('Not allowed for this role (the case\'s parties, the head, the review body, auditors)') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/complaints',
    summary: "Open complaints by due instant: the head's (WITH_PROVIDER) or the review body's (FORWARDED)",
    request: { query: complaintListQuery, headers: purposeHeader },
    responses: { 200: json(complaintListResponse, 'The list (no complaint texts)'), ...common, 403: err('Not allowed for this role') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/complaints/{complaintId}',
    summary: 'One complaint',
    request: { params: complaintIdParams, headers: purposeHeader },
    responses: { 200: json(complaintViewResponse, 'The complaint'), ...common, 403: err('Not allowed for this role'), 404: err('No such complaint') },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/complaints/{complaintId}/provider-decision',
    summary: 'The head: satisfy the complaint fully (it acts on the case and is not forwarded) or forward it now (R19)',
    request: { params: complaintIdParams, headers: actionHeaders, body: { content: { 'application/json': { schema: providerComplaintDecisionBody } } } },
    responses: { 200: json(complaintViewResponse, 'The complaint after the decision'), ...complaintErrors, 404: err('No such complaint') },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/complaints/{complaintId}/review-body-decision',
    summary: 'The review body: satisfied, partly satisfied or refused, with reasons (R18); a satisfied complaint acts on the case',
    request: { params: complaintIdParams, headers: actionHeaders, body: { content: { 'application/json': { schema: reviewBodyComplaintDecisionBody } } } },
    responses: { 200: json(complaintViewResponse, 'The complaint after the decision'), ...complaintErrors, 404: err('No such complaint') },
  });
  // ---- removal from the register (issue #11 §2; Housing Law, APPC art. 73) ----
  const removalErrors = {
    ...common,
    403: err('Not allowed for this role'),
    404: err('REMOVAL_NOT_FOUND: no such removal case (or, for a person, not about their entry)'),
    409: err('INVALID_CASE_ACTION: the removal table (allowedActions) says the case does not take this action now (e.g. REMOVAL_HEARING_PENDING, REMOVAL_CLOSED); the reason in kk/ru/en, its code in details'),
    503: err('TEMPORAL_UNAVAILABLE'),
  };
  registry.registerPath({
    method: 'post',
    path: '/v1/removals',
    operationId: 'openRemoval',
    summary: 'The officer opens a removal case on a queue entry (by registration number) on a Housing Law ground, with a finding',
    description:
      'An application\'s entry or a migrated record. HOUSING_ACQUIRED and DATA_UNRELIABLE go against the person: a preliminary decision with the APPC art. 73 hearing (R17\'s terms); ' +
      'HOUSING_PROVIDED and DIED go straight to the officer\'s decision (interpretation `removal`). One open case per entry.',
    request: { headers: actionHeaders, body: { content: { 'application/json': { schema: openRemovalBody } } } },
    responses: {
      201: json(removalViewResponse, 'The case, opened'),
      ...removalErrors,
      404: err('ENTRY_NOT_FOUND: no entry has this registration number'),
      409: err('ENTRY_NOT_IN_QUEUE (the entry already left) or REMOVAL_ALREADY_OPEN (one open case per entry)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/removals/{removalId}',
    operationId: 'getRemoval',
    summary: 'A removal case: ground, hearing, position, decision, notices, allowedActions (staff with X-HPC-Purpose; the person concerned) — audited',
    request: { params: removalIdParams, headers: purposeHeader },
    responses: { 200: json(removalViewResponse, 'The case'), ...removalErrors },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/cabinet/removals',
    operationId: 'listCabinetRemovals',
    summary: "The removal cases about the caller's queue entries (an application's or a migrated record's), with their notices — audited",
    description: 'The SMS of a migrated record, which has no cabinet case, points here.',
    request: { headers: actorHeader },
    responses: { 200: json(cabinetRemovalsResponse, 'Newest first'), ...common, 403: err('Not a person') },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/removals/{removalId}/position',
    operationId: 'stateRemovalPosition',
    summary: 'The person concerned states a position before the hearing (APPC art. 73)',
    request: { params: removalIdParams, headers: actionHeaders, body: { content: { 'application/json': { schema: removalPositionBody } } } },
    responses: { 200: json(removalViewResponse, 'The case with the position recorded'), ...removalErrors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/removals/{removalId}/sign-request',
    operationId: 'prepareRemovalDecisionSignature',
    summary: "The canonical form to sign with NCALayer: the officer's decision (REMOVAL_DECISION; send `decidedAt` back with the signature) or the person's position (REMOVAL_POSITION). Nothing stored",
    request: { params: removalIdParams, headers: actionHeaders, body: { content: { 'application/json': { schema: removalSignRequestBody } } } },
    responses: { 200: json(signRequestResponse, 'The canonical form'), ...removalErrors },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/removals/{removalId}/decision',
    operationId: 'decideRemoval',
    summary: "The officer's decision, REMOVE or KEEP with reasoning, signed with EDS: REMOVE takes the entry out of every list (ledger reason = the ground)",
    request: { params: removalIdParams, headers: actionHeaders, body: { content: { 'application/json': { schema: removalDecisionBody } } } },
    responses: { 200: json(removalViewResponse, 'The case, decided'), ...removalErrors, 503: err('TEMPORAL_UNAVAILABLE, or REVOCATION_UNAVAILABLE when the signature cannot be checked') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/queue-position',
    summary: "The case's place in the queue",
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(queuePositionResponse, 'Placement'), ...common, 404: err('NOT_FOUND or NOT_IN_QUEUE') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/queue-history',
    operationId: 'getQueueHistory',
    summary: 'Why the case\'s positions changed: per list, newest first, cursor-paginated (issue #11 §1)',
    description:
      'Applicant or representative; staff with X-HPC-Purpose. Each item: when, which list (the locality, or a category within it), ' +
      'from and to (null: not in the list), and the reason code with kk/ru text. Another entry is never named. Audited.',
    request: { params: applicationIdParams, query: queueHistoryQuery, headers: purposeHeader },
    responses: { 200: json(queueHistoryResponse, 'One page of the history'), ...common, 404: err('NOT_FOUND or NOT_IN_QUEUE') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/queue-proof',
    operationId: 'getQueueProof',
    summary: "The inclusion proof of the case's row in the latest signed snapshot of its list (issue #11 §4)",
    description: 'Applicant or representative; staff with X-HPC-Purpose. Audited. `category` picks one of its category lists.',
    request: { params: applicationIdParams, query: queueCategoryQuery, headers: purposeHeader },
    responses: { 200: json(queueProofResponse, 'The proof'), ...common, 404: err('NOT_FOUND, NOT_IN_QUEUE, NO_SNAPSHOT or NOT_IN_SNAPSHOT') },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/consents',
    summary: 'Consents C1–C4: their state and history (R12, A2.C)',
    description: 'Applicant or representative; staff with X-HPC-Purpose.',
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(consentsResponse, 'The consents'), ...common },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/consents/{code}/withdraw',
    summary: 'Withdraw a consent; the answer explains what that does (kk/ru)',
    description:
      'Applicant or representative. C1/C2 before a decision: the case cannot be checked (refusal under A1.9.4 unless given ' +
      'again before the hearing); after registration: no re-check possible, the provider is told; C3: the published list ' +
      'shows the position only; C4: informational.',
    request: {
      params: consentParams,
      headers: actorHeader,
      body: { content: { 'application/json': { schema: withdrawConsentBody } }, required: false },
    },
    responses: {
      200: json(withdrawalResponse, 'Withdrawn'),
      ...common,
      403: err('Not the applicant or representative'),
      409: err('CONSENT_NOT_IN_FORCE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/access-log',
    summary: 'Who read or changed the data of this case, and when (newest first)',
    description:
      'Applicant or representative; the auditor with X-HPC-Purpose. Staff appear by role and staff id with their stated purpose; ' +
      'other persons never appear.',
    request: { params: applicationIdParams, query: accessLogQuery, headers: purposeHeader },
    responses: { 200: json(accessLogResponse, 'One page of the access log'), ...common, 403: err('Staff other than the auditor') },
  });
  // ---- the personal cabinet, A2 prefill, staff worklists, the report (issue #11 §3) ----
  const personOnly = { 401: common[401], 403: err('FORBIDDEN: not a person (staff have no cabinet)'), 429: common[429], 500: common[500] };
  registry.registerPath({
    method: 'get',
    path: '/v1/cabinet/applications',
    operationId: 'listCabinetApplications',
    summary: "The caller's applications and those they represent, newest first",
    description:
      'Applicant or representative. Represented cases only while the representation registry confirms it now. `allowedActions` as ' +
      'GET /v1/applications/{id} gives them; a case held in the other capacity than the one signed in with offers none (SIGN_IN_AS_*). ' +
      'One audit row per case shown.',
    request: { headers: actorHeader },
    responses: {
      200: json(cabinetApplicationsResponse, 'The applications'),
      400: common[400],
      ...personOnly,
      503: err('REPRESENTATION_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/cabinet/notices',
    operationId: 'listCabinetNotices',
    summary: "Every cabinet notice of the caller's cases (kk/ru), newest first, with read state",
    description: 'The SMS points here. A representative does not see the principal’s notices about the representative’s own actions.',
    request: { query: noticesQuery, headers: actorHeader },
    responses: {
      200: json(cabinetNoticesResponse, 'One page; nextCursor null on the last'),
      400: err('VALIDATION_FAILED, or CURSOR_INVALID (field cursor)'),
      ...personOnly,
      503: err('REPRESENTATION_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/cabinet/notices/{noticeId}/read',
    operationId: 'markCabinetNoticeRead',
    summary: 'Mark a cabinet notice read (idempotent: the first instant is kept)',
    request: { params: noticeParams, headers: actorHeader, body: { content: { 'application/json': { schema: emptyBody } }, required: false } },
    responses: {
      204: { description: 'Read' },
      400: common[400],
      ...personOnly,
      404: err('NOTICE_NOT_FOUND (not a notice of the caller’s)'),
      503: err('REPRESENTATION_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/prefill',
    operationId: 'getApplicationPrefill',
    summary: "A2's identity block from the persons registry",
    description:
      'For the signed-in person, or with principalIin for a representative’s principal (the representation registry must confirm it ' +
      'now, as for filing). Send the block as `person` with POST /v1/applications (and its sign-request): it is signed with the ' +
      'application and checked against the registry again (422 PERSON_MISMATCH). An audited read.',
    request: { query: prefillQuery, headers: actorHeader },
    responses: {
      200: json(prefillResponse, 'The identity block'),
      400: err('VALIDATION_FAILED, or PRINCIPAL_ONLY_FOR_REPRESENTATIVE'),
      401: common[401],
      403: err('FORBIDDEN (staff), or REPRESENTATION_NOT_CONFIRMED'),
      404: err('PERSON_NOT_FOUND: the registry holds no record'),
      429: common[429],
      500: common[500],
      503: err('REGISTRY_UNAVAILABLE or REPRESENTATION_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/staff/worklist',
    operationId: 'getStaffWorklist',
    summary: "The open cases the caller's role is to act on: overdue first, then by due instant",
    description:
      'Operators: reports to review (AWAITING_REVIEW). Officers: hearing outcomes and final refusals to sign. Head: overdue cases and ' +
      'open alerts. Administrators: cases held by a failed step. No IINs; opening a case is the audited GET /v1/applications/{id}.',
    request: { query: worklistQuery, headers: actorHeader },
    responses: {
      200: json(worklistResponse, 'One page; nextCursor null on the last'),
      400: err('VALIDATION_FAILED, or CURSOR_INVALID (field cursor)'),
      401: common[401],
      403: err('FORBIDDEN: a role without a worklist'),
      429: common[429],
      500: common[500],
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/technical-report',
    operationId: 'downloadTechnicalReport',
    summary: 'The uploaded technical report, latest version (PDF)',
    description: 'The reviewing operator (X-HPC-Purpose) or the case’s party. Headers X-Document-Version and X-Document-SHA256. An audited read.',
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: {
      200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } },
      ...common,
      403: err('Not for this role'),
      404: err('NOT_FOUND, or NO_TECHNICAL_REPORT'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/emergency-recognition',
    operationId: 'getEmergencyRecognition',
    summary: "The registry's emergency recognition of the declared dwelling (R7.2): number, dwelling, expert",
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: {
      200: json(emergencyRecognitionResponse, 'The recognition'),
      ...common,
      403: err('Not for this role'),
      404: err('NOT_FOUND, NOT_EMERGENCY_PATH or NO_EMERGENCY_RECOGNITION'),
      503: err('REGISTRY_UNAVAILABLE'),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/withdrawal',
    operationId: 'withdrawFromQueue',
    summary: 'Leave the queue: the registered person’s application, with a reason, signed with EDS (issue #11 §2)',
    description:
      'Applicant or representative of a registered case. Sign the form of POST …/sign-request {action: "withdrawal", reason} and send the ' +
      'CMS as `signature` (required for callers signed in by EDS). The entry leaves every list (locality and categories); the case ' +
      'is flagged LEFT_QUEUE; the timeline records the reason and the place held; the cabinet gets the notice.',
    request: { params: applicationIdParams, headers: actorHeader, body: { content: { 'application/json': { schema: withdrawalBody } } } },
    responses: {
      200: json(withdrawalResultResponse, 'Withdrawn'),
      ...common,
      403: err('Not the applicant or representative'),
      404: err('NOT_FOUND, or NOT_IN_QUEUE'),
      409: err('INVALID_CASE_ACTION: NOT_REGISTERED or ALREADY_LEFT_QUEUE (details)'),
      503: err('REVOCATION_UNAVAILABLE or VERIFIER_UNAVAILABLE (signature check)'),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/category-recheck',
    operationId: 'requestCategoryRecheck',
    summary: 'R9 after registration: check the unconfirmed categories again',
    description:
      'Applicant or representative of a registered case with an unconfirmed declared category, after the state body corrected its ' +
      'data. A category the registry now confirms gives the entry its place in that category’s list, ordered by the original receivedAt.',
    request: {
      params: applicationIdParams,
      headers: actionHeaders,
      body: { content: { 'application/json': { schema: recheckBody } }, required: false },
    },
    responses: {
      200: json(categoryRecheckResponse, 'What the registries confirm now'),
      ...common,
      403: err('Not the applicant or representative'),
      404: err('NOT_FOUND, or NOT_IN_QUEUE'),
      409: err('INVALID_CASE_ACTION: NOT_REGISTERED, ALREADY_LEFT_QUEUE or NO_UNCONFIRMED_CATEGORY (details)'),
      503: err('REGISTRY_UNAVAILABLE or TEMPORAL_UNAVAILABLE'),
    },
  });

  // ---- signed documents (EDS; api/routes/signatures.ts, docs/eds.md) ----
  registry.registerPath({
    method: 'post',
    path: '/v1/applications/sign-request',
    summary: 'The canonical form of an application, to sign with NCALayer (nothing is stored)',
    description:
      'The body of POST /v1/applications (without `signature`) and its Idempotency-Key. Hand `data` to NCALayer (`sign`, format cms, ' +
      'signingParams {decode: true, encapsulate: false}, the SIGN key) and send the CMS as `signature` with the application.',
    request: {
      headers: z.object({ [ACTOR_HEADER]: actorHeader.shape[ACTOR_HEADER], 'Idempotency-Key': idempotencyKeySchema }),
      body: { content: { 'application/json': { schema: createApplicationBody } } },
    },
    responses: { 200: json(signRequestResponse, 'The canonical form'), 400: common[400], 401: common[401], 403: err('Not this person’s application'), 429: common[429] },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/applications/{id}/sign-request',
    summary: 'The canonical form of a position, consents (applicant or representative) or the hearing decision (officer)',
    description: 'For the hearing decision the answer carries `decidedAt`: send it back with the signature to POST …/hearing-outcome.',
    request: { params: applicationIdParams, headers: purposeHeader, body: { content: { 'application/json': { schema: caseSignRequestBody } } } },
    responses: {
      200: json(signRequestResponse, 'The canonical form'),
      ...common,
      403: err('Not for this role (SIGN_REQUEST_NOT_FOR_ROLE)'),
      409: err('INVALID_CASE_ACTION: no hearing outcome is due'),
      503: err('TEMPORAL_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/signature',
    summary: "The application's EDS signature, verified again now",
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: {
      200: json(signatureView.extend({ applicationId: z.uuid() }), 'The signature and the result of verifying it again'),
      ...common,
      404: err('NOT_FOUND, or NOT_SIGNED (filed without a signature)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/applications/{id}/signatures',
    summary: 'Every signed document of the case (application, consents, positions, decision), each verified again now',
    request: { params: applicationIdParams, headers: purposeHeader },
    responses: { 200: json(signaturesResponse, 'Oldest first'), ...common },
  });

  // ---- sign-in and sessions (api/routes/auth.ts, docs/access-control.md) ----
  const localizedError = err('The refusal: a code and the reason in kk/ru/en (e.g. NONCE_MISMATCH, NOT_AUTH_KEY, CERT_REVOKED)');
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/challenge',
    summary: 'A one-time sign-in nonce for NCALayer (32 random bytes, base64)',
    responses: { 201: json(z.object({ nonce: z.string(), expiresAt: z.string() }).meta({ id: 'Challenge' }), 'The nonce'), 429: common[429] },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/sign-in',
    summary: 'Sign in with the CMS NCALayer made over the nonce with the AUTH key',
    description: 'Citizens as applicant or representative; staff (as: staff) by a provider employee certificate and the staff registry.',
    request: { body: { content: { 'application/json': { schema: signInBody } } } },
    responses: {
      201: json(
        z
          .object({
            role: z.string(),
            id: z.string(),
            staffId: z.string().optional(),
            name: z.string(),
            expiresAt: z.string(),
            idleExpiresAt: z.string(),
            csrfToken: z.string().optional().meta({ description: 'delivery cookie: send it as X-CSRF-Token with state-changing requests' }),
            token: z.string().optional().meta({ description: 'delivery bearer: Authorization: Bearer <token>' }),
            tokenType: z.literal('Bearer').optional(),
          })
          .meta({ id: 'Session' }),
        'Signed in (cookie delivery also sets the HttpOnly session cookie and the CSRF cookie)',
      ),
      400: common[400],
      401: localizedError,
      403: err('NOT_STAFF or ROLE_NOT_GRANTED'),
      429: common[429],
      503: err('REVOCATION_UNAVAILABLE, VERIFIER_UNAVAILABLE or STAFF_SIGN_IN_UNAVAILABLE'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/auth/sign-out',
    summary: 'End the session and clear its cookies',
    request: { headers: actorHeader },
    responses: { 204: { description: 'Signed out' }, 401: common[401] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/auth/session',
    summary: 'Who the session belongs to and when it expires',
    request: { headers: actorHeader },
    responses: {
      200: json(
        z
          .object({ role: z.string(), id: z.string(), via: z.enum(['session', 'dev-header']), expiresAt: z.string().optional(), idleExpiresAt: z.string().optional() })
          .meta({ id: 'SessionInfo' }),
        'The caller',
      ),
      401: common[401],
    },
  });

  // ---- the staff registry (administrators) ----
  const staffMember = z
    .object({ iin: z.string(), staffId: z.string(), roles: z.array(z.string()), active: z.boolean(), updatedAt: z.string(), updatedBy: z.string() })
    .meta({ id: 'StaffMember' });
  registry.registerPath({
    method: 'get',
    path: '/v1/admin/staff',
    summary: 'The staff registry: who holds which staff roles (administrators)',
    request: { headers: actorHeader },
    responses: { 200: json(z.object({ staff: z.array(staffMember) }).meta({ id: 'StaffList' }), 'Every staff member'), 401: common[401], 403: err('Not an administrator') },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/admin/staff/{iin}',
    summary: "Grant, change or suspend a staff member's roles (administrators; never one's own entry)",
    request: { params: staffParams, headers: actorHeader, body: { content: { 'application/json': { schema: staffBody } } } },
    responses: {
      200: json(staffMember, 'Changed'),
      201: json(staffMember, 'Added'),
      400: common[400],
      401: common[401],
      403: err('Not an administrator, or OWN_STAFF_ENTRY'),
      409: err('STAFF_ID_TAKEN'),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/queue/{kato}',
    summary: 'Published queue list of a locality (A2.C3): no names, no IINs',
    request: { params: queueParams, query: queueQuery },
    responses: { 200: json(queueListResponse, 'One page of the list'), 400: common[400], 429: common[429] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/queue/{kato}/snapshot',
    operationId: 'getQueueSnapshot',
    summary: 'The latest signed Merkle snapshot of a list (issue #11 §4): opaque ids, positions, dates — no names, no IINs',
    request: { params: queueParams, query: queueCategoryQuery },
    responses: { 200: json(queueSnapshotResponse, 'The snapshot'), 400: common[400], 404: err('NO_SNAPSHOT'), 429: common[429] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/queue/{kato}/stats',
    operationId: 'getQueueStats',
    summary: "A locality's queue in numbers (issue #11 §3): per category, registrations per month, waiting times — no personal data",
    request: { params: queueParams },
    responses: { 200: json(queueStatsResponse, 'The statistics'), 400: common[400], 429: common[429] },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Database and Temporal reachability',
    responses: { 200: json(healthResponse, 'All reachable'), 503: json(healthResponse, 'Degraded') },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  });

  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token of POST /v1/auth/sign-in with delivery bearer',
  });
  registry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie of POST /v1/auth/sign-in with delivery cookie; state-changing requests also send X-CSRF-Token',
  });
  registry.registerComponent('securitySchemes', 'devActor', {
    type: 'apiKey',
    in: 'header',
    name: ACTOR_HEADER,
    description: actorHeader.shape[ACTOR_HEADER].description,
  });

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Otbasy HPC — case processing API',
      version: '1.0.0',
      description:
        'Applications for registration in the housing queue under Order No. 130 (17 April 2025). Times are +05:00. ' +
        'Every error is the Error body with kk/ru/en text; a NUL, a lone surrogate or bytes that are not UTF-8 in any ' +
        'parameter or body field are 400 naming the field; an undeclared method on a declared path is 405 with Allow.',
    },
  });
  return withEdgeFacts(document);
}

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/**
 * What holds for every operation, added once rather than route by route: an operationId (from the
 * method and path), the security it needs (security/policy/policy.json: public endpoints none, the
 * rest a session or, in development, X-HPC-Actor — a scheme, so no longer a header parameter), and
 * the problems the edge answers for any operation (api/edge.ts, api/app.ts): 400 for hostile text in
 * a parameter, 413/415 for a body too large or of another type.
 */
function withEdgeFacts(document: Document): Document {
  const publicOps = new Set(loadPolicy().endpoints.filter((e) => e.public).map((e) => `${e.method} ${e.path}`));
  const errorRef = { $ref: '#/components/schemas/Error' };
  const problem = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      op.operationId ??= operationIdOf(method, path);
      const template = path.replace(/\{(\w+)\}/g, ':$1');
      const isPublic = publicOps.has(`${method.toUpperCase()} ${template}`);
      op.security = isPublic ? [] : [{ bearer: [] }, { sessionCookie: [] }, { devActor: [] }];
      op.parameters = (op.parameters ?? []).filter((p) => !('in' in p && p.in === 'header' && p.name === ACTOR_HEADER));
      if (op.parameters.length === 0) delete op.parameters;
      const responses = op.responses as Record<string, unknown>;
      responses['400'] ??= problem('A parameter is malformed or hostile (a NUL, a lone surrogate, not UTF-8): `field` names it');
      if (!isPublic) responses['401'] ??= problem('Not signed in');
      if (op.requestBody) {
        responses['413'] ??= problem('The body is too large');
        responses['415'] ??= problem('The body is not of the declared type');
      }
    }
  }
  return document;
}

/** `post /v1/applications/{id}/position` → `postApplicationPosition`-like names, unique per operation. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((part) => part !== '' && part !== 'v1')
    .map((part) => (part.startsWith('{') ? `by-${part.slice(1, -1)}` : part))
    .flatMap((part) => part.split(/[-.]/))
    .filter((w) => w !== '');
  return [method, ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

let cached: ReturnType<typeof buildDocument> | undefined;

/** Built once, on first request: the schemas do not change while the process runs. */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  cached ??= buildDocument();
  return cached;
}
