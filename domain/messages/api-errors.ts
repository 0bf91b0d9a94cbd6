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
  METHOD_NOT_ALLOWED: {
    kk: 'Бұл мекенжай бұл әдісті қабылдамайды (Allow тақырыбын қараңыз)',
    ru: 'Этот адрес не принимает этот метод (см. заголовок Allow)',
    en: 'This endpoint does not accept this method (see the Allow header)',
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
  INTAKE_BUSY: {
    kk: 'Өтініштер қазір тым көп түсіп жатыр, сондықтан өтінішіңіз қабылданбады және сақталмады; Retry-After тақырыбында көрсетілген уақыттан кейін қайта жіберіңіз',
    ru: 'Сейчас поступает слишком много заявлений, поэтому ваше заявление не принято и не сохранено; отправьте его снова через время, указанное в заголовке Retry-After',
    en: 'Too many applications are arriving right now, so yours was not accepted and nothing was stored; send it again after the Retry-After interval',
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
  // ---- the cabinet, prefill and the staff worklists (issue #11 §3) ----
  CURSOR_INVALID: {
    kk: 'cursor мәні жарамсыз: алдыңғы жауаптағы nextCursor мәнін өзгертпей жіберіңіз',
    ru: 'Недопустимое значение cursor: передайте nextCursor из предыдущего ответа без изменений',
    en: 'Invalid cursor: send the nextCursor of the previous answer unchanged',
  },
  NOTICE_NOT_FOUND: {
    kk: 'Хабарлама табылмады',
    ru: 'Уведомление не найдено',
    en: 'Notice not found',
  },
  PRINCIPAL_ONLY_FOR_REPRESENTATIVE: {
    kk: 'principalIin тек заңды өкіл немесе қамқоршы ретінде кіргенде көрсетіледі',
    ru: 'principalIin указывается только при входе в роли законного представителя или попечителя',
    en: 'principalIin is given only when signed in as a representative',
  },
  PERSON_NOT_FOUND: {
    kk: 'Жеке тұлғалар тізілімінде бұл ЖСН бойынша мәлімет жоқ',
    ru: 'В реестре физических лиц нет сведений по этому ИИН',
    en: 'The persons registry holds no record for this IIN',
  },
  REGISTRY_UNAVAILABLE: {
    kk: 'Мемлекеттік дерекқор уақытша жауап бермейді; кейінірек қайталаңыз',
    ru: 'Государственная база данных временно не отвечает; повторите позже',
    en: 'A state registry is not answering for now; try again later',
  },
  PERSON_MISMATCH: {
    kk: 'Өтініштегі жеке басын куәландыратын мәліметтер тізілім деректерімен сәйкес келмейді: оларды GET /v1/applications/prefill арқылы қайта алыңыз',
    ru: 'Сведения о личности в заявлении не совпадают с данными реестра: получите их заново через GET /v1/applications/prefill',
    en: 'The identity block of the application differs from the registry: fetch it again from GET /v1/applications/prefill',
  },
  NO_TECHNICAL_REPORT: {
    kk: 'Бұл өтінішке техникалық қорытынды жүктелмеген',
    ru: 'К этому заявлению техническое заключение не загружено',
    en: 'No technical report has been uploaded to this application',
  },
  NOT_EMERGENCY_PATH: {
    kk: 'Өтініш апатты тұрғын үй жолы (R7.2) бойынша берілмеген',
    ru: 'Заявление подано не по пути аварийного жилья (R7.2)',
    en: 'The application is not on the emergency path (R7.2)',
  },
  NO_EMERGENCY_RECOGNITION: {
    kk: 'Тізілімде өтініште көрсетілген тұрғынжайды авариялық деп тану туралы мәлімет жоқ',
    ru: 'В реестре нет сведений о признании указанного в заявлении жилища аварийным',
    en: 'The registry holds no emergency recognition of the dwelling the application names',
  },
  INTERNAL: {
    kk: 'Ішкі қате орын алды; кейінірек қайталаңыз',
    ru: 'Произошла внутренняя ошибка; повторите позже',
    en: 'An internal error occurred; try again later',
  },
  INVALID_CURSOR: {
    kk: 'Бет курсоры жарамсыз: оны осы өтініш бойынша алдыңғы бет берген болуы керек',
    ru: 'Недопустимый курсор страницы: он должен быть получен с предыдущей страницы по этому заявлению',
    en: 'Invalid page cursor: it must come from the previous page of this case',
  },
  NO_SNAPSHOT: {
    kk: 'Бұл тізімнің қол қойылған көшірмесі әлі жарияланбаған',
    ru: 'Подписанный снимок этого списка ещё не опубликован',
    en: 'No signed snapshot of this list has been published yet',
  },
  NOT_IN_SNAPSHOT: {
    kk: 'Соңғы жарияланған көшірмеде сіздің жазбаңыз жоқ (ол келесі көшірмеде болады)',
    ru: 'В последнем опубликованном снимке вашей записи нет (она появится в следующем)',
    en: 'The latest published snapshot does not hold your entry (the next one will)',
  },
  // Issue #11 §2: removal from the register by an officer (api/routes/removals.ts)
  REMOVAL_NOT_FOUND: {
    kk: 'Есептен шығару ісі табылмады',
    ru: 'Дело о снятии с учёта не найдено',
    en: 'No such removal case',
  },
  ENTRY_NOT_FOUND: {
    kk: 'Мұндай тіркеу нөмірі бар жазба кезекте жоқ',
    ru: 'Записи с таким регистрационным номером в очереди нет',
    en: 'No queue entry has this registration number',
  },
  ENTRY_NOT_IN_QUEUE: {
    kk: 'Жазба кезектен бұрын шығарылған: оны есептен шығаруға болмайды',
    ru: 'Запись уже исключена из очереди: снять её с учёта нельзя',
    en: 'The entry has already left the queue: it cannot be removed',
  },
  REMOVAL_ALREADY_OPEN: {
    kk: 'Бұл жазба бойынша есептен шығару ісі ашық: жаңасын ашпас бұрын оны аяқтаңыз',
    ru: 'По этой записи уже открыто дело о снятии с учёта: завершите его, прежде чем открывать новое',
    en: 'This entry already has an open removal case: finish it before opening another',
  },
} satisfies Record<string, LocalizedMessage>;
