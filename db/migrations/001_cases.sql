-- Cases, decisions, the queue and the notice outbox.
-- The database is the system of record; Temporal drives each case (one workflow per application).

CREATE TABLE applications (
  id               uuid PRIMARY KEY,
  -- The client's Idempotency-Key: the same key always returns the same case.
  idempotency_key  text NOT NULL UNIQUE,
  -- SHA-256 of the canonical request body: a reused key with another body is a client error.
  request_hash     text NOT NULL,
  applicant_iin    char(12) NOT NULL,
  representative_iin char(12),
  submitted_by     text NOT NULL,
  path             text NOT NULL CHECK (path IN ('NO_HOUSING', 'EMERGENCY')),
  fund             text NOT NULL,
  kato             char(9) NOT NULL,
  locality         char(9) NOT NULL,
  declaration      jsonb NOT NULL,
  received_at      timestamptz NOT NULL,
  accepted_at      timestamptz NOT NULL,
  decision_due_at  timestamptz NOT NULL,
  -- ACTIVE until the final decision; the workflow keeps the finer status in its search attributes.
  status           text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REGISTERED', 'REFUSED', 'WITHDRAWN')),
  case_status      text NOT NULL DEFAULT 'SUBMITTED',
  workflow_id      text NOT NULL,
  interpretations_version text NOT NULL,
  calendar_version text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz
);
-- A person has at most one active application (with the workflow ID policy as the second guard).
CREATE UNIQUE INDEX applications_one_active_per_person ON applications (applicant_iin) WHERE status = 'ACTIVE';
CREATE INDEX applications_by_applicant ON applications (applicant_iin);
CREATE INDEX applications_by_representative ON applications (representative_iin) WHERE representative_iin IS NOT NULL;

-- The case timeline, written by activities; event_key makes every write idempotent under retries.
CREATE TABLE case_events (
  id             bigserial PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES applications (id),
  event_key      text NOT NULL,
  at             timestamptz NOT NULL,
  kind           text NOT NULL,
  actor          text,
  data           jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (application_id, event_key)
);

-- Preliminary decisions with hearing notices (R17, APPC art. 73).
CREATE TABLE preliminary_decisions (
  application_id uuid NOT NULL REFERENCES applications (id),
  seq            int NOT NULL,
  notice_at      timestamptz NOT NULL,
  hearing_at     timestamptz NOT NULL,
  decision_due_at timestamptz NOT NULL,
  grounds        jsonb NOT NULL,
  PRIMARY KEY (application_id, seq)
);

-- Exactly one final decision per case: the primary key is the guard against a retried activity.
CREATE TABLE decisions (
  application_id uuid PRIMARY KEY REFERENCES applications (id),
  outcome        text NOT NULL CHECK (outcome IN ('REGISTERED', 'REFUSED')),
  basis          text,
  grounds        jsonb NOT NULL DEFAULT '[]'::jsonb,
  categories     jsonb NOT NULL,
  decided_at     timestamptz NOT NULL,
  decided_by     text NOT NULL,
  reasoning      text
);

CREATE SEQUENCE registration_number_seq;

CREATE TABLE queue_entries (
  id                  bigserial PRIMARY KEY,
  application_id      uuid NOT NULL UNIQUE REFERENCES applications (id),
  registration_number text NOT NULL UNIQUE,
  applicant_iin       char(12) NOT NULL,
  locality            char(9) NOT NULL,
  received_at         timestamptz NOT NULL,
  registered_at       timestamptz NOT NULL,
  categories          text[] NOT NULL DEFAULT '{}',
  status              text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REMOVED')),
  removed_at          timestamptz,
  removal_reason      text
);
-- Positions are ranks by (received_at, application_id) among active entries of a list (SPEC §7).
CREATE UNIQUE INDEX queue_entries_one_active_per_person ON queue_entries (applicant_iin) WHERE status = 'ACTIVE';
CREATE INDEX queue_entries_list_order ON queue_entries (locality, received_at, application_id) WHERE status = 'ACTIVE';
CREATE INDEX queue_entries_categories ON queue_entries USING gin (categories) WHERE status = 'ACTIVE';

-- Uploaded documents (the expert's technical report for R7.2), kept with their SHA-256.
CREATE TABLE documents (
  id             uuid PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES applications (id),
  kind           text NOT NULL CHECK (kind IN ('TECHNICAL_REPORT')),
  media_type     text NOT NULL,
  sha256         char(64) NOT NULL,
  size_bytes     int NOT NULL,
  content        bytea NOT NULL,
  details        jsonb NOT NULL DEFAULT '{}'::jsonb,
  uploaded_at    timestamptz NOT NULL DEFAULT now(),
  uploaded_by    text NOT NULL,
  UNIQUE (application_id, sha256)
);

-- Transactional outbox of notices (R16): written in the same transaction as the decision,
-- delivered afterwards; the notice id is the SMS gateway's clientMessageId, so a retry never
-- sends twice.
CREATE TABLE notices (
  id             uuid PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES applications (id),
  kind           text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('CABINET', 'SMS')),
  issued_at      timestamptz NOT NULL,
  recipient      text,
  body           jsonb NOT NULL,
  status         text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'NO_PHONE', 'FAILED')),
  attempts       int NOT NULL DEFAULT 0,
  delivered_at   timestamptz,
  provider_message_id text,
  UNIQUE (application_id, kind, channel)
);
CREATE INDEX notices_pending ON notices (application_id) WHERE status = 'PENDING';
