/**
 * Texts of the notices of R16 and R17, in Kazakh and Russian (what a person reads). Pure: the
 * outbox stores the rendered text so a notice reads the same however often it is delivered.
 */
import type { Ground } from './application';
import { categoryName } from './categories';

export type NoticeKind =
  | 'REGISTRATION'
  | 'PRELIMINARY_REFUSAL'
  | 'FINAL_REFUSAL'
  | 'CASE_OVERDUE'
  // R18, R19: a complaint's steps (domain/complaints/notices.ts)
  | 'COMPLAINT_REGISTERED'
  | 'COMPLAINT_SATISFIED'
  | 'COMPLAINT_FORWARDED'
  | 'COMPLAINT_DECIDED'
  // Issue #11 §2: the entry's life after registration
  | 'QUEUE_WITHDRAWN'
  | 'CATEGORY_RECHECK'
  // Issue #11 §2: removal from the register by an officer (domain/removal/notices.ts)
  | 'REMOVAL_PRELIMINARY'
  | 'REMOVAL_DECIDED';

export interface NoticeText {
  kk: string;
  ru: string;
}

export interface RenderedNotice {
  kind: NoticeKind;
  /** Full text for the personal cabinet. */
  cabinet: NoticeText;
  /** Short text for SMS (no personal data beyond the case reference). */
  sms: NoticeText;
}

const fmt = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

export function registrationNotice(p: {
  caseRef: string;
  registrationNumber: string;
  position: number;
  kato: string;
  confirmed: string[];
  unconfirmed: string[];
}): RenderedNotice {
  const names = (codes: string[], lang: 'kk' | 'ru'): string =>
    codes.map((c) => categoryName(c)?.[lang] ?? c).join(', ') || (lang === 'kk' ? 'жоқ' : 'нет');
  return {
    kind: 'REGISTRATION',
    cabinet: {
      kk:
        `Сіз тұрғын үйге мұқтаж ретінде есепке алындыңыз (Қағидалардың 7-тармағы). Тіркеу нөмірі: ${p.registrationNumber}. ` +
        `Кезектегі орныңыз: ${p.position} (елді мекен ${p.kato}). Расталған санаттар: ${names(p.confirmed, 'kk')}. ` +
        (p.unconfirmed.length
          ? `Расталмаған санаттар: ${names(p.unconfirmed, 'kk')} — мемлекеттік органның деректерін түзетіп, қайта тексеруді сұрай аласыз (9-тармақ).`
          : ''),
      ru:
        `Вы поставлены на учет нуждающихся в жилище (пункт 7 Правил). Регистрационный номер: ${p.registrationNumber}. ` +
        `Ваше место в очереди: ${p.position} (населенный пункт ${p.kato}). Подтвержденные категории: ${names(p.confirmed, 'ru')}. ` +
        (p.unconfirmed.length
          ? `Неподтвержденные категории: ${names(p.unconfirmed, 'ru')} — вы можете обратиться в госорган за исправлением данных и запросить повторную проверку (пункт 9).`
          : ''),
    },
    sms: {
      kk: `Otbasy: ${p.caseRef} өтініші бойынша есепке алындыңыз, нөмір ${p.registrationNumber}. Толығырақ: жеке кабинет.`,
      ru: `Otbasy: по заявлению ${p.caseRef} вы поставлены на учет, номер ${p.registrationNumber}. Подробнее: личный кабинет.`,
    },
  };
}

const groundLines = (grounds: Ground[], lang: 'kk' | 'ru'): string =>
  grounds.map((g) => `${g.id}${g.rule ? ` (${g.rule})` : ''}: ${g.reason[lang]}`).join('; ');

export function preliminaryRefusalNotice(p: { caseRef: string; grounds: Ground[]; hearingAt: string; decisionDueAt: string }): RenderedNotice {
  return {
    kind: 'PRELIMINARY_REFUSAL',
    cabinet: {
      kk:
        `Алдын ала шешім: есепке алудан бас тарту көзделіп отыр (ӘРПК 73-бабы, Қағидалардың 17-тармағы). Негіздер: ${groundLines(p.grounds, 'kk')}. ` +
        `Тыңдау: ${fmt(p.hearingAt)} (Астана уақыты), онлайн, жеке кабинет арқылы. Тыңдауға дейін өз ұстанымыңызды білдіре, ` +
        `жетіспейтін келісімді бере немесе тізілім деректері түзетілгеннен кейін қайта тексеруді сұрай аласыз. Түпкілікті шешім мерзімі: ${fmt(p.decisionDueAt)}.`,
      ru:
        `Предварительное решение: предполагается отказ в постановке на учет (статья 73 АППК, пункт 17 Правил). Основания: ${groundLines(p.grounds, 'ru')}. ` +
        `Заслушивание: ${fmt(p.hearingAt)} (время Астаны), онлайн через личный кабинет. До заслушивания вы можете выразить свою позицию, ` +
        `дать недостающее согласие или запросить повторную проверку после исправления данных в реестре. Срок окончательного решения: ${fmt(p.decisionDueAt)}.`,
    },
    sms: {
      kk: `Otbasy: ${p.caseRef} өтініші бойынша алдын ала бас тарту шешімі. Тыңдау ${fmt(p.hearingAt)}. Жеке кабинетті қараңыз.`,
      ru: `Otbasy: по заявлению ${p.caseRef} предварительное решение об отказе. Заслушивание ${fmt(p.hearingAt)}. См. личный кабинет.`,
    },
  };
}

