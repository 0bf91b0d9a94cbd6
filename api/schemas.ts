/**
 * Request and response schemas. One zod schema per shape serves twice: it validates the request and
 * it is registered for the OpenAPI document (api/openapi.ts), so the document cannot drift from
 * what the code accepts. `.meta({ id })` names a schema as an OpenAPI component.
 *
 * Domain checks (IIN checksum, KATO reference, category reference) run inside the schemas as custom
 * issues whose `params.reason` carries the kk/ru/en text (see api/errors.ts `localizeIssue`).
 */
import { COMPLAINT_FLAGS, COMPLAINT_REMEDIES, COMPLAINT_STATUSES, COMPLAINT_SUBJECTS, PROVIDER_OUTCOMES, REVIEW_BODY_OUTCOMES } from '../domain/complaints/procedure';
import { z } from 'zod';
import { textProblem } from '../domain/procedure/inputs';
import { isKnownCategory } from '../domain/categories';
import { validateIin } from '../domain/iin';
import { validateKato } from '../domain/kato';
import type { IssueReason } from './errors';
import { CASE_ACTIONS } from '../domain/procedure/actions';
import { hostileTextProblem } from '../domain/procedure/inputs';
import { CASE_FLAGS, CASE_STATUSES } from '../domain/procedure/statuses';
import { REMOVAL_GROUNDS } from '../domain/removal/grounds';
import { REMOVAL_ACTIONS, REMOVAL_STATUSES } from '../domain/removal/procedure';

function custom(ctx: z.core.$RefinementCtx<unknown>, reason: IssueReason, path?: PropertyKey[]): void {
  ctx.addIssue({ code: 'custom', message: reason.en, params: { reason }, ...(path ? { path } : {}) });
}

/**
 * A text a person types (a reason, a position, a report number): its length, and nothing hostile in
 * it — the domain's test (domain/procedure/inputs.ts), the one the workflow's validators ask. The
 * edge (api/edge.ts) refuses hostile strings in any field before this runs; the schema says it too,
 * for callers of these schemas that do not come through HTTP.
 */
export function freeText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .superRefine((v, ctx) => {
      const problem = hostileTextProblem(v);
      if (problem) custom(ctx, problem);
    });
}

// ---- reference-checked scalars ----

export const iinSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = validateIin(v);
    if (!r.valid) custom(ctx, r.reason);
  })
  .meta({ description: 'Individual identification number (IIN), 12 digits with a valid check digit (SPEC §11)', example: '950314419498', pattern: '^\\d{12}$' });

export const katoSchema = z
  .string()
  .superRefine((v, ctx) => {
    const r = validateKato(v);
    if (!r.valid) custom(ctx, r.reason);
  })
  .meta({ description: 'KATO code of a locality in the reference table (9 digits; a code not in the table is 400 with code UNKNOWN)', example: '351010000', pattern: '^\\d{9}$' });

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

/**
 * A2's identity block, as the registries hold it (persons registry, GBD FL): what
 * GET /v1/applications/prefill returns and what the signed application carries (issue #11 §3).
 * The server compares it with the registry before it accepts the application (PERSON_MISMATCH).
 */
const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ description: 'YYYY-MM-DD' });
export const personBlockSchema = z
  .strictObject({
    iin: iinSchema,
    surname: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    patronymic: z.string().min(1).max(200).nullable().meta({ description: 'null when the identity document has none' }),
    birthDate: isoDateSchema,
    identityDocument: z.strictObject({ number: z.string().min(1).max(64), issuedAt: isoDateSchema }),
    address: z.strictObject({
      kato: z.string().regex(/^\d{9}$/).meta({ description: 'KATO of the registered address (9 digits)' }),
      text: z.string().min(1).max(500),
    }),
  })
  .meta({ id: 'PersonBlock', description: "A2's identity block from the persons registry (surname, name, patronymic, birth date, identity document, registered address)" });
export type PersonBlock = z.output<typeof personBlockSchema>;

