/**
 * The notices of a complaint's steps (R18, R19; SPEC §8), to the cabinet and by SMS, in Kazakh and
 * Russian: each names the next due instant; the last ones say the court is open only after this
 * pre-trial step (R19) and give the Unified Contact Center's numbers (A1.10.2, CONTEXT.md).
 */
import type { RenderedNotice } from '../notices';
import type { ComplaintRemedy, ReviewBodyOutcome } from './procedure';

const fmt = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** A1.10.2: where a person learns about the procedure. */
export const CONTACT_CENTRE = '1414, 8-800-080-7777';

const COURT = {
  kk: `Шағымдану тәртібі туралы ақпаратты Бірыңғай байланыс орталығынан алуға болады: ${CONTACT_CENTRE}. Сотқа сотқа дейінгі тәртіппен шағымданғаннан кейін ғана жүгінуге болады (Қағидалардың 19-тармағы); бұл сатыдан өттіңіз.`,
  ru: `Информацию о порядке обжалования можно получить в Едином контакт-центре: ${CONTACT_CENTRE}. Обратиться в суд можно только после обжалования в досудебном порядке (пункт 19 Правил); этот этап вами пройден.`,
};

export function complaintRegisteredNotice(p: { ref: string; registeredAt: string; providerDecisionDueAt: string; forwardDueAt: string }): RenderedNotice {
  return {
    kind: 'COMPLAINT_REGISTERED',
    cabinet: {
      kk:
        `${p.ref} шағымыңыз ${fmt(p.registeredAt)} тіркелді. Берушінің басшысы оны ${fmt(p.providerDecisionDueAt)} дейін қарайды (18-тармақ). ` +
        `Егер ${fmt(p.forwardDueAt)} дейін талаптарыңыз толық қанағаттандырылмаса, шағым әкімшілік іспен бірге шағымды қарайтын органға жіберіледі (19-тармақ). Анықтама: ${CONTACT_CENTRE}.`,
      ru:
        `Ваша жалоба ${p.ref} зарегистрирована ${fmt(p.registeredAt)}. Руководитель услугодателя рассмотрит её до ${fmt(p.providerDecisionDueAt)} (пункт 18). ` +
        `Если до ${fmt(p.forwardDueAt)} ваши требования не будут удовлетворены полностью, жалоба вместе с административным делом будет направлена в орган по рассмотрению жалоб (пункт 19). Справки: ${CONTACT_CENTRE}.`,
    },
    sms: {
      kk: `Otbasy: ${p.ref} шағымы тіркелді, мерзімі ${fmt(p.providerDecisionDueAt)}. Толығырақ жеке кабинетте.`,
      ru: `Otbasy: жалоба ${p.ref} зарегистрирована, срок ${fmt(p.providerDecisionDueAt)}. Подробнее в личном кабинете.`,
    },
  };
}

const REMEDY_TEXT: Record<ComplaintRemedy, { kk: string; ru: string }> = {
  REGISTER: {
    kk: 'Бас тарту туралы шешім жойылды, сіз тұрғынжайға мұқтаждар есебіне алғашқы өтініш түскен уақыт бойынша кезектілікпен алындыңыз.',
    ru: 'Решение об отказе отменено, вы поставлены на учёт нуждающихся в жилище с очерёдностью по времени поступления первоначального заявления.',
  },
  ACTION_TAKEN: {
    kk: 'Шағымда көрсетілген әрекет өтініш бойынша орындалды.',
    ru: 'Действие, указанное в жалобе, выполнено по заявлению.',
  },
};

