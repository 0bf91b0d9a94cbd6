-- The published list walks this index in list order (api/routes/public.ts queueListPage): with `id`
-- as its last key — the tie-break among migrated entries of the same instant (004) — a page is read
-- straight off the index, OFFSET and LIMIT, without ranking the whole locality first.
DROP INDEX queue_entries_list_order;
CREATE INDEX queue_entries_list_order ON queue_entries (locality, received_at, application_id, id) WHERE status = 'ACTIVE';
