-- Issue #11 §3: the personal cabinet and the staff worklists.

-- Which cabinet notice which person has read (GET /v1/cabinet/notices, POST …/:noticeId/read).
-- Per reader: the applicant and their representative each have their own read state. Marking
-- read twice keeps the first instant (idempotent). Owned by db/cases/cabinet.ts.
CREATE TABLE notice_reads (
  notice_id  uuid NOT NULL REFERENCES notices (id),
  reader_iin char(12) NOT NULL,
  read_at    timestamptz NOT NULL,
  PRIMARY KEY (notice_id, reader_iin)
);

-- The cabinet lists a person's cabinet notices newest first, case by case.
CREATE INDEX notices_cabinet_by_case ON notices (application_id, issued_at DESC, id DESC) WHERE channel = 'CABINET';

-- The staff worklists (db/cases/worklist.ts): open cases by stage, soonest due first.
CREATE INDEX applications_worklist ON applications (case_status, decision_due_at, id) WHERE status = 'ACTIVE';
