/**
 * Request and response schemas. One zod schema per shape serves twice: it validates the request and
 * it is registered for the OpenAPI document (api/openapi.ts), so the document cannot drift from
 * what the code accepts. `.meta({ id })` names a schema as an OpenAPI component.
 *
 * Domain checks (IIN checksum, KATO reference, category reference) run inside the schemas as custom
 * issues whose `params.reason` carries the kk/ru/en text (see api/errors.ts `localizeIssue`).
 */
import { z } from 'zod';
import { isKnownCategory } from '../domain/categories';
import { validateIin } from '../domain/iin';
import { validateKato } from '../domain/kato';
import type { IssueReason } from './errors';
import { CASE_ACTIONS } from '../domain/procedure/actions';
import { CASE_FLAGS, CASE_STATUSES } from '../domain/procedure/statuses';

function custom(ctx: z.core.$RefinementCtx<unknown>, reason: IssueReason, path?: PropertyKey[]): void {
  ctx.addIssue({ code: 'custom', message: reason.en, params: { reason }, ...(path ? { path } : {}) });
}

// ---- reference-checked scalars ----

export const iinSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = validateIin(v);
    if (!r.valid) custom(ctx, r.reason);
  })
  .meta({ description: 'Individual identification number (IIN), 12 digits with a valid check digit (SPEC §11)', example: '950314419498' });

export const katoSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = validateKato(v);
    if (!r.valid) custom(ctx, r.reason);
  })
  .meta({ description: 'KATO code of a locality in the reference table (9 digits)', example: '351010000' });

const UNKNOWN_CATEGORY: IssueReason = {
  code: 'UNKNOWN_CATEGORY',
  kk: 'Мұндай санат анықтамалықта жоқ',
  ru: 'Такой категории нет в справочнике',
  en: 'This category code is not in the reference table',
};
export const categoryCodeSchema = z
  .string()
  .superRefine((v, ctx) => {
    if (!isKnownCategory(v)) custom(ctx, UNKNOWN_CATEGORY);
  })
  .meta({ description: 'Priority category code (reference/categories.json, R8)', example: 'ORPHAN' });

const MOBILE_FORMAT: IssueReason = {
  code: 'MOBILE_FORMAT',
  kk: 'Ұялы телефон нөмірі +7 және 10 цифр түрінде болуы керек',
  ru: 'Номер мобильного телефона должен иметь вид +7 и 10 цифр',
  en: 'A mobile number is +7 followed by 10 digits',
};
const mobileSchema = z
  .string()
  .superRefine((v, ctx) => {
    if (!/^\+7\d{10}$/.test(v)) custom(ctx, MOBILE_FORMAT);
  })
  .meta({ description: '+7 and 10 digits', example: '+77011234567', pattern: '^\\+7\\d{10}$' });

const NOT_UNIQUE: IssueReason = {
  code: 'NOT_UNIQUE',
  kk: 'Тізімдегі мәндер қайталанбауы керек',
  ru: 'Значения в списке не должны повторяться',
  en: 'The list must not repeat a value',
};
function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((v, i) => {
      if (seen.has(v)) custom(ctx, NOT_UNIQUE, [i]);
      seen.add(v);
    });
  });
}

export const consentCodeSchema = z
  .enum(['C1', 'C2', 'C3', 'C4'])
  .meta({ description: 'A2 block C consents: C1 housing check, C2 protected data, C3 publication, C4 registration without a category' });

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/)
  .meta({ description: 'Client-chosen key: the same key with the same request always returns the same case', example: 'portal-2026-11-26-000123' });

export const applicationIdSchema = z.uuid().meta({ description: 'Application (case) id', example: '0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11' });

// ---- requests ----

/**
 * NCALayer's result: a detached CMS (base64) over the document's canonical form (the `data` of the
 * sign request), made with the SIGN key (api/routes/signatures.ts, docs/eds.md). Required for
 * callers signed in by EDS; optional with the development header unless HPC_REQUIRE_SIGNATURES=1.
 */
export const signatureSchema = z
  .string()
  .min(16)
  .max(60_000)
  .regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64')
  .meta({ description: 'Detached CMS (base64) NCALayer made over the canonical form (`data` of the sign request), with the SIGN key' });

