/**
 * What withdrawing a consent does, told to the person in Kazakh and Russian (R12, A2.C1–C4;
 * Personal Data Law art. 8: consent may be withdrawn, with the consequences explained).
 *
 *   C1, C2 before a decision: the case cannot be checked without them, which is a refusal ground
 *     (A1.9.4) unless the consent is given again before the hearing (R17);
 *   C1, C2 after registration: the person stays registered, but their data (and their family's)
 *     can no longer be re-checked; the provider is told (a CONSENT_WITHDRAWN entry on the case
 *     timeline, which staff read);
 *   C1, C2 after a refusal: nothing changes in the closed case;
 *   C3: the published queue list keeps the person's position but shows no identifier of theirs —
 *     no registration number, date or categories (it never shows names or IINs);
 *   C4: informational — an unconfirmed category is not a ground and is not counted either way (R10).
 */
import type { ConsentCode } from '../domain/application';
import type { Localized } from './consents';

export type WithdrawalEffect =
  | 'CASE_CANNOT_BE_CHECKED'
  | 'RECHECK_IMPOSSIBLE_PROVIDER_INFORMED'
  | 'CASE_CLOSED_NO_CHANGE'
  | 'NOT_PUBLISHED'
  | 'INFORMATIONAL';

/** Where the case stands: `applications.status`. */
export type CaseStanding = 'ACTIVE' | 'REGISTERED' | 'REFUSED' | 'WITHDRAWN';

export interface WithdrawalConsequence {
  effect: WithdrawalEffect;
  /** Whether the provider's staff must act on it (shown to them on the case timeline). */
  providerInformed: boolean;
  explanation: Localized;
}

const WHAT: Record<'C1' | 'C2', Localized> = {
  C1: {
    kk: 'Сізде және отбасы мүшелеріңізде тұрғынжайдың бар-жоғын тексеруге келісімсіз',
    ru: 'Без согласия на проверку наличия жилища у вас и членов вашей семьи,',
    en: 'Without consent to checking the housing of you and your family,',
  },
  C2: {
    kk: 'Заңмен қорғалатын құпияны құрайтын мәліметтерді жинауға және өңдеуге келісімсіз',
    ru: 'Без согласия на сбор и обработку сведений, составляющих охраняемую законом тайну,',
    en: 'Without consent to collecting and processing legally protected data,',
  },
};

export function withdrawalConsequence(code: ConsentCode, standing: CaseStanding): WithdrawalConsequence {
  if (code === 'C1' || code === 'C2') {
    const what = WHAT[code];
    if (standing === 'ACTIVE') {
      return {
        effect: 'CASE_CANNOT_BE_CHECKED',
        providerInformed: true,
        explanation: {
          kk:
            `${what.kk} өтінішіңізді тексеру мүмкін емес. Бұл Қағидаларға 1-қосымшаның 9-тармағының 4) тармақшасы бойынша ` +
            '(қолжетімділігі шектеулі дербес деректерге қол жеткізуге келісімнің болмауы) есепке қоюдан бас тартуға әкеледі, ' +
            'егер сіз тыңдауға дейін келісімді қайта бермесеңіз.',
          ru:
            `${what.ru} ваше заявление не может быть проверено. Это ведёт к отказу в постановке на учёт по подпункту 4) пункта 9 ` +
            'приложения 1 к Правилам (отсутствие согласия на доступ к персональным данным ограниченного доступа), ' +
            'если вы не дадите согласие снова до заслушивания.',
          en:
            `${what.en} your application cannot be checked. This leads to a refusal under A1.9.4 (no consent to access ` +
            'restricted personal data) unless you give the consent again before the hearing (R17).',
        },
      };
    }
    if (standing === 'REGISTERED') {
      return {
        effect: 'RECHECK_IMPOSSIBLE_PROVIDER_INFORMED',
        providerInformed: true,
        explanation: {
          kk:
            'Сіз тұрғынжайға мұқтаждар есебінде тұрсыз. Бұл келісімсіз сіздің және отбасы мүшелеріңіздің мәліметтерін ' +
            'қайта тексеру мүмкін емес. Көрсетілетін қызметті беруші келісімнің кері қайтарылғаны туралы хабардар етілді.',
          ru:
            'Вы состоите на учёте нуждающихся в жилище. Без этого согласия повторная проверка сведений о вас и членах ' +
            'вашей семьи невозможна. Услугодатель уведомлён об отзыве согласия.',
          en:
            'You are registered as in need of housing. Without this consent your data and your family’s can no longer be ' +
            're-checked. The provider has been told of the withdrawal.',
        },
      };
    }
    return {
      effect: 'CASE_CLOSED_NO_CHANGE',
      providerInformed: false,
      explanation: {
        kk: 'Өтініш бойынша іс жабылды; келісімді кері қайтару қабылданған шешімді өзгертпейді. Сіздің деректеріңіз бұл өтініш бойынша бұдан былай тексерілмейді.',
        ru: 'Дело по заявлению закрыто; отзыв согласия не меняет принятого решения. Ваши данные по этому заявлению больше не проверяются.',
        en: 'The case is closed; the withdrawal changes no decision taken. Your data is no longer checked for this application.',
      },
    };
  }
  if (code === 'C3') {
    return {
      effect: 'NOT_PUBLISHED',
      providerInformed: false,
      explanation: {
        kk:
          'Жарияланған кезек тізімінде сіздің жазбаңыз бұдан былай тіркеу нөмірін, есепке қойылған күнді және санаттарды ' +
          'көрсетпейді: тек кезектегі орны ғана, ешқандай сәйкестендіргішсіз көрінеді (аты-жөні мен ЖСН ешқашан ' +
          'жарияланбайды). Бұл сіздің кезегіңізге және оның ретіне әсер етпейді.',
        ru:
          'Ваша запись в опубликованном списке очереди больше не показывает регистрационный номер, дату постановки на учёт ' +
          'и категории: видна только позиция, без каких-либо идентификаторов (имена и ИИН не публикуются никогда). ' +
          'На вашу очередь и её порядок это не влияет.',
        en:
          'Your entry in the published queue list no longer shows the registration number, the registration date or the ' +
          'categories: only the position is shown, without any identifier (names and IINs are never published). Your place ' +
          'in the queue and its order do not change.',
      },
    };
  }
  return {
    effect: 'INFORMATIONAL',
    providerInformed: false,
    explanation: {
      kk:
        'C4 келісімі — мемлекеттік дерекқорларда растайтын мәліметтер болмаған жағдайда санатсыз есепке қою туралы ' +
        'хабардар етілгеніңізді растау. Оны кері қайтару өтінішті қарауды өзгертпейді: расталмаған санат бас тарту ' +
        'негізі болып табылмайды және ол расталып, қайта тексерілгенге дейін ескерілмейді.',
      ru:
        'Согласие C4 — подтверждение того, что вы уведомлены о постановке на учёт без категории, если государственные базы ' +
        'данных её не подтверждают. Его отзыв не меняет рассмотрения заявления: неподтверждённая категория не является ' +
        'основанием для отказа и не учитывается, пока не будет подтверждена и перепроверена.',
      en:
        'C4 acknowledges that you were told you may be registered without a category the state databases do not confirm. ' +
        'Withdrawing it changes nothing in the processing: an unconfirmed category is not a refusal ground and is not counted ' +
        'until it is confirmed and re-checked (R10).',
    },
  };
}
