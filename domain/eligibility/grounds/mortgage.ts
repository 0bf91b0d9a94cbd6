/**
 * R15.9: bought a dwelling with a mortgage loan under a state programme (National Bank mortgage
 * programmes, state housing-construction programmes) — at any time, for the applicant and every
 * family member. Loans issued after the acceptance date are ignored.
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { isOnOrBefore } from '../dates';
import { dateText, makeGround } from '../reasons';

export function mortgageGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const mortgages = subject.answers.mortgages.filter((m) => isOnOrBefore(m.issuedAt, ctx.acceptedDate));
    if (mortgages.length === 0) continue;
    const list = (lang: 'kk' | 'ru' | 'en'): string =>
      mortgages.map((m) => `${m.programme}, ${m.propertyId} (${dateText(m.issuedAt)[lang]})`).join('; ');
    grounds.push(
      makeGround({
        id: 'R15.9',
        subject,
        registry: 'mortgages',
        facts: { mortgages },
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
