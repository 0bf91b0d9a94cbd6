/**
 * R15.6: unreliable documents or data. SPEC §5 names three cases:
 *
 * 1. The representative's authority is not confirmed (R13, A2.B): a representative IIN is declared
 *    but the representation registry holds no guardianship, trusteeship or power of attorney with
 *    that representative, for that principal, in force on the acceptance date. Records are looked
 *    for in the answers about both the applicant and the representative, since the registry may
 *    index them by either. `to` is the last day the authority is in force (a power of attorney
 *    "valid until" a date is valid on that date).
 * 2. The operator rejected the technical report as unreliable (A1.8.2).
 * 3. EMERGENCY path: the technical report's number or dwelling does not match the registry's
 *    recognition of the declared dwelling. With no recognition at all there is nothing to compare
 *    against, and the case is A1.9.2 (rule R7.2) instead, raised by the emergency check.
 */
import type { Ground } from '../../application';
import type { RepresentationRecord } from '../../registry-facts';
import type { EligibilityContext } from '../context';
import { periodOverlaps } from '../dates';
import { dateText, makeGround } from '../reasons';

function representationGrounds(ctx: EligibilityContext): Ground[] {
  const representativeIin = ctx.declaration.representativeIin;
  if (representativeIin === undefined) return [];
  const principalIin = ctx.declaration.applicantIin;
  const records: RepresentationRecord[] = [
    ...ctx.applicant.answers.representation,
    ...(ctx.input.facts.representative?.representation ?? []),
  ];
  const between = records.filter((r) => r.representativeIin === representativeIin && r.principalIin === principalIin);
  const inForce = between.filter((r) => periodOverlaps(r.from, r.to, ctx.acceptedDate, ctx.acceptedDate));
  if (inForce.length > 0) return [];
  const on = dateText(ctx.acceptedDate);
  return [
    makeGround({
      id: 'R15.6',
      rule: 'R13',
      subject: { role: 'REPRESENTATIVE', iin: representativeIin },
      registry: 'representation',
      // The records between the two that exist but are not in force, so the notice can say why.
      facts: { representativeIin, principalIin, onDate: ctx.acceptedDate, representation: between },
      reason: {
        kk: `өкілеттігі расталмады — ${on.kk} күні өтініш берушіге қатысты қолданыстағы қорғаншылық, қамқоршылық немесе сенімхат туралы мәліметтер жоқ`,
        ru: `полномочия не подтверждены — на ${on.ru} нет действующих сведений об опеке, попечительстве или доверенности в отношении заявителя`,
        en: `authority not confirmed — no guardianship, trusteeship or power of attorney for the applicant in force on ${on.en}`,
      },
    }),
  ];
}

function technicalReportGrounds(ctx: EligibilityContext): Ground[] {
  const grounds: Ground[] = [];
  const rejected = ctx.input.reportRejected;
  if (rejected !== undefined) {
    grounds.push(
      makeGround({
        id: 'R15.6',
        rule: 'A1.8.2',
        subject: ctx.applicant,
        // Not a state registry: the provider's operator reviewed the uploaded e-copy (R13).
        registry: 'operatorReview',
        facts: { reportRejected: rejected, technicalReport: ctx.input.technicalReport },
        reason: {
          kk: `аттестатталған сарапшының техникалық қорытындысын оператор анық емес деп таныды: ${rejected.reason}`,
          ru: `техническое заключение аттестованного эксперта отклонено оператором как недостоверное: ${rejected.reason}`,
          en: `the certified expert's technical report was rejected by the operator as unreliable: ${rejected.reason}`,
        },
      }),
    );
  }
  const report = ctx.input.technicalReport;
  const recognition = ctx.emergencyRecognition;
  if (ctx.declaration.path === 'EMERGENCY' && report !== undefined && recognition !== undefined) {
    const expected = recognition.record;
    // Numbers are compared as written, ignoring surrounding blanks only: "12/3" and "12-3" are
    // different reports, and guessing otherwise would hide a forged one.
    const numberMatches = report.reportNumber.trim() === expected.reportNumber.trim();
    const dwellingMatches = report.propertyId === expected.propertyId;
    if (!numberMatches || !dwellingMatches) {
      grounds.push(
        makeGround({
          id: 'R15.6',
          rule: 'A1.8.2',
          subject: ctx.applicant,
          registry: 'emergency',
          facts: { technicalReport: report, recognition: expected, numberMatches, dwellingMatches },
          reason: {
            kk: `техникалық қорытындының деректемелері (№ ${report.reportNumber}, тұрғынжай ${report.propertyId}) тұрғынжайды авариялық деп тану туралы тізілім деректеріне (№ ${expected.reportNumber}, тұрғынжай ${expected.propertyId}) сәйкес келмейді`,
            ru: `реквизиты технического заключения (№ ${report.reportNumber}, жилище ${report.propertyId}) не совпадают со сведениями реестра о признании жилища аварийным (№ ${expected.reportNumber}, жилище ${expected.propertyId})`,
            en: `the technical report's details (no. ${report.reportNumber}, dwelling ${report.propertyId}) do not match the registry's emergency recognition (no. ${expected.reportNumber}, dwelling ${expected.propertyId})`,
          },
        }),
      );
    }
  }
  return grounds;
}

export function documentGrounds(ctx: EligibilityContext): Ground[] {
  return [...representationGrounds(ctx), ...technicalReportGrounds(ctx)];
}
