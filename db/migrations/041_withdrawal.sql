-- Issue #11 §2: a registered person withdraws from the queue with a signed application (EDS).
-- Keeps the complaint's types of 020 (COMPLAINT, CASE_FILE).
-- The signature is kept like every other signed document of the case.
ALTER TABLE signed_documents DROP CONSTRAINT signed_documents_document_type_check;
ALTER TABLE signed_documents ADD CONSTRAINT signed_documents_document_type_check
  CHECK (document_type IN ('APPLICATION', 'CONSENT', 'POSITION', 'DECISION', 'COMPLAINT', 'CASE_FILE', 'WITHDRAWAL'));
