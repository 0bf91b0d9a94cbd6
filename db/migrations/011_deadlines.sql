-- Issue #10 §2: deadlines that act, and a report carried by the submission.

-- R16: every decision records whether it went out within the ceiling, or why R17's hearing
-- extended it (domain/procedure/terms.ts r16Check).
ALTER TABLE decisions ADD COLUMN term_check jsonb;

-- What staff must hear of: a case overdue on a step of theirs goes to their head (role `head`);
-- the head's worklist reads these. One alert per case, kind and due instant.
CREATE TABLE staff_alerts (
  id             bigserial PRIMARY KEY,
  application_id uuid REFERENCES applications (id),
  kind           text NOT NULL,
  to_role        text NOT NULL,
  due_at         timestamptz NOT NULL,
  raised_at      timestamptz NOT NULL,
  data           jsonb NOT NULL DEFAULT '{}'::jsonb,
  resolved_at    timestamptz,
  UNIQUE (application_id, kind, due_at)
);
CREATE INDEX staff_alerts_open ON staff_alerts (to_role, raised_at) WHERE resolved_at IS NULL;

-- A1.8.2: the emergency path's report may be uploaded just before the application and carried by
-- it: an upload not yet claimed by a case belongs to its uploader until the submission claims it.
ALTER TABLE documents ALTER COLUMN application_id DROP NOT NULL;
ALTER TABLE documents ALTER COLUMN version DROP NOT NULL;
ALTER TABLE documents ADD CONSTRAINT documents_claimed_have_versions CHECK (application_id IS NULL OR version IS NOT NULL);
CREATE INDEX documents_unclaimed ON documents (uploaded_by, uploaded_at) WHERE application_id IS NULL;
