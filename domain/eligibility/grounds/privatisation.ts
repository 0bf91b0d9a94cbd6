/**
 * R15.7: received a dwelling from the state housing fund and privatised it — at any time, for the
 * applicant and every family member. Privatisations recorded after the acceptance date are not
 * "before" the application and are ignored (a re-check may read a later registry state).
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { isOnOrBefore } from '../dates';
import { dateText, makeGround } from '../reasons';

export function privatisationGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const privatisations = subject.answers.privatisations.filter((p) => isOnOrBefore(p.privatisedAt, ctx.acceptedDate));
    if (privatisations.length === 0) continue;
    const list = (lang: 'kk' | 'ru' | 'en'): string =>
      privatisations.map((p) => `${p.propertyId} (${dateText(p.privatisedAt)[lang]})`).join('; ');
    grounds.push(
      makeGround({
        id: 'R15.7',
        subject,
        registry: 'privatisations',
        facts: { privatisations },
        reason: {
          kk: `бұрын мемлекеттік тұрғын үй қорынан тұрғынжай алған және оны жекешелендірген: ${list('kk')}`,
          ru: `ранее получил(а) и приватизировал(а) жилище из государственного жилищного фонда: ${list('ru')}`,
          en: `received and privatised a dwelling from the state housing fund: ${list('en')}`,
        },
      }),
    );
  }
  return grounds;
}