const EMERGENCY_PROPERTY_REQUIRED: IssueReason = {
  code: 'REQUIRED_FOR_EMERGENCY',
  kk: 'Апатты тұрғын үй жолы (R7.2) үшін апатты тұрғын үйдің идентификаторы міндетті',
  ru: 'Для пути аварийного жилья (R7.2) обязателен идентификатор аварийного жилища',
  en: 'The emergency dwelling id is required on the emergency path (R7.2)',
};
const EMERGENCY_PROPERTY_NOT_ALLOWED: IssueReason = {
  code: 'ONLY_FOR_EMERGENCY',
  kk: 'Апатты тұрғын үйдің идентификаторы тек R7.2 жолында көрсетіледі',
  ru: 'Идентификатор аварийного жилища указывается только для пути R7.2',
  en: 'The emergency dwelling id belongs to the emergency path (R7.2) only',
};
const SAME_AS_APPLICANT: IssueReason = {
  code: 'SAME_AS_APPLICANT',
  kk: 'Өкілдің ЖСН-і өтініш берушінің ЖСН-імен бірдей болмауы керек',
  ru: 'ИИН представителя не должен совпадать с ИИН заявителя',
  en: "The representative's IIN must differ from the applicant's",
};

export const createApplicationBody = z
  .strictObject({
    applicantIin: iinSchema,
    representativeIin: iinSchema.optional(),
    path: z.enum(['NO_HOUSING', 'EMERGENCY']).meta({ description: 'R7.1 no housing, or R7.2 emergency dwelling' }),
    fund: z.enum(['STATE_HOUSING', 'STATE_INSTITUTION', 'STATE_ENTERPRISE']).default('STATE_HOUSING'),
    kato: katoSchema,
    emergencyPropertyId: z.string().min(1).max(64).optional(),
    categories: uniqueList(categoryCodeSchema).max(20).default([]),
    contact: z.strictObject({
      mobile: mobileSchema.optional(),
      email: z.email().max(254).optional(),
    }),
    consents: uniqueList(consentCodeSchema),
    technicalReport: z
      .strictObject({ uploadId: z.uuid().meta({ description: 'The id POST /v1/uploads/technical-report gave' }) })
      .optional()
      .meta({ description: "R7.2, A1.8.2: the expert's technical report uploaded just before, carried by the application" }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.path !== 'EMERGENCY' && v.technicalReport) custom(ctx, EMERGENCY_PROPERTY_NOT_ALLOWED, ['technicalReport']);
    if (v.path === 'EMERGENCY' && !v.emergencyPropertyId) custom(ctx, EMERGENCY_PROPERTY_REQUIRED, ['emergencyPropertyId']);
    if (v.path !== 'EMERGENCY' && v.emergencyPropertyId) custom(ctx, EMERGENCY_PROPERTY_NOT_ALLOWED, ['emergencyPropertyId']);
    if (v.representativeIin && v.representativeIin === v.applicantIin) custom(ctx, SAME_AS_APPLICANT, ['representativeIin']);
  })
  .meta({ id: 'CreateApplication' });
export type CreateApplicationBody = z.output<typeof createApplicationBody>;

export const applicationIdParams = z.strictObject({ id: applicationIdSchema });

const reportField = z.string().min(1).max(100);
export const technicalReportQuery = z.strictObject({
  reportNumber: reportField.meta({ description: "The expert's technical report number", example: 'ТЭ-2026/0841' }),
  propertyId: reportField.meta({ description: 'The dwelling the report is about', example: '55:101:112:5868' }),
});

export const positionBody = z.strictObject({ text: z.string().min(1).max(5000), signature: signatureSchema.optional() }).meta({ id: 'StatePosition' });
export const consentsBody = z
  .strictObject({ codes: uniqueList(consentCodeSchema).min(1), signature: signatureSchema.optional() })
  .meta({ id: 'GiveConsents' });
export const recheckBody = z.strictObject({ reason: z.string().min(1).max(2000).optional() }).meta({ id: 'RequestRecheck' });

const REASON_REQUIRED: IssueReason = {
  code: 'REASON_REQUIRED',
  kk: 'Есепті қабылдамау себебі көрсетілуі керек (R15.6)',
  ru: 'При отклонении отчёта нужно указать причину (R15.6)',
  en: 'A rejection of the report needs a reason (R15.6)',
};
export const reportReviewBody = z
  .strictObject({ accepted: z.boolean(), reason: z.string().min(1).max(2000).optional() })
  .superRefine((v, ctx) => {
    if (!v.accepted && !v.reason?.trim()) custom(ctx, REASON_REQUIRED, ['reason']);
  })
  .meta({ id: 'ReportReview' });

