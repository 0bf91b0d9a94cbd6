/**
 * R15.1 (R15 item 1): the person is already in the unified republican electronic database, the
 * akimats' queue migrated to the provider. SPEC §5 limits this ground to the applicant and the
 * spouse: a child's own record does not bar the parent.
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { instantDateText, makeGround } from '../reasons';

export function unifiedQueueGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    if (subject.role !== 'APPLICANT' && subject.role !== 'SPOUSE') continue;
    // `active` is the registry's current state, so a re-check after the akimat closed the record
    // clears the ground (R17).
    const active = subject.answers.unifiedQueue.filter((r) => r.active);
    if (active.length === 0) continue;
    const list = (lang: 'kk' | 'ru' | 'en'): string =>
      active
        .map((r) => {
          const since = instantDateText(r.registeredAt)[lang];
          return { kk: `ӘАОЖ ${r.kato}, ${since} бастап`, ru: `КАТО ${r.kato}, с ${since}`, en: `KATO ${r.kato}, since ${since}` }[lang];
        })
        .join('; ');
    grounds.push(
      makeGround({
        id: 'R15.1',
        subject,
        registry: 'unifiedQueue',
        facts: { unifiedQueue: active },
        reason: {
          kk: `бірыңғай республикалық электрондық базада тұрғынжайға мұқтаждар есебінде тұр (${list('kk')})`,
          ru: `состоит на учёте нуждающихся в жилище в единой республиканской электронной базе (${list('ru')})`,
          en: `already on the housing queue in the unified republican electronic database (${list('en')})`,
        },
      }),
    );
  }
  // An active entry in the provider's own base is the same situation once the akimats' database was
  // migrated into it; a named interpretation lets a lawyer switch this off.
  if (ctx.input.ownQueueActive === true && ctx.interpretations.ownQueueCountsAsUnifiedDatabase) {
    grounds.push(
      makeGround({
        id: 'R15.1',
        subject: ctx.applicant,
        registry: 'ownQueue',
        facts: { ownQueueActive: true },
        reason: {
          kk: '"Тұрғын үймен қамтамасыз ету орталығы" электрондық базасында тұрғынжайға мұқтаждар есебінде тұр',
          ru: 'уже состоит на учёте нуждающихся в жилище в электронной базе «Центр обеспечения жильём»',
          en: "already on the housing queue in the Housing Provision Center's electronic database",
        },
      }),
    );
  }
  return grounds;
}
