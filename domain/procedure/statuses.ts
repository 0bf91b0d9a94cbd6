/**
 * The case's statuses — the stages of the procedure (SPEC §7) — and its flags — conditions that
 * hold alongside a status (OpenCRVS v2 keeps the two apart, and so do we). What a person reads
 * about each comes from here: the API's case view and the front ends take the words from this
 * one catalogue.
 */
import type { Localized } from './text';

export const CASE_STATUSES = [
  'RECEIVED', // received, accepted later (A1.7.2: out of hours — its result is issued then); or queued for checking
  'CHECKING', // the registries are read and the grounds evaluated (SPEC §4–5)
  'AWAITING_REPORT', // R7.2: the applicant is to upload the expert's technical report (A1.8.2)
  'AWAITING_REVIEW', // R7.2: an operator reviews the report (R13, A1.8.2)
  'HEARING_SCHEDULED', // R17: a preliminary refusal was issued; the hearing is ahead
  'AWAITING_HEARING_OUTCOME', // R17: the hearing was held after a position; an officer decides
  'AWAITING_FINAL_SIGNATURE', // R17: the hearing was held without a position; an officer signs the final refusal
  'REGISTERED', // in the queue (SPEC §7)
  'REFUSED', // the final refusal with its grounds (R15, A1.9)
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const DECIDED_STATUSES: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['REGISTERED', 'REFUSED']);
export const isDecided = (status: CaseStatus): boolean => DECIDED_STATUSES.has(status);

export const CASE_FLAGS = [
  'WAITING_ON_REGISTRY', // a registry does not answer: the case retries, visibly (WaitingOn names it)
  'REPORT_UPLOADED', // R7.2: a technical report is on file
  'POSITION_STATED', // R17: the applicant stated a position before the hearing
  'STEP_FAILED', // a step failed on data it cannot process: an administrator must act
  'OVERDUE', // a due instant passed while the case waited on the provider's staff (R13, R16, R17)
  'LEFT_QUEUE', // registered, and the entry has since left every list (withdrawn by the person: issue #11 §2)
] as const;
export type CaseFlag = (typeof CASE_FLAGS)[number];

/** What the procedure table looks at: the stage, the conditions, and the path (R7.1 or R7.2). */
export interface ProcedureState {
  status: CaseStatus;
  flags: readonly CaseFlag[];
  path: 'NO_HOUSING' | 'EMERGENCY';
}

/**
 * RECEIVED for a case on record whose workflow has not started yet (issue #14: the intake outbox
 * starts it; under a rush or while Temporal restarts that can take a while). The place in the queue
 * and the term are already fixed at receipt (SPEC §2, §7).
 */
export const QUEUED_FOR_CHECKING_TEXT: { name: Localized; next: Localized } = {
  name: { kk: 'Өтініш алынды, тексеруге кезекте тұр', ru: 'Заявление получено и ждёт проверки', en: 'Application received, queued for checking' },
  next: {
    kk: 'Өтініш тіркелді: кезектегі орын түскен сәтімен анықталды, қарау мерзімі қабылданған сәттен басталды. Мәліметтерді тексеру жақын арада басталады; қайта жіберудің қажеті жоқ.',
    ru: 'Заявление зарегистрировано: место в очереди определено моментом поступления, срок рассмотрения идёт с момента принятия. Проверка сведений скоро начнётся; отправлять заявление повторно не нужно.',
    en: 'The application is on record: its place in the queue is set by the moment of receipt and the term runs from acceptance. Checking the data will start shortly; there is no need to send it again.',
  },
};

