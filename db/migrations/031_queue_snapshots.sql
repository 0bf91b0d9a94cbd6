-- Published, signed queue snapshots (issue #11 §4; db/queue-snapshots.ts owns queue_snapshots).
--
-- An entry's opaque public id: random, so nothing about the person (not the IIN, not the
-- registration number) can be derived from it. It is what a snapshot's leaf names.
ALTER TABLE queue_entries ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();

CREATE TABLE queue_snapshots (
  id            bigserial PRIMARY KEY,
  locality      char(9) NOT NULL,
  -- '' for the locality's whole list.
  category      text NOT NULL,
  -- 1, 2, … per list: each snapshot signs its predecessor's root.
  seq           int NOT NULL,
  -- The list as of this ledger change (db/queue-ledger.ts): a list with no change since its last
  -- snapshot gets no new one.
  change_no     bigint NOT NULL,
  built_at      timestamptz NOT NULL,
  tree_size     int NOT NULL,
  root          bytea NOT NULL,
  previous_root bytea,
  -- The signed statement exactly as signed (canonical JSON) and the detached CMS over it.
  statement     text NOT NULL,
  signature     text NOT NULL,
  -- Kept for the latest snapshot of each list only (cleared when a newer one is stored): the
  -- entries in leaf order (8-byte queue_entries.id and 1 byte "published under C3" per leaf) and
  -- every level of the tree (security/merkle.ts), so an inclusion proof reads log2(n) nodes.
  entries       bytea,
  tree          bytea,
  UNIQUE (locality, category, seq)
);
-- Substrings of the tree without decompressing it all.
ALTER TABLE queue_snapshots ALTER COLUMN tree SET STORAGE EXTERNAL;
ALTER TABLE queue_snapshots ALTER COLUMN entries SET STORAGE EXTERNAL;

CREATE FUNCTION queue_snapshots_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only the working copies (entries, tree) of a superseded snapshot may be dropped.
  IF (NEW.id, NEW.locality, NEW.category, NEW.seq, NEW.change_no, NEW.built_at, NEW.tree_size, NEW.root, NEW.previous_root, NEW.statement, NEW.signature)
     IS DISTINCT FROM (OLD.id, OLD.locality, OLD.category, OLD.seq, OLD.change_no, OLD.built_at, OLD.tree_size, OLD.root, OLD.previous_root, OLD.statement, OLD.signature)
     OR NEW.entries IS NOT NULL OR NEW.tree IS NOT NULL THEN
    RAISE EXCEPTION 'a published queue snapshot cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER queue_snapshots_no_change BEFORE UPDATE ON queue_snapshots
  FOR EACH ROW EXECUTE FUNCTION queue_snapshots_append_only();
CREATE TRIGGER queue_snapshots_no_delete BEFORE DELETE ON queue_snapshots
  FOR EACH ROW EXECUTE FUNCTION queue_events_append_only();