const DECIDED_AT_WITH_SIGNATURE: IssueReason = {
  code: 'DECIDED_AT_REQUIRED',
  kk: 'Қол қойылған шешімге қол қою сұрауы берген decidedAt қоса жіберіледі',
  ru: 'С подписанным решением передаётся decidedAt из запроса на подпись',
  en: 'A signed decision is sent with the decidedAt its sign request gave',
};
export const hearingOutcomeBody = z
  .strictObject({
    outcome: z.enum(['REFUSE', 'REGISTER']),
    reasoning: z.string().min(1).max(5000),
    decidedAt: z.string().max(40).optional().meta({ description: 'With a signature: the decidedAt of POST /v1/applications/{id}/sign-request' }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.signature !== undefined && v.decidedAt === undefined) custom(ctx, DECIDED_AT_WITH_SIGNATURE, ['decidedAt']);
  })
  .meta({ id: 'HearingOutcome' });

/** An action that carries nothing but its Idempotency-Key. */
export const emptyBody = z.strictObject({}).meta({ id: 'EmptyBody' });

/** R17: the officer signs the final refusal; with a signature, the decidedAt its sign request gave. */
export const finalRefusalBody = z
  .strictObject({
    decidedAt: z.string().max(40).optional().meta({ description: 'With a signature: the decidedAt of POST /v1/applications/{id}/sign-request (action final-refusal)' }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.signature !== undefined && v.decidedAt === undefined) custom(ctx, DECIDED_AT_WITH_SIGNATURE, ['decidedAt']);
  })
  .meta({ id: 'FinalRefusal' });

// ---- personal data: consents and the access log ----

export const consentParams = z.strictObject({ id: applicationIdSchema, code: consentCodeSchema });
export const withdrawConsentBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(2000).optional().meta({ description: "The person's reason, if they want to give one" }),
  })
  .meta({ id: 'WithdrawConsent' });
