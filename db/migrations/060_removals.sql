-- Removal from the register by an authorised officer (issue #11 §2; Housing Law, APPC art. 73).
-- One row per removal case, owned by db/removals; one open case per queue entry. The entry may be
-- an application's or a migrated record of the akimats' queues (no application: application_id
-- NULL), so the case keeps its own notices (removal_notices: the cabinet text and the SMS outbox)
-- and its signed decision is a signed document of the removal case (signed_documents.removal_id).
CREATE TABLE removals (
  id                    uuid PRIMARY KEY,
  entry_id              bigint NOT NULL REFERENCES queue_entries (id),
  -- The entry's application, when it has one (a copy for the case's timeline and cabinet).
  application_id        uuid REFERENCES applications (id),
  registration_number   text NOT NULL,
  ground                text NOT NULL CHECK (ground IN ('HOUSING_PROVIDED', 'HOUSING_ACQUIRED', 'DIED', 'DATA_UNRELIABLE')),
  -- What the case rests on: the registry's facts behind the ground and/or the officer's finding.
  evidence              jsonb NOT NULL,
  opened_by             text NOT NULL,
  opened_at             timestamptz NOT NULL,
  workflow_id           text NOT NULL,
  reference_snapshot_id char(64) NOT NULL REFERENCES reference_snapshots (id),
  -- APPC art. 73: the preliminary decision's notice and the hearing (grounds needing one), else NULL.
  notice_at             timestamptz,
  hearing_at            timestamptz,
  decision_due_at       timestamptz NOT NULL,
  status                text NOT NULL CHECK (status IN ('HEARING_SCHEDULED', 'AWAITING_DECISION', 'REMOVED', 'KEPT')),
  position              text,
  position_by           text,
  position_at           timestamptz,
  -- The person's signed position (REMOVAL_POSITION), when they signed it.
  position_document_id  bigint,
  outcome               text CHECK (outcome IN ('REMOVE', 'KEEP')),
  reasoning             text,
  decided_by            text,
  decided_at            timestamptz,
  decision_document_id  bigint,
  closed_at             timestamptz,
  CHECK ((status IN ('REMOVED', 'KEPT')) = (closed_at IS NOT NULL))
);
-- One open removal case per entry (the workflow ID removal-<entryId> is the second guard).
CREATE UNIQUE INDEX removals_one_open_per_entry ON removals (entry_id) WHERE closed_at IS NULL;
CREATE INDEX removals_of_entry ON removals (entry_id, opened_at DESC);
-- The officer's worklist: open cases by due instant.
CREATE INDEX removals_awaiting ON removals (decision_due_at, id) WHERE status = 'AWAITING_DECISION';

-- The removal case's own notices: the cabinet text (read with the case; for an application's entry
-- also copied into the case's cabinet) and the SMS outbox, whose row id is the SMS gateway's
-- clientMessageId, so a retried delivery never sends twice (as notices of 001).
CREATE TABLE removal_notices (
  id                  uuid PRIMARY KEY,
  removal_id          uuid NOT NULL REFERENCES removals (id),
  kind                text NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('CABINET', 'SMS')),
  issued_at           timestamptz NOT NULL,
  recipient           text,
  body                jsonb NOT NULL,
  status              text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'NO_PHONE', 'FAILED')),
  attempts            int NOT NULL DEFAULT 0,
  delivered_at        timestamptz,
  provider_message_id text,
  UNIQUE (removal_id, kind, channel)
);

-- The officer's signed decision and the person's signed position are signed documents of the removal case; of the application too
-- when the entry has one (so GET /v1/applications/{id}/signatures lists it). A migrated record has
-- no application, so application_id may now be NULL when removal_id names the case.
ALTER TABLE signed_documents ALTER COLUMN application_id DROP NOT NULL;
ALTER TABLE signed_documents ADD COLUMN removal_id uuid REFERENCES removals (id);
ALTER TABLE signed_documents ADD CONSTRAINT signed_documents_owner CHECK (application_id IS NOT NULL OR removal_id IS NOT NULL);
CREATE UNIQUE INDEX signed_documents_one_per_removal_key ON signed_documents (removal_id, document_key) WHERE removal_id IS NOT NULL;
ALTER TABLE removals ADD CONSTRAINT removals_decision_document FOREIGN KEY (decision_document_id) REFERENCES signed_documents (id);
ALTER TABLE removals ADD CONSTRAINT removals_position_document FOREIGN KEY (position_document_id) REFERENCES signed_documents (id);
-- Keeps the types of 020 and 041.
ALTER TABLE signed_documents DROP CONSTRAINT signed_documents_document_type_check;
ALTER TABLE signed_documents ADD CONSTRAINT signed_documents_document_type_check
  CHECK (document_type IN ('APPLICATION', 'CONSENT', 'POSITION', 'DECISION', 'COMPLAINT', 'CASE_FILE', 'WITHDRAWAL', 'REMOVAL_DECISION', 'REMOVAL_POSITION'));
