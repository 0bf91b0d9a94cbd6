-- The akimats' queues migrated into the provider's own (issue #4, `hpc import-unified`).
--
-- A migrated record is a queue entry like any other: it holds its place in its locality's list by
-- the akimat's registration instant (received_at), and the one-active-entry-per-person index covers
-- both kinds. It has no application behind it, so application_id is NULL; a NULL sorts after every
-- id, which is what the existing rank (received_at, application_id) already assumes for a tie, and
-- `id` (insertion order, i.e. file order) breaks ties among migrated entries.
ALTER TABLE queue_entries
  ALTER COLUMN application_id DROP NOT NULL,
  ADD COLUMN source text NOT NULL DEFAULT 'APPLICATION',
  -- The code as the akimat gave it (locality is the list it stands in: a district's city, SPEC §4).
  ADD COLUMN kato char(9),
  ADD COLUMN source_akimat text,
  ADD CONSTRAINT queue_entries_source_check CHECK (source IN ('APPLICATION', 'MIGRATED')),
  ADD CONSTRAINT queue_entries_source_shape CHECK (
    CASE source
      WHEN 'APPLICATION' THEN application_id IS NOT NULL
      ELSE application_id IS NULL AND kato IS NOT NULL AND source_akimat IS NOT NULL
    END
  );

-- One entry per application, as before, without indexing the migrated entries' NULLs: the import
-- of the akimats' ~650,000 records should not maintain an index of nothing.
ALTER TABLE queue_entries DROP CONSTRAINT queue_entries_application_id_key;
CREATE UNIQUE INDEX queue_entries_one_per_application ON queue_entries (application_id) WHERE application_id IS NOT NULL;

-- The registry read of R15.1 (activities/registry-activities.ts) and the importer's look-up.
CREATE INDEX queue_entries_migrated_by_iin ON queue_entries (applicant_iin) WHERE source = 'MIGRATED';

-- Registration numbers of migrated entries: `<locality>-M<8 digits>`, apart from the applications'.
CREATE SEQUENCE migrated_registration_number_seq;
