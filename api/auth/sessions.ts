/**
 * Sign-in challenges and sessions in PostgreSQL (db/migrations/003_sessions.sql).
 *
 * Tokens are 32 random bytes (base64url) handed to the client once; the database keeps only their
 * SHA-256, so a copy of the table opens no session. A session is found by its token's hash and,
 * in the same statement, checked (not revoked, idle and absolute expiry not passed, for staff: the
 * registry still grants the role) and its idle expiry moved forward.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '../../security/policy/policy';

export const SESSION_COOKIE = '__Host-hpc_session';
export const CSRF_COOKIE = '__Host-hpc_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token of the shape newToken() makes (anything else is not looked up). */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

// ---- challenges -------------------------------------------------------------------------------

/** Stores a nonce (by hash) until `expiresAt`; removes challenges that expired unused. */
export async function storeChallenge(pool: Pool, nonce: string, issuedAt: Date, expiresAt: Date): Promise<void> {
  await pool.query(`DELETE FROM auth_challenges WHERE expires_at < $1`, [issuedAt]);
  await pool.query(`INSERT INTO auth_challenges (nonce_hash, issued_at, expires_at) VALUES ($1, $2, $3)`, [
    sha256(nonce),
    issuedAt,
    expiresAt,
  ]);
}

/** Uses a nonce up: true if it was issued and had not expired at `at`. A nonce is used at most once. */
export async function consumeChallenge(pool: Pool, nonce: string, at: Date): Promise<boolean> {
  const res = await pool.query<{ expires_at: Date }>(`DELETE FROM auth_challenges WHERE nonce_hash = $1 RETURNING expires_at`, [
    sha256(nonce),
  ]);
  const row = res.rows[0];
  return row !== undefined && row.expires_at.getTime() > at.getTime();
}

// ---- sessions ---------------------------------------------------------------------------------

export interface NewSession {
  role: Role;
  subjectIin: string;
  staffId: string | null;
  certificateSerial: string;
  /** Cookie sessions carry a CSRF token; Bearer sessions do not need one. */
  withCsrf: boolean;
}

export interface CreatedSession {
  id: string;
  token: string;
  csrfToken: string | undefined;
  idleExpiresAt: Date;
  expiresAt: Date;
}

export interface SessionTimeouts {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export async function createSession(pool: Pool, s: NewSession, at: Date, t: SessionTimeouts): Promise<CreatedSession> {
  const id = randomUUID();
  const token = newToken();
  const csrfToken = s.withCsrf ? newToken() : undefined;
  const expiresAt = new Date(at.getTime() + t.absoluteTimeoutMs);
  const idleExpiresAt = new Date(Math.min(at.getTime() + t.idleTimeoutMs, expiresAt.getTime()));
  // Sessions long over are of no use to anyone: cleared as new ones start.
  await pool.query(`DELETE FROM sessions WHERE absolute_expires_at < $1`, [new Date(at.getTime() - 24 * 3_600_000)]);
  await pool.query(
    `INSERT INTO sessions (id, token_hash, csrf_hash, role, subject_iin, staff_id, certificate_serial, created_at, last_seen_at,
                           idle_expires_at, absolute_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)`,
    [id, sha256(token), csrfToken ? sha256(csrfToken) : null, s.role, s.subjectIin, s.staffId, s.certificateSerial, at, idleExpiresAt, expiresAt],
  );
  return { id, token, csrfToken, idleExpiresAt, expiresAt };
}

export interface ActiveSession {
  id: string;
  role: Role;
  subjectIin: string;
  staffId: string | null;
  csrfHash: string | null;
  idleExpiresAt: Date;
  expiresAt: Date;
}

interface SessionRow {
  id: string;
  role: Role; // the column's CHECK admits exactly the roles
  subject_iin: string;
  staff_id: string | null;
  csrf_hash: string | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
}

/**
 * The live session of a token, its idle expiry moved to `at + idle` (never past the absolute
 * expiry); undefined when there is none, it expired, was ended, or (staff) the role was taken away.
 */
export async function touchSession(pool: Pool, token: string, at: Date, idleTimeoutMs: number): Promise<ActiveSession | undefined> {
  if (!isToken(token)) return undefined;
  const res = await pool.query<SessionRow>(
    `UPDATE sessions s
        SET last_seen_at = $2,
            idle_expires_at = LEAST($2::timestamptz + make_interval(secs => $3::double precision), s.absolute_expires_at)
      WHERE s.token_hash = $1
        AND s.revoked_at IS NULL
        AND s.idle_expires_at > $2
        AND s.absolute_expires_at > $2
        AND (s.staff_id IS NULL
             OR EXISTS (SELECT 1 FROM staff_members m
                         WHERE m.iin = s.subject_iin AND m.staff_id = s.staff_id AND m.active AND s.role = ANY (m.roles)))
      RETURNING s.id, s.role, s.subject_iin, s.staff_id, s.csrf_hash, s.idle_expires_at, s.absolute_expires_at`,
    [sha256(token), at, idleTimeoutMs / 1000],
  );
  const row = res.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    role: row.role,
    subjectIin: row.subject_iin,
    staffId: row.staff_id,
    csrfHash: row.csrf_hash,
    idleExpiresAt: row.idle_expires_at,
    expiresAt: row.absolute_expires_at,
  };
}

/** Ends a session (sign-out). */
export async function revokeSession(pool: Pool, id: string, at: Date): Promise<void> {
  await pool.query(`UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
}

// ---- cookies ----------------------------------------------------------------------------------

/** The value of one cookie of a `Cookie` header (the first, if repeated); undefined if absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    return value;
  }
  return undefined;
}
