/**
 * The API's error texts, one per error code (api/errors.ts answers with them). Kept here, in the
 * one message catalogue, so that the web pages show the same words the API sends (issue #12).
 * Pure: no Node.js imports, the web bundle imports it.
 */
import type { LocalizedMessage } from './types';

/** Fixed messages, one per error code the API answers with. */
export const API_MESSAGES = {
  UNAUTHENTICATED: {
    kk: 'Жүйеге кірмегенсіз: ЭЦҚ арқылы кіріңіз',
    ru: 'Вы не вошли в систему: войдите с помощью ЭЦП',
    en: 'Not authenticated: sign in with your EDS',
  },
  FORBIDDEN: {
    kk: 'Бұл әрекетті орындауға құқығыңыз жоқ',
    ru: 'У вас нет права на это действие',
    en: 'You are not allowed to perform this action',
  },
  NOT_FOUND: {
    kk: 'Өтініш табылмады',
    ru: 'Заявление не найдено',
    en: 'Application not found',
  },
  ROUTE_NOT_FOUND: {
    kk: 'Мұндай мекенжай жоқ',
    ru: 'Такого адреса нет',
    en: 'No such endpoint',
  },
  INVALID_JSON: {
    kk: 'Сұрау денесі жарамды JSON емес',
    ru: 'Тело запроса не является корректным JSON',
    en: 'The request body is not valid JSON',
  },
  BAD_REQUEST: {
    kk: 'Сұрауды оқу мүмкін болмады: оның мекенжайы, тақырыптары немесе денесі бүлінген',
    ru: 'Запрос не удалось прочитать: его адрес, заголовки или тело повреждены',
    en: 'The request could not be read: its address, headers or body are malformed',
  },
  PAYLOAD_TOO_LARGE: {
    kk: 'Сұрау денесі тым үлкен',
    ru: 'Тело запроса слишком велико',
    en: 'The request body is too large',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    kk: 'Мазмұнның бұл түрі қабылданбайды',
    ru: 'Этот тип содержимого не принимается',
    en: 'This content type is not accepted',
  },
  INVALID_PDF: {
    kk: 'Жүктелген файл PDF құжаты емес',
    ru: 'Загруженный файл не является документом PDF',
    en: 'The uploaded file is not a PDF document',
  },
  IDEMPOTENCY_KEY_INVALID: {
    kk: 'Idempotency-Key тақырыбы қажет: 8–128 таңба (A–Z, a–z, 0–9, - және _)',
    ru: 'Нужен заголовок Idempotency-Key: 8–128 символов (A–Z, a–z, 0–9, - и _)',
    en: 'The Idempotency-Key header is required: 8–128 characters (A–Z, a–z, 0–9, - and _)',
  },
  IDEMPOTENCY_KEY_REUSED: {
    kk: 'Бұл Idempotency-Key басқа сұрау үшін бұрын қолданылған',
    ru: 'Этот Idempotency-Key уже использован для другого запроса',
    en: 'This Idempotency-Key was already used for a different request',
  },
  ACTIVE_APPLICATION_EXISTS: {
    kk: 'Бұл адамның қаралып жатқан өтініші бар',
    ru: 'У этого лица уже есть заявление на рассмотрении',
    en: 'This person already has an application under review',
  },
  TEMPORAL_UNAVAILABLE: {
    kk: 'Өтініштерді өңдеу қызметі уақытша қолжетімсіз; кейінірек қайталаңыз',
    ru: 'Служба обработки заявлений временно недоступна; повторите позже',
    en: 'The case-processing service is temporarily unavailable; try again later',
  },
  INVALID_CASE_ACTION: {
    kk: 'Өтініштің қазіргі күйінде бұл әрекетті орындау мүмкін емес',
    ru: 'Это действие невозможно при текущем состоянии заявления',
    en: 'This action is not possible in the current state of the application',
  },
  UPLOAD_NOT_FOUND: {
    kk: 'Жүктелген файл табылмады: оны осы өтініш беруші жүктеп, әлі ешбір өтінішке тіркемеген болуы керек',
    ru: 'Загруженный файл не найден: его должен был загрузить этот же заявитель, и он ещё не приложен ни к одному заявлению',
    en: 'No such upload: it must have been uploaded by the same caller and not yet be attached to an application',
  },
  NOT_IN_QUEUE: {
    kk: 'Өтініш бойынша кезекте тұру жоқ',
    ru: 'По заявлению нет постановки в очередь',
    en: 'The application has no place in a queue',
  },
  PURPOSE_REQUIRED: {
    kk: 'Қызметкер өтініш деректерін қандай мақсатпен оқитынын X-HPC-Purpose тақырыбында көрсетуі керек',
    ru: 'Сотрудник должен указать цель доступа к данным заявления в заголовке X-HPC-Purpose',
    en: 'Staff must state why they read the case in the X-HPC-Purpose header',
  },
  PURPOSE_INVALID: {
    kk: 'X-HPC-Purpose тақырыбы жарамсыз: 3–500 таңба, басқару таңбаларынсыз (ASCII емес мәтін URL-кодталған UTF-8 түрінде)',
    ru: 'Заголовок X-HPC-Purpose неверен: 3–500 символов без управляющих символов (не-ASCII текст — в URL-кодировке UTF-8)',
    en: 'The X-HPC-Purpose header is invalid: 3–500 characters, no control characters (non-ASCII text percent-encoded UTF-8)',
  },
  CONSENT_NOT_IN_FORCE: {
    kk: 'Бұл келісім қазір күшінде емес: ол берілмеген немесе бұрын кері қайтарылған',
    ru: 'Это согласие сейчас не действует: оно не давалось или уже отозвано',
    en: 'This consent is not in force: it was never given or was already withdrawn',
  },
  RATE_LIMITED: {
    kk: 'Сұраулар тым көп; біраз уақыттан кейін қайталаңыз (Retry-After тақырыбын қараңыз)',
    ru: 'Слишком много запросов; повторите через некоторое время (см. заголовок Retry-After)',
    en: 'Too many requests; try again later (see the Retry-After header)',
  },
  INTERNAL: {
    kk: 'Ішкі қате орын алды; кейінірек қайталаңыз',
    ru: 'Произошла внутренняя ошибка; повторите позже',
    en: 'An internal error occurred; try again later',
  },
} satisfies Record<string, LocalizedMessage>;
