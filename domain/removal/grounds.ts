/**
 * The grounds of removal from the register (Housing Law; issue #11 §2), what a person reads for
 * each, and which of them go against the person so that APPC art. 73 asks for a preliminary
 * decision and a hearing. Order 130 is silent on removal: every reading here is an interpretation,
 * named in reference/interpretations.json `removal` and taken from the case's pinned snapshot.
 * Pure: the workflow bundle imports it.
 */
import type { RemovalGround } from '../../workflows/removal/contract';
import type { ReferenceSnapshot } from '../procedure/reference';
import type { Localized } from '../procedure/text';

export type { RemovalGround } from '../../workflows/removal/contract';

export const REMOVAL_GROUNDS = ['HOUSING_PROVIDED', 'HOUSING_ACQUIRED', 'DIED', 'DATA_UNRELIABLE'] as const satisfies readonly RemovalGround[];

/** The ground as the notices and the API name it (Housing Law; interpretation `removal._grounds`). */
export const REMOVAL_GROUND_TEXT: Readonly<Record<RemovalGround, Localized>> = {
  HOUSING_PROVIDED: {
    kk: 'тұрғын үй берілді (Тұрғын үй қатынастары туралы заң)',
    ru: 'предоставлено жилище (Закон «О жилищных отношениях»)',
    en: 'housing provided (Housing Law)',
  },
  HOUSING_ACQUIRED: {
    kk: 'тұрғын үй сатып алынды, тұрғын үйге мұқтаждық жойылды (Тұрғын үй қатынастары туралы заң)',
    ru: 'приобретено жилище, нуждаемость в жилище отпала (Закон «О жилищных отношениях»)',
    en: 'housing acquired: the need for housing ended (Housing Law)',
  },
  DIED: {
    kk: 'адам қайтыс болды (жеке тұлғалар тізілімі)',
    ru: 'смерть гражданина (реестр физических лиц)',
    en: 'the person died (persons registry)',
  },
  DATA_UNRELIABLE: {
    kk: 'есепке алу негізделген деректер дұрыс емес деп анықталды (Тұрғын үй қатынастары туралы заң)',
    ru: 'сведения, на основании которых гражданин поставлен на учёт, признаны недостоверными (Закон «О жилищных отношениях»)',
    en: 'the data the registration rested on was found unreliable (Housing Law)',
  },
};

/** Interpretation `removal.hearingGrounds`, used when a pinned snapshot predates it. */
const DEFAULT_HEARING_GROUNDS: readonly RemovalGround[] = ['HOUSING_ACQUIRED', 'DATA_UNRELIABLE'];
/** Interpretation `removal.decisionWorkingDays`, likewise. */
const DEFAULT_DECISION_WORKING_DAYS = 3;

interface RemovalInterpretation {
  hearingGrounds?: readonly string[];
  decisionWorkingDays?: number;
}

function removalInterpretation(reference: ReferenceSnapshot): RemovalInterpretation {
  // A snapshot pinned before the removal interpretations were added has none: the defaults above are the same values.
  return ((reference.interpretations as { removal?: RemovalInterpretation }).removal ?? {}) as RemovalInterpretation;
}

export function isRemovalGround(value: unknown): value is RemovalGround {
  return typeof value === 'string' && (REMOVAL_GROUNDS as readonly string[]).includes(value);
}

/**
 * APPC art. 73 (interpretation `removal.hearingGrounds`): HOUSING_ACQUIRED and DATA_UNRELIABLE go
 * against the person on facts they may dispute → preliminary decision and hearing.
 * HOUSING_PROVIDED (the provider's own act) and DIED (the persons registry; nobody to hear) →
 * no hearing, the officer signs directly.
 */
export function groundNeedsHearing(reference: ReferenceSnapshot, ground: RemovalGround): boolean {
  const listed = removalInterpretation(reference).hearingGrounds ?? DEFAULT_HEARING_GROUNDS;
  return listed.includes(ground);
}

/** Interpretation `removal.decisionWorkingDays`: the officer's term on a case without a hearing. */
export function decisionWorkingDays(reference: ReferenceSnapshot): number {
  return removalInterpretation(reference).decisionWorkingDays ?? DEFAULT_DECISION_WORKING_DAYS;
}
