-- The size of every published list, kept as the queue changes (api/routes/public.ts queueListPage).
-- Counting a locality's active entries for every page read cost tens of milliseconds at a million
-- entries (bench/README.md, load); these totals cost one row read.
--
-- category '' is the whole locality's list; any other value is that category's list within it.
CREATE TABLE queue_list_totals (
  locality char(9) NOT NULL,
  category text NOT NULL,
  -- No CHECK (active >= 0): an upsert of a negative change checks the proposed row before it
  -- meets the existing one.
  active   bigint NOT NULL,
  PRIMARY KEY (locality, category)
);

-- Statement-level triggers with transition tables: a COPY of a million migrated entries updates the
-- totals once, not a million times. Rows are upserted in key order so that two transactions never
-- lock the same totals in opposite orders.
CREATE FUNCTION queue_list_totals_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_list_totals AS t (locality, category, active)
    SELECT locality, category, sum(delta) FROM (
      SELECT locality, '' AS category, 1 AS delta FROM new_rows WHERE status = 'ACTIVE'
      UNION ALL
      SELECT locality, unnest(categories), 1 FROM new_rows WHERE status = 'ACTIVE'
    ) d GROUP BY locality, category ORDER BY locality, category
    ON CONFLICT (locality, category) DO UPDATE SET active = t.active + EXCLUDED.active;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE queue_list_totals t SET active = t.active - d.n FROM (
      SELECT locality, category, count(*) AS n FROM (
        SELECT locality, '' AS category FROM old_rows WHERE status = 'ACTIVE'
        UNION ALL
        SELECT locality, unnest(categories) FROM old_rows WHERE status = 'ACTIVE'
      ) x GROUP BY locality, category ORDER BY locality, category
    ) d WHERE t.locality = d.locality AND t.category = d.category;
  ELSE
    INSERT INTO queue_list_totals AS t (locality, category, active)
    SELECT locality, category, sum(delta) FROM (
      SELECT locality, '' AS category, 1 AS delta FROM new_rows WHERE status = 'ACTIVE'
      UNION ALL
      SELECT locality, unnest(categories), 1 FROM new_rows WHERE status = 'ACTIVE'
      UNION ALL
      SELECT locality, '', -1 FROM old_rows WHERE status = 'ACTIVE'
      UNION ALL
      SELECT locality, unnest(categories), -1 FROM old_rows WHERE status = 'ACTIVE'
    ) d GROUP BY locality, category HAVING sum(delta) <> 0 ORDER BY locality, category
    ON CONFLICT (locality, category) DO UPDATE SET active = t.active + EXCLUDED.active;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER queue_list_totals_insert AFTER INSERT ON queue_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_list_totals_maintain();
CREATE TRIGGER queue_list_totals_update AFTER UPDATE ON queue_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_list_totals_maintain();
CREATE TRIGGER queue_list_totals_delete AFTER DELETE ON queue_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_list_totals_maintain();

INSERT INTO queue_list_totals (locality, category, active)
SELECT locality, category, count(*) FROM (
  SELECT locality, '' AS category FROM queue_entries WHERE status = 'ACTIVE'
  UNION ALL
  SELECT locality, unnest(categories) FROM queue_entries WHERE status = 'ACTIVE'
) x GROUP BY locality, category;
