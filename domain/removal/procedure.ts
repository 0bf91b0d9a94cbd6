/**
 * The removal case as a table (issue #11 §2; Housing Law, APPC art. 73): its statuses, who may act
 * in which, and why not. Pure, like domain/procedure/actions.ts and domain/complaints/procedure.ts:
 * the removal workflow's update validators and the API both ask it, and nothing else says which
 * action goes with which status.
 *
 *   HEARING_SCHEDULED   preliminary decision out (grounds needing a hearing); the person may state
 *                       a position until the hearing's time (APPC art. 73, R17's hearing)
 *   AWAITING_DECISION   with the authorised officer, who decides REMOVE or KEEP and signs (EDS)
 *   REMOVED / KEPT      closed: the entry left every list, or stays
 */
import type { Role } from '../procedure/roles';
import type { Localized, Reason } from '../procedure/text';

export const REMOVAL_STATUSES = ['HEARING_SCHEDULED', 'AWAITING_DECISION', 'REMOVED', 'KEPT'] as const;
export type RemovalStatus = (typeof REMOVAL_STATUSES)[number];

export const REMOVAL_OUTCOMES = ['REMOVE', 'KEEP'] as const;
export type RemovalOutcome = (typeof REMOVAL_OUTCOMES)[number];

export const REMOVAL_ACTIONS = ['STATE_REMOVAL_POSITION', 'DECIDE_REMOVAL'] as const;
export type RemovalAction = (typeof REMOVAL_ACTIONS)[number];

export interface RemovalCaseState {
  status: RemovalStatus;
  /** Whether the person has stated a position already (one per hearing). */
  positionStated: boolean;
}

const reason = (code: string, kk: string, ru: string, en: string): Reason => ({ code, kk, ru, en });

export const REMOVAL_REASONS = {
  CLOSED: reason(
    'REMOVAL_CLOSED',
    'Есептен шығару ісі бойынша шешім қабылданған: бұл әрекет енді мүмкін емес',
    'По делу о снятии с учёта принято решение: это действие больше невозможно',
    'The removal case is decided: this action is no longer possible',
  ),
  NOT_IN_HEARING: reason(
    'REMOVAL_NOT_IN_HEARING',
    'Ұстанымды алдын ала шешім шыққаннан кейін тыңдау уақытына дейін ғана білдіруге болады (ӘРПК 73-бабы)',
    'Позицию можно выразить только после предварительного решения и до времени заслушивания (статья 73 АППК)',
    'A position is stated only after the preliminary decision and before the hearing (APPC art. 73)',
  ),
  POSITION_ALREADY_STATED: reason(
    'REMOVAL_POSITION_ALREADY_STATED',
    'Ұстаным бұрын білдірілген',
    'Позиция уже выражена',
    'A position has already been stated',
  ),
  HEARING_PENDING: reason(
    'REMOVAL_HEARING_PENDING',
    'Шешім тыңдаудан кейін ғана қабылданады (ӘРПК 73-бабы): тыңдау уақыты әлі келген жоқ',
    'Решение принимается только после заслушивания (статья 73 АППК): время заслушивания ещё не наступило',
    'The decision follows the hearing (APPC art. 73): the hearing has not been held yet',
  ),
  ROLE: reason('ROLE_NOT_ALLOWED', 'Бұл әрекетті басқа лауазымды тұлға орындайды', 'Это действие выполняет другое должностное лицо', 'Another official takes this action'),
} as const;

export function isRemovalClosed(status: RemovalStatus): boolean {
  return status === 'REMOVED' || status === 'KEPT';
}

const RULES: Record<RemovalAction, { by: readonly Role[]; rule: string; refuse(s: RemovalCaseState): Reason | undefined }> = {
  // APPC art. 73: the person concerned states their position before the hearing.
  STATE_REMOVAL_POSITION: {
    // The person on the entry, or their representative confirmed by the registry (R13), as in the application procedure.
    by: ['applicant', 'representative'],
    rule: 'APPC art. 73',
    refuse: (s) =>
      isRemovalClosed(s.status)
        ? REMOVAL_REASONS.CLOSED
        : s.status !== 'HEARING_SCHEDULED'
          ? REMOVAL_REASONS.NOT_IN_HEARING
          : s.positionStated
            ? REMOVAL_REASONS.POSITION_ALREADY_STATED
            : undefined,
  },
  // Housing Law (interpretation `removal.decidedBy`): the authorised officer decides and signs.
  DECIDE_REMOVAL: {
    by: ['officer'],
    rule: 'Housing Law; APPC art. 73',
    refuse: (s) =>
      isRemovalClosed(s.status) ? REMOVAL_REASONS.CLOSED : s.status === 'HEARING_SCHEDULED' ? REMOVAL_REASONS.HEARING_PENDING : undefined,
  },
};

export interface AllowedRemovalAction {
  action: RemovalAction;
  allowed: boolean;
  rule: string;
  reason?: Reason;
}

/** What this actor may do in the removal case now, each with the reason when not. */
export function allowedRemovalActions(state: RemovalCaseState, actor: { role: Role }): AllowedRemovalAction[] {
  return REMOVAL_ACTIONS.filter((a) => RULES[a].by.includes(actor.role)).map((action) => {
    const why = RULES[action].refuse(state);
    return { action, allowed: why === undefined, rule: RULES[action].rule, ...(why ? { reason: why } : {}) };
  });
}

/** The refusal for one action, or undefined when allowed (the validators' and the API's question). */
export function removalActionRefusal(state: RemovalCaseState, actor: { role: Role }, action: RemovalAction): Reason | undefined {
  if (!RULES[action].by.includes(actor.role)) return REMOVAL_REASONS.ROLE;
  return RULES[action].refuse(state);
}

export const REMOVAL_STATUS_TEXT: Readonly<Record<RemovalStatus, Localized>> = {
  HEARING_SCHEDULED: {
    kk: 'Есептен шығару туралы алдын ала шешім: тыңдау тағайындалды',
    ru: 'Предварительное решение о снятии с учёта: назначено заслушивание',
    en: 'Preliminary decision to remove: hearing scheduled',
  },
  AWAITING_DECISION: { kk: 'Уәкілетті лауазымды тұлғаның шешімін күтуде', ru: 'Ожидает решения уполномоченного должностного лица', en: "Awaiting the officer's decision" },
  REMOVED: { kk: 'Есептен шығарылды', ru: 'Снят с учёта', en: 'Removed from the register' },
  KEPT: { kk: 'Есепте қалдырылды', ru: 'Оставлен на учёте', en: 'Kept on the register' },
};
