/**
 * The zod schemas of the removal case's endpoints (issue #11 §2; api/routes/removals.ts): what the
 * handlers validate with and the OpenAPI document states (api/openapi.ts). Kept beside
 * api/schemas.ts, whose helpers they use.
 */
import { z } from 'zod';
import { REMOVAL_GROUNDS } from '../domain/removal/grounds';
import { REMOVAL_OUTCOMES, REMOVAL_STATUSES } from '../domain/removal/procedure';
import { allowedRemovalActionSchema, freeText, signatureSchema } from './schemas';

const DECIDED_AT_WITH_SIGNATURE = {
  code: 'DECIDED_AT_REQUIRED',
  kk: 'Қол қойылған шешімге қол қою сұрауы берген decidedAt қоса жіберіледі',
  ru: 'С подписанным решением передаётся decidedAt из запроса на подпись',
  en: 'A signed decision is sent with the decidedAt its sign request gave',
};

export const registrationNumberSchema = z
  .string()
  .regex(/^\d{9}-M?\d{8}$/, 'registration number')
  .meta({ description: 'The entry\'s registration number: `<locality>-<8 digits>` (an application\'s) or `<locality>-M<8 digits>` (a migrated record)', example: '351010000-00000042' });

export const removalIdParams = z.strictObject({ removalId: z.uuid().meta({ description: 'The removal case id' }) });

export const openRemovalBody = z
  .strictObject({
    registrationNumber: registrationNumberSchema,
    ground: z.enum(REMOVAL_GROUNDS).meta({ description: 'The Housing Law ground (interpretation `removal` in reference/interpretations.json)' }),
    finding: freeText(1, 5000).meta({ description: "The officer's finding the case rests on (what was established, from which source)" }),
  })
  .meta({ id: 'OpenRemoval' });

export const removalPositionBody = z
  .strictObject({
    text: freeText(1, 5000).meta({ description: 'The person\'s position before the hearing (APPC art. 73)' }),
    signature: signatureSchema.optional().meta({ description: 'Detached CMS over the form of POST /v1/removals/{removalId}/sign-request {action: "position", text}; required for EDS sessions' }),
  })
  .meta({ id: 'RemovalPosition' });

export const removalSignRequestBody = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('decision'), outcome: z.enum(REMOVAL_OUTCOMES), reasoning: freeText(1, 5000) }),
    z.strictObject({ action: z.literal('position'), text: freeText(1, 5000) }),
  ])
  .meta({ id: 'RemovalSignRequest', description: "The officer's decision or the person's position about to be sent, without its signature" });

export const removalDecisionBody = z
  .strictObject({
    outcome: z.enum(REMOVAL_OUTCOMES).meta({ description: 'REMOVE: the entry leaves every list (ledger reason = the ground); KEEP: it stays' }),
    reasoning: freeText(1, 5000),
    decidedAt: z.string().max(40).optional().meta({ description: 'With a signature: the decidedAt of POST /v1/removals/{removalId}/sign-request' }),
    signature: signatureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.signature !== undefined && v.decidedAt === undefined) {
      ctx.addIssue({ code: 'custom', message: DECIDED_AT_WITH_SIGNATURE.en, params: { reason: DECIDED_AT_WITH_SIGNATURE }, path: ['decidedAt'] });
    }
  })
  .meta({ id: 'RemovalDecision' });

const localized = z.object({ kk: z.string(), ru: z.string(), en: z.string() });

export const removalViewResponse = z
  .object({
    removalId: z.uuid(),
    registrationNumber: z.string(),
    applicationId: z.uuid().optional().meta({ description: 'Absent for a migrated record of the akimats\' queues' }),
    source: z.enum(['APPLICATION', 'MIGRATED']),
    ground: z.enum(REMOVAL_GROUNDS),
    groundText: localized,
    hearing: z.boolean().meta({ description: 'Whether the ground needs the APPC art. 73 hearing' }),
    status: z.enum(REMOVAL_STATUSES),
    statusText: localized,
    openedAt: z.string(),
    openedBy: z.string().meta({ description: '`officer:<id>` or `system:reverification`' }),
    finding: z.string().optional().meta({ description: "The officer's finding, when an officer opened the case" }),
    evidence: z
      .object({ registry: z.enum(['persons', 'realEstate']), facts: z.unknown().optional() })
      .optional()
      .meta({ description: "The registry's answer behind the ground, when the periodic re-verification opened the case" }),
    hearingAt: z.string().optional(),
    decisionDueAt: z.string(),
    positionStated: z.boolean(),
    position: z.string().optional().meta({ description: 'To the person concerned and staff' }),
    positionSigned: z.boolean().optional().meta({ description: 'Whether the position carries the person\'s EDS signature' }),
    outcome: z.enum(REMOVAL_OUTCOMES).optional(),
    reasoning: z.string().optional(),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    signed: z.boolean().optional().meta({ description: 'Whether the decision carries the officer\'s EDS signature' }),
    notices: z.array(z.object({ kind: z.string(), channel: z.enum(['CABINET', 'SMS']), issuedAt: z.string(), status: z.string(), text: z.object({ kk: z.string(), ru: z.string() }).optional() })),
    allowedActions: z.array(allowedRemovalActionSchema),
  })
  .meta({ id: 'RemovalCase', description: 'A removal case (issue #11 §2); no IIN, no phone' });

export const cabinetRemovalsResponse = z
  .object({ items: z.array(removalViewResponse) })
  .meta({ id: 'CabinetRemovals', description: "The removal cases about the caller's entries, newest first" });
