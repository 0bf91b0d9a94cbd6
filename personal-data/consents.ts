/**
 * The consents of Appendix 2 block C (R12; Personal Data Law art. 8) as rows of the `consents`
 * table (db/migrations/002_personal_data.sql): given at submission or later through the giveConsent
 * update, withdrawn by the person, never edited.
 */
import type { Pool, PoolClient } from 'pg';
import type { ConsentCode } from '../domain/application';

export const CONSENT_CODES: readonly ConsentCode[] = ['C1', 'C2', 'C3', 'C4'];

export { CONSENT_TITLES, type Localized } from '../domain/messages/consents';

export interface ConsentRow {
  id: number;
  application_id: string;
  code: ConsentCode;
  given_at: Date;
  given_by: string;
  signature: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

const COLUMNS = 'id, application_id, code, given_at, given_by, signature, withdrawn_at, withdrawn_by, withdrawal_reason';

/**
 * Records consents as given; a code already in force is left as it is (a retried request, or a
 * consent given again that the person never withdrew). Returns the codes newly recorded.
 */
export async function recordConsentsGiven(
  db: Pool | PoolClient,
  applicationId: string,
  codes: readonly ConsentCode[],
  givenAt: Date,
  givenBy: string,
): Promise<ConsentCode[]> {
  if (codes.length === 0) return [];
  const res = await db.query<{ code: ConsentCode }>(
    `INSERT INTO consents (application_id, code, given_at, given_by)
     SELECT $1, code, $3, $4 FROM unnest($2::text[]) AS code
     ON CONFLICT (application_id, code) WHERE withdrawn_at IS NULL DO NOTHING
     RETURNING code`,
    [applicationId, [...codes], givenAt, givenBy],
  );
  return res.rows.map((r) => r.code);
}

/** Every consent row of a case, oldest first. */
export async function consentHistory(db: Pool | PoolClient, applicationId: string): Promise<ConsentRow[]> {
  const res = await db.query<ConsentRow>(`SELECT ${COLUMNS} FROM consents WHERE application_id = $1 ORDER BY id`, [applicationId]);
  return res.rows;
}

/**
 * Closes the consent in force for (case, code). Undefined when none is in force (never given, or
 * already withdrawn — also by a concurrent request: the row lock makes the second one see it closed).
 */
export async function withdrawConsent(
  tx: PoolClient,
  w: { applicationId: string; code: ConsentCode; at: Date; by: string; reason: string | null },
): Promise<ConsentRow | undefined> {
  const res = await tx.query<ConsentRow>(
    `UPDATE consents SET withdrawn_at = $3, withdrawn_by = $4, withdrawal_reason = $5
      WHERE application_id = $1 AND code = $2 AND withdrawn_at IS NULL
      RETURNING ${COLUMNS}`,
    [w.applicationId, w.code, w.at, w.by, w.reason],
  );
  return res.rows[0];
}

export type ConsentStatus = 'GIVEN' | 'WITHDRAWN' | 'NOT_GIVEN';

/** The state of each code: its latest row decides. */
export function consentStatuses(history: readonly ConsentRow[]): { code: ConsentCode; status: ConsentStatus; latest?: ConsentRow }[] {
  return CONSENT_CODES.map((code) => {
    const rows = history.filter((r) => r.code === code);
    const latest = rows[rows.length - 1];
    if (!latest) return { code, status: 'NOT_GIVEN' as const };
    return { code, status: latest.withdrawn_at ? ('WITHDRAWN' as const) : ('GIVEN' as const), latest };
  });
}
