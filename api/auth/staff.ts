/**
 * The staff registry (table `staff_members`): which of the provider's employees hold which roles.
 * A staff certificate says who someone is; only this registry says what they may do.
 */
import type { Pool } from 'pg';
import { STAFF_ROLES, type StaffRole } from '../../security/policy/policy';
import { withTransaction } from '../../db/transaction';

export interface StaffMember {
  iin: string;
  staffId: string;
  roles: StaffRole[];
  active: boolean;
  updatedAt: Date;
  updatedBy: string;
}

interface StaffRow {
  iin: string;
  staff_id: string;
  roles: string[];
  active: boolean;
  updated_at: Date;
  updated_by: string;
}

function fromRow(r: StaffRow): StaffMember {
  return {
    iin: r.iin,
    staffId: r.staff_id,
    // The column's CHECK admits only staff roles; order them as the policy lists them.
    roles: STAFF_ROLES.filter((role) => r.roles.includes(role)),
    active: r.active,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export async function findStaffMember(pool: Pool, iin: string): Promise<StaffMember | undefined> {
  const res = await pool.query<StaffRow>(`SELECT iin, staff_id, roles, active, updated_at, updated_by FROM staff_members WHERE iin = $1`, [iin]);
  const row = res.rows[0];
  return row ? fromRow(row) : undefined;
}

export async function listStaff(pool: Pool): Promise<StaffMember[]> {
  const res = await pool.query<StaffRow>(`SELECT iin, staff_id, roles, active, updated_at, updated_by FROM staff_members ORDER BY staff_id`);
  return res.rows.map(fromRow);
}

export interface StaffChange {
  iin: string;
  staffId: string;
  roles: readonly StaffRole[];
  active: boolean;
  /** `role:id` of whoever makes the change, or the command that did (e.g. `cli:seed-test-staff`). */
  by: string;
}

export class StaffIdTakenError extends Error {
  constructor(staffId: string) {
    super(`staff id ${staffId} belongs to another person`);
    this.name = 'StaffIdTakenError';
  }
}

/** Adds or changes a staff member, with a row in the append-only staff_registry_log. */
export async function upsertStaffMember(pool: Pool, change: StaffChange): Promise<StaffMember> {
  const roles = STAFF_ROLES.filter((r) => change.roles.includes(r));
  try {
    return await withTransaction(pool, async (client) => {
      const taken = await client.query(`SELECT 1 FROM staff_members WHERE staff_id = $1 AND iin <> $2`, [change.staffId, change.iin]);
      if ((taken.rowCount ?? 0) > 0) throw new StaffIdTakenError(change.staffId);
      const res = await client.query<StaffRow>(
        `INSERT INTO staff_members (iin, staff_id, roles, active, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, now(), $5)
         ON CONFLICT (iin) DO UPDATE SET staff_id = EXCLUDED.staff_id, roles = EXCLUDED.roles, active = EXCLUDED.active,
                                         updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING iin, staff_id, roles, active, updated_at, updated_by`,
        [change.iin, change.staffId, roles, change.active, change.by],
      );
      await client.query(`INSERT INTO staff_registry_log (changed_by, iin, staff_id, roles, active) VALUES ($1, $2, $3, $4, $5)`, [
        change.by,
        change.iin,
        change.staffId,
        roles,
        change.active,
      ]);
      return fromRow(res.rows[0]);
    });
  } catch (err) {
    // The check above races with a concurrent change; the unique index decides.
    const code = (err as { code?: unknown; constraint?: unknown }).code;
    if (code === '23505' && (err as { constraint?: unknown }).constraint === 'staff_members_staff_id_key') {
      throw new StaffIdTakenError(change.staffId);
    }
    throw err;
  }
}