export const STATUS_TEXT: Readonly<Record<CaseStatus, { name: Localized; next: Localized }>> = {
  RECEIVED: {
    name: { kk: 'Өтініш алынды', ru: 'Заявление получено', en: 'Application received' },
    next: {
      kk: 'Жұмыс уақытынан тыс түскен өтініш келесі жұмыс күні сағат 09:00-де қабылданады, нәтижесі сол күні беріледі (A1.7.2). Кезектегі орын түскен сәтімен анықталады.',
      ru: 'Заявление, поступившее в нерабочее время, принимается в 09:00 следующего рабочего дня, и результат выдаётся в этот день (A1.7.2). Место в очереди определяется моментом поступления.',
      en: 'An application received out of hours is accepted at 09:00 on the next working day, and its result issued then (A1.7.2). The place in the queue is set by the moment of receipt.',
    },
  },
  CHECKING: {
    name: { kk: 'Мәліметтер тексерілуде', ru: 'Идёт проверка сведений', en: 'Checking the data' },
    next: {
      kk: 'Мәліметтер мемлекеттік дерекқорлар бойынша тексерілуде; нәтижесі белгіленген мерзімде хабарланады.',
      ru: 'Сведения проверяются по государственным базам данных; о результате сообщат в установленный срок.',
      en: 'The data is being checked against the state registries; the result will be sent within the term.',
    },
  },
  AWAITING_REPORT: {
    name: { kk: 'Техникалық қорытынды күтілуде', ru: 'Ожидается техническое заключение', en: 'Awaiting the technical report' },
    next: {
      kk: 'Тұрғын үйдің апатты екені туралы сарапшының техникалық қорытындысының электрондық көшірмесін жүктеңіз (A1.8.2).',
      ru: 'Загрузите электронную копию технического заключения эксперта об аварийности жилья (A1.8.2).',
      en: "Upload the e-copy of the expert's technical report on the emergency dwelling (A1.8.2).",
    },
  },
  AWAITING_REVIEW: {
    name: { kk: 'Техникалық қорытынды қаралуда', ru: 'Техническое заключение на рассмотрении', en: 'The technical report is being reviewed' },
    next: {
      kk: 'Оператор техникалық қорытындыны тексеріп жатыр; нәтижесі мерзімде хабарланады.',
      ru: 'Оператор проверяет техническое заключение; о результате сообщат в срок.',
      en: 'An operator is checking the technical report; the result will be sent within the term.',
    },
  },
  HEARING_SCHEDULED: {
    name: { kk: 'Алдын ала шешім: тыңдау тағайындалды', ru: 'Предварительное решение: назначено заслушивание', en: 'Preliminary decision: a hearing is scheduled' },
    next: {
      kk: 'Тыңдауға дейін ұстанымыңызды білдіре аласыз, құжат қоса аласыз, жетіспейтін келісімді бере аласыз немесе қайта тексеруді сұрай аласыз (R17).',
      ru: 'До заслушивания вы можете выразить свою позицию, представить документы, дать недостающее согласие или попросить повторную проверку (R17).',
      en: 'Before the hearing you may state your position, add documents, give a missing consent or ask for a re-check (R17).',
    },
  },
  AWAITING_HEARING_OUTCOME: {
    name: { kk: 'Тыңдау нәтижесі бойынша шешім күтілуде', ru: 'Ожидается решение по итогам заслушивания', en: 'Awaiting the decision after the hearing' },
    next: {
      kk: 'Уәкілетті лауазымды тұлға сіздің ұстанымыңызды ескеріп шешім қабылдайды (R17).',
      ru: 'Уполномоченное должностное лицо примет решение с учётом вашей позиции (R17).',
      en: 'The authorised officer will decide, taking your position into account (R17).',
    },
  },
  AWAITING_FINAL_SIGNATURE: {
    name: { kk: 'Түпкілікті шешімге қол қойылуда', ru: 'Окончательное решение на подписи', en: 'The final decision is being signed' },
    next: {
      kk: 'Тыңдауға дейін ұстаным білдірілмеді; берушінің уәкілетті тұлғасы бас тарту туралы түпкілікті шешімге ЭЦҚ-мен қол қояды (R17).',
      ru: 'До заслушивания позиция не была выражена; уполномоченное лицо услугодателя подписывает ЭЦП окончательное решение об отказе (R17).',
      en: "No position was stated by the hearing; the provider's authorised person signs the final refusal with their EDS (R17).",
    },
  },
  REGISTERED: {
    name: { kk: 'Есепке қойылды', ru: 'Поставлен на учёт', en: 'Registered in the queue' },
    next: {
      kk: 'Сіз кезектесіз. Кезектегі орныңыз бен оның өзгеру себептерін жеке кабинетте көре аласыз.',
      ru: 'Вы состоите в очереди. Место в очереди и причины его изменения видны в личном кабинете.',
      en: 'You are in the queue. Your place and why it changes are shown in your cabinet.',
    },
  },
  REFUSED: {
    name: { kk: 'Бас тартылды', ru: 'Отказано', en: 'Refused' },
    next: {
      kk: 'Шешімге берушінің басшысына шағым жасауға болады (R18, R19).',
      ru: 'Решение можно обжаловать, подав жалобу руководителю услугодателя (R18, R19).',
      en: "The decision may be appealed by a complaint to the provider's head (R18, R19).",
    },
  },
};

export const FLAG_TEXT: Readonly<Record<CaseFlag, Localized>> = {
  WAITING_ON_REGISTRY: {
    kk: 'Мемлекеттік дерекқор уақытша жауап бермейді; тексеру қайталануда',
    ru: 'Государственная база данных временно не отвечает; проверка повторяется',
    en: 'A state registry is not answering for now; the check is being retried',
  },
  REPORT_UPLOADED: { kk: 'Техникалық қорытынды жүктелді', ru: 'Техническое заключение загружено', en: 'Technical report uploaded' },
  POSITION_STATED: { kk: 'Ұстаным білдірілді', ru: 'Позиция выражена', en: 'Position stated' },
  OVERDUE: {
    kk: 'Мерзім өтті: берушінің қызметкері әлі әрекет етпеді, басшысына хабарланды',
    ru: 'Срок истёк: сотрудник услугодателя ещё не принял меры, его руководитель уведомлён',
    en: "The term has passed: the provider's staff have not acted yet; their head has been told",
  },
  LEFT_QUEUE: {
    kk: 'Кезектен шықты: жазба енді ешбір тізімде жоқ',
    ru: 'Выбыл из очереди: записи больше нет ни в одном списке',
    en: 'Left the queue: the entry is no longer in any list',
  },
  STEP_FAILED: {
    kk: 'Өңдеу тоқтап тұр: әкімші қатені түзетуде',
    ru: 'Обработка приостановлена: администратор устраняет ошибку',
    en: 'Processing is on hold: an administrator is fixing an error',
  },
};