const PERSON_NOT_APPLICANT: IssueReason = {
  code: 'PERSON_NOT_APPLICANT',
  kk: 'Жеке басы туралы блок өтініш берушіге қатысты болуы керек (ЖСН сәйкес келмейді)',
  ru: 'Блок сведений о личности должен относиться к заявителю (ИИН не совпадает)',
  en: "The identity block must be the applicant's (the IIN differs)",
};

export const createApplicationBody = z
  .strictObject({
    applicantIin: iinSchema,
    representativeIin: iinSchema.optional().meta({ description: "The representative's IIN: never the applicant's own (400 SAME_AS_APPLICANT)" }),
    path: z.enum(['NO_HOUSING', 'EMERGENCY']).meta({ description: 'R7.1 no housing, or R7.2 emergency dwelling' }),
    fund: z.enum(['STATE_HOUSING', 'STATE_INSTITUTION', 'STATE_ENTERPRISE']).default('STATE_HOUSING'),
    kato: katoSchema,
    emergencyPropertyId: freeText(1, 64).optional(),
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
    person: personBlockSchema
      .optional()
      .meta({ description: "A2: the applicant's identity block as GET /v1/applications/prefill gave it; signed with the application and checked against the registry" }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.person && v.person.iin !== v.applicantIin) custom(ctx, PERSON_NOT_APPLICANT, ['person', 'iin']);
    if (v.path !== 'EMERGENCY' && v.technicalReport) custom(ctx, EMERGENCY_PROPERTY_NOT_ALLOWED, ['technicalReport']);
    if (v.path === 'EMERGENCY' && !v.emergencyPropertyId) custom(ctx, EMERGENCY_PROPERTY_REQUIRED, ['emergencyPropertyId']);
    if (v.path !== 'EMERGENCY' && v.emergencyPropertyId) custom(ctx, EMERGENCY_PROPERTY_NOT_ALLOWED, ['emergencyPropertyId']);
    if (v.representativeIin && v.representativeIin === v.applicantIin) custom(ctx, SAME_AS_APPLICANT, ['representativeIin']);
  })
  .meta({
    id: 'CreateApplication',
    description:
      'R7.2 (`path: EMERGENCY`) needs `emergencyPropertyId` and may carry `technicalReport`; R7.1 carries neither (400 REQUIRED_FOR_EMERGENCY / ONLY_FOR_EMERGENCY). ' +
      '`representativeIin`, when given, differs from `applicantIin` (400 SAME_AS_APPLICANT).',
    // The superRefine above, in JSON Schema (the representative's inequality has no JSON Schema form: said in the description).
    if: { properties: { path: { const: 'EMERGENCY' } }, required: ['path'] },
    then: { required: ['emergencyPropertyId'] },
    else: { not: { anyOf: [{ required: ['emergencyPropertyId'] }, { required: ['technicalReport'] }] } },
  });
export type CreateApplicationBody = z.output<typeof createApplicationBody>;

export const applicationIdParams = z.strictObject({ id: applicationIdSchema });

const reportField = freeText(1, 100);
export const technicalReportQuery = z.strictObject({
  reportNumber: reportField.meta({ description: "The expert's technical report number", example: 'ТЭ-2026/0841' }),
  propertyId: reportField.meta({ description: 'The dwelling the report is about', example: '55:101:112:5868' }),
});

export const positionBody = z.strictObject({ text: freeText(1, 5000), signature: signatureSchema.optional() }).meta({ id: 'StatePosition' });
export const consentsBody = z
  .strictObject({ codes: uniqueList(consentCodeSchema).min(1), signature: signatureSchema.optional() })
  .meta({ id: 'GiveConsents' });
export const recheckBody = z.strictObject({ reason: freeText(1, 2000).optional() }).meta({ id: 'RequestRecheck' });

