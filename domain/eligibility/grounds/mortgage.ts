/**
 * R15.9: bought a dwelling with a mortgage loan under a state programme (National Bank mortgage
 * programmes, state housing-construction programmes) — at any time, for the applicant and every
 * family member — established by whatever registry shows it (issue #10, as R15.7): the
 * state-programme mortgages registry, or an ownership record in the real-estate register acquired
 * with such a mortgage. A dwelling both show is one fact. Loans issued (dwellings acquired) after
 * the acceptance date are ignored.
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { isOnOrBefore } from '../dates';
import { dateText, makeGround } from '../reasons';

export function mortgageGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const mortgages = subject.answers.mortgages.filter((m) => isOnOrBefore(m.issuedAt, ctx.acceptedDate));
    const listed = new Set(mortgages.map((m) => m.propertyId));
    const owned = subject.answers.realEstate.ownership.filter(
      (o) => o.acquiredHow === 'STATE_PROGRAMME_MORTGAGE' && isOnOrBefore(o.acquiredAt, ctx.acceptedDate) && !listed.has(o.propertyId),
    );
    if (mortgages.length === 0 && owned.length === 0) continue;
    const list = (lang: 'kk' | 'ru' | 'en'): string =>
      [
        ...mortgages.map((m) => `${m.programme}, ${m.propertyId} (${dateText(m.issuedAt)[lang]})`),
        ...owned.map((o) => `${o.propertyId} (${dateText(o.acquiredAt)[lang]})`),
      ].join('; ');
    grounds.push(
      makeGround({
        id: 'R15.9',
        subject,
        registry: mortgages.length > 0 ? 'mortgages' : 'realEstate',
        facts: { mortgages, ...(owned.length > 0 ? { ownershipAcquiredWithStateMortgage: owned } : {}) },
        reason: {
          kk: `мемлекеттік бағдарлама шеңберінде ипотекалық тұрғын үй қарызын пайдалана отырып меншігіне тұрғынжай сатып алған: ${list('kk')}`,
          ru: `приобрёл(а) жилище в собственность с использованием ипотечного жилищного займа в рамках государственной программы: ${list('ru')}`,
          en: `bought a dwelling with a mortgage loan under a state programme: ${list('en')}`,
        },
      }),
    );
  }
  return grounds;
}
