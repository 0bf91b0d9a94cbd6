/**
 * The one owner of every SQL statement on the case tables: applications, case_events,
 * preliminary_decisions, decisions, queue_entries, notices, documents, signed_documents,
 * case_action_requests, reference_snapshots, and notice_reads (the cabinet's read state, cabinet.ts). Activities and the API call these functions; no
 * other production module writes SQL against those tables. (The akimats' bulk import, import/,
 * loads queue_entries with COPY through staging tables of its own, and the development tools —
 * bench/, chaos/ — read the tables directly to check the system from outside.)
 */
export * from './applications';
export * from './progress';
export * from './decisions';
export * from './queue';
export * from './notices';
export * from './documents';
export * from './signed-documents';
export * from './action-requests';
export * from './cabinet';
export * from './worklist';
