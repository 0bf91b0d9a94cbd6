/**
 * The complaint procedure as a table (R18, R19; SPEC §8): its statuses, who may act in which, and
 * when a complaint may be filed at all. Pure, like domain/procedure/: the complaint workflow's
 * validators and the API both ask `allowedComplaintActions`, and nothing else says which action
 * goes with which status.
 */
import type { CaseStatus, ProcedureState } from '../procedure/statuses';
import { isDecided } from '../procedure/statuses';
import type { Role } from '../procedure/roles';
import type { Localized, Reason } from '../procedure/text';

/** What the complaint is about (R18: "шешіміне, әрекетіне (әрекетсіздігіне)"). */
export const COMPLAINT_SUBJECTS = ['DECISION', 'ACTION', 'INACTION'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];

export const COMPLAINT_STATUSES = [
  'RECEIVED', // out of hours: registered at 09:00 of the next working day (SPEC §8 Interpretation)
  'WITH_PROVIDER', // registered; the head may satisfy it within the forwarding term (R19)
  'SATISFIED_BY_PROVIDER', // the head satisfied it fully: not forwarded (R19) — closed
  'FORWARDED', // with the review body and the administrative case file (R19)
  'DECIDED', // the review body decided (R18) — closed
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_FLAGS = ['OVERDUE'] as const;
export type ComplaintFlag = (typeof COMPLAINT_FLAGS)[number];

/** How a satisfied complaint acts on its case. */
export const COMPLAINT_REMEDIES = [
  'REGISTER', // the refusal is cancelled and the person registered, keeping the original receivedAt (SPEC §8)
  'ACTION_TAKEN', // the action the complaint asked for was taken in the case itself (a decision made, a hearing held)
] as const;
export type ComplaintRemedy = (typeof COMPLAINT_REMEDIES)[number];

export const PROVIDER_OUTCOMES = ['SATISFIED', 'FORWARD'] as const;
export type ProviderOutcome = (typeof PROVIDER_OUTCOMES)[number];
export const REVIEW_BODY_OUTCOMES = ['SATISFIED', 'PARTLY_SATISFIED', 'REFUSED'] as const;
export type ReviewBodyOutcome = (typeof REVIEW_BODY_OUTCOMES)[number];

export const COMPLAINT_ACTIONS = ['PROVIDER_DECISION', 'REVIEW_BODY_DECISION'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export interface ComplaintState {
  status: ComplaintStatus;
  flags: readonly ComplaintFlag[];
}

const reason = (code: string, kk: string, ru: string, en: string): Reason => ({ code, kk, ru, en });

export const COMPLAINT_REASONS = {
  CLOSED: reason(
    'COMPLAINT_CLOSED',
    'Шағым бойынша шешім қабылданған: бұл әрекет енді мүмкін емес',
    'По жалобе принято решение: это действие больше невозможно',
    'The complaint is decided: this action is no longer possible',
  ),
  NOT_WITH_PROVIDER: reason(
    'COMPLAINT_NOT_WITH_PROVIDER',
    'Берушінің басшысы шағымды тіркелгеннен кейін және шағымды қарайтын органға жіберілгенге дейін ғана шеше алады (R19)',
    'Руководитель услугодателя решает по жалобе только после её регистрации и до направления в орган по рассмотрению жалоб (R19)',
    'The head decides only after the complaint is registered and before it is forwarded to the review body (R19)',
  ),
  NOT_FORWARDED: reason(
    'COMPLAINT_NOT_FORWARDED',
    'Шағымды қарайтын орган шағым өзіне жіберілгеннен кейін ғана шешім қабылдайды (R18, R19)',
    'Орган по рассмотрению жалоб решает только по направленной ему жалобе (R18, R19)',
    'The review body decides only a complaint forwarded to it (R18, R19)',
  ),
  ROLE: reason(
    'ROLE_NOT_ALLOWED',
    'Бұл әрекетті басқа лауазымды тұлға орындайды',
    'Это действие выполняет другое должностное лицо',
    'Another official takes this action',
  ),
} as const;

const RULES: Record<ComplaintAction, { by: readonly Role[]; rule: string; refuse(s: ComplaintState): Reason | undefined }> = {
  PROVIDER_DECISION: {
    by: ['head'],
    rule: 'R19',
    refuse: (s) => (isClosed(s.status) ? COMPLAINT_REASONS.CLOSED : s.status !== 'WITH_PROVIDER' ? COMPLAINT_REASONS.NOT_WITH_PROVIDER : undefined),
  },
  REVIEW_BODY_DECISION: {
    by: ['complaint-review'],
    rule: 'R18',
    refuse: (s) => (isClosed(s.status) ? COMPLAINT_REASONS.CLOSED : s.status !== 'FORWARDED' ? COMPLAINT_REASONS.NOT_FORWARDED : undefined),
  },
};

export function isClosed(status: ComplaintStatus): boolean {
  return status === 'SATISFIED_BY_PROVIDER' || status === 'DECIDED';
}

export interface AllowedComplaintAction {
  action: ComplaintAction;
  allowed: boolean;
  rule: string;
  reason?: Reason;
}

/** What this actor may do in the complaint now, each with the reason when not. */
export function allowedComplaintActions(state: ComplaintState, actor: { role: Role }): AllowedComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((a) => RULES[a].by.includes(actor.role)).map((action) => {
    const why = RULES[action].refuse(state);
    return { action, allowed: why === undefined, rule: RULES[action].rule, ...(why ? { reason: why } : {}) };
  });
}

/** The first refusal for one action, or undefined when allowed (the validators' question). */
export function complaintActionRefusal(state: ComplaintState, actor: { role: Role }, action: ComplaintAction): Reason | undefined {
  if (!RULES[action].by.includes(actor.role)) return COMPLAINT_REASONS.ROLE;
  return RULES[action].refuse(state);
}

const FILING = {
  NO_DECISION_YET: reason(
    'NOTHING_DECIDED_YET',
    'Шешімге шағым шешім (немесе алдын ала шешім) шыққаннан кейін беріледі',
    'Жалоба на решение подаётся после решения (или предварительного решения)',
    'A complaint about a decision is filed once a decision (or a preliminary decision) is out',
  ),
  NOT_OVERDUE: reason(
    'CASE_NOT_OVERDUE',
    'Әрекетсіздікке шағым өтінішті қарау мерзімі өткенде беріледі (R13, R18)',
    'Жалоба на бездействие подаётся, когда срок рассмотрения заявления истёк (R13, R18)',
    'A complaint about inaction is filed once the case is overdue (R13, R18)',
  ),
  NOT_ACCEPTED: reason(
    'CASE_NOT_ACCEPTED',
    'Өтініш әлі қабылданбаған: шағым оны қабылдағаннан кейін беріледі',
    'Заявление ещё не принято: жалоба подаётся после его приёма',
    'The application is not accepted yet: a complaint can follow its acceptance',
  ),
} as const;

/**
 * Whether the party may file a complaint of this subject about their case now (R18): about a
 * decision once one (or the preliminary one, R17) is out; about inaction while the case is overdue;
 * about an action of the provider once the case is accepted.
 */
export function complaintFilingRefusal(c: ProcedureState & { preliminaryDecided: boolean }, subject: ComplaintSubject): Reason | undefined {
  const notAccepted: readonly CaseStatus[] = ['RECEIVED'];
  if (notAccepted.includes(c.status)) return FILING.NOT_ACCEPTED;
  switch (subject) {
    case 'DECISION':
      return isDecided(c.status) || c.preliminaryDecided ? undefined : FILING.NO_DECISION_YET;
    case 'INACTION':
      return c.flags.includes('OVERDUE') ? undefined : FILING.NOT_OVERDUE;
    case 'ACTION':
      return undefined;
  }
}

export const COMPLAINT_STATUS_TEXT: Readonly<Record<ComplaintStatus, Localized>> = {
  RECEIVED: { kk: 'Шағым алынды, келесі жұмыс күні тіркеледі', ru: 'Жалоба получена, будет зарегистрирована в следующий рабочий день', en: 'Received; registered on the next working day' },
  WITH_PROVIDER: { kk: 'Шағымды берушінің басшысы қарауда', ru: 'Жалоба на рассмотрении у руководителя услугодателя', en: 'With the head of the provider' },
  SATISFIED_BY_PROVIDER: { kk: 'Шағым берушінің басшысымен қанағаттандырылды', ru: 'Жалоба удовлетворена руководителем услугодателя', en: 'Satisfied by the head of the provider' },
  FORWARDED: { kk: 'Шағым шағымды қарайтын органға жіберілді', ru: 'Жалоба направлена в орган по рассмотрению жалоб', en: 'Forwarded to the complaint review body' },
  DECIDED: { kk: 'Шағымды қарайтын орган шешім қабылдады', ru: 'Орган по рассмотрению жалоб принял решение', en: 'Decided by the complaint review body' },
};
