-- Signed documents (issue #3; R5, R13, R17; docs/eds.md "Signed documents"): applications,
-- consents, hearing positions and final decisions, each with the detached CMS (EDS) over its
-- canonical form. The canonical text itself is stored: it is exactly what was signed, so a stored
-- signature can be verified again at any time (GET /v1/applications/:id/signatures).
--
-- Written in the same transaction as the document it signs: the application row (submission), the
-- consent rows, the position's record (after the workflow took it), the decision row (activity).
-- A signed document never changes; only a submission whose workflow never started is deleted
-- again, with its application (api/routes/submit.ts).
CREATE TABLE signed_documents (
  id                 bigserial PRIMARY KEY,
  application_id     uuid NOT NULL REFERENCES applications (id),
  document_type      text NOT NULL CHECK (document_type IN ('APPLICATION', 'CONSENT', 'POSITION', 'DECISION')),
  -- One row per document: `application`, or `<type>:<sha256>` (the same document signed again
  -- by a retried request is the same row).
  document_key       text NOT NULL,
  canonical          text NOT NULL,
  sha256             char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  cms                text NOT NULL,
  -- Who acted: `role:id` (applicant:<IIN>, officer:HO-0001) or `system`.
  signer_ref         text NOT NULL,
  signer_iin         char(12),
  signer_bin         char(12),
  signer_name        text NOT NULL,
  certificate_serial text NOT NULL,
  signing_time       timestamptz,
  -- When the server received and verified it: the instant a later re-verification is made at.
  received_at        timestamptz NOT NULL,
  UNIQUE (application_id, document_key)
);
CREATE INDEX signed_documents_by_application ON signed_documents (application_id, id);

CREATE FUNCTION signed_documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a signed document cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER signed_documents_guard BEFORE UPDATE ON signed_documents
  FOR EACH ROW EXECUTE FUNCTION signed_documents_immutable();

-- The signature of the final decision: the system's (automated decisions, written with the
-- decision) or the hearing officer's (stored by the API when the officer signed, linked here in
-- the decision's transaction). Null for decisions made before this migration or, in development,
-- by an officer named in the X-HPC-Actor header without a signature.
ALTER TABLE decisions ADD COLUMN signed_document_id bigint REFERENCES signed_documents (id);
