/**
 * Building blocks for grounds and their reasons in Kazakh, Russian and English (SPEC §5: a refusal
 * lists every ground with the facts and the registry answer behind it). The wording of each rule
 * lives next to the rule's check; this module only holds what they share.
 *
 * Reasons use a "Subject: what was found" form so that Kazakh and Russian text never has to agree
 * a verb with the subject's gender or number.
 */
import type { Ground, GroundId } from '../application';
import type { IsoDate, IsoInstant, OwnershipRecord } from '../registry-facts';
import type { Subject } from './context';
import { formatDotted, isIsoDate, kazakhstanDate } from './dates';
import { localityOf } from './locality';

export type Localized = Ground['reason'];

export function subjectLabel(role: Subject['role'], iin: string): Localized {
  switch (role) {
    case 'APPLICANT':
      return { kk: 'Өтініш беруші', ru: 'Заявитель', en: 'Applicant' };
    case 'SPOUSE':
      return {
        kk: `Өтініш берушінің жұбайы (ЖСН ${iin})`,
        ru: `Супруг(а) заявителя (ИИН ${iin})`,
        en: `Applicant's spouse (IIN ${iin})`,
      };
    case 'CHILD':
      return {
        kk: `Өтініш берушінің баласы (ЖСН ${iin})`,
        ru: `Ребёнок заявителя (ИИН ${iin})`,
        en: `Applicant's child (IIN ${iin})`,
      };
    case 'REPRESENTATIVE':
      return { kk: `Өкіл (ЖСН ${iin})`, ru: `Представитель (ИИН ${iin})`, en: `Representative (IIN ${iin})` };
  }
}

/** Prefix a finding with whose facts it is about. */
export function aboutSubject(subject: Pick<Subject, 'role' | 'iin'>, text: Localized): Localized {
  const label = subjectLabel(subject.role, subject.iin);
  return { kk: `${label.kk}: ${text.kk}`, ru: `${label.ru}: ${text.ru}`, en: `${label.en}: ${text.en}` };
}

/** A date as each language writes it in a notice. */
export function dateText(date: IsoDate): Localized {
  // Reasons never throw over a malformed registry date: they quote it as given.
  if (!isIsoDate(date)) return { kk: date, ru: date, en: date };
  const dotted = formatDotted(date);
  return { kk: dotted, ru: dotted, en: date };
}

/** The Kazakhstan date of an instant, as each language writes it. */
export function instantDateText(instant: IsoInstant): Localized {
  let date: string;
  try {
    date = kazakhstanDate(instant);
  } catch {
    date = instant;
  }
  return dateText(date);
}

/** A closed window as "from – to" in each language. */
export function windowText(from: IsoDate, to: IsoDate): Localized {
  const f = dateText(from);
  const t = dateText(to);
  return { kk: `${f.kk} – ${t.kk}`, ru: `с ${f.ru} по ${t.ru}`, en: `${f.en} to ${t.en}` };
}

/** Dwellings listed by address and registry id; addresses are quoted as the registry holds them. */
export function dwellings(records: readonly Pick<OwnershipRecord, 'address' | 'propertyId'>[]): string {
  return records.map((r) => (r.address ? `${r.address} [${r.propertyId}]` : r.propertyId)).join('; ');
}

const CITY_NAMES: Readonly<Record<string, Localized>> = {
  '710000000': { kk: 'Астана', ru: 'Астана', en: 'Astana' },
  '750000000': { kk: 'Алматы', ru: 'Алматы', en: 'Almaty' },
  '790000000': { kk: 'Шымкент', ru: 'Шымкент', en: 'Shymkent' },
};

/** Name of a republican city, or its KATO code for anything else. */
export function cityName(kato: string): Localized {
  const locality = localityOf(kato);
  return CITY_NAMES[locality] ?? { kk: locality, ru: locality, en: locality };
}

export interface GroundSpec {
  id: GroundId;
  rule?: string;
  subject: Pick<Subject, 'role' | 'iin'>;
  registry: string;
  facts: unknown;
  reason: Localized;
}

/** Assemble a Ground; the reason gets the subject prefix. `rule` is left out when absent. */
export function makeGround(spec: GroundSpec): Ground {
  const ground: Ground = {
    id: spec.id,
    subject: spec.subject.role,
    subjectIin: spec.subject.iin,
    registry: spec.registry,
    facts: spec.facts,
    reason: aboutSubject(spec.subject, spec.reason),
  };
  if (spec.rule !== undefined) ground.rule = spec.rule;
  return ground;
}