const REASON_REQUIRED: IssueReason = {
  code: 'REASON_REQUIRED',
  kk: 'Есепті қабылдамау себебі көрсетілуі керек (R15.6)',
  ru: 'При отклонении отчёта нужно указать причину (R15.6)',
  en: 'A rejection of the report needs a reason (R15.6)',
};
export const reportReviewBody = z
  .strictObject({ accepted: z.boolean(), reason: freeText(1, 2000).optional() })
  .superRefine((v, ctx) => {
    if (!v.accepted && !v.reason?.trim()) custom(ctx, REASON_REQUIRED, ['reason']);
  })
  .meta({
    id: 'ReportReview',
    description: 'A rejection (`accepted: false`) needs a `reason` that is not blank (400 REASON_REQUIRED, R15.6)',
    // What the superRefine above enforces, said in JSON Schema so that the document and the API agree.
    if: { properties: { accepted: { const: false } }, required: ['accepted'] },
    then: { required: ['reason'], properties: { reason: { pattern: '\\S' } } },
  });

const DECIDED_AT_WITH_SIGNATURE: IssueReason = {
  code: 'DECIDED_AT_REQUIRED',
  kk: 'Қол қойылған шешімге қол қою сұрауы берген decidedAt қоса жіберіледі',
  ru: 'С подписанным решением передаётся decidedAt из запроса на подпись',
  en: 'A signed decision is sent with the decidedAt its sign request gave',
};
export const hearingOutcomeBody = z
  .strictObject({
    outcome: z.enum(['REFUSE', 'REGISTER']),
    reasoning: freeText(1, 5000),
    decidedAt: z.string().max(40).optional().meta({ description: 'With a signature: the decidedAt of POST /v1/applications/{id}/sign-request' }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.signature !== undefined && v.decidedAt === undefined) custom(ctx, DECIDED_AT_WITH_SIGNATURE, ['decidedAt']);
  })
  .meta({ id: 'HearingOutcome' });

/** Issue #11 §2: a registered person leaves the queue, with their reason, signed with EDS. */
export const withdrawalBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(2000).meta({ description: "The person's reason, recorded with the withdrawal" }),
    signature: signatureSchema.optional(),
  })
  .meta({ id: 'QueueWithdrawal' });

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
  cursor: z.string().min(1).max(1000).regex(/^[A-Za-z0-9_.-]+$/).optional().meta({ description: 'nextCursor of the previous page (opaque, signed)' }),
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
    statusText: z.object({ name: localized, next: localized }).meta({ description: 'The status in plain words and what happens next' }),
    path: z.enum(['NO_HOUSING', 'EMERGENCY']),
    kato: z.string(),
    receivedAt: z.string().meta({ description: 'The moment of receipt: the place in the queue (SPEC §2, §7), fixed when the case is recorded' }),
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

// ---- complaints (R18, R19; SPEC §8) ----
/** Text a person or an official writes: refused at the edge when it could not be stored or shown (domain/procedure/inputs.ts). */
const statementText = z
  .string()
  .min(1)
  .max(5000)
  .superRefine((v, ctx) => {
    const problem = textProblem(v, 5000, { required: true });
    if (problem) custom(ctx, problem);
  });
export const complaintIdParams = z.strictObject({ complaintId: z.uuid().meta({ description: 'The complaint id' }) });

export const fileComplaintBody = z
  .strictObject({
    subject: z.enum(COMPLAINT_SUBJECTS).meta({ description: 'A decision, an action or an inaction of the provider (R18); INACTION while the case is overdue' }),
    text: statementText,
    signature: signatureSchema.optional(),
  })
  .meta({ id: 'FileComplaint' });

const REMEDY_WHEN_SATISFIED: IssueReason = {
  code: 'REMEDY_REQUIRED',
  kk: 'Толық қанағаттандырылған шағымда шара көрсетіледі: тіркеу немесе өтініш бойынша орындалған әрекет (R19)',
  ru: 'Для полностью удовлетворённой жалобы укажите меру: постановка на учёт или действие, выполненное по заявлению (R19)',
  en: 'A fully satisfied complaint names its remedy: registration, or the action taken in the case (R19)',
};
export const providerComplaintDecisionBody = z
  .strictObject({
    outcome: z.enum(PROVIDER_OUTCOMES).meta({ description: 'SATISFIED fully (then not forwarded, R19), or FORWARD to the review body' }),
    remedy: z.enum(COMPLAINT_REMEDIES).optional().meta({ description: 'Required when SATISFIED: how the complaint acts on the case' }),
    reasons: statementText,
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'SATISFIED' && v.remedy === undefined) custom(ctx, REMEDY_WHEN_SATISFIED, ['remedy']);
  })
  .meta({ id: 'ProviderComplaintDecision' });

