-- Whether the application's workflow has been started (api/routes/submit.ts startOnce). Requests
-- with the same Idempotency-Key serialise on the row and read this: without it, a retry that found
-- no run could start a second run after the first had already decided the case, since a person's
-- workflow ID allows a new run once the old one has closed. NULL for rows from before it existed;
-- for those the API asks Temporal instead.
ALTER TABLE applications ADD COLUMN workflow_started_at timestamptz;
