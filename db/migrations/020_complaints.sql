-- Complaints (R18, R19; SPEC §8), issue #10 §1. One row per complaint, owned by db/complaints.ts;
-- its steps are written to the case's timeline (case_events, through db/cases) and its notices to
-- the case's outbox, so the person reads one history of their case.
CREATE TABLE complaints (
  id                          uuid PRIMARY KEY,
  application_id              uuid NOT NULL REFERENCES applications (id),
  -- The caller's own retry key (scoped to the caller, like the submissions').
  filed_by                    text NOT NULL,
  idempotency_key             text NOT NULL,
  request_hash                char(64) NOT NULL,
  subject                     text NOT NULL CHECK (subject IN ('DECISION', 'ACTION', 'INACTION')),
  body                        text NOT NULL,
  signed_document_id          bigint REFERENCES signed_documents (id),
  workflow_id                 text NOT NULL UNIQUE,
  reference_snapshot_id       char(64) NOT NULL REFERENCES reference_snapshots (id),
  received_at                 timestamptz NOT NULL,
  registered_at               timestamptz NOT NULL,
  provider_decision_due_at    timestamptz NOT NULL,
  forward_due_at              timestamptz NOT NULL,
  status                      text NOT NULL DEFAULT 'RECEIVED'
                              CHECK (status IN ('RECEIVED', 'WITH_PROVIDER', 'SATISFIED_BY_PROVIDER', 'FORWARDED', 'DECIDED')),
  flags                       text[] NOT NULL DEFAULT '{}',
  provider_outcome            text CHECK (provider_outcome IN ('SATISFIED', 'FORWARD')),
  provider_decided_by         text,
  provider_decided_at         timestamptz,
  provider_reasons            text,
  forwarded_at                timestamptz,
  -- The administrative case file sent with it (R19): a system-signed bundle in signed_documents.
  case_file_document_id       bigint REFERENCES signed_documents (id),
  review_body_registered_at   timestamptz,
  review_body_decision_due_at timestamptz,
  review_outcome              text CHECK (review_outcome IN ('SATISFIED', 'PARTLY_SATISFIED', 'REFUSED')),
  review_decided_by           text,
  review_decided_at           timestamptz,
  review_reasons              text,
  remedy                      text CHECK (remedy IN ('REGISTER', 'ACTION_TAKEN')),
  closed_at                   timestamptz,
  UNIQUE (filed_by, idempotency_key)
);
CREATE INDEX complaints_of_case ON complaints (application_id, received_at DESC);
CREATE INDEX complaints_open ON complaints (status) WHERE closed_at IS NULL;

-- A complaint and the case file are signed documents of the case (docs/eds.md).
ALTER TABLE signed_documents DROP CONSTRAINT signed_documents_document_type_check;
ALTER TABLE signed_documents ADD CONSTRAINT signed_documents_document_type_check
  CHECK (document_type IN ('APPLICATION', 'CONSENT', 'POSITION', 'DECISION', 'COMPLAINT', 'CASE_FILE'));

-- A decision a satisfied complaint replaced (SPEC §8): the decision before, kept as it was.
CREATE TABLE decision_revisions (
  id              bigserial PRIMARY KEY,
  application_id  uuid NOT NULL REFERENCES applications (id),
  complaint_id    uuid NOT NULL REFERENCES complaints (id),
  replaced        jsonb NOT NULL,
  revised_at      timestamptz NOT NULL,
  UNIQUE (application_id, complaint_id)
);
