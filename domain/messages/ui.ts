/**
 * What the web pages say (issue #12), in Kazakh and Russian. The one catalogue: the pages also
 * show the API's own texts (./api-errors.ts, ./auth.ts, ./consents.ts, and the status texts the API
 * sends), never a second copy of them. Pure: the web bundle imports it.
 */
import type { Lang } from './types';

type Texts = Record<string, { kk: string; ru: string }>;

export const UI = {
  appTitle: { kk: 'Тұрғын үймен қамтамасыз ету орталығы', ru: 'Центр обеспечения жильём' },
  cabinet: { kk: 'Жеке кабинет', ru: 'Личный кабинет' },
  staffConsole: { kk: 'Қызметкер консолі', ru: 'Консоль сотрудника' },
  publicQueue: { kk: 'Кезек', ru: 'Очередь' },
  skipToContent: { kk: 'Негізгі мазмұнға өту', ru: 'Перейти к содержанию' },
  language: { kk: 'Тіл', ru: 'Язык' },
  mainNav: { kk: 'Негізгі мәзір', ru: 'Основное меню' },
  loading: { kk: 'Жүктелуде…', ru: 'Загрузка…' },
  notAvailable: { kk: 'Бұл бөлім әзірге қолжетімсіз', ru: 'Этот раздел пока недоступен' },
  genericError: { kk: 'Қате орын алды; қайталап көріңіз', ru: 'Произошла ошибка; попробуйте ещё раз' },
  networkError: { kk: 'Сервермен байланыс жоқ; қайталап көріңіз', ru: 'Нет связи с сервером; попробуйте ещё раз' },
  notFound: { kk: 'Бет табылмады', ru: 'Страница не найдена' },
  // ---- sign-in and NCALayer ----
  signIn: { kk: 'ЭЦҚ арқылы кіру', ru: 'Войти с ЭЦП' },
  signInIntro: {
    kk: 'Кіру үшін компьютеріңізде NCALayer іске қосылған болуы керек. Кілтті таңдау терезесі NCALayer-де ашылады.',
    ru: 'Для входа на компьютере должен быть запущен NCALayer. Окно выбора ключа откроется в NCALayer.',
  },
  signInAsApplicant: { kk: 'Өтініш беруші ретінде кіру', ru: 'Войти как заявитель' },
  signInAsRepresentative: { kk: 'Заңды өкіл ретінде кіру', ru: 'Войти как законный представитель' },
  representedIin: { kk: 'Өтініш берушінің ЖСН (сіз кімнің атынан бересіз)', ru: 'ИИН заявителя (от чьего имени вы подаёте)' },
  representative: { kk: 'Өкіл', ru: 'Представитель' },
  signInAsStaff: { kk: 'Қызметкер ретінде кіру', ru: 'Войти как сотрудник' },
  signOut: { kk: 'Шығу', ru: 'Выйти' },
  signedInAs: { kk: 'Сіз жүйедесіз:', ru: 'Вы вошли как:' },
  ncaLayerMissing: {
    kk: 'NCALayer-мен байланыс жоқ. NCALayer-ді іске қосып, қайталаңыз.',
    ru: 'Нет связи с NCALayer. Запустите NCALayer и повторите.',
  },
  ncaLayerCancelled: { kk: 'Қол қою тоқтатылды', ru: 'Подписание отменено' },
  signing: { kk: 'NCALayer-де қол қойыңыз…', ru: 'Подпишите в NCALayer…' },
  // ---- citizen ----
  myApplications: { kk: 'Менің өтініштерім', ru: 'Мои заявления' },
  noApplications: { kk: 'Өтініштер жоқ', ru: 'Заявлений нет' },
  apply: { kk: 'Өтініш беру', ru: 'Подать заявление' },
  applyTitle: { kk: 'Тұрғын үйге мұқтаж ретінде есепке қою туралы өтініш', ru: 'Заявление о постановке на учёт нуждающихся в жилище' },
  applicant: { kk: 'Өтініш беруші', ru: 'Заявитель' },
  prefillNote: { kk: 'Мәліметтер мемлекеттік тізілімдерден алынды', ru: 'Сведения получены из государственных реестров' },
  iin: { kk: 'ЖСН', ru: 'ИИН' },
  fullName: { kk: 'Аты-жөні', ru: 'ФИО' },
  birthDate: { kk: 'Туған күні', ru: 'Дата рождения' },
  identityDocument: { kk: 'Жеке куәлік', ru: 'Удостоверение личности' },
  address: { kk: 'Тіркелген мекенжайы', ru: 'Адрес регистрации' },
  locality: { kk: 'Елді мекен', ru: 'Населённый пункт' },
  localityHint: { kk: 'Атауын жаза бастаңыз, тізімнен таңдаңыз', ru: 'Начните вводить название и выберите из списка' },
  localityRequired: { kk: 'Елді мекенді тізімнен таңдаңыз', ru: 'Выберите населённый пункт из списка' },
  basis: { kk: 'Негіз', ru: 'Основание' },
  pathNoHousing: { kk: 'Тұрғын үйдің болмауы (7-тармақтың 1) тармақшасы)', ru: 'Отсутствие жилища (подпункт 1) пункта 7)' },
  pathEmergency: { kk: 'Апатты тұрғын үй (7-тармақтың 2) тармақшасы)', ru: 'Аварийное жилище (подпункт 2) пункта 7)' },
  emergencyPropertyId: { kk: 'Апатты тұрғын үйдің кадастрлық нөмірі', ru: 'Кадастровый номер аварийного жилища' },
  categories: { kk: 'Санаттар', ru: 'Категории' },
  contact: { kk: 'Байланыс', ru: 'Контакты' },
  mobile: { kk: 'Ұялы телефон (+7XXXXXXXXXX)', ru: 'Мобильный телефон (+7XXXXXXXXXX)' },
  email: { kk: 'Электрондық пошта', ru: 'Электронная почта' },
  consents: { kk: 'Келісімдер', ru: 'Согласия' },
  consentsNote: { kk: 'Барлық келісімдер өтінішті қарау үшін қажет', ru: 'Все согласия нужны для рассмотрения заявления' },
  signAndSubmit: { kk: 'Қол қою және жіберу', ru: 'Подписать и отправить' },
  fixErrors: { kk: 'Өрістердегі қателерді түзетіңіз', ru: 'Исправьте ошибки в полях' },
  // ---- the case ----
  application: { kk: 'Өтініш', ru: 'Заявление' },
  status: { kk: 'Мәртебесі', ru: 'Статус' },
  flags: { kk: 'Белгілер', ru: 'Отметки' },
  whatNext: { kk: 'Әрі қарай не болады', ru: 'Что будет дальше' },
  receivedAt: { kk: 'Түскен уақыты', ru: 'Поступило' },
  decisionDueAt: { kk: 'Шешім мерзімі', ru: 'Срок решения' },
  timeline: { kk: 'Өтініштің барысы', ru: 'Ход рассмотрения' },
  notices: { kk: 'Хабарламалар', ru: 'Уведомления' },
  noNotices: { kk: 'Хабарламалар жоқ', ru: 'Уведомлений нет' },
  grounds: { kk: 'Бас тарту негіздері', ru: 'Основания для отказа' },
  queuePosition: { kk: 'Кезектегі орны', ru: 'Место в очереди' },
  registrationNumber: { kk: 'Тіркеу нөмірі', ru: 'Регистрационный номер' },
  position: { kk: 'Орны', ru: 'Место' },
  statePosition: { kk: 'Өз ұстанымыңызды білдіру (17-тармақ)', ru: 'Изложить свою позицию (пункт 17)' },
  positionText: { kk: 'Ұстаным мәтіні', ru: 'Текст позиции' },
  signAndSend: { kk: 'Қол қою және жіберу', ru: 'Подписать и отправить' },
  positionSent: { kk: 'Ұстанымыңыз қабылданды', ru: 'Ваша позиция принята' },
  giveConsents: { kk: 'Келісім беру (17-тармақ)', ru: 'Дать согласие (пункт 17)' },
  consentsGiven: { kk: 'Келісім берілді', ru: 'Согласие дано' },
  noConsentsToGive: { kk: 'Барлық келісімдер берілген', ru: 'Все согласия уже даны' },
  chooseConsent: { kk: 'Кемінде бір келісімді таңдаңыз', ru: 'Выберите хотя бы одно согласие' },
  requestRecheck: { kk: 'Қайта тексеруді сұрау (17-тармақ)', ru: 'Запросить повторную проверку (пункт 17)' },
  recheckReason: { kk: 'Себебі (міндетті емес)', ru: 'Причина (необязательно)' },
  recheckRequested: { kk: 'Қайта тексеру сұралды', ru: 'Повторная проверка запрошена' },
  send: { kk: 'Жіберу', ru: 'Отправить' },
  finalRefusal: { kk: 'Түпкілікті бас тартуға қол қою (17-тармақ)', ru: 'Подписать окончательный отказ (пункт 17)' },
  finalRefusalNote: {
    kk: 'Өтініш беруші тыңдауға дейін ұстанымын білдірмеді; бас тарту алдын ала шешімнің негіздерімен шығарылады.',
    ru: 'Заявитель не изложил позицию до заслушивания; отказ выносится по основаниям предварительного решения.',
  },
  uploadReport: { kk: 'Техникалық қорытындыны жүктеу', ru: 'Загрузить техническое заключение' },
  reportNumber: { kk: 'Қорытынды нөмірі', ru: 'Номер заключения' },
  reportFile: { kk: 'Қорытынды файлы (PDF)', ru: 'Файл заключения (PDF)' },
  upload: { kk: 'Жүктеу', ru: 'Загрузить' },
  uploaded: { kk: 'Қорытынды жүктелді', ru: 'Заключение загружено' },
  pdfRequired: { kk: 'PDF файлын таңдаңыз', ru: 'Выберите файл PDF' },
  // ---- staff ----
  worklist: { kk: 'Жұмыс тізімі', ru: 'Рабочий список' },
  overdue: { kk: 'Мерзімі өткен', ru: 'Просрочено' },
  openCase: { kk: 'Өтінішті нөмірі бойынша ашу', ru: 'Открыть заявление по номеру' },
  caseNumber: { kk: 'Өтініш нөмірі', ru: 'Номер заявления' },
  open: { kk: 'Ашу', ru: 'Открыть' },
  dueAt: { kk: 'Мерзімі', ru: 'Срок' },
  noCases: { kk: 'Өтініштер жоқ', ru: 'Заявлений нет' },
  reviewReport: { kk: 'Техникалық қорытындыны қарау', ru: 'Рассмотрение технического заключения' },
  reportPdf: { kk: 'Қорытынды (PDF)', ru: 'Заключение (PDF)' },
  accept: { kk: 'Қабылдау', ru: 'Принять' },
  reject: { kk: 'Қабылдамау', ru: 'Отклонить' },
  reason: { kk: 'Себебі', ru: 'Причина' },
  done: { kk: 'Орындалды', ru: 'Выполнено' },
  hearingOutcome: { kk: 'Тыңдау нәтижесі (17-тармақ)', ru: 'Итог заслушивания (пункт 17)' },
  outcomeRegister: { kk: 'Есепке қою', ru: 'Поставить на учёт' },
  outcomeRefuse: { kk: 'Бас тарту', ru: 'Отказать' },
  reasoning: { kk: 'Негіздеме', ru: 'Обоснование' },
  noActions: { kk: 'Қазір сізге қолжетімді әрекет жоқ', ru: 'Сейчас вам не доступно ни одно действие' },
  purposeOfReading: { kk: 'өтінішті қарау', ru: 'рассмотрение заявления' },
  facts: { kk: 'Мәліметтер', ru: 'Сведения' },
  // ---- public queue ----
  queueTitle: { kk: 'Тұрғын үйге мұқтаждар кезегі', ru: 'Очередь нуждающихся в жилище' },
  queueNote: { kk: 'Тізімде аты-жөні мен ЖСН жарияланбайды', ru: 'В списке не публикуются ФИО и ИИН' },
  category: { kk: 'Санат', ru: 'Категория' },
  allCategories: { kk: 'Барлық санаттар', ru: 'Все категории' },
  registrationDate: { kk: 'Тіркелген күні', ru: 'Дата учёта' },
  notPublished: { kk: 'жарияланбайды', ru: 'не публикуется' },
  total: { kk: 'Барлығы', ru: 'Всего' },
  searchNumber: { kk: 'Тіркеу нөмірі бойынша іздеу', ru: 'Поиск по регистрационному номеру' },
  find: { kk: 'Табу', ru: 'Найти' },
  notInPage: { kk: 'Бұл бетте табылмады', ru: 'На этой странице не найдено' },
  previous: { kk: 'Алдыңғы', ru: 'Предыдущая' },
  next: { kk: 'Келесі', ru: 'Следующая' },
  page: { kk: 'Бет', ru: 'Страница' },
  almatyTime: { kk: 'Астана уақыты (UTC+05:00)', ru: 'время Астаны (UTC+05:00)' },
} satisfies Texts;

