/**
 * POST /v1/applications/:id/category-recheck (R9 after registration, issue #11 §2): a registered
 * person whose declared category was not confirmed (R10: registered without it) has had the state
 * body correct its data and asks for the re-check. The registries are read again by the re-check
 * workflow (workflows/category-recheck.ts); a category they now confirm gives the entry its place in
 * that category's list, ordered by the original receivedAt. The answer says what was found; the
 * cabinet gets the notice and the timeline the CATEGORY_RECHECKED event.
 *
 * Idempotent by the caller's Idempotency-Key: the same key is the same run, and its answer again.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { WorkflowFailedError } from '@temporalio/client';
import * as cases from '../../db/cases';
import { checkAction } from '../../domain/procedure/actions';
import { toAlmatyIso } from '../../domain/time';
import { caseForParty, procedureStateOf } from '../cases';
import { apiError, invalidCaseAction, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf, actorRef } from '../identity';
import { applicationIdParams, idempotencyKeySchema, recheckBody } from '../schemas';
import { earlierCategoryRecheck, runCategoryRecheck } from '../workflow-gateway';

const NOTHING_UNCONFIRMED = {
  code: 'NO_UNCONFIRMED_CATEGORY',
  kk: 'Өтініште расталмаған санат жоқ: қайта тексеретін ештеңе жоқ (R9)',
  ru: 'В заявлении нет неподтверждённых категорий: проверять повторно нечего (R9)',
  en: 'The application has no unconfirmed category: there is nothing to check again (R9)',
};

export function categoryRecheckHandler(deps: ApiDeps, now: () => Date) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    parseOrThrow(recheckBody, req.body ?? {});
    const keyHeader = req.get('Idempotency-Key');
    let requestKey: string = randomUUID();
    if (keyHeader !== undefined) {
      const k = idempotencyKeySchema.safeParse(keyHeader);
      if (!k.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
      // The caller's key, bound to the caller: another person's same key is another request.
      requestKey = `${k.data}-${Buffer.from(actorRef(actor)).toString('base64url').slice(-12)}`;
    }
    const answer = (result: { confirmed: string[]; newlyConfirmed: string[]; unconfirmed: string[]; categoryPositions: Record<string, number> }): void => {
      res.status(200).json({
        applicationId: row.id,
        confirmed: result.confirmed,
        newlyConfirmed: result.newlyConfirmed,
        unconfirmed: result.unconfirmed,
        categoryPositions: result.categoryPositions,
      });
    };
    // A retried request (the same key): the first run's answer, whatever the case is now.
    if (keyHeader !== undefined) {
      let earlier;
      try {
        earlier = await earlierCategoryRecheck(deps.client, row.id, requestKey);
      } catch (err) {
        if (err instanceof WorkflowFailedError) earlier = undefined; // that run failed: this one tries again under a new run
        else throw apiError(503, 'TEMPORAL_UNAVAILABLE');
      }
      if (earlier?.inQueue) {
        answer(earlier);
        return;
      }
    }
    const allowed = checkAction(procedureStateOf(row), { role: actor.role }, 'REQUEST_CATEGORY_RECHECK');
    if (!allowed.allowed) throw invalidCaseAction(allowed.reason);
    const placement = await cases.placementOf(deps.pool, row.id);
    if (!placement) throw apiError(404, 'NOT_IN_QUEUE');
    const inLists = new Set(Object.keys(placement.categoryPositions));
    const declared = row.declaration.categories;
    if (!declared.some((c) => !inLists.has(c))) throw invalidCaseAction(NOTHING_UNCONFIRMED);

    let result;
    try {
      result = await runCategoryRecheck(deps.client, {
        taskQueue: deps.settings.taskQueue,
        input: {
          applicationId: row.id,
          applicantIin: row.applicant_iin,
          declared,
          requestKey,
          requestedBy: actorRef(actor),
          requestedAt: toAlmatyIso(now().getTime()),
        },
      });
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw apiError(503, 'REGISTRY_UNAVAILABLE');
      throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    }
    if (!result.inQueue) throw apiError(404, 'NOT_IN_QUEUE');
    answer(result);
  };
}
