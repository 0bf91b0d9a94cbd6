/**
 * A1.9.2: the applicant does not meet the requirements of the Rules. These are requirements on the
 * applicant as the service recipient (R3.2, R7), so they are checked for the applicant only — a
 * foreign spouse or a child's address does not bar the applicant. Each ground names its narrower
 * rule:
 *
 * - R7: a known, living citizen or kandas (GBD FL record).
 * - R11: a minor (under `adultAgeYears` at acceptance) is registered only through a legal
 *   representative (R13). A minor whose declared representative's authority is not confirmed gets
 *   R15.6 instead, not both.
 * - R6: in Astana, Almaty or Shymkent, registration at a residence in that city (any of its
 *   districts) for the whole `republicanCityResidenceYears` up to and including the acceptance day,
 *   without a gap; except orphans under `orphanAgeLimitYears` at acceptance who lost their parents
 *   before 18, and children left without parental care (under `parentalCareExceptionAgeLimitYears`).
 * - R7.1: the application's locality is the locality of the applicant's current registered
 *   residence.
 *
 * The R7.2 requirement (a recognised emergency dwelling) is checked with the emergency grounds.
 */
import type { Ground } from '../../application';
import type { IsoDate, ResidencePeriod } from '../../registry-facts';
import type { EligibilityContext } from '../context';
import { addDays, addYears, ageOn, isBefore, isOnOrBefore, periodOverlaps } from '../dates';
import { isRepublicanCity, localityOf } from '../locality';
import { cityName, dateText, type Localized, makeGround, windowText } from '../reasons';

const CITIZENSHIP_TEXT: Readonly<Record<'FOREIGN' | 'STATELESS', Localized>> = {
  FOREIGN: { kk: 'шетел азаматы', ru: 'иностранный гражданин', en: 'foreign citizen' },
  STATELESS: { kk: 'азаматтығы жоқ адам', ru: 'лицо без гражданства', en: 'stateless person' },
};

function personGrounds(ctx: EligibilityContext): Ground[] {
  const person = ctx.applicant.answers.persons;
  if (person === null) {
    return [
      makeGround({
        id: 'A1.9.2',
        rule: 'R7',
        subject: ctx.applicant,
        registry: 'persons',
        facts: { persons: null },
        reason: {
          kk: '"Жеке тұлғалар" мемлекеттік деректер базасында адам туралы мәліметтер жоқ',
          ru: 'сведения о лице отсутствуют в государственной базе данных «Физические лица»',
          en: 'no record of the person in the state database of individuals',
        },
      }),
    ];
  }
  const grounds: Ground[] = [];
  if (person.deathDate !== undefined) {
    const on = dateText(person.deathDate);
    grounds.push(
      makeGround({
        id: 'A1.9.2',
        rule: 'R7',
        subject: ctx.applicant,
        registry: 'persons',
        facts: { deathDate: person.deathDate },
        reason: {
          kk: `"Жеке тұлғалар" мемлекеттік деректер базасының мәліметтері бойынша қайтыс болған (${on.kk})`,
          ru: `по сведениям государственной базы данных «Физические лица» умер(ла) (${on.ru})`,
          en: `deceased according to the state database of individuals (${on.en})`,
        },
      }),
    );
  }
  if (person.citizenship !== 'CITIZEN' && person.citizenship !== 'KANDAS') {
    const status = CITIZENSHIP_TEXT[person.citizenship];
    grounds.push(
      makeGround({
        id: 'A1.9.2',
        rule: 'R7',
        subject: ctx.applicant,
        registry: 'persons',
        facts: { citizenship: person.citizenship },
        reason: {
          kk: `Қазақстан Республикасының азаматы немесе қандас емес (мәртебесі: ${status.kk})`,
          ru: `не является гражданином Республики Казахстан или кандасом (статус: ${status.ru})`,
          en: `neither a citizen of Kazakhstan nor a kandas (status: ${status.en})`,
        },
      }),
    );
  }
  const age = ageOn(person.birthDate, ctx.acceptedDate);
  const adult = ctx.interpretations.adultAgeYears;
  if (age < adult && ctx.declaration.representativeIin === undefined) {
    grounds.push(
      makeGround({
        id: 'A1.9.2',
        rule: 'R11',
        subject: ctx.applicant,
        registry: 'persons',
        facts: { birthDate: person.birthDate, ageAtAcceptance: age, representativeIin: null },
        reason: {
          kk: `өтініш қабылданған күні ${adult} жасқа толмаған; кәмелетке толмаған адам есепке тек заңды өкілі арқылы қойылады`,
          ru: `на дату принятия заявления не достиг(ла) ${adult} лет; несовершеннолетний ставится на учёт только через законного представителя`,
          en: `under ${adult} on the acceptance date; a minor is registered only through a legal representative`,
        },
      }),
    );
  }
  return grounds;
}

/**
 * The first day in [from, to] not covered by a residence registration in `locality`, or undefined
 * when the periods cover the whole window without a gap. A period's `to` is its last registered
 * day, so a period starting the day after another ends is continuous with it.
 */
