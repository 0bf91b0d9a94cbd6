/**
 * R15.7: received a dwelling from the state housing fund and privatised it — at any time, for the
 * applicant and every family member — established by whatever registry shows it (issue #10, the
 * Kazakh text of R15.7 names the fact, not a registry): the privatisations registry, or an
 * ownership record in the real-estate register acquired by privatisation. A dwelling both show is
 * one fact. Privatisations recorded after the acceptance date are not "before" the application
 * and are ignored (a re-check may read a later registry state).
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { isOnOrBefore } from '../dates';
import { dateText, makeGround } from '../reasons';

export function privatisationGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const privatisations = subject.answers.privatisations.filter((p) => isOnOrBefore(p.privatisedAt, ctx.acceptedDate));
    const listed = new Set(privatisations.map((p) => p.propertyId));
    const owned = subject.answers.realEstate.ownership.filter(
      (o) => o.acquiredHow === 'PRIVATISATION' && isOnOrBefore(o.acquiredAt, ctx.acceptedDate) && !listed.has(o.propertyId),
    );
    if (privatisations.length === 0 && owned.length === 0) continue;
    const items = [
      ...privatisations.map((p) => ({ propertyId: p.propertyId, at: p.privatisedAt })),
      ...owned.map((o) => ({ propertyId: o.propertyId, at: o.acquiredAt })),
    ];
    const list = (lang: 'kk' | 'ru' | 'en'): string => items.map((p) => `${p.propertyId} (${dateText(p.at)[lang]})`).join('; ');
    grounds.push(
      makeGround({
        id: 'R15.7',
        subject,
        registry: privatisations.length > 0 ? 'privatisations' : 'realEstate',
        facts: { privatisations, ...(owned.length > 0 ? { ownershipAcquiredByPrivatisation: owned } : {}) },
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
