-- Personal data (R12, A2 block C; issue #3): the consents C1–C4 with their withdrawal, and an
-- append-only, hash-chained log of every read and change of a person's data through the API.
-- docs/personal-data.md describes both.

-- ---------------------------------------------------------------------------------------------
-- Consents. One row per giving of a consent; a withdrawal closes the row (withdrawn_*), giving the
-- consent again opens a new one, so the history stays. At most one row per case and code is in
-- force at a time.
--
-- No foreign key to applications: the simulate harness empties the case tables with a TRUNCATE
-- that names them (simulation/harness.ts), and a referencing table would make it fail. The API
-- writes consents only for rows it has just written or read, and deletes them with a discarded
-- submission (api/routes/submit.ts).
CREATE TABLE consents (
  id                bigserial PRIMARY KEY,
  application_id    uuid NOT NULL,
  code              text NOT NULL CHECK (code IN ('C1', 'C2', 'C3', 'C4')),
  given_at          timestamptz NOT NULL,
  -- `role:id` of whoever gave it (the applicant, or the representative on the applicant's behalf).
  given_by          text NOT NULL,
  -- The detached CMS over the consent's canonical form, once EDS signing exists (R5, R13).
  signature         text,
  withdrawn_at      timestamptz,
  withdrawn_by      text,
  withdrawal_reason text,
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
  CHECK (withdrawal_reason IS NULL OR withdrawn_at IS NOT NULL),
  CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
);
CREATE UNIQUE INDEX consents_one_in_force ON consents (application_id, code) WHERE withdrawn_at IS NULL;
CREATE INDEX consents_by_application ON consents (application_id, id);

-- A consent is a record of what a person declared: its content never changes. Only a withdrawal
-- (once) and the signature (once, when it arrives) may be added.
CREATE FUNCTION consents_only_withdrawal_or_signature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.application_id <> OLD.application_id OR NEW.code <> OLD.code
     OR NEW.given_at <> OLD.given_at OR NEW.given_by <> OLD.given_by THEN
    RAISE EXCEPTION 'a consent''s content cannot change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.signature IS NOT NULL AND NEW.signature IS DISTINCT FROM OLD.signature THEN
    RAISE EXCEPTION 'a consent''s signature cannot change once stored' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.withdrawn_at IS NOT NULL AND (NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at
     OR NEW.withdrawn_by IS DISTINCT FROM OLD.withdrawn_by OR NEW.withdrawal_reason IS DISTINCT FROM OLD.withdrawal_reason) THEN
    RAISE EXCEPTION 'a withdrawal cannot change once recorded' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consents_guard BEFORE UPDATE ON consents
  FOR EACH ROW EXECUTE FUNCTION consents_only_withdrawal_or_signature();

-- Consents given before this migration: those in the submitted declarations, and those added
-- later through the giveConsent update (the workflow's CONSENT_GIVEN timeline events).
INSERT INTO consents (application_id, code, given_at, given_by)
SELECT a.id, c->>'code', COALESCE((c->>'givenAt')::timestamptz, a.received_at), a.submitted_by
  FROM applications a,
       jsonb_array_elements(CASE WHEN jsonb_typeof(a.declaration->'consents') = 'array' THEN a.declaration->'consents' ELSE '[]'::jsonb END) c
 WHERE c->>'code' IN ('C1', 'C2', 'C3', 'C4')
ON CONFLICT (application_id, code) WHERE withdrawn_at IS NULL DO NOTHING;

INSERT INTO consents (application_id, code, given_at, given_by)
SELECT e.application_id, code, e.at, COALESCE(e.actor, 'unknown')
  FROM case_events e,
       jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.data->'codes') = 'array' THEN e.data->'codes' ELSE '[]'::jsonb END) code
 WHERE e.kind = 'CONSENT_GIVEN' AND code IN ('C1', 'C2', 'C3', 'C4')
ON CONFLICT (application_id, code) WHERE withdrawn_at IS NULL DO NOTHING;

-- ---------------------------------------------------------------------------------------------
-- The audit log. Row n stores hash_n = sha256(hash_{n-1} || n || ':' || content of row n), where the
-- content is the UTF-8 JSON array of the row's other fields (db/audit.ts `rowContent`; GENESIS =
-- 64 zeros), and ids run 1, 2, 3… without gaps, so an altered row breaks its own hash and a removed
-- row breaks the sequence and the next row's prev_hash. audit_head holds the last id and hash, so a
-- removed last row is seen too. audit_append() locks the head row (FOR UPDATE), which serialises
-- the chain across API processes, and does the whole append in one statement (one round trip,
-- the lock held for microseconds outside a caller's transaction).
--
-- One superuser owns everything here, so UPDATE and DELETE cannot be revoked from "the app role";
-- triggers refuse them instead. Whoever can disable triggers can still tamper — which
-- `hpc audit verify` detects.
CREATE TABLE audit_log (
  id             bigint PRIMARY KEY CHECK (id >= 1),
  at             timestamptz NOT NULL,
  -- `role:id`: an IIN for applicant and representative, a staff id for staff.
  actor          text NOT NULL,
  actor_role     text NOT NULL,
  -- When a representative acts: `applicant:<IIN>` of the person represented (both are recorded).
  on_behalf_of   text,
  -- The sign-in session the request came with (its id, never its token); null for the dev header.
  session_id     text,
  -- The case whose data was read or changed. No foreign key: the log outlives any row it names.
  application_id uuid,
  action         text NOT NULL,
  -- Why: the route's purpose code, and the staff member's own words (X-HPC-Purpose).
  purpose        text NOT NULL,
  purpose_text   text,
  -- `METHOD /route/template`: which endpoint, never the URL with its values.
  route          text NOT NULL,
  prev_hash      char(64) NOT NULL,
  hash           char(64) NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_application ON audit_log (application_id, id) WHERE application_id IS NOT NULL;

CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint NOT NULL,
  last_hash char(64) NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the audit log is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();

-- A new row must extend the chain at its head: the next id, the head's hash as prev_hash.
CREATE FUNCTION audit_log_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head audit_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_head WHERE singleton;
  IF NOT FOUND OR NEW.id <> head.last_id + 1 OR NEW.prev_hash <> head.last_hash THEN
    RAISE EXCEPTION 'an audit row must extend the chain at its head' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_extends_head();

-- The head moves forward one row at a time, onto the row just written.
CREATE FUNCTION audit_head_advances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_id <> OLD.last_id + 1 OR NOT EXISTS (
       SELECT 1 FROM audit_log WHERE id = NEW.last_id AND hash = NEW.last_hash AND prev_hash = OLD.last_hash) THEN
    RAISE EXCEPTION 'the audit head can only advance to the row just written' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_head_advance BEFORE UPDATE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_advances();

-- Appends one row: p_content is the UTF-8 content that db/audit.ts `rowContent` makes of the same
-- fields (the verifier recomputes it from the stored columns, so a mismatch shows as ALTERED).
CREATE FUNCTION audit_append(
  p_at timestamptz, p_actor text, p_actor_role text, p_on_behalf_of text, p_session_id text, p_application_id uuid,
  p_action text, p_purpose text, p_purpose_text text, p_route text, p_content bytea
) RETURNS TABLE (out_id bigint, out_hash text, out_prev_hash text) LANGUAGE plpgsql AS $$
DECLARE
  head audit_head%ROWTYPE;
  new_id bigint;
  new_hash text;
BEGIN
  SELECT * INTO head FROM audit_head WHERE singleton FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_head is missing: the audit log cannot be extended' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  new_id := head.last_id + 1;
  new_hash := encode(sha256(convert_to(head.last_hash || new_id::text || ':', 'UTF8') || p_content), 'hex');
  INSERT INTO audit_log (id, at, actor, actor_role, on_behalf_of, session_id, application_id, action, purpose, purpose_text, route,
                         prev_hash, hash)
  VALUES (new_id, p_at, p_actor, p_actor_role, p_on_behalf_of, p_session_id, p_application_id, p_action, p_purpose, p_purpose_text,
          p_route, head.last_hash, new_hash);
  UPDATE audit_head SET last_id = new_id, last_hash = new_hash WHERE singleton;
  RETURN QUERY SELECT new_id, new_hash, head.last_hash::text;
END $$;
