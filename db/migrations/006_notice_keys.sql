-- One notice per action (issue #3): each notice has an idempotency key of its own.
--
-- Until now the outbox allowed one row per (case, kind, channel). That fits the decision notices —
-- one registration, one preliminary refusal, one final refusal per case — but not the principal's
-- notice of what their representative did (A2.B): a second action's notice had nowhere to go.
-- `dedupe_key` says which occurrence a row is: '' for the once-per-case decision notices (every
-- existing row keeps it, and with it its id), the request id for a representative's action. A
-- retried activity or request writes the same (case, kind, channel, dedupe_key) and therefore the
-- same row (ON CONFLICT … DO NOTHING); the row's id, derived from the same four values
-- (activities/notice-activities.ts noticeIdFor), is the SMS gateway's clientMessageId, so a retry
-- never sends twice.
ALTER TABLE notices ADD COLUMN dedupe_key text NOT NULL DEFAULT '' CHECK (length(dedupe_key) <= 200);
CREATE UNIQUE INDEX notices_one_per_key ON notices (application_id, kind, channel, dedupe_key);
ALTER TABLE notices DROP CONSTRAINT notices_application_id_kind_channel_key;
