/**
 * Ownership grounds, checked for the applicant and every family member (SPEC §5).
 *
 * - R15.2 (R7.1): any ownership, of any share, overlapping the window
 *   [acceptedDate − lookbackYears, acceptedDate]. Ownership is the closed period
 *   [acquiredAt, disposedAt]: a dwelling disposed of on the window's first day still counts, one
 *   disposed of the day before does not. On the EMERGENCY path (R7.2) the declared dwelling, once
 *   recognised as emergency, is excepted — it is the "only dwelling" the path rests on.
 * - R15.3: fund of a state institution — ever owned a dwelling in the application's locality.
 * - R15.4: fund of a state enterprise — ever owned a dwelling anywhere in Kazakhstan.
 *
 * R15.3/R15.4 have no 5-year limit and, as SPEC §5 words them, no emergency-dwelling exception
 * (that exception is written for R15.2 only). Records acquired after the acceptance date are
 * ignored everywhere: a re-check may read a later registry state, but the rules speak of the time
 * "up to acceptance".
 */
import type { Ground } from '../../application';
import type { OwnershipRecord } from '../../registry-facts';
import type { EligibilityContext } from '../context';
import { isOnOrBefore, periodOverlaps } from '../dates';
import { localityOf } from '../locality';
import { dwellings, makeGround, windowText } from '../reasons';

/** The property id excepted from R15.2 on the R7.2 path, if any. */
export function exceptedEmergencyPropertyId(ctx: EligibilityContext): string | undefined {
  return ctx.declaration.path === 'EMERGENCY' ? ctx.emergencyRecognition?.record.propertyId : undefined;
}

function ownedBy(ctx: EligibilityContext, records: readonly OwnershipRecord[]): OwnershipRecord[] {
  return records.filter((r) => isOnOrBefore(r.acquiredAt, ctx.acceptedDate));
}

/** R15.2: owned a dwelling (or a share) in the look-back window. */
export function recentOwnershipGrounds(ctx: EligibilityContext): Ground[] {
  const excepted = exceptedEmergencyPropertyId(ctx);
  const years = ctx.interpretations.lookbackYears;
  const window = { from: ctx.lookbackFrom, to: ctx.acceptedDate };
  const text = windowText(window.from, window.to);
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const owned = subject.answers.realEstate.ownership.filter(
      (r) => r.propertyId !== excepted && periodOverlaps(r.acquiredAt, r.disposedAt, window.from, window.to),
    );
    if (owned.length === 0) continue;
    const list = dwellings(owned);
    grounds.push(
      makeGround({
        id: 'R15.2',
        subject,
        registry: 'realEstate',
        facts: { ownership: owned, window, ...(excepted !== undefined ? { exceptedPropertyId: excepted } : {}) },
        reason: {
          kk: `өтініш қабылданғанға дейінгі соңғы ${years} жыл ішінде (${text.kk}) Қазақстан Республикасының аумағында меншік құқығында (үлесі де) тұрғынжайы болған: ${list}`,
          ru: `в течение ${years} лет до принятия заявления (${text.ru}) имел(а) жилище на праве собственности (в том числе долю) на территории Республики Казахстан: ${list}`,
          en: `owned a dwelling (or a share in one) in Kazakhstan within the ${years} years before acceptance (${text.en}): ${list}`,
        },
      }),
    );
  }
  return grounds;
}

/** R15.3: state-institution fund; a dwelling ever owned in the application's locality. */
export function institutionFundGrounds(ctx: EligibilityContext): Ground[] {
  if (ctx.declaration.fund !== 'STATE_INSTITUTION') return [];
  const locality = localityOf(ctx.declaration.kato);
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const owned = ownedBy(ctx, subject.answers.realEstate.ownership).filter((r) => localityOf(r.kato) === locality);
    if (owned.length === 0) continue;
    const list = dwellings(owned);
    grounds.push(
      makeGround({
        id: 'R15.3',
        subject,
        registry: 'realEstate',
        facts: { ownership: owned, locality },
        reason: {
          kk: `мемлекеттік мекеменің тұрғын үй қорынан есепке қою кезінде осы елді мекенде (ӘАОЖ ${locality}) меншік құқығында тұрғынжайы болған: ${list}`,
          ru: `при постановке на учёт из жилищного фонда государственного учреждения: имел(а) жилище на праве собственности в данном населённом пункте (КАТО ${locality}): ${list}`,
          en: `applying for a state institution's housing fund, owned a dwelling in this locality (KATO ${locality}) at some time: ${list}`,
        },
      }),
    );
  }
  return grounds;
}

/** R15.4: state-enterprise fund; a dwelling ever owned in Kazakhstan. */
export function enterpriseFundGrounds(ctx: EligibilityContext): Ground[] {
  if (ctx.declaration.fund !== 'STATE_ENTERPRISE') return [];
  const grounds: Ground[] = [];
  for (const subject of ctx.subjects) {
    const owned = ownedBy(ctx, subject.answers.realEstate.ownership);
    if (owned.length === 0) continue;
    const list = dwellings(owned);
    grounds.push(
      makeGround({
        id: 'R15.4',
        subject,
        registry: 'realEstate',
        facts: { ownership: owned },
        reason: {
          kk: `мемлекеттік кәсіпорынның тұрғын үй қорынан есепке қою кезінде Қазақстан Республикасында меншік құқығында тұрғынжайы болған: ${list}`,
          ru: `при постановке на учёт из жилищного фонда государственного предприятия: имел(а) жилище на праве собственности в Республике Казахстан: ${list}`,
          en: `applying for a state enterprise's housing fund, owned a dwelling in Kazakhstan at some time: ${list}`,
        },
      }),
    );
  }
  return grounds;
}
