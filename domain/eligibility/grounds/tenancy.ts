/**
 * R15.5: had a dwelling from the state housing fund or one rented by an akimat from the private
 * fund. SPEC §5: a tenancy active at acceptance or ended within the look-back window, i.e. the
 * closed period [from, to] overlaps [acceptedDate − lookbackYears, acceptedDate]. Checked for the
 * applicant and every family member.
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { periodOverlaps } from '../dates';
import { makeGround, windowText } from '../reasons';

export function tenancyGrounds(ctx: EligibilityContext): Ground[] {
  const years = ctx.interpretations.lookbackYears;
  const window = { from: ctx.lookbackFrom, to: ctx.acceptedDate };
  const text = windowText(window.from, window.to);
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const tenancies = subject.answers.tenancies.filter((t) => periodOverlaps(t.from, t.to, window.from, window.to));
    if (tenancies.length === 0) continue;
    const list = tenancies.map((t) => t.address || t.kato).join('; ');
    grounds.push(
      makeGround({
        id: 'R15.5',
        subject,
        registry: 'tenancies',
        facts: { tenancies, window },
        reason: {
          kk: `өтініш қабылданғанға дейінгі соңғы ${years} жыл ішінде (${text.kk}) мемлекеттік тұрғын үй қорынан пайдалануға берілген немесе жергілікті атқарушы орган жеке тұрғын үй қорынан жалдаған тұрғынжайы болған: ${list}`,
          ru: `в течение ${years} лет до принятия заявления (${text.ru}) пользовался(-ась) жилищем из государственного жилищного фонда или жилищем, арендованным местным исполнительным органом в частном жилищном фонде: ${list}`,
          en: `had a dwelling from the state housing fund or one rented by an akimat within the ${years} years before acceptance (${text.en}): ${list}`,
        },
      }),
    );
  }
  return grounds;
}
