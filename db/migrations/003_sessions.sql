-- Sign-in with EDS, sessions and the staff registry (issue #3; docs/access-control.md).

-- ---------------------------------------------------------------------------------------------
-- Sign-in challenges: one row per nonce the API issued, deleted when it is used (single use: the
-- DELETE ... RETURNING that consumes it is atomic) or once expired. Only the SHA-256 of the
-- nonce is kept.
CREATE TABLE auth_challenges (
  nonce_hash  text PRIMARY KEY CHECK (nonce_hash ~ '^[0-9a-f]{64}$'),
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > issued_at)
);
CREATE INDEX auth_challenges_expiry ON auth_challenges (expires_at);

-- ---------------------------------------------------------------------------------------------
-- The staff registry: who among the provider's employees holds which roles. A staff certificate
-- (an employee of the provider's BIN) proves who someone is, not what they may do: only a row here
-- makes them an operator, a hearing officer, and so on. Keyed by the IIN the certificate carries.
-- No rows are seeded here (a migration also runs in production): development seeds the test CA's
-- staff with `npx tsx api/auth/staff-cli.ts seed-test-staff`.
CREATE TABLE staff_members (
  iin         text PRIMARY KEY CHECK (iin ~ '^[0-9]{12}$'),
  staff_id    text NOT NULL UNIQUE CHECK (staff_id ~ '^[A-Z]{2}-[0-9]{4}$'),
  roles       text[] NOT NULL CHECK (
                cardinality(roles) >= 1
                AND roles <@ ARRAY['operator', 'officer', 'head', 'complaint-review', 'auditor', 'administrator']::text[]),
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);

-- Every change of the registry, append-only (who changed whom, when, to what).
CREATE TABLE staff_registry_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  changed_by  text NOT NULL,
  iin         text NOT NULL,
  staff_id    text NOT NULL,
  roles       text[] NOT NULL,
  active      boolean NOT NULL
);
CREATE FUNCTION staff_registry_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the staff registry log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER staff_registry_log_guard BEFORE UPDATE OR DELETE ON staff_registry_log
  FOR EACH ROW EXECUTE FUNCTION staff_registry_log_append_only();

-- ---------------------------------------------------------------------------------------------
-- Sessions: an opaque random token (cookie or Bearer) of which only the SHA-256 is stored, with
-- the CSRF token's SHA-256 for cookie sessions. A session ends at the first of: idle expiry
-- (moved forward by each request), absolute expiry, sign-out (revoked_at). A staff session also
-- ends when the registry no longer grants its role (checked on every request).
CREATE TABLE sessions (
  id                   uuid PRIMARY KEY,
  token_hash           text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  csrf_hash            text CHECK (csrf_hash IS NULL OR csrf_hash ~ '^[0-9a-f]{64}$'),
  role                 text NOT NULL CHECK (role IN ('applicant', 'representative', 'operator', 'officer', 'head',
                                                      'complaint-review', 'auditor', 'administrator')),
  -- The IIN from the AUTH certificate (never from the client).
  subject_iin          text NOT NULL CHECK (subject_iin ~ '^[0-9]{12}$'),
  staff_id             text,
  certificate_serial   text NOT NULL,
  created_at           timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  idle_expires_at      timestamptz NOT NULL,
  absolute_expires_at  timestamptz NOT NULL,
  revoked_at           timestamptz,
  CHECK ((staff_id IS NULL) = (role IN ('applicant', 'representative'))),
  CHECK (idle_expires_at <= absolute_expires_at)
);
CREATE INDEX sessions_by_subject ON sessions (subject_iin);
CREATE INDEX sessions_expiry ON sessions (absolute_expires_at);
