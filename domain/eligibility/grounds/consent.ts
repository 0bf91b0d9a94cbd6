/**
 * A1.9.4: no consent to the use of restricted personal data (R12, Personal Data Law art. 8). The
 * application needs consent A2.C1 (check of the housing of the applicant and family) and A2.C2
 * (collection and processing of legally protected data); C3 and C4 do not bar registration. The
 * consents are the applicant's (a representative gives them on the applicant's behalf), so the
 * ground is the applicant's. One ground per missing consent, so the notice says which to give.
 */
import type { ConsentCode, Ground } from '../../application';
import type { EligibilityContext } from '../context';
import { type Localized, makeGround } from '../reasons';

export const REQUIRED_CONSENTS = ['C1', 'C2'] as const satisfies readonly ConsentCode[];
type RequiredConsent = (typeof REQUIRED_CONSENTS)[number];

const CONSENT_TEXT: Readonly<Record<RequiredConsent, Localized>> = {
  C1: {
    kk: 'өтініш берушінің және отбасы мүшелерінің Қазақстан Республикасында тұрғынжайының бар-жоғын тексеруге келісім берілмеген',
    ru: 'не дано согласие на проверку наличия жилища у заявителя и членов семьи в Республике Казахстан',
    en: 'no consent to checking whether the applicant and family own housing in Kazakhstan',
  },
  C2: {
    kk: 'ақпараттық жүйелердегі заңмен қорғалатын құпияны құрайтын мәліметтерді жинауға және өңдеуге келісім берілмеген',
    ru: 'не дано согласие на сбор и обработку сведений, составляющих охраняемую законом тайну, содержащихся в информационных системах',
    en: 'no consent to collecting and processing legally protected data held in information systems',
  },
};

export function consentGrounds(ctx: EligibilityContext): Ground[] {
  const given = new Set(ctx.declaration.consents.map((c) => c.code));
  const grounds: Ground[] = [];
  for (const code of REQUIRED_CONSENTS) {
    if (given.has(code)) continue;
    grounds.push(
      makeGround({
        id: 'A1.9.4',
        rule: `A2.${code}`,
        subject: ctx.applicant,
        registry: 'application',
        facts: { missingConsent: code, consentsGiven: [...given] },
        reason: CONSENT_TEXT[code],
      }),
    );
  }
  return grounds;
}
