-- The queue ledger (issue #11 §1, "why did my number change?"): an append-only record of every
-- arrival in and departure from every list (a locality's list, category '' here, and each of its
-- category lists), with a reason code. Owned by db/queue-ledger.ts; written only by the triggers
-- below, so no code path that adds, removes or reorders queue entries (registration, the akimats'
-- import, withdrawal, removal, a category confirmed or lost, an earlier receivedAt restored) can
-- leave it out — and none can do so without naming its reason (`hpc.queue_change_reason`, set by
-- db/queue-ledger.ts withQueueChangeReason; a change without it is refused).
--
-- One row per entry that arrives or leaves, never one per entry that merely moves: a departure at
-- position 10 moves everyone behind it, and each of them derives that from the row, because the
-- row carries the leaver's sort key (received_at, tie_app, entry_id). An entry's history in a list
-- is its own rows plus the rows of entries ahead of it (docs/queue-ledger.md).
CREATE TABLE queue_events (
  id          bigserial PRIMARY KEY,
  -- All rows one statement writes share a change number, taken under the lists' lock, so in each
  -- list change numbers grow in commit order (a history reads them newest first).
  change_no   bigint NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  locality    char(9) NOT NULL,
  -- '' is the locality's whole list; otherwise that category's list within it.
  category    text NOT NULL,
  entry_id    bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('ARRIVED', 'LEFT')),
  -- ARRIVED: the entry's position right after the change; LEFT: its position right before it.
  position    int NOT NULL CHECK (position > 0),
  -- The entry's sort key in the list (SPEC §7): received_at, then the application id (a migrated
  -- record, which has none, sorts after: the largest uuid), then the entry id.
  received_at timestamptz NOT NULL,
  tie_app     uuid NOT NULL,
  reason_code text NOT NULL CHECK (reason_code IN (
    'REGISTERED', 'MIGRATED', 'RESTORED', 'CATEGORY_CONFIRMED', 'CATEGORY_LOST', 'RECORD_CORRECTED',
    'HOUSING_PROVIDED', 'HOUSING_ACQUIRED', 'DIED', 'DATA_UNRELIABLE', 'WITHDRAWN'))
);
-- A history page: one list's changes newest first, the sort key at hand to test "ahead of me".
CREATE INDEX queue_events_by_list ON queue_events (locality, category, change_no)
  INCLUDE (received_at, tie_app, entry_id, kind, position, reason_code, at);
-- An entry's own arrivals and departures.
CREATE INDEX queue_events_by_entry ON queue_events (entry_id, locality, category, change_no);

CREATE SEQUENCE queue_change_seq;

CREATE FUNCTION queue_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'queue_events is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER queue_events_no_update BEFORE UPDATE OR DELETE ON queue_events
  FOR EACH ROW EXECUTE FUNCTION queue_events_append_only();

-- A removed entry says why (Housing Law grounds, withdrawal), as its ledger row does.
ALTER TABLE queue_entries ADD CONSTRAINT queue_entries_removal_reason
  CHECK (status <> 'REMOVED' OR (removal_reason IS NOT NULL AND removed_at IS NOT NULL)) NOT VALID;

