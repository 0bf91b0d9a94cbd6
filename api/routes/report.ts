/**
 * What the operator judges the technical report by (issue #11 §3; R7.2, R13, A1.8.2, R15.6):
 *
 *   GET /v1/applications/:id/technical-report       the uploaded PDF, its latest version
 *   GET /v1/applications/:id/emergency-recognition  the registry's emergency recognition of the
 *                                                   dwelling the application names
 *
 * Both are audited reads of the case (the staff member states why, X-HPC-Purpose), for the
 * operator who reviews and for the case's party.
 */
import type { Request, Response } from 'express';
import * as cases from '../../db/cases';
import { withTransaction } from '../../db/transaction';
import type { EmergencyRecognitionRecord } from '../../domain/registry-facts';
import { recordInTransaction } from '../audit';
import { caseForActor } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf } from '../identity';
import { applicationIdParams } from '../schemas';
import { emergencyRecognitions } from '../services/person-registry';

/**
 * GET …/technical-report: the PDF as uploaded (application/pdf), its version and SHA-256 in
 * headers. The audit row is written before a byte leaves (the PDF is no JSON answer the audit
 * middleware could hold back): if it cannot be written the caller gets 500 and no report.
 */
export function technicalReportDownloadHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const doc = await cases.latestUpload(deps.pool, row.id, 'TECHNICAL_REPORT');
    if (!doc) throw apiError(404, 'NO_TECHNICAL_REPORT');
    const content = await cases.uploadContent(deps.pool, doc.id);
    if (!content) throw apiError(404, 'NO_TECHNICAL_REPORT');
    await withTransaction(deps.pool, (tx) => recordInTransaction(req, tx, row.id));
    res
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="technical-report-v${doc.version}.pdf"`,
        'X-Document-Version': String(doc.version),
        'X-Document-SHA256': doc.sha256.trim(),
      })
      .send(content);
  };
}

function view(r: EmergencyRecognitionRecord, report: { reportNumber?: unknown; propertyId?: unknown } | undefined) {
  return {
    number: r.reportNumber,
    dwelling: r.propertyId,
    expert: r.expertOrganisation,
    recognisedAt: r.recognisedAt,
    kato: r.kato,
    ...(report ? { matchesReport: report.reportNumber === r.reportNumber && report.propertyId === r.propertyId } : {}),
  };
}

/**
 * GET …/emergency-recognition. The case's recorded facts first: a recognition the check found in
 * another locality is kept with its R15.8 ground. Otherwise the emergency registry is read now for
 * the applicant's recognition of the declared dwelling — the workflow keeps the positive facts of a
 * check in its history, not in the case record.
 */
export function emergencyRecognitionHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    if (row.path !== 'EMERGENCY') throw apiError(404, 'NOT_EMERGENCY_PATH');
    const latest = await cases.latestUpload(deps.pool, row.id, 'TECHNICAL_REPORT');
    const report = latest?.details as { reportNumber?: unknown; propertyId?: unknown } | undefined;
    const recorded = row.grounds
      .map((g) => (g.facts as { recognition?: EmergencyRecognitionRecord } | null)?.recognition)
      .find((r): r is EmergencyRecognitionRecord => r !== undefined && typeof r.reportNumber === 'string');
    if (recorded) {
      res.json(view(recorded, report));
      return;
    }
    const declared = row.declaration.emergencyPropertyId;
    const found = (await emergencyRecognitions(deps.settings.gatewayUrl, row.applicant_iin)).find((r) => r.propertyId === declared);
    if (!found) throw apiError(404, 'NO_EMERGENCY_RECOGNITION');
    res.json(view(found, report));
  };
}