export function complaintSatisfiedByProviderNotice(p: { ref: string; at: string; remedy: ComplaintRemedy; reasons: string }): RenderedNotice {
  return {
    kind: 'COMPLAINT_SATISFIED',
    cabinet: {
      kk: `${p.ref} шағымыңызды берушінің басшысы ${fmt(p.at)} толық қанағаттандырды. ${REMEDY_TEXT[p.remedy].kk} Негіздеме: ${p.reasons}. Анықтама: ${CONTACT_CENTRE}.`,
      ru: `Ваша жалоба ${p.ref} полностью удовлетворена руководителем услугодателя ${fmt(p.at)}. ${REMEDY_TEXT[p.remedy].ru} Обоснование: ${p.reasons}. Справки: ${CONTACT_CENTRE}.`,
    },
    sms: {
      kk: `Otbasy: ${p.ref} шағымы қанағаттандырылды. Толығырақ жеке кабинетте.`,
      ru: `Otbasy: жалоба ${p.ref} удовлетворена. Подробнее в личном кабинете.`,
    },
  };
}

export function complaintForwardedNotice(p: { ref: string; forwardedAt: string; reviewBodyRegisteredAt: string; reviewBodyDecisionDueAt: string }): RenderedNotice {
  return {
    kind: 'COMPLAINT_FORWARDED',
    cabinet: {
      kk:
        `${p.ref} шағымыңыз әкімшілік іспен бірге ${fmt(p.forwardedAt)} шағымды қарайтын органға жіберілді (19-тармақ). ` +
        `Онда ${fmt(p.reviewBodyRegisteredAt)} тіркеледі және ${fmt(p.reviewBodyDecisionDueAt)} дейін қаралады (18-тармақ). Анықтама: ${CONTACT_CENTRE}.`,
      ru:
        `Ваша жалоба ${p.ref} вместе с административным делом направлена ${fmt(p.forwardedAt)} в орган по рассмотрению жалоб (пункт 19). ` +
        `Там она регистрируется ${fmt(p.reviewBodyRegisteredAt)} и рассматривается до ${fmt(p.reviewBodyDecisionDueAt)} (пункт 18). Справки: ${CONTACT_CENTRE}.`,
    },
    sms: {
      kk: `Otbasy: ${p.ref} шағымы қарайтын органға жіберілді, мерзімі ${fmt(p.reviewBodyDecisionDueAt)}.`,
      ru: `Otbasy: жалоба ${p.ref} направлена в орган по рассмотрению жалоб, срок ${fmt(p.reviewBodyDecisionDueAt)}.`,
    },
  };
}

const OUTCOME_TEXT: Record<ReviewBodyOutcome, { kk: string; ru: string }> = {
  SATISFIED: { kk: 'қанағаттандырылды', ru: 'удовлетворена' },
  PARTLY_SATISFIED: { kk: 'ішінара қанағаттандырылды', ru: 'удовлетворена частично' },
  REFUSED: { kk: 'қанағаттандырусыз қалдырылды', ru: 'оставлена без удовлетворения' },
};

export function complaintDecidedNotice(p: { ref: string; at: string; outcome: ReviewBodyOutcome; remedy?: ComplaintRemedy; reasons: string }): RenderedNotice {
  const remedy = p.remedy ? REMEDY_TEXT[p.remedy] : undefined;
  return {
    kind: 'COMPLAINT_DECIDED',
    cabinet: {
      kk: `${p.ref} шағымыңыз шағымды қарайтын органның ${fmt(p.at)} шешімімен ${OUTCOME_TEXT[p.outcome].kk}. ${remedy ? `${remedy.kk} ` : ''}Негіздеме: ${p.reasons}. ${COURT.kk}`,
      ru: `Ваша жалоба ${p.ref} решением органа по рассмотрению жалоб от ${fmt(p.at)} ${OUTCOME_TEXT[p.outcome].ru}. ${remedy ? `${remedy.ru} ` : ''}Обоснование: ${p.reasons}. ${COURT.ru}`,
    },
    sms: {
      kk: `Otbasy: ${p.ref} шағымы бойынша шешім қабылданды. Толығырақ жеке кабинетте.`,
      ru: `Otbasy: по жалобе ${p.ref} принято решение. Подробнее в личном кабинете.`,
    },
  };
}

/** The complaint's short reference shown to people. */
export function complaintRef(complaintId: string): string {
  return `Ш-${complaintId.slice(0, 8).toUpperCase()}`;
}
