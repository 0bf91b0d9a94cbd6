/**
 * GET /v1/applications/prefill[?principalIin=] (issue #11 §3, A2): the identity block the form
 * fills from the registries — surname, name, patronymic, birth date, identity document number and
 * date, registered address — for the signed-in person, or for a representative's principal once the
 * representation registry confirms, now, that the caller represents them (the same check as filing:
 * api/auth/representation.ts). The application then carries the block (`person`), signed with it
 * and checked against the registry again when it is filed (api/routes/submit.ts).
 *
 * An audited read of a person's data with no case yet: the audit row names the caller and, for a
 * representative, the principal (`on_behalf_of`).
 */
import type { Request, Response } from 'express';
import { auditSubjects } from '../audit';
import { authError } from '../auth/messages';
import { confirmRepresentation, RepresentationUnavailableError, type RepresentationRegistry } from '../auth/representation';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf } from '../identity';
import { prefillQuery } from '../schemas';
import { prefillBlock } from '../services/person-registry';

export function prefillHandler(deps: ApiDeps, ctx: { registry: RepresentationRegistry; now: () => Date }) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { principalIin } = parseOrThrow(prefillQuery, req.query);
    let subject = actor.id;
    if (principalIin !== undefined && principalIin !== actor.id) {
      if (actor.role !== 'representative') throw apiError(400, 'PRINCIPAL_ONLY_FOR_REPRESENTATIVE', { field: 'principalIin' });
      let check;
      try {
        check = await confirmRepresentation(ctx.registry, actor.id, principalIin, ctx.now());
      } catch (err) {
        if (err instanceof RepresentationUnavailableError) throw authError(503, 'REPRESENTATION_UNAVAILABLE');
        throw err;
      }
      if (!check.confirmed) throw authError(403, 'REPRESENTATION_NOT_CONFIRMED', { details: [{ reason: check.reason }] });
      actor.principalIin = principalIin;
      subject = principalIin;
    }
    const person = await prefillBlock(deps.settings.gatewayUrl, subject, subject === actor.id ? undefined : 'principalIin');
    auditSubjects(req, [null]);
    res.json({ person });
  };
}