export const reviewBodyComplaintDecisionBody = z
  .strictObject({
    outcome: z.enum(REVIEW_BODY_OUTCOMES),
    remedy: z.enum(COMPLAINT_REMEDIES).optional().meta({ description: 'How a satisfied or partly satisfied complaint acts on the case, if it does' }),
    reasons: statementText,
  })
  .meta({ id: 'ReviewBodyComplaintDecision' });


const complaintStep = z.object({ outcome: z.string(), at: z.string(), reasons: z.string().nullable() });
export const complaintViewResponse = z
  .object({
    complaintId: z.uuid(),
    applicationId: z.uuid(),
    subject: z.enum(COMPLAINT_SUBJECTS),
    text: z.string(),
    status: z.enum(COMPLAINT_STATUSES),
    statusText: localized,
    flags: z.array(z.enum(COMPLAINT_FLAGS)),
    receivedAt: z.string(),
    registeredAt: z.string(),
    providerDecisionDueAt: z.string().meta({ description: "R18: 18:30 on the 5th working day after registration (SPEC §8)" }),
    forwardDueAt: z.string().meta({ description: 'R19: 18:30 on the 3rd working day after receipt; forwarded then unless satisfied fully' }),
    provider: complaintStep.optional(),
    forwardedAt: z.string().optional(),
    reviewBodyRegisteredAt: z.string().optional(),
    reviewBodyDecisionDueAt: z.string().optional().meta({ description: "R18: 18:30 on the 15th working day after the review body's registration" }),
    reviewBody: complaintStep.optional(),
    remedy: z.enum(COMPLAINT_REMEDIES).optional(),
    allowedActions: z.array(z.object({ action: z.string(), allowed: z.boolean(), rule: z.string(), reason: localized.extend({ code: z.string() }).optional() })),
  })
  .meta({ id: 'Complaint' });
export const caseComplaintsResponse = z.object({ applicationId: z.uuid(), complaints: z.array(complaintViewResponse) }).meta({ id: 'CaseComplaints' });
export const complaintListResponse = z
  .object({ items: z.array(complaintViewResponse.omit({ text: true })), nextCursor: z.string().nullable().meta({ description: 'The next page, or null at the end' }) })
  .meta({ id: 'ComplaintList' });

// ---- the cabinet, prefill, staff worklists, the report (issue #11 §3) ----

/** An opaque page cursor: the `nextCursor` of the previous page, unchanged. */
export const cursorSchema = z.string().min(1).max(500).regex(/^[A-Za-z0-9_-]+$/).meta({ description: 'nextCursor of the previous page' });

export const noticesQuery = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const noticeParams = z.strictObject({ noticeId: z.uuid() });

export const prefillQuery = z.strictObject({
  principalIin: iinSchema.optional().meta({ description: 'Representatives: the person they act for (the representation registry must confirm it now)' }),
});

