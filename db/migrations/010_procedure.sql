-- Issue #9: the procedure as one table (domain/procedure), the case record as the one source of
-- truth for the case's state, idempotent case actions, versioned report uploads, pinned reference data.

-- The case's state as the workflow last recorded it (workflows/contract.ts): its status
-- (case_status), its flags, who it waits on, and what failed when a step is held.
-- The grounds and categories as last evaluated (SPEC §5, R8–R10): what the officer decides on.
ALTER TABLE applications
  ADD COLUMN flags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN waiting_on text[] NOT NULL DEFAULT '{}',
  ADD COLUMN failure jsonb,
  ADD COLUMN grounds jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN categories jsonb;

-- The calendar and interpretations a case is decided by, pinned at receipt (domain/procedure/reference.ts).
-- Kept once per distinct content: a million cases share a handful of snapshots.
CREATE TABLE reference_snapshots (
  id         char(64) PRIMARY KEY, -- SHA-256 of the canonical JSON content
  content    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE applications ADD COLUMN reference_snapshot_id char(64) REFERENCES reference_snapshots (id);

-- An Idempotency-Key belongs to its caller: one person's key can neither block nor reveal another's.
ALTER TABLE applications DROP CONSTRAINT applications_idempotency_key_key;
CREATE UNIQUE INDEX applications_idempotency_per_caller ON applications (submitted_by, idempotency_key);

-- Every upload of the technical report is a version of its own (a corrected one may be the same
-- PDF with another number: A1.8.2, R17); the review acts on the latest. A retried upload (the same
-- caller's Idempotency-Key) is the same version.
ALTER TABLE documents DROP CONSTRAINT documents_application_id_sha256_key;
ALTER TABLE documents
  ADD COLUMN version int,
  ADD COLUMN upload_key text;
UPDATE documents d SET version = v.n
  FROM (SELECT id, row_number() OVER (PARTITION BY application_id, kind ORDER BY uploaded_at, id) AS n FROM documents) v
 WHERE v.id = d.id;
ALTER TABLE documents ALTER COLUMN version SET NOT NULL;
CREATE UNIQUE INDEX documents_version ON documents (application_id, kind, version);
CREATE UNIQUE INDEX documents_upload_key ON documents (application_id, upload_key) WHERE upload_key IS NOT NULL;

-- Case actions are idempotent: the caller's Idempotency-Key becomes the workflow update's ID, and
-- the first answer is kept here, so a repeat gets it again even after the workflow has closed.
CREATE TABLE case_action_requests (
  caller          text NOT NULL,
  idempotency_key text NOT NULL,
  application_id  uuid NOT NULL REFERENCES applications (id),
  action          text NOT NULL,
  request_hash    char(64) NOT NULL,
  http_status     int,
  response        jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, idempotency_key)
);