-- How many active entries of a list are ahead of the key (r, t, e).
CREATE FUNCTION queue_ahead(l char(9), cat text, r timestamptz, t uuid, e bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT (SELECT count(*) FROM queue_entries q
           WHERE q.status = 'ACTIVE' AND q.locality = l AND q.received_at < r
             AND (cat = '' OR q.categories @> ARRAY[cat]))
       + (SELECT count(*) FROM queue_entries q
           WHERE q.status = 'ACTIVE' AND q.locality = l AND q.received_at = r
             AND (cat = '' OR q.categories @> ARRAY[cat])
             AND (coalesce(q.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid), q.id) < (t, e))
$$;

-- Above this many arrivals in one statement (the akimats' import) positions come from one sort of
-- the affected localities instead of one index count per arrival (quadratic at 650,000 rows).
CREATE FUNCTION queue_ledger_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reason text := nullif(current_setting('hpc.queue_change_reason', true), '');
  change bigint;
  n_arr bigint;
  n_lv bigint;
BEGIN
  -- The lists' memberships before (lv) and after (ar) the statement; an entry whose list, key and
  -- status stay the same is in neither.
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.queue_ledger_ar (entry_id bigint, locality char(9), category text, received_at timestamptz, tie_app uuid) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.queue_ledger_lv (entry_id bigint, locality char(9), category text, received_at timestamptz, tie_app uuid) ON COMMIT DROP;
  TRUNCATE pg_temp.queue_ledger_ar, pg_temp.queue_ledger_lv;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO pg_temp.queue_ledger_ar
    SELECT n.id, n.locality, c.cat, n.received_at, coalesce(n.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
      FROM new_rows n CROSS JOIN LATERAL unnest(ARRAY['']::text[] || n.categories) AS c(cat)
     WHERE n.status = 'ACTIVE';
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO pg_temp.queue_ledger_lv
    SELECT o.id, o.locality, c.cat, o.received_at, coalesce(o.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
      FROM old_rows o CROSS JOIN LATERAL unnest(ARRAY['']::text[] || o.categories) AS c(cat)
     WHERE o.status = 'ACTIVE';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    -- Unchanged memberships are no change.
    WITH same AS (
      SELECT a.entry_id, a.locality, a.category FROM pg_temp.queue_ledger_ar a
        JOIN pg_temp.queue_ledger_lv l USING (entry_id, locality, category, received_at, tie_app)
    ), d1 AS (
      DELETE FROM pg_temp.queue_ledger_ar a USING same s
       WHERE a.entry_id = s.entry_id AND a.locality = s.locality AND a.category = s.category
    )
    DELETE FROM pg_temp.queue_ledger_lv l USING same s
     WHERE l.entry_id = s.entry_id AND l.locality = s.locality AND l.category = s.category;
  END IF;
  SELECT count(*) INTO n_arr FROM pg_temp.queue_ledger_ar;
  SELECT count(*) INTO n_lv FROM pg_temp.queue_ledger_lv;
  IF n_arr = 0 AND n_lv = 0 THEN
    RETURN NULL;
  END IF;
  IF reason IS NULL THEN
    RAISE EXCEPTION 'a change of the queue needs a reason (hpc.queue_change_reason; db/queue-ledger.ts)'
      USING ERRCODE = 'check_violation';
  END IF;
  -- Positions are read after the lock below: only READ COMMITTED sees the changes committed while
  -- waiting for it (a REPEATABLE READ snapshot would miss them and write wrong positions).
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'queue changes must run in READ COMMITTED (db/queue-ledger.ts)' USING ERRCODE = 'check_violation';
  END IF;
  -- One writer per locality at a time, so that positions read here see every earlier change of
  -- the list and change numbers follow commit order. Locks in key order: no deadlock.
  PERFORM pg_advisory_xact_lock(72130030, hashtext(l))
     FROM (SELECT locality::text AS l FROM pg_temp.queue_ledger_ar UNION SELECT locality FROM pg_temp.queue_ledger_lv ORDER BY 1) x;
  change := nextval('queue_change_seq');

  IF n_arr > 2000 AND n_lv = 0 THEN
    -- Bulk arrivals: rank every active entry of the affected localities once.
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_app, reason_code)
    SELECT change, a.locality, a.category, a.entry_id, 'ARRIVED', r.pos, a.received_at, a.tie_app, reason
      FROM pg_temp.queue_ledger_ar a
      JOIN (SELECT q.id, c.cat, row_number() OVER (
                     PARTITION BY q.locality, c.cat
                     ORDER BY q.received_at, coalesce(q.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid), q.id) AS pos
              FROM queue_entries q CROSS JOIN LATERAL unnest(ARRAY['']::text[] || q.categories) AS c(cat)
             WHERE q.status = 'ACTIVE' AND q.locality IN (SELECT DISTINCT locality FROM pg_temp.queue_ledger_ar)) r
        ON r.id = a.entry_id AND r.cat = a.category
     ORDER BY a.locality, a.category, r.pos;
  ELSE
    -- Departures first (their positions are of the list before the statement), then arrivals
    -- (of the list after it).
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_app, reason_code)
    SELECT change, l.locality, l.category, l.entry_id, 'LEFT',
           queue_ahead(l.locality, l.category, l.received_at, l.tie_app, l.entry_id)
           - (SELECT count(*) FROM pg_temp.queue_ledger_ar a WHERE a.locality = l.locality AND a.category = l.category
                AND (a.received_at, a.tie_app, a.entry_id) < (l.received_at, l.tie_app, l.entry_id))
           + (SELECT count(*) FROM pg_temp.queue_ledger_lv o WHERE o.locality = l.locality AND o.category = l.category
                AND (o.received_at, o.tie_app, o.entry_id) < (l.received_at, l.tie_app, l.entry_id))
           + 1,
           l.received_at, l.tie_app, reason
      FROM pg_temp.queue_ledger_lv l ORDER BY l.locality, l.category, l.received_at, l.tie_app, l.entry_id;
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_app, reason_code)
    SELECT change, a.locality, a.category, a.entry_id, 'ARRIVED',
           queue_ahead(a.locality, a.category, a.received_at, a.tie_app, a.entry_id) + 1,
           a.received_at, a.tie_app, reason
      FROM pg_temp.queue_ledger_ar a ORDER BY a.locality, a.category, a.received_at, a.tie_app, a.entry_id;
  END IF;
  -- Each change names its own reason: the next statement cannot inherit this one's.
  PERFORM set_config('hpc.queue_change_reason', '', true);
  RETURN NULL;
END $$;

CREATE TRIGGER queue_ledger_insert AFTER INSERT ON queue_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_ledger_write();
CREATE TRIGGER queue_ledger_update AFTER UPDATE ON queue_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_ledger_write();
CREATE TRIGGER queue_ledger_delete AFTER DELETE ON queue_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_ledger_write();

-- Entries already in the queue when the ledger began: one arrival each, at their present place,
-- all in one change (so none of them counts another as arriving ahead later).
INSERT INTO queue_events (change_no, at, locality, category, entry_id, kind, position, received_at, tie_app, reason_code)
SELECT (SELECT nextval('queue_change_seq')), q.registered_at, q.locality, c.cat, q.id, 'ARRIVED',
       row_number() OVER (PARTITION BY q.locality, c.cat
                          ORDER BY q.received_at, coalesce(q.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid), q.id),
       q.received_at, coalesce(q.application_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid),
       CASE q.source WHEN 'MIGRATED' THEN 'MIGRATED' ELSE 'REGISTERED' END
  FROM queue_entries q CROSS JOIN LATERAL unnest(ARRAY['']::text[] || q.categories) AS c(cat)
 WHERE q.status = 'ACTIVE';