/** GET /v1/complaints: the open complaints of one stage, by due instant, a page at a time. */
export const complaintListQuery = z.strictObject({
  status: z.enum(['WITH_PROVIDER', 'FORWARDED']),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const worklistQuery = z.strictObject({
  kato: katoSchema.optional().meta({ description: 'Only cases of this KATO code or locality' }),
  status: caseStatusSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const cabinetApplicationsResponse = z
  .object({
    items: z.array(
      z.object({
        applicationId: z.uuid(),
        role: z.enum(['applicant', 'representative']).meta({ description: 'The caller is the applicant, or their (registry-confirmed) representative' }),
        path: z.enum(['NO_HOUSING', 'EMERGENCY']),
        kato: z.string(),
        status: caseStatusSchema,
        statusText: localized.meta({ description: 'The status in plain words' }),
        statusNext: localized.optional().meta({ description: 'What happens next' }),
        receivedAt: z.string(),
        decisionDueAt: z.string(),
        allowedActions: z.array(allowedActionSchema),
      }),
    ),
  })
  .meta({ id: 'CabinetApplications', description: "The caller's applications and those they represent, newest first" });

export const cabinetNoticesResponse = z
  .object({
    items: z.array(
      z.object({
        noticeId: z.uuid(),
        applicationId: z.uuid(),
        kind: z.string(),
        at: z.string(),
        text: z.object({ kk: z.string(), ru: z.string() }),
        read: z.boolean(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'CabinetNotices', description: 'Every cabinet notice of the caller, newest first' });

export const prefillResponse = z.object({ person: personBlockSchema }).meta({ id: 'Prefill' });

// Issue #11 §2: the removal case's allowed actions and the officer's worklist rows (api/removal-schemas.ts has the rest).
export const allowedRemovalActionSchema = z
  .object({ action: z.enum(REMOVAL_ACTIONS), allowed: z.boolean(), rule: z.string(), reason: reasonSchema.optional() })
  .meta({ id: 'AllowedRemovalAction' });

export const removalWorklistItem = z
  .object({
    removalId: z.uuid(),
    registrationNumber: z.string(),
    ground: z.enum(REMOVAL_GROUNDS),
    status: z.enum(REMOVAL_STATUSES),
    dueAt: z.string(),
    overdue: z.boolean(),
    allowedActions: z.array(allowedRemovalActionSchema),
  })
  .meta({ id: 'RemovalWorklistItem' });

export const worklistResponse = z
  .object({
    items: z.array(
      z.object({
        applicationId: z.uuid(),
        kato: z.string(),
        status: caseStatusSchema,
        flags: z.array(caseFlagSchema),
        dueAt: z.string(),
        overdue: z.boolean(),
        openAlerts: z.number().int().optional().meta({ description: 'Open alerts raised for the case (staff_alerts)' }),
        allowedActions: z.array(allowedActionSchema),
      }),
    ),
    nextCursor: z.string().nullable(),
    asOf: z.string().meta({ description: 'The instant overdue is judged at (the first page’s; kept by the cursor)' }),
    removals: z
      .array(removalWorklistItem)
      .optional()
      .meta({ description: 'Officers, first page only: removal cases awaiting the decision (issue #11 §2), by due instant' }),
  })
  .meta({ id: 'Worklist', description: 'Open cases for the caller’s role, overdue first, then by due instant; no IINs' });

export const emergencyRecognitionResponse = z
  .object({
    number: z.string().meta({ description: "The expert's technical report number the recognition rests on" }),
    dwelling: z.string().meta({ description: 'The recognised dwelling (property id)' }),
    expert: z.string().meta({ description: 'The certified expert organisation' }),
    recognisedAt: z.string().optional().meta({ description: 'YYYY-MM-DD' }),
    kato: z.string().optional(),
    matchesReport: z.boolean().optional().meta({ description: "Whether the latest uploaded report's number and dwelling are this recognition's" }),
  })
  .meta({ id: 'EmergencyRecognition', description: "The registry's emergency recognition of the dwelling the application names (R7.2, A1.8.2)" });

export const withdrawalResultResponse = z
  .object({
    applicationId: z.uuid(),
    registrationNumber: z.string(),
    withdrawnAt: z.string(),
    status: caseStatusSchema,
    flags: z.array(z.string()),
    reason: z.object({ code: z.string(), kk: z.string(), ru: z.string() }),
  })
  .meta({ id: 'QueueWithdrawn' });


export const categoryRecheckResponse = z
  .object({
    applicationId: z.uuid(),
    confirmed: z.array(z.string()).meta({ description: 'Every category the entry now stands in' }),
    newlyConfirmed: z.array(z.string()),
    unconfirmed: z.array(z.string()),
    categoryPositions: z.record(z.string(), z.number().int()).meta({ description: 'The place in each newly confirmed category’s list, by the original receivedAt' }),
  })
  .meta({ id: 'CategoryRecheck' });
