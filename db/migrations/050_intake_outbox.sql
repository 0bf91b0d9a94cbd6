-- Intake that does not wait on Temporal (issue #14; db/intake/outbox.ts owns this table).
--
-- A submission is answered once its row and its outbox entry are committed (one transaction); the
-- starter (intake/starter.ts, in the worker process) starts the case's workflow from the entry,
-- retrying with backoff, and marks it started. `task_queue` is the queue the case's workflow is
-- started on, so each starter takes only the cases meant for its workers (tests run one queue per
-- file against one database).
CREATE TABLE intake_outbox (
  application_id  uuid PRIMARY KEY REFERENCES applications (id),
  seq             bigserial NOT NULL,
  task_queue      text NOT NULL,
  enqueued_at     timestamptz NOT NULL DEFAULT now(),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- The last failure's kind (an error class or OTHER_CASE_RUNNING): never a message, which could quote data.
  last_error      text,
  started_at      timestamptz
);
CREATE INDEX intake_outbox_due ON intake_outbox (task_queue, next_attempt_at, seq) WHERE started_at IS NULL;

-- Rows filed before this table whose workflow never started: the default queue's starter takes them.
INSERT INTO intake_outbox (application_id, task_queue, enqueued_at)
SELECT id, 'hpc-applications-v2', received_at FROM applications
 WHERE status = 'ACTIVE' AND case_status = 'SUBMITTED' AND workflow_started_at IS NULL
 ORDER BY received_at, id;

-- SPEC §7: the place in the queue is the moment of receipt; applications received in the same
-- instant keep the order in which they were received, a monotonic sequence taken at the insert —
-- not the random order of their ids. Existing rows are numbered in their old order (received_at, id),
-- so no position changes.
CREATE SEQUENCE application_receipt_seq;
ALTER TABLE applications ADD COLUMN receipt_seq bigint;
UPDATE applications a SET receipt_seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY received_at, id) AS n FROM applications) o
 WHERE a.id = o.id;
SELECT setval('application_receipt_seq', coalesce((SELECT max(receipt_seq) FROM applications), 0) + 1, false);
ALTER TABLE applications
  ALTER COLUMN receipt_seq SET DEFAULT nextval('application_receipt_seq'),
  ALTER COLUMN receipt_seq SET NOT NULL;
ALTER SEQUENCE application_receipt_seq OWNED BY applications.receipt_seq;

-- A queue entry carries its application's receipt sequence (NULL for the akimats' migrated entries,
-- which so keep sorting after an application of the same instant, tie-broken on `id` — 004, 007).
-- A trigger fills it whoever inserts the entry (enterQueue, the simulator, bench loaders).
ALTER TABLE queue_entries ADD COLUMN receipt_seq bigint;
UPDATE queue_entries q SET receipt_seq = a.receipt_seq FROM applications a WHERE a.id = q.application_id;
-- The WHEN clause keeps the akimats' bulk COPY of migrated entries (no application) free of the
-- function call.
CREATE FUNCTION queue_entries_receipt_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT receipt_seq INTO NEW.receipt_seq FROM applications WHERE id = NEW.application_id;
  RETURN NEW;
END $$;
CREATE TRIGGER queue_entries_receipt_seq BEFORE INSERT ON queue_entries
  FOR EACH ROW WHEN (NEW.application_id IS NOT NULL AND NEW.receipt_seq IS NULL)
  EXECUTE FUNCTION queue_entries_receipt_seq();

DROP INDEX queue_entries_list_order;
CREATE INDEX queue_entries_list_order ON queue_entries (locality, received_at, receipt_seq, id) WHERE status = 'ACTIVE';
