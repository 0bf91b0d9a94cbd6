/**
 * The procedure table: which action, by whom, in which status (SPEC §7, R13, R17, A1.9.4).
 *
 * `allowedActions(state, actor)` is the one answer to "what may this actor do now?": the workflow's
 * update validators, the API (a 409 with the reason before an update is sent) and the front ends
 * all ask it. Nowhere else says which action goes with which status.
 *
 * Who may call an endpoint at all (and on whose case) is security/policy/policy.json; the table here
 * adds the procedure's own condition. test/unit/procedure-table.test.ts checks the two agree on
 * the roles.
 */
import { isDecided, type CaseFlag, type CaseStatus, type ProcedureState } from './statuses';
import type { Reason } from './text';

import { PERSON_ROLES, ROLES, type Role } from './roles';

export type { Role };
const PARTIES: readonly Role[] = PERSON_ROLES;

export const CASE_ACTIONS = [
  'UPLOAD_REPORT', // R7.2, A1.8.2; before the hearing also a corrected one (R17)
  'STATE_POSITION', // R17
  'GIVE_CONSENT', // R17, A1.9.4
  'REQUEST_RECHECK', // R17, R9
  'WITHDRAW_CONSENT', // R12, Personal Data Law art. 8: always; its effect on the case differs (A1.9.4)
  'REVIEW_REPORT', // R13, A1.8.2, R15.6
  'RECORD_HEARING_OUTCOME', // R17
  'SIGN_FINAL_REFUSAL', // R17: the authorised person signs the refusal after a hearing without a position
  'RETRY_FAILED_STEP', // operations: a step that failed on bad data, after the data is mended
  'REQUEST_CATEGORY_RECHECK', // R9 after registration (issue #11 §2): a category the registry now confirms
  'WITHDRAW_FROM_QUEUE', // issue #11 §2: the registered person leaves every list (Housing Law; interpretation, Order 130 is silent)
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface ActionRule {
  /** Who takes the action. */
  by: readonly Role[];
  /** The rule it rests on, for the reasons and the docs. */
  rule: string;
  /** Undefined when allowed in this state; otherwise why not. */
  refuse(state: ProcedureState): Reason | undefined;
}

const REASONS = {
  CASE_DECIDED: {
    code: 'CASE_DECIDED',
    kk: 'Өтініш бойынша түпкілікті шешім қабылданған: бұл әрекет енді мүмкін емес',
    ru: 'По заявлению принято окончательное решение: это действие больше невозможно',
    en: 'The case is decided: this action is no longer possible',
  },
  ON_HOLD: {
    code: 'CASE_ON_HOLD',
    kk: 'Өтінішті өңдеу тоқтатылды: әкімші қатені түзеткенше әрекет қабылданбайды',
    ru: 'Обработка заявления приостановлена: пока администратор не устранит ошибку, действия не принимаются',
    en: 'Processing is on hold: no action is taken until an administrator mends the error',
  },
  ONLY_BEFORE_HEARING: {
    code: 'ONLY_BEFORE_HEARING',
    kk: 'Бұл әрекет алдын ала шешім шыққаннан кейін тыңдауға дейін ғана мүмкін (R17)',
    ru: 'Это действие возможно только после предварительного решения и до заслушивания (R17)',
    en: 'This action is possible only after a preliminary decision and before the hearing (R17)',
  },
  EMERGENCY_PATH_ONLY: {
    code: 'EMERGENCY_PATH_ONLY',
    kk: 'Техникалық қорытынды тек апатты тұрғын үй бойынша өтінішке қатысты (R7.2)',
    ru: 'Техническое заключение относится только к заявлению по аварийному жилью (R7.2)',
    en: 'A technical report belongs to the emergency path (R7.2)',
  },
  REPORT_NOT_NOW: {
    code: 'REPORT_NOT_EXPECTED',
    kk: 'Өтініш қазір техникалық қорытындыны қабылдамайды',
    ru: 'Сейчас заявление не принимает техническое заключение',
    en: 'The case does not take a technical report now',
  },
  NO_REPORT_TO_REVIEW: {
    code: 'NO_REPORT_TO_REVIEW',
    kk: 'Қарауды күтіп тұрған техникалық қорытынды жоқ',
    ru: 'Нет технического заключения, ожидающего рассмотрения',
    en: 'No technical report is awaiting review',
  },
  NO_OUTCOME_DUE: {
    code: 'NO_HEARING_OUTCOME_DUE',
    kk: 'Қазір тыңдау нәтижесі бойынша шешім күтілмейді (R17)',
    ru: 'Сейчас решение по итогам заслушивания не ожидается (R17)',
    en: 'No hearing outcome is due now (R17)',
  },
  NO_REFUSAL_TO_SIGN: {
    code: 'NO_FINAL_REFUSAL_TO_SIGN',
    kk: 'Қол қоюды күтіп тұрған түпкілікті бас тарту жоқ (R17)',
    ru: 'Нет окончательного отказа, ожидающего подписи (R17)',
    en: 'No final refusal is awaiting signature (R17)',
  },
  NOT_REGISTERED: {
    code: 'NOT_REGISTERED',
    kk: 'Өтініш беруші кезекте тұрған жоқ: кезектен тек есепке алынған адам шыға алады',
    ru: 'Заявитель не состоит в очереди: выйти из очереди может только поставленный на учёт',
    en: 'The applicant is not in the queue: only a registered person can leave it',
  },
  ALREADY_LEFT: {
    code: 'ALREADY_LEFT_QUEUE',
    kk: 'Жазба кезектен бұрын шығарылған',
    ru: 'Запись уже исключена из очереди',
    en: 'The entry has already left the queue',
  },
  NOTHING_FAILED: {
    code: 'NO_FAILED_STEP',
    kk: 'Өтініште қатемен аяқталған қадам жоқ',
    ru: 'В заявлении нет шага, завершившегося ошибкой',
    en: 'No step of the case has failed',
  },
} as const satisfies Record<string, Reason>;

function notYourRole(by: readonly Role[]): Reason {
  return {
    code: 'NOT_YOUR_ROLE',
    kk: 'Бұл әрекетті басқа рөл орындайды',
    ru: 'Это действие выполняет другая роль',
    en: `This action is taken by ${by.join(' or ')}`,
  };
}

const has = (state: ProcedureState, flag: CaseFlag): boolean => state.flags.includes(flag);

/** The common conditions first: a decided case takes nothing, a case on hold only the mend. */
function open(state: ProcedureState, check: (s: ProcedureState) => Reason | undefined): Reason | undefined {
  if (isDecided(state.status)) return REASONS.CASE_DECIDED;
  if (has(state, 'STEP_FAILED')) return REASONS.ON_HOLD;
  return check(state);
}

const inStatus = (statuses: readonly CaseStatus[], reason: Reason) => (s: ProcedureState) => (statuses.includes(s.status) ? undefined : reason);

export const PROCEDURE_TABLE: Readonly<Record<CaseAction, ActionRule>> = {
  UPLOAD_REPORT: {
    by: PARTIES,
    rule: 'R7.2, A1.8.2, R17',
    refuse: (s) =>
      open(s, (st) =>
        st.path !== 'EMERGENCY' ? REASONS.EMERGENCY_PATH_ONLY : inStatus(['RECEIVED', 'CHECKING', 'AWAITING_REPORT', 'HEARING_SCHEDULED'], REASONS.REPORT_NOT_NOW)(st),
      ),
  },
  STATE_POSITION: { by: PARTIES, rule: 'R17', refuse: (s) => open(s, inStatus(['HEARING_SCHEDULED'], REASONS.ONLY_BEFORE_HEARING)) },
  GIVE_CONSENT: { by: PARTIES, rule: 'R17, A1.9.4', refuse: (s) => open(s, inStatus(['HEARING_SCHEDULED'], REASONS.ONLY_BEFORE_HEARING)) },
  REQUEST_RECHECK: { by: PARTIES, rule: 'R17, R9', refuse: (s) => open(s, inStatus(['HEARING_SCHEDULED'], REASONS.ONLY_BEFORE_HEARING)) },
  // A person may always withdraw a consent (Personal Data Law art. 8); what it does to the case
  // depends on the stage (reference/interpretations.json `consentWithdrawal`).
  WITHDRAW_CONSENT: { by: PARTIES, rule: 'R12, A1.9.4', refuse: () => undefined },
  REVIEW_REPORT: { by: ['operator'], rule: 'R13, A1.8.2, R15.6', refuse: (s) => open(s, inStatus(['AWAITING_REVIEW'], REASONS.NO_REPORT_TO_REVIEW)) },
  RECORD_HEARING_OUTCOME: { by: ['officer'], rule: 'R17', refuse: (s) => open(s, inStatus(['AWAITING_HEARING_OUTCOME'], REASONS.NO_OUTCOME_DUE)) },
  SIGN_FINAL_REFUSAL: { by: ['officer'], rule: 'R17', refuse: (s) => open(s, inStatus(['AWAITING_FINAL_SIGNATURE'], REASONS.NO_REFUSAL_TO_SIGN)) },
  RETRY_FAILED_STEP: {
    by: ['administrator'],
    rule: '-',
    refuse: (s) => (has(s, 'STEP_FAILED') ? undefined : REASONS.NOTHING_FAILED),
  },
  // R9: once the state body corrected its data, the registered person asks for their unconfirmed
  // categories to be checked again (whether any is unconfirmed is the API's to see: the state here
  // does not carry the categories).
  REQUEST_CATEGORY_RECHECK: {
    by: PARTIES,
    rule: 'R9, R10',
    refuse: (s) => (s.status !== 'REGISTERED' ? REASONS.NOT_REGISTERED : has(s, 'LEFT_QUEUE') ? REASONS.ALREADY_LEFT : undefined),
  },
  // The person's own application to be removed from the register. Order 130 is silent on removal;
  // the Housing Law provides for it (issue #11 §2) — an interpretation, listed in the README.
  WITHDRAW_FROM_QUEUE: {
    by: PARTIES,
    rule: 'Housing Law (removal on the person’s application; interpretation)',
    refuse: (s) => (s.status !== 'REGISTERED' ? REASONS.NOT_REGISTERED : has(s, 'LEFT_QUEUE') ? REASONS.ALREADY_LEFT : undefined),
  },
};

export type ActionAvailability = { action: CaseAction; allowed: true } | { action: CaseAction; allowed: false; reason: Reason };

/** Whether `actor` may take `action` now, and if not, why (kk/ru/en). */
export function checkAction(state: ProcedureState, actor: { role: Role }, action: CaseAction): ActionAvailability {
  const row = PROCEDURE_TABLE[action];
  if (!row.by.includes(actor.role)) return { action, allowed: false, reason: notYourRole(row.by) };
  const reason = row.refuse(state);
  return reason ? { action, allowed: false, reason } : { action, allowed: true };
}

/** Every action of the procedure, each allowed or with the reason why not, for this actor now. */
export function allowedActions(state: ProcedureState, actor: { role: Role }): ActionAvailability[] {
  return CASE_ACTIONS.map((a) => checkAction(state, actor, a));
}

/** `role:id` → the role, when it is one of the procedure's roles. */
export function roleOf(actorRef: string): Role | undefined {
  const role = actorRef.slice(0, actorRef.indexOf(':'));
  return (ROLES as readonly string[]).includes(role) ? (role as Role) : undefined;
}
