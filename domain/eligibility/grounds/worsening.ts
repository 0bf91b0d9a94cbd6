/**
 * A1.9.3: deliberate worsening of housing conditions within the look-back window
 * [acceptedDate − lookbackYears, acceptedDate], for the applicant and every family member. One
 * ground per subject and kind, each with the records behind it:
 *
 * - EXCHANGE: a dwelling acquired or disposed of by exchange in the window.
 * - ALIENATION: a habitable owned dwelling (any share) sold or given away in the window; a purchase
 *   by an akimat (AKIMAT_PURCHASE) is excluded by A1.9.3 itself, and so are disposals the owner did
 *   not choose (inheritance by others, destruction not by their fault).
 * - DESTRUCTION: a dwelling destroyed or damaged through the owner's fault in the window.
 * - MOVE_IN: someone moved into an owned dwelling in the window who is not a spouse, a minor or
 *   disabled child, or a disabled parent.
 *
 * Appendix 1 row 9 item 3 also lists leaving a state-fund dwelling when not in need; SPEC §5 does
 * not and no registry of SPEC §10 expresses it, so it is not checked.
 */
import type { Ground } from '../../application';
import type { OccupantMoveIn, OwnershipRecord } from '../../registry-facts';
import type { EligibilityContext } from '../context';
import { isWithin } from '../dates';
import { dateText, dwellings, type Localized, makeGround, windowText } from '../reasons';

export type WorseningKind = 'EXCHANGE' | 'ALIENATION' | 'DESTRUCTION' | 'MOVE_IN';

const KIND_TEXT: Readonly<Record<WorseningKind, Localized>> = {
  EXCHANGE: {
    kk: 'тұрғын үй-жайын ауыстырған',
    ru: 'обмен жилища',
    en: 'exchanged a dwelling',
  },
  ALIENATION: {
    kk: 'меншік құқығында тиесілі тұруға жарамды тұрғын үйді иеліктен шығарған (сату, сыйға тарту)',
    ru: 'отчуждение пригодного для проживания жилища, принадлежавшего на праве собственности (продажа, дарение)',
    en: 'disposed of a habitable owned dwelling (sale or gift)',
  },
  DESTRUCTION: {
    kk: 'тұрғын үй оның кінәсінен бұзылған немесе бүлінген',
    ru: 'разрушение или порча жилища по вине собственника',
    en: "a dwelling was destroyed or damaged through the owner's fault",
  },
  MOVE_IN: {
    kk: 'жұбайынан, кәмелетке толмаған және мүгедектігі бар балаларынан, мүгедектігі бар ата-аналарынан басқа адамдарды қоныстандырған',
    ru: 'вселение иных лиц, кроме супруга(и), несовершеннолетних детей и детей с инвалидностью, родителей с инвалидностью',
    en: 'moved in persons other than a spouse, minor or disabled children, or disabled parents',
  },
};

/** Whether moving this occupant in worsens conditions (A1.9.3 exempts close dependants). */
export function isWorseningMoveIn(m: OccupantMoveIn): boolean {
  switch (m.relation) {
    case 'SPOUSE':
      return false;
    case 'CHILD':
      return !m.occupantMinor && !m.occupantDisabled;
    case 'PARENT':
      return !m.occupantDisabled;
    case 'OTHER':
      return true;
  }
}

type Finding =
  | { kind: Exclude<WorseningKind, 'MOVE_IN'>; ownership: OwnershipRecord[] }
  | { kind: 'MOVE_IN'; moveIns: OccupantMoveIn[] };

function findingSize(f: Finding): number {
  return f.kind === 'MOVE_IN' ? f.moveIns.length : f.ownership.length;
}

const RELATION_TEXT: Readonly<Record<OccupantMoveIn['relation'], Localized>> = {
  SPOUSE: { kk: 'жұбайы', ru: 'супруг(а)', en: 'spouse' },
  CHILD: { kk: 'баласы', ru: 'ребёнок', en: 'child' },
  PARENT: { kk: 'ата-анасы', ru: 'родитель', en: 'parent' },
  OTHER: { kk: 'басқа адам', ru: 'иное лицо', en: 'other person' },
};

function findingList(f: Finding, lang: keyof Localized): string {
  if (f.kind !== 'MOVE_IN') return dwellings(f.ownership);
  const iin = { kk: 'ЖСН', ru: 'ИИН', en: 'IIN' }[lang];
  return f.moveIns
    .map((m) => `${m.propertyId}: ${RELATION_TEXT[m.relation][lang]}, ${iin} ${m.occupantIin} (${dateText(m.at)[lang]})`)
    .join('; ');
}

export function worseningGrounds(ctx: EligibilityContext): Ground[] {
  const from = ctx.lookbackFrom;
  const to = ctx.acceptedDate;
  const inWindow = (date: string | undefined): boolean => date !== undefined && isWithin(date, from, to);
  const years = ctx.interpretations.lookbackYears;
  const text = windowText(from, to);
  const grounds: Ground[] = [];

  for (const subject of ctx.subjects) {
    const ownership = subject.answers.realEstate.ownership;
    const findings: Finding[] = [
      {
        kind: 'EXCHANGE',
        ownership: ownership.filter(
          (r) =>
            (r.acquiredHow === 'EXCHANGE' && inWindow(r.acquiredAt)) ||
            (r.disposedHow === 'EXCHANGE' && inWindow(r.disposedAt)),
        ),
      },
      {
        kind: 'ALIENATION',
        ownership: ownership.filter(
          (r) => (r.disposedHow === 'SALE' || r.disposedHow === 'GIFT') && r.habitable && inWindow(r.disposedAt),
        ),
      },
      {
        kind: 'DESTRUCTION',
        ownership: ownership.filter((r) => r.disposedHow === 'DESTROYED_OWN_FAULT' && inWindow(r.disposedAt)),
      },
      { kind: 'MOVE_IN', moveIns: subject.answers.realEstate.moveIns.filter((m) => isWorseningMoveIn(m) && inWindow(m.at)) },
    ];
    for (const finding of findings) {
      if (findingSize(finding) === 0) continue;
      const what = KIND_TEXT[finding.kind];
      grounds.push(
        makeGround({
          id: 'A1.9.3',
          subject,
          registry: 'realEstate',
          facts: { ...finding, window: { from, to } },
          reason: {
            kk: `өтініш қабылданғанға дейінгі соңғы ${years} жыл ішінде (${text.kk}) тұрғын үй жағдайын әдейі нашарлатқан: ${what.kk} — ${findingList(finding, 'kk')}`,
            ru: `преднамеренное ухудшение жилищных условий в течение ${years} лет до принятия заявления (${text.ru}): ${what.ru} — ${findingList(finding, 'ru')}`,
            en: `deliberately worsened housing conditions within the ${years} years before acceptance (${text.en}): ${what.en} — ${findingList(finding, 'en')}`,
          },
        }),
      );
    }
  }
  return grounds;
}