export const accessLogQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export const queueParams = z.strictObject({ kato: katoSchema });
export const queueHistoryQuery = z.strictObject({
  cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const queueCategoryQuery = z.strictObject({ category: categoryCodeSchema.optional() });
export const queueQuery = z.strictObject({
  category: categoryCodeSchema.optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

// ---- responses (documentation; the handlers build these shapes) ----

const localized = z.object({ kk: z.string(), ru: z.string(), en: z.string() });

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      field: z.string().optional(),
      message: localized,
      details: z.array(z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const caseStatusSchema = z.enum(CASE_STATUSES).meta({ id: 'CaseStatus', description: 'The stage of the procedure (domain/procedure/statuses.ts)' });
export const caseFlagSchema = z.enum(CASE_FLAGS).meta({ id: 'CaseFlag', description: 'A condition that holds alongside the status' });
const reasonSchema = z.object({ code: z.string(), kk: z.string(), ru: z.string(), en: z.string() });
export const allowedActionSchema = z
  .object({ action: z.enum(CASE_ACTIONS), allowed: z.boolean(), reason: reasonSchema.optional().meta({ description: 'Why not, when not allowed' }) })
  .meta({ id: 'AllowedAction', description: "One action of the procedure table for the caller, now (domain/procedure `allowedActions`)" });

const links = z.object({ self: z.string(), timeline: z.string() });

export const applicationCreatedResponse = z
  .object({
    applicationId: z.uuid(),
    status: caseStatusSchema,
    path: z.enum(['NO_HOUSING', 'EMERGENCY']),
    kato: z.string(),
    receivedAt: z.string(),
    acceptedAt: z.string(),
    decisionDueAt: z.string(),
    links,
  })
  .meta({ id: 'ApplicationCreated' });

export const queuePlacementSchema = z
  .object({
    kato: z.string(),
    registrationNumber: z.string(),
    position: z.number().int(),
    categoryPositions: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'QueuePlacement' });

const groundSchema = z
  .object({
    id: z.string(),
    rule: z.string().optional(),
    subject: z.enum(['APPLICANT', 'SPOUSE', 'CHILD', 'REPRESENTATIVE']),
    registry: z.string(),
    reason: localized,
  })
  .meta({ id: 'Ground', description: 'A refusal ground; the registry facts and family IINs are not returned' });

export const applicationViewResponse = z
  .object({
    applicationId: z.uuid(),
    applicantIin: z.string().optional().meta({ description: 'Only for the applicant or representative of the case' }),
    representativeIin: z.string().optional(),
    contact: z.object({ mobile: z.string().optional(), email: z.string().optional() }).optional(),
    path: z.enum(['NO_HOUSING', 'EMERGENCY']),
    fund: z.string(),
    kato: z.string(),
    locality: z.string(),
    declaredCategories: z.array(z.string()),
    status: caseStatusSchema,
    statusText: z.object({ name: localized, next: localized }).meta({ description: 'The status in plain words and what happens next' }),
    flags: z.array(caseFlagSchema),
    waitingOn: z.array(z.string()).meta({ description: 'Who is to act: applicant, operator, officer, administrator, or registry:<name>' }),
    failure: z.object({ step: z.string(), type: z.string(), at: z.string() }).optional().meta({ description: 'With flag STEP_FAILED: the held step (no personal data)' }),
    allowedActions: z.array(allowedActionSchema),
    receivedAt: z.string(),
    acceptedAt: z.string(),
    decisionDueAt: z.string(),
    grounds: z.array(groundSchema),
    categories: z.object({ confirmed: z.array(z.string()), unconfirmed: z.array(z.string()) }),
    preliminaryDecisionAt: z.string().optional(),
    hearingAt: z.string().optional(),
    positionStated: z.boolean().optional(),
    decision: z
      .object({ outcome: z.enum(['REGISTERED', 'REFUSED']), at: z.string(), grounds: z.array(z.string()) })
      .optional(),
    queue: queuePlacementSchema.optional(),
    links,
  })
  .meta({ id: 'Application' });

export const timelineResponse = z
  .object({
    applicationId: z.uuid(),
    entries: z.array(
      z.object({
        at: z.string(),
        kind: z.string(),
        actor: z.string().optional(),
        detail: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'Timeline' });

export const actionResultResponse = z.object({ status: caseStatusSchema }).meta({ id: 'ActionResult' });

export const documentResultResponse = z
  .object({ documentId: z.uuid(), version: z.number().int(), sha256: z.string(), sizeBytes: z.number().int(), status: caseStatusSchema })
  .meta({ id: 'TechnicalReportStored' });

export const preUploadResponse = z
  .object({ uploadId: z.uuid(), sha256: z.string(), sizeBytes: z.number().int() })
  .meta({ id: 'TechnicalReportUploaded' });

export const queuePositionResponse = z
  .object({
    kato: z.string(),
    registrationNumber: z.string(),
    position: z.number().int(),
    categoryPositions: z.record(z.string(), z.number().int()),
    registeredAt: z.string(),
  })
  .meta({ id: 'QueuePosition' });

const queueListRef = z.object({ kato: z.string(), category: z.string().optional() });

export const queueHistoryResponse = z
  .object({
    applicationId: z.uuid(),
    entries: z.array(
      z.object({
        at: z.string().meta({ description: 'When the change was recorded (+05:00)' }),
        list: queueListRef.meta({ description: "The list: the locality's, or one category's within it" }),
        from: z.number().int().nullable().meta({ description: 'Position before; null when the entry was not in the list' }),
        to: z.number().int().nullable().meta({ description: 'Position after; null when the entry left the list' }),
        reason: z.object({ code: z.string(), kk: z.string(), ru: z.string() }),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'QueueHistory', description: 'Why the position changed, newest first (issue #11 §1). Never names who else moved.' });

export const queueStatsResponse = z
  .object({
    kato: z.string(),
    at: z.string(),
    active: z.number().int(),
    byCategory: z.array(z.object({ category: z.string(), active: z.number().int() })),
    registrationsByMonth: z.array(z.object({ month: z.string().meta({ description: 'YYYY-MM (+05:00)' }), registrations: z.number().int() })),
    waitingYears: z.array(z.object({ fromYears: z.number().int(), toYears: z.number().int().nullable(), active: z.number().int() })),
    medianWaitingDays: z.number().int().nullable(),
  })
  .meta({ id: 'QueueStats', description: 'Aggregates only: no personal data' });

const queueLeafSchema = z.object({
  category: z.string().nullable(),
  entryId: z.uuid().meta({ description: 'Opaque, random: not derivable from the IIN or the registration number' }),
  kato: z.string(),
  position: z.number().int(),
  registrationDate: z.string().nullable().meta({ description: 'YYYY-MM-DD (+05:00); null without consent C3' }),
});

export const queueSnapshotResponse = z
  .object({
    statement: z.object({
      type: z.literal('HPC_QUEUE_SNAPSHOT'),
      version: z.literal(1),
      providerBin: z.string(),
      kato: z.string(),
      category: z.string().nullable(),
      seq: z.number().int(),
      snapshotAt: z.string(),
      treeSize: z.number().int(),
      rootHash: z.string().meta({ description: 'Hex SHA-256 Merkle root (RFC 9162): leaf = SHA-256(0x00 || canonical JSON of the row)' }),
      previousSeq: z.number().int().nullable(),
      previousRootHash: z.string().nullable(),
      changes: z.array(z.object({ reason: z.string(), arrived: z.number().int(), left: z.number().int() })),
    }),
    signature: z.string().meta({ description: "Detached CMS (base64) by the provider's system certificate over the statement's canonical JSON (RFC 8785)" }),
  })
  .meta({ id: 'QueueSnapshot', description: 'A signed snapshot of one list (issue #11 §4); verify with `hpc verify-queue-proof`' });

export const queueProofResponse = z
  .object({
    type: z.literal('HPC_QUEUE_PROOF'),
    version: z.literal(1),
    kato: z.string(),
    category: z.string().nullable(),
    seq: z.number().int(),
    snapshotAt: z.string(),
    treeSize: z.number().int(),
    rootHash: z.string(),
    leafIndex: z.number().int(),
    leaf: queueLeafSchema,
    path: z.array(z.string()).meta({ description: 'Hex sibling hashes, bottom-up (RFC 9162 §2.1.3)' }),
  })
  .meta({ id: 'QueueProof' });

export const queueListResponse = z
  .object({
    kato: z.string().meta({ description: 'The locality of the list (a city district code gives its city, SPEC §4)' }),
    category: z.string().optional(),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    entries: z.array(
      z.object({
        position: z.number().int(),
        published: z.boolean().meta({
          description: 'false when the person has not given, or has withdrawn, consent C3: then only the position is shown',
        }),
        registrationDate: z.string().optional().meta({ description: 'YYYY-MM-DD, Kazakhstan time (+05:00)' }),
        registrationNumber: z.string().optional(),
        categories: z.array(z.string()).optional(),
      }),
    ),
  })
  .meta({ id: 'QueueList', description: 'Published list (A2.C3): never names or IINs; without C3 only the position' });

export const healthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ database: z.enum(['ok', 'down']), temporal: z.enum(['ok', 'down']) }),
  })
  .meta({ id: 'Health' });

const consentView = z.object({
  code: consentCodeSchema,
  givenAt: z.string(),
  givenBy: z.string().meta({ description: '`role:id`; staff see a person by role only' }),
  signed: z.boolean().meta({ description: 'Whether an EDS signature is stored with the consent' }),
  withdrawnAt: z.string().optional(),
  withdrawnBy: z.string().optional(),
  withdrawalReason: z.string().optional(),
});

export const consentsResponse = z
  .object({
    applicationId: z.uuid(),
    consents: z.array(
      z.object({
        code: consentCodeSchema,
        title: localized,
        status: z.enum(['GIVEN', 'WITHDRAWN', 'NOT_GIVEN']),
        givenAt: z.string().optional(),
        withdrawnAt: z.string().optional(),
        signed: z.boolean().optional(),
      }),
    ),
    history: z.array(consentView),
  })
  .meta({ id: 'Consents' });

export const withdrawalResponse = z
  .object({
    applicationId: z.uuid(),
    code: consentCodeSchema,
    withdrawnAt: z.string(),
    effect: z.enum(['CASE_CANNOT_BE_CHECKED', 'RECHECK_IMPOSSIBLE_PROVIDER_INFORMED', 'CASE_CLOSED_NO_CHANGE', 'NOT_PUBLISHED', 'INFORMATIONAL']),
    providerInformed: z.boolean(),
    explanation: localized.meta({ description: 'What the withdrawal does, for the person' }),
  })
  .meta({ id: 'ConsentWithdrawn' });

export const accessLogResponse = z
  .object({
    applicationId: z.uuid(),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    entries: z.array(
      z.object({
        at: z.string(),
        role: z.string(),
        staffId: z.string().optional().meta({ description: 'For staff: who it was' }),
        you: z.boolean().meta({ description: 'The caller themselves' }),
        action: z.string(),
        purpose: z.string(),
        purposeText: z.string().optional().meta({ description: "The staff member's stated reason" }),
      }),
    ),
  })
  .meta({ id: 'AccessLog', description: 'Who read or changed the data of this case, newest first; other persons never appear' });
