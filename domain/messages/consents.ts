/** The four consents of Appendix 2 block C (R12), in the words of the A2 form. Pure. */
import type { ConsentCode } from '../application';

export interface Localized {
  kk: string;
  ru: string;
  en: string;
}

/** What each consent is, in the words of the A2 form. */
export const CONSENT_TITLES: Readonly<Record<ConsentCode, Localized>> = {
  C1: {
    kk: 'Өтініш берушіде және отбасы мүшелерінде Қазақстан Республикасында тұрғынжайдың бар немесе жоқ екенін тексеруге келісім',
    ru: 'Согласие на проверку наличия или отсутствия жилища у заявителя и членов семьи в Республике Казахстан',
    en: 'Consent to checking whether the applicant and family own housing in Kazakhstan',
  },
  C2: {
    kk: 'Ақпараттық жүйелерде қамтылған заңмен қорғалатын құпияны құрайтын мәліметтерді жинауға, өңдеуге және пайдалануға келісім',
    ru: 'Согласие на сбор, обработку и использование сведений, составляющих охраняемую законом тайну, содержащихся в информационных системах',
    en: 'Consent to collecting, processing and using legally protected data held in information systems',
  },
  C3: {
    kk: '«Тұрғын үй қатынастары туралы» Заңның 71 және 78-баптарына сәйкес «Отбасы банк» АҚ интернет-ресурсында деректерді жариялауға келісім',
    ru: 'Согласие на публикацию данных на интернет-ресурсе АО «Отбасы банк» в соответствии со статьями 71 и 78 Закона «О жилищных отношениях»',
    en: "Consent to publishing the data on Otbasy Bank's website (Housing Relations Law arts. 71, 78)",
  },
  C4: {
    kk: 'Мемлекеттік дерекқорларда растайтын мәліметтер болмаған жағдайда санатсыз есепке қоюмен келісім',
    ru: 'Согласие на постановку на учёт без категории при отсутствии подтверждающих сведений в государственных базах данных',
    en: 'Acknowledgement of registration without a category when the state databases do not confirm it',
  },
};