export function finalRefusalNotice(p: { caseRef: string; grounds: Ground[]; reasoning?: string }): RenderedNotice {
  return {
    kind: 'FINAL_REFUSAL',
    cabinet: {
      kk:
        `Есепке алудан бас тартылды. Негіздер: ${groundLines(p.grounds, 'kk')}.` +
        (p.reasoning ? ` Негіздеме: ${p.reasoning}.` : '') +
        ` Шешімге провайдер басшысының атына шағым беруге болады (Қағидалардың 18-тармағы).`,
      ru:
        `Отказано в постановке на учет. Основания: ${groundLines(p.grounds, 'ru')}.` +
        (p.reasoning ? ` Мотивировка: ${p.reasoning}.` : '') +
        ` Решение можно обжаловать, подав жалобу на имя руководителя услугодателя (пункт 18 Правил).`,
    },
    sms: {
      kk: `Otbasy: ${p.caseRef} өтініші бойынша есепке алудан бас тартылды. Себептері жеке кабинетте.`,
      ru: `Otbasy: по заявлению ${p.caseRef} отказано в постановке на учет. Причины в личном кабинете.`,
    },
  };
}

/**
 * The provider is late (R13, R16): a due instant passed while the case waited on its staff. The
 * person is told where the case stands, that the head has been told, and that they may complain
 * about the inaction (R18).
 */
export function overdueNotice(p: { caseRef: string; dueAt: string }): RenderedNotice {
  return {
    kind: 'CASE_OVERDUE',
    cabinet: {
      kk:
        `${p.caseRef} өтінішін қарау мерзімі ${fmt(p.dueAt)} өтті, шешім әлі қабылданбады. Берушінің басшысына хабарланды. ` +
        `Әрекетсіздікке берушінің басшысының атына шағым беруге болады (Қағидалардың 18-тармағы).`,
      ru:
        `Срок рассмотрения заявления ${p.caseRef} истёк ${fmt(p.dueAt)}, решение ещё не принято. Руководитель услугодателя уведомлён. ` +
        `На бездействие можно подать жалобу на имя руководителя услугодателя (пункт 18 Правил).`,
    },
    sms: {
      kk: `Otbasy: ${p.caseRef} өтінішінің мерзімі өтті. Толығырақ жеке кабинетте.`,
      ru: `Otbasy: срок по заявлению ${p.caseRef} истёк. Подробнее в личном кабинете.`,
    },
  };
}

/** Issue #11 §2: the person withdrew from the queue; the entry has left every list. */
export function withdrawalNotice(p: { registrationNumber: string; at: string }): RenderedNotice {
  return {
    kind: 'QUEUE_WITHDRAWN',
    cabinet: {
      kk: `Сіздің өтінішіңіз бойынша ${p.registrationNumber} нөмірлі жазба ${fmt(p.at)} кезектен шығарылды: ол енді ешбір тізімде жоқ.`,
      ru: `По вашему заявлению запись № ${p.registrationNumber} исключена из очереди ${fmt(p.at)}: её больше нет ни в одном списке.`,
    },
    sms: {
      kk: `Otbasy: ${p.registrationNumber} жазбасы кезектен шығарылды. Толығырақ: жеке кабинет.`,
      ru: `Otbasy: запись ${p.registrationNumber} исключена из очереди. Подробнее: личный кабинет.`,
    },
  };
}

/** R9 after registration (issue #11 §2): what the re-check of the unconfirmed categories found. */
export function categoryRecheckNotice(p: { caseRef: string; newlyConfirmed: string[]; unconfirmed: string[]; categoryPositions: Record<string, number> }): RenderedNotice {
  const names = (codes: string[], lang: 'kk' | 'ru'): string => codes.map((c) => categoryName(c)?.[lang] ?? c).join(', ');
  const places = (lang: 'kk' | 'ru'): string =>
    p.newlyConfirmed.map((c) => `${categoryName(c)?.[lang] ?? c}: ${p.categoryPositions[c] ?? '—'}`).join('; ');
  const confirmedKk = p.newlyConfirmed.length ? `Расталған санаттар: ${names(p.newlyConfirmed, 'kk')}. Санат тізіміндегі орныңыз (алғашқы өтініш берген уақыт бойынша): ${places('kk')}. ` : 'Жаңа санат расталмады. ';
  const confirmedRu = p.newlyConfirmed.length ? `Подтверждены категории: ${names(p.newlyConfirmed, 'ru')}. Место в списке категории (по времени первоначальной подачи заявления): ${places('ru')}. ` : 'Новых подтвержденных категорий нет. ';
  return {
    kind: 'CATEGORY_RECHECK',
    cabinet: {
      kk: `${p.caseRef} өтініші бойынша санаттар қайта тексерілді (Қағидалардың 9-тармағы). ${confirmedKk}` + (p.unconfirmed.length ? `Әлі расталмаған: ${names(p.unconfirmed, 'kk')}.` : ''),
      ru: `По заявлению ${p.caseRef} категории проверены повторно (пункт 9 Правил). ${confirmedRu}` + (p.unconfirmed.length ? `Пока не подтверждены: ${names(p.unconfirmed, 'ru')}.` : ''),
    },
    sms: {
      kk: `Otbasy: ${p.caseRef} өтініші бойынша санаттар қайта тексерілді. Толығырақ: жеке кабинет.`,
      ru: `Otbasy: по заявлению ${p.caseRef} категории проверены повторно. Подробнее: личный кабинет.`,
    },
  };
}

/** The short reference shown to people: the first 8 characters of the application id. */
export function caseRef(applicationId: string): string {
  return applicationId.slice(0, 8).toUpperCase();
}
