/**
 * POST /v1/applications/:id/withdrawal (issue #11 §2): a registered person leaves the queue.
 *
 * Order 130 is silent on removal from the register; the Housing Law provides for removal on the
 * person's own application — an interpretation, named as such in the README. The application is
 * a signed document like the others (R5, R13; api/routes/signatures.ts): the detached CMS over the
 * canonical form of POST /v1/applications/:id/sign-request {action: "withdrawal", reason}, required
 * for callers signed in by EDS.
 *
 * In one transaction: the entry leaves every list (its locality's and each category's, which count
 * only active entries), the case record is flagged LEFT_QUEUE, the signature is stored, the timeline
 * records the reason and the place the entry held (what the queue ledger of issue #11 §1 is to take
 * over as its QUEUE_ENTRY_WITHDRAWN event), the person's cabinet gets the notice, and the audit row
 * is written. A case whose entry already left is 409 ALREADY_LEFT_QUEUE (the procedure table).
 */
import type { Request, Response } from 'express';
import * as cases from '../../db/cases';
import { withTransaction } from '../../db/transaction';
import { checkAction } from '../../domain/procedure/actions';
import { withdrawalNotice } from '../../domain/notices';
import { toAlmatyIso } from '../../domain/time';
import { withdrawalDocument, type SignedDocument } from '../../security/pki/signed-documents';
import { recordInTransaction } from '../audit';
import type { AuthSettings } from '../auth/config';
import { caseForParty, procedureStateOf, type ApplicationRow } from '../cases';
import { apiError, invalidCaseAction, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf, actorRef, type Actor } from '../identity';
import { applicationIdParams, withdrawalBody } from '../schemas';
import { startSmsNotice } from '../workflow-gateway';
import { signatureError, storeSignedDocument, type DocumentSigning, type VerifiedDocument } from './signatures';

/** The reason code the timeline and (later) the queue ledger give for a withdrawal. */
export const WITHDRAWN = {
  code: 'WITHDRAWN',
  kk: 'Адам өз өтініші бойынша кезектен шықты',
  ru: 'Выбыл из очереди по собственному заявлению',
};

/** The canonical form the person signs: the case, its entry, the reason and who asks. */
export function withdrawalDocumentOf(row: ApplicationRow, registrationNumber: string, actor: Actor, reason: string): SignedDocument {
  return withdrawalDocument({ applicationId: row.id, registrationNumber, reason, withdrawnBy: actorRef(actor) });
}

/** The case's entry if it may be withdrawn now (the procedure table first, then the entry itself). */
export async function withdrawableEntry(deps: ApiDeps, row: ApplicationRow, actor: Actor): Promise<NonNullable<Awaited<ReturnType<typeof cases.placementOf>>>> {
  const allowed = checkAction(procedureStateOf(row), { role: actor.role }, 'WITHDRAW_FROM_QUEUE');
  if (!allowed.allowed) throw invalidCaseAction(allowed.reason);
  const placement = await cases.placementOf(deps.pool, row.id);
  if (!placement) throw apiError(404, 'NOT_IN_QUEUE');
  return placement;
}

export function withdrawalHandler(deps: ApiDeps, signing: DocumentSigning, auth: Pick<AuthSettings, 'now'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const { reason, signature } = parseOrThrow(withdrawalBody, req.body ?? {});
    const placement = await withdrawableEntry(deps, row, actor);

    let signed: VerifiedDocument | undefined;
    const doc = withdrawalDocumentOf(row, placement.registrationNumber, actor, reason);
    if (signature !== undefined) signed = await signing.verify(actor, doc, signature);
    else if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');

    const at = auth.now();
    const atIso = toAlmatyIso(at.getTime());
    const done = await withTransaction(deps.pool, async (tx) => {
      if (!(await cases.withdrawQueueEntry(tx, { applicationId: row.id, at, reasonCode: WITHDRAWN.code }))) return false;
      if (signed) await storeSignedDocument(tx, row.id, signed);
      await cases.insertEvent(tx, {
        applicationId: row.id,
        eventKey: `queue-withdrawn:${placement.registrationNumber}`,
        at: atIso,
        kind: 'QUEUE_ENTRY_WITHDRAWN',
        actor: actorRef(actor),
        data: {
          reason: WITHDRAWN,
          reasonText: reason,
          registrationNumber: placement.registrationNumber,
          // The place it held in each list when it left: the ledger's "from" (issue #11 §1).
          from: { kato: placement.kato, position: placement.position, categoryPositions: placement.categoryPositions },
          signed: signed !== undefined,
        },
      });
      const notice = withdrawalNotice({ registrationNumber: placement.registrationNumber, at: atIso });
      await cases.queueNotice(tx, {
        applicationId: row.id,
        kind: notice.kind,
        channel: 'CABINET',
        dedupeKey: placement.registrationNumber,
        issuedAt: atIso,
        recipient: null,
        body: notice.cabinet,
        status: 'DELIVERED',
      });
      await recordInTransaction(req, tx, row.id);
      return true;
    });
    // Another request withdrew it meanwhile: the same answer as asking again afterwards.
    if (!done) throw invalidCaseAction({ ...ALREADY_LEFT });
    // R16: the SMS, pointing to the cabinet, to the number on file. The withdrawal stands whether
    // or not Temporal takes the start now; a failure is logged without personal data.
    const notice = withdrawalNotice({ registrationNumber: placement.registrationNumber, at: atIso });
    await startSmsNotice(deps.client, {
      taskQueue: deps.settings.taskQueue,
      input: { applicationId: row.id, applicantIin: row.applicant_iin, kind: notice.kind, dedupeKey: placement.registrationNumber, at: atIso, text: notice.sms },
    }).catch((err: unknown) => {
      deps.logger?.error({ err: { name: err instanceof Error ? err.name : 'unknown' }, notice: notice.kind }, 'withdrawal SMS not started');
    });
    res.status(200).json({
      applicationId: row.id,
      registrationNumber: placement.registrationNumber,
      withdrawnAt: atIso,
      status: 'REGISTERED',
      flags: [...new Set([...row.flags, 'LEFT_QUEUE'])],
      reason: WITHDRAWN,
    });
  };
}

const ALREADY_LEFT = {
  code: 'ALREADY_LEFT_QUEUE',
  kk: 'Жазба кезектен бұрын шығарылған',
  ru: 'Запись уже исключена из очереди',
  en: 'The entry has already left the queue',
};
