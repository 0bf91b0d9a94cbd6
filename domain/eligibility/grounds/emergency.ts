/**
 * The R7.2 (emergency-dwelling) path.
 *
 * - A1.9.2, rule R7.2: the path is declared but the declared dwelling has no emergency recognition
 *   (made on or before acceptance) in the emergency registry of the applicant or a family member.
 * - R15.8 and A1.9.3: the recognised dwelling stands in another locality than the one the
 *   application names (localities compared with `localityOf`, so a district of Almaty is Almaty).
 *   R15.8 names it among the refusal grounds of the Rules; Appendix 1 row 9 item 3 names it inside
 *   its own ground ("жалғыз тұрғынжайы ... авариялық деп танылған азаматтарға тұрғынжайы авариялық
 *   деп танылған елді мекеннен тыс жерде өтініш білдірген кезде" — applying outside the locality
 *   where the emergency dwelling stands). The Kazakh text makes it both, and so does SPEC §4, so the
 *   refusal lists both (issue #10; the code used to give R15.8 alone).
 */
import type { Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { localityOf } from '../locality';
import { makeGround } from '../reasons';

/**
 * A1.9.2, rule A1.8.2: on the R7.2 path the application carries the e-copy of the certified
 * expert's technical report (A1.8.2; R13's three working days include the operator's review of
 * it). The term ended without one: the materials do not meet the Rules' requirements (A1.9.2
 * item 2). Cleared when a report arrives before the hearing (R17).
 */
function missingReportGround(ctx: EligibilityContext): Ground[] {
  const endedAt = ctx.input.reportMissingAtTermEnd;
  if (ctx.declaration.path !== 'EMERGENCY' || endedAt === undefined || ctx.input.technicalReport !== undefined) return [];
  return [
    makeGround({
      id: 'A1.9.2',
      rule: 'A1.8.2',
      subject: ctx.applicant,
      registry: 'application',
      facts: { termEndedAt: endedAt, technicalReport: null },
      reason: {
        kk: `өтінішке тұрғынжайдың авариялық екені туралы аттестатталған сарапшының техникалық қорытындысының электрондық көшірмесі мерзімінде (${endedAt.slice(0, 10)} дейін) қоса берілмеген (A1.8.2)`,
        ru: `к заявлению в срок (до ${endedAt.slice(0, 10)}) не приложена электронная копия технического заключения аттестованного эксперта об аварийности жилища (A1.8.2)`,
        en: `the e-copy of the certified expert's technical report on the emergency dwelling was not attached within the term (by ${endedAt.slice(0, 10)}) (A1.8.2)`,
      },
    }),
  ];
}

export function emergencyGrounds(ctx: EligibilityContext): Ground[] {
  if (ctx.declaration.path !== 'EMERGENCY') return [];
  return [...recognitionGrounds(ctx), ...missingReportGround(ctx)];
}

function recognitionGrounds(ctx: EligibilityContext): Ground[] {
  const declared = ctx.declaration.emergencyPropertyId;
  const found = ctx.emergencyRecognition;
  if (found === undefined) {
    const dwelling = declared ?? '—';
    return [
      makeGround({
        id: 'A1.9.2',
        rule: 'R7.2',
        subject: ctx.applicant,
        registry: 'emergency',
        facts: {
          emergencyPropertyId: declared ?? null,
          // Every recognition on file for the family, so the notice shows what the registry did hold.
          emergency: ctx.subjects.map((s) => ({ iin: s.iin, records: s.answers.emergency })),
        },
        reason: {
          kk: `өтініште көрсетілген тұрғынжай (${dwelling}) Қазақстан Республикасының заңнамасында көзделген тәртіппен авариялық деп танылмаған (тізілімде мәлімет жоқ)`,
          ru: `указанное в заявлении жилище (${dwelling}) не признано аварийным в порядке, установленном законодательством Республики Казахстан (сведений в реестре нет)`,
          en: `the dwelling named in the application (${dwelling}) has not been recognised as an emergency dwelling (no record in the registry)`,
        },
      }),
    ];
  }
  const applicationLocality = localityOf(ctx.declaration.kato);
  const dwellingLocality = localityOf(found.record.kato);
  if (dwellingLocality === applicationLocality) return [];
  const facts = { recognition: found.record, applicationLocality, dwellingLocality };
  return [
    makeGround({
      id: 'R15.8',
      subject: found.subject,
      registry: 'emergency',
      facts,
      reason: {
        kk: `авариялық деп танылған жалғыз тұрғынжайы (${found.record.propertyId}) өтініште көрсетілген елді мекеннен (ӘАОЖ ${applicationLocality}) басқа елді мекенде (ӘАОЖ ${dwellingLocality}) орналасқан`,
        ru: `единственное жилище, признанное аварийным (${found.record.propertyId}), находится в другом населённом пункте (КАТО ${dwellingLocality}), чем указанный в заявлении (КАТО ${applicationLocality})`,
        en: `the only dwelling recognised as emergency (${found.record.propertyId}) is in another locality (KATO ${dwellingLocality}) than the one applied for (KATO ${applicationLocality})`,
      },
    }),
    makeGround({
      id: 'A1.9.3',
      rule: 'R7.2',
      subject: found.subject,
      registry: 'emergency',
      facts,
      reason: {
        kk: `жалғыз тұрғынжайы авариялық деп танылған азамат тұрғынжайы авариялық деп танылған елді мекеннен (ӘАОЖ ${dwellingLocality}) тыс жерде (ӘАОЖ ${applicationLocality}) өтініш білдірген`,
        ru: `гражданин, единственное жилище которого признано аварийным, обратился вне населённого пункта, где жилище признано аварийным (КАТО ${dwellingLocality}; заявление — КАТО ${applicationLocality})`,
        en: `a citizen whose only dwelling was recognised as emergency applied outside the locality where it stands (KATO ${dwellingLocality}; applied for KATO ${applicationLocality})`,
      },
    }),
  ];
}
