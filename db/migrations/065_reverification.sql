-- The periodic re-verification of active queue entries (issue #11 §2; db/reverification.ts owns
-- both tables; domain/reverification.ts says what is compared).
--
-- One row per entry whose registry facts behind a removal ground were found at some verification:
-- the SHA-256 of the grounds' canonical key (domain/reverification.ts groundsKey). No row means no
-- ground was ever found, so a run over a clean register writes nothing per entry. The key itself,
-- which names properties and dates, is not kept: only its hash, to notice that it changed.
CREATE TABLE entry_verifications (
  entry_id    bigint PRIMARY KEY REFERENCES queue_entries (id),
  facts_hash  bytea NOT NULL,
  verified_at timestamptz NOT NULL,
  run_id      text NOT NULL
);

-- A run's progress, written after every batch (the Temporal Schedule's workflow is the run; its
-- workflow id is run_id). `cursor` is the last queue_entries.id verified: a run resumed after a
-- crash or a continue-as-new goes on from there.
CREATE TABLE reverification_runs (
  run_id       text PRIMARY KEY,
  started_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  -- Active entries when the run started (what "checked" counts towards).
  total        bigint NOT NULL,
  cursor       bigint NOT NULL DEFAULT 0,
  checked      bigint NOT NULL DEFAULT 0,
  -- Entries whose facts changed to give a ground, and of them those for which a removal case was
  -- opened (the rest already had one running).
  changed      bigint NOT NULL DEFAULT 0,
  opened       bigint NOT NULL DEFAULT 0
);