export type UiKey = keyof typeof UI;

/**
 * Kazakh month names: browsers' Kazakh date formats are often incomplete (Chromium's give
 * "2026 M12 3"), so the pages write Kazakh dates themselves: "2026 ж. 3 желтоқсан, 14:05".
 */
export const MONTHS_KK = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'] as const;

export function ui(key: UiKey, lang: Lang): string {
  return UI[key][lang];
}

/** The case actions (domain/procedure/actions.ts CASE_ACTIONS) as a person reads them. */
export const ACTION_NAMES: Record<string, { kk: string; ru: string }> = {
  UPLOAD_REPORT: UI.uploadReport,
  STATE_POSITION: UI.statePosition,
  GIVE_CONSENT: UI.giveConsents,
  REQUEST_RECHECK: UI.requestRecheck,
  SIGN_FINAL_REFUSAL: UI.finalRefusal,
  REVIEW_REPORT: UI.reviewReport,
  RECORD_HEARING_OUTCOME: UI.hearingOutcome,
};

/** Timeline entries (case_events kinds) in plain words; an unknown kind is shown as it is. */
export const EVENT_NAMES: Record<string, { kk: string; ru: string }> = {
  RECEIVED: { kk: 'Өтініш түсті', ru: 'Заявление поступило' },
  ACCEPTED: { kk: 'Өтініш қабылданды', ru: 'Заявление принято' },
  CHECKED: { kk: 'Мәліметтер тексерілді', ru: 'Сведения проверены' },
  WAITING_ON_REGISTRY: { kk: 'Мемлекеттік дерекқордың жауабы күтілуде', ru: 'Ожидается ответ государственной базы данных' },
  REGISTRY_AVAILABLE: { kk: 'Мемлекеттік дерекқор жауап берді', ru: 'Государственная база данных ответила' },
  REGISTERED: { kk: 'Есепке қойылды', ru: 'Поставлен на учёт' },
  PRELIMINARY_REFUSAL: { kk: 'Алдын ала бас тарту, тыңдау тағайындалды', ru: 'Предварительный отказ, назначено заслушивание' },
  POSITION_STATED: { kk: 'Ұстаным білдірілді', ru: 'Позиция изложена' },
  CONSENT_GIVEN: { kk: 'Келісім берілді', ru: 'Дано согласие' },
  CONSENT_WITHDRAWAL_APPLIED: { kk: 'Келісімнің кері қайтарылуы ескерілді', ru: 'Учтён отзыв согласия' },
  RECHECK_REQUESTED: { kk: 'Қайта тексеру сұралды', ru: 'Запрошена повторная проверка' },
  RECHECKED: { kk: 'Қайта тексерілді', ru: 'Проведена повторная проверка' },
  TECHNICAL_REPORT_UPLOADED: { kk: 'Техникалық қорытынды жүктелді', ru: 'Загружено техническое заключение' },
  TECHNICAL_REPORT_REVIEWED: { kk: 'Техникалық қорытынды қаралды', ru: 'Техническое заключение рассмотрено' },
  TECHNICAL_REPORT_MISSING: { kk: 'Техникалық қорытынды мерзімінде берілмеді', ru: 'Техническое заключение не представлено в срок' },
  HEARING_HELD: { kk: 'Тыңдау өтті', ru: 'Заслушивание проведено' },
  HEARING_OUTCOME: { kk: 'Тыңдау нәтижесі шығарылды', ru: 'Вынесен итог заслушивания' },
  FINAL_REFUSAL_SIGNED: { kk: 'Түпкілікті бас тартуға қол қойылды', ru: 'Подписан окончательный отказ' },
  FINAL_REFUSAL: { kk: 'Түпкілікті бас тарту', ru: 'Окончательный отказ' },
  REFUSED: { kk: 'Бас тартылды', ru: 'Отказано' },
  CASE_OVERDUE: { kk: 'Шешім мерзімі өтіп кетті', ru: 'Срок решения пропущен' },
  STEP_FAILED: { kk: 'Қадам орындалмады, қызметкерлер тексеруде', ru: 'Шаг не выполнен, сотрудники проверяют' },
  STEP_RETRIED: { kk: 'Қадам қайта орындалды', ru: 'Шаг выполнен повторно' },
};
