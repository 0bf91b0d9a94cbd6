-- The queue ledger's tie order follows the lists' (issue #11 §1 with issue #14). Since the intake
-- outbox (050_intake_outbox.sql) the lists rank entries received at the very same instant by the
-- order of receipt (receipt_seq; a migrated record, which has none, after), while the ledger of
-- 030_queue_ledger.sql still ranked them by application id: for such entries a history could give
-- positions the list never showed. The ledger now carries the lists' key, tie_seq.
--
-- tie_seq of the rows already written is derived from their entry (an entry's receipt_seq never
-- changes): a sort key, not a recorded fact, so the append-only guard is lifted for this one
-- statement. tie_app stays, NULL from now on, for the rows written before.
ALTER TABLE queue_events ADD COLUMN tie_seq bigint;
ALTER TABLE queue_events DISABLE TRIGGER queue_events_no_update;
UPDATE queue_events e SET tie_seq = coalesce(q.receipt_seq, 9223372036854775807) FROM queue_entries q WHERE q.id = e.entry_id;
ALTER TABLE queue_events ENABLE TRIGGER queue_events_no_update;
ALTER TABLE queue_events ALTER COLUMN tie_seq SET NOT NULL, ALTER COLUMN tie_app DROP NOT NULL;

DROP INDEX queue_events_by_list;
CREATE INDEX queue_events_by_list ON queue_events (locality, category, change_no)
  INCLUDE (received_at, tie_seq, entry_id, kind, position, reason_code, at);

DROP FUNCTION queue_ahead(char(9), text, timestamptz, uuid, bigint);
CREATE FUNCTION queue_ahead(l char(9), cat text, r timestamptz, t bigint, e bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT (SELECT count(*) FROM queue_entries q
           WHERE q.status = 'ACTIVE' AND q.locality = l AND q.received_at < r
             AND (cat = '' OR q.categories @> ARRAY[cat]))
       + (SELECT count(*) FROM queue_entries q
           WHERE q.status = 'ACTIVE' AND q.locality = l AND q.received_at = r
             AND (cat = '' OR q.categories @> ARRAY[cat])
             AND (coalesce(q.receipt_seq, 9223372036854775807), q.id) < (t, e))
$$;

-- Above this many arrivals in one statement (the akimats' import) positions come from one sort of
-- the affected localities instead of one index count per arrival (quadratic at 650,000 rows).
CREATE OR REPLACE FUNCTION queue_ledger_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reason text := nullif(current_setting('hpc.queue_change_reason', true), '');
  change bigint;
  n_arr bigint;
  n_lv bigint;
BEGIN
  -- The lists' memberships before (lv) and after (ar) the statement; an entry whose list, key and
  -- status stay the same is in neither.
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.queue_ledger_ar (entry_id bigint, locality char(9), category text, received_at timestamptz, tie_seq bigint) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.queue_ledger_lv (entry_id bigint, locality char(9), category text, received_at timestamptz, tie_seq bigint) ON COMMIT DROP;
  TRUNCATE pg_temp.queue_ledger_ar, pg_temp.queue_ledger_lv;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO pg_temp.queue_ledger_ar
    SELECT n.id, n.locality, c.cat, n.received_at, coalesce(n.receipt_seq, 9223372036854775807)
      FROM new_rows n CROSS JOIN LATERAL unnest(ARRAY['']::text[] || n.categories) AS c(cat)
     WHERE n.status = 'ACTIVE';
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO pg_temp.queue_ledger_lv
    SELECT o.id, o.locality, c.cat, o.received_at, coalesce(o.receipt_seq, 9223372036854775807)
      FROM old_rows o CROSS JOIN LATERAL unnest(ARRAY['']::text[] || o.categories) AS c(cat)
     WHERE o.status = 'ACTIVE';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    -- Unchanged memberships are no change.
    WITH same AS (
      SELECT a.entry_id, a.locality, a.category FROM pg_temp.queue_ledger_ar a
        JOIN pg_temp.queue_ledger_lv l USING (entry_id, locality, category, received_at, tie_seq)
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
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_seq, reason_code)
    SELECT change, a.locality, a.category, a.entry_id, 'ARRIVED', r.pos, a.received_at, a.tie_seq, reason
      FROM pg_temp.queue_ledger_ar a
      JOIN (SELECT q.id, c.cat, row_number() OVER (
                     PARTITION BY q.locality, c.cat
                     ORDER BY q.received_at, coalesce(q.receipt_seq, 9223372036854775807), q.id) AS pos
              FROM queue_entries q CROSS JOIN LATERAL unnest(ARRAY['']::text[] || q.categories) AS c(cat)
             WHERE q.status = 'ACTIVE' AND q.locality IN (SELECT DISTINCT locality FROM pg_temp.queue_ledger_ar)) r
        ON r.id = a.entry_id AND r.cat = a.category
     ORDER BY a.locality, a.category, r.pos;
  ELSE
    -- Departures first (their positions are of the list before the statement), then arrivals
    -- (of the list after it).
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_seq, reason_code)
    SELECT change, l.locality, l.category, l.entry_id, 'LEFT',
           queue_ahead(l.locality, l.category, l.received_at, l.tie_seq, l.entry_id)
           - (SELECT count(*) FROM pg_temp.queue_ledger_ar a WHERE a.locality = l.locality AND a.category = l.category
                AND (a.received_at, a.tie_seq, a.entry_id) < (l.received_at, l.tie_seq, l.entry_id))
           + (SELECT count(*) FROM pg_temp.queue_ledger_lv o WHERE o.locality = l.locality AND o.category = l.category
                AND (o.received_at, o.tie_seq, o.entry_id) < (l.received_at, l.tie_seq, l.entry_id))
           + 1,
           l.received_at, l.tie_seq, reason
      FROM pg_temp.queue_ledger_lv l ORDER BY l.locality, l.category, l.received_at, l.tie_seq, l.entry_id;
    INSERT INTO queue_events (change_no, locality, category, entry_id, kind, position, received_at, tie_seq, reason_code)
    SELECT change, a.locality, a.category, a.entry_id, 'ARRIVED',
           queue_ahead(a.locality, a.category, a.received_at, a.tie_seq, a.entry_id) + 1,
           a.received_at, a.tie_seq, reason
      FROM pg_temp.queue_ledger_ar a ORDER BY a.locality, a.category, a.received_at, a.tie_seq, a.entry_id;
  END IF;
  -- Each change names its own reason: the next statement cannot inherit this one's.
  PERFORM set_config('hpc.queue_change_reason', '', true);
  RETURN NULL;
END $$;