export function firstUncoveredDay(
  periods: readonly ResidencePeriod[],
  locality: string,
  from: IsoDate,
  to: IsoDate,
): IsoDate | undefined {
  const inLocality = periods
    .filter((p) => localityOf(p.kato) === locality)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  let cursor = from;
  for (const p of inLocality) {
    if (isBefore(cursor, p.from)) break; // sorted by start: nothing later can fill the gap
    if (p.to === undefined || isOnOrBefore(to, p.to)) return undefined;
    if (isOnOrBefore(cursor, p.to)) cursor = addDays(p.to, 1);
  }
  return isOnOrBefore(cursor, to) ? cursor : undefined;
}

function republicanCityResidenceGrounds(ctx: EligibilityContext): Ground[] {
  if (!isRepublicanCity(ctx.declaration.kato)) return [];
  const answers = ctx.applicant.answers;
  const orphan = answers.orphanStatus;
  const birthDate = answers.persons?.birthDate;
  // R6: the exception is for orphans who lost their parents before 18 and are under 29, and for
  // children left without parental care (interpretation `parentalCareExceptionAgeLimitYears`: under
  // 18 at acceptance). The orphan status date, when the registry gives one, must fall before the
  // person's 18th birthday. Without a birth date neither age can be shown under its limit.
  const orphanedAsChild =
    orphan?.since === undefined || (birthDate !== undefined && ageOn(birthDate, orphan.since) < ctx.interpretations.adultAgeYears);
  const youngOrphan =
    orphan?.orphan === true &&
    orphanedAsChild &&
    birthDate !== undefined &&
    ageOn(birthDate, ctx.acceptedDate) < ctx.interpretations.orphanAgeLimitYears;
  const childWithoutParentalCare =
    orphan?.withoutParentalCare === true &&
    birthDate !== undefined &&
    ageOn(birthDate, ctx.acceptedDate) < ctx.interpretations.parentalCareExceptionAgeLimitYears;
  if (youngOrphan || childWithoutParentalCare) return [];

  const locality = localityOf(ctx.declaration.kato);
  const years = ctx.interpretations.republicanCityResidenceYears;
  const window = { from: addYears(ctx.acceptedDate, -years), to: ctx.acceptedDate };
  const gapFrom = firstUncoveredDay(answers.residence, locality, window.from, window.to);
  if (gapFrom === undefined) return [];
  const city = cityName(locality);
  const text = windowText(window.from, window.to);
  return [
    makeGround({
      id: 'A1.9.2',
      rule: 'R6',
      subject: ctx.applicant,
      registry: 'residence',
      facts: { locality, window, firstUncoveredDay: gapFrom, residence: answers.residence, orphanStatus: orphan },
      reason: {
        kk: `өтініш қабылданғанға дейінгі соңғы ${years} жыл ішінде (${text.kk}) ${city.kk} қаласында тұрғылықты жері бойынша үздіксіз тіркелмеген (${dateText(gapFrom).kk} бастап тіркеу жоқ)`,
        ru: `не был(а) непрерывно зарегистрирован(а) по месту жительства в городе ${city.ru} в течение ${years} лет до принятия заявления (${text.ru}; нет регистрации с ${dateText(gapFrom).ru})`,
        en: `not registered at a residence in ${city.en} continuously for the ${years} years before acceptance (${text.en}; no registration from ${dateText(gapFrom).en})`,
      },
    }),
  ];
}

/**
 * The KATO codes of the applicant's current registered residence and the registry that gave them:
 * the residence-history periods in force on the acceptance date; when the history has none, the
 * GBD FL address.
 */
export function currentResidence(ctx: EligibilityContext): { katos: string[]; registry: 'residence' | 'persons' } {
  const answers = ctx.applicant.answers;
  const current = answers.residence
    .filter((p) => periodOverlaps(p.from, p.to, ctx.acceptedDate, ctx.acceptedDate))
    .map((p) => p.kato);
  if (current.length > 0) return { katos: current, registry: 'residence' };
  return { katos: answers.persons ? [answers.persons.address.kato] : [], registry: 'persons' };
}

function noHousingLocalityGrounds(ctx: EligibilityContext): Ground[] {
  if (ctx.declaration.path !== 'NO_HOUSING') return [];
  const applicationLocality = localityOf(ctx.declaration.kato);
  const { katos, registry } = currentResidence(ctx);
  if (katos.some((k) => localityOf(k) === applicationLocality)) return [];
  const residenceLocalities = [...new Set(katos.map(localityOf))];
  const where = residenceLocalities.length > 0 ? residenceLocalities.join(', ') : '—';
  return [
    makeGround({
      id: 'A1.9.2',
      rule: 'R7.1',
      subject: ctx.applicant,
      registry,
      facts: {
        applicationLocality,
        residenceLocalities,
        residence: ctx.applicant.answers.residence,
        address: ctx.applicant.answers.persons?.address ?? null,
      },
      reason: {
        kk: `өтініште көрсетілген елді мекен (ӘАОЖ ${applicationLocality}) өтініш берушінің тұрғылықты жері бойынша тіркелген елді мекеніне (ӘАОЖ ${where}) сәйкес келмейді`,
        ru: `населённый пункт, указанный в заявлении (КАТО ${applicationLocality}), не совпадает с населённым пунктом регистрации заявителя по месту жительства (КАТО ${where})`,
        en: `the locality applied for (KATO ${applicationLocality}) is not the locality of the applicant's registered residence (KATO ${where})`,
      },
    }),
  ];
}

export function requirementGrounds(ctx: EligibilityContext): Ground[] {
  return [...personGrounds(ctx), ...republicanCityResidenceGrounds(ctx), ...noHousingLocalityGrounds(ctx)];
}
