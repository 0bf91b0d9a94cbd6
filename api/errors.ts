/**
 * The one error format of the API:
 *
 *   {"error": {"code": "...", "field"?: "path.to.field", "message": {"kk", "ru", "en"}, "details"?: [...]}}
 *
 * Whoever reads an error is a person at the portal or an operator, so every message comes in Kazakh
 * and Russian (the state and the official language) plus English for developers. Nothing internal
 * (stack traces, SQL, gRPC details) ever leaves the process: unknown errors become 500 INTERNAL.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CalendarUnavailableError } from '../domain/calendar';
import { redactText } from '../personal-data/redaction';

export interface LocalizedMessage {
  kk: string;
  ru: string;
  en: string;
}

export interface ErrorBody {
  error: {
    code: string;
    field?: string;
    message: LocalizedMessage;
    details?: unknown[];
  };
}

/** An error the API answers on purpose, with its HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly localized: LocalizedMessage;
  readonly details: unknown[] | undefined;
  constructor(
    status: number,
    code: string,
    message: LocalizedMessage,
    opts: { field?: string; details?: unknown[] } = {},
  ) {
    super(message.en);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = opts.field;
    this.localized = message;
    this.details = opts.details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        ...(this.field !== undefined ? { field: this.field } : {}),
        message: this.localized,
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

/** Fixed messages, one per error code the API answers with. */
export const MESSAGES = {
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

export type MessageCode = keyof typeof MESSAGES;

export function apiError(status: number, code: MessageCode, opts: { field?: string; details?: unknown[]; en?: string } = {}): ApiError {
  const base = MESSAGES[code];
  return new ApiError(status, code, opts.en ? { ...base, en: opts.en } : base, opts);
}

/**
 * 409: the procedure table (domain/procedure `allowedActions`) says this action is not possible in
 * the case's state now; the reason in kk/ru/en, and its code in `details`.
 */
export function invalidCaseAction(reason: { code: string } & LocalizedMessage): ApiError {
  return new ApiError(409, 'INVALID_CASE_ACTION', { kk: reason.kk, ru: reason.ru, en: reason.en }, { details: [{ reason: reason.code }] });
}

// ---- zod issues → localized field errors ----

/** What a custom check puts in `params.reason` so the issue carries its own kk/ru/en text. */
export interface IssueReason extends LocalizedMessage {
  code: string;
}

export interface FieldIssue {
  field: string;
  code: string;
  message: LocalizedMessage;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

const TYPE_NAMES: Record<string, LocalizedMessage> = {
  string: { kk: 'мәтін', ru: 'строка', en: 'string' },
  number: { kk: 'сан', ru: 'число', en: 'number' },
  boolean: { kk: 'логикалық мән', ru: 'логическое значение', en: 'boolean' },
  object: { kk: 'нысан', ru: 'объект', en: 'object' },
  array: { kk: 'тізім', ru: 'список', en: 'array' },
};

function isReason(v: unknown): v is IssueReason {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.kk === 'string' && typeof r.ru === 'string' && typeof r.en === 'string' && typeof r.code === 'string';
}

/** One zod issue in the three languages. Issues must come from a parse with `reportInput: true`. */
export function localizeIssue(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = fieldPath(issue.path);
  switch (issue.code) {
    case 'custom': {
      const reason: unknown = issue.params?.reason;
      if (isReason(reason)) return [{ field, code: reason.code, message: { kk: reason.kk, ru: reason.ru, en: reason.en } }];
      return [{ field, code: 'INVALID', message: { kk: 'Мән жарамсыз', ru: 'Недопустимое значение', en: issue.message } }];
    }
    case 'invalid_type': {
      if (issue.input === undefined) {
        return [
          {
            field,
            code: 'REQUIRED',
            message: { kk: 'Міндетті өріс толтырылмаған', ru: 'Обязательное поле не заполнено', en: 'This field is required' },
          },
        ];
      }
      const t = TYPE_NAMES[issue.expected] ?? { kk: issue.expected, ru: issue.expected, en: issue.expected };
      return [
        {
          field,
          code: 'INVALID_TYPE',
          message: {
            kk: `Мәннің түрі дұрыс емес (күтілетіні: ${t.kk})`,
            ru: `Неверный тип значения (ожидается: ${t.ru})`,
            en: `Wrong value type (expected ${t.en})`,
          },
        },
      ];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(', ');
      return [
        {
          field,
          code: 'INVALID_VALUE',
          message: {
            kk: `Рұқсат етілген мәндердің бірі болуы керек: ${values}`,
            ru: `Допустимые значения: ${values}`,
            en: `Must be one of: ${values}`,
          },
        },
      ];
    }
    case 'invalid_format': {
      if (issue.format === 'email') {
        return [
          {
            field,
            code: 'INVALID_EMAIL',
            message: { kk: 'Электрондық пошта мекенжайы дұрыс емес', ru: 'Неверный адрес электронной почты', en: 'Invalid e-mail address' },
          },
        ];
      }
      if (issue.format === 'uuid') {
        return [
          {
            field,
            code: 'INVALID_UUID',
            message: {
              kk: 'Идентификатор UUID пішімінде болуы керек',
              ru: 'Идентификатор должен быть в формате UUID',
              en: 'The identifier must be a UUID',
            },
          },
        ];
      }
      return [{ field, code: 'INVALID_FORMAT', message: { kk: 'Мәннің пішімі дұрыс емес', ru: 'Неверный формат значения', en: 'Invalid format' } }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const n = String(small ? issue.minimum : issue.maximum);
      const what =
        issue.origin === 'string'
          ? { kk: 'таңба', ru: 'символов', en: 'characters' }
          : issue.origin === 'array' || issue.origin === 'set'
            ? { kk: 'элемент', ru: 'элементов', en: 'items' }
            : { kk: '', ru: '', en: '' };
      const message = small
        ? { kk: `Кемінде ${n} ${what.kk}`.trim(), ru: `Не менее ${n} ${what.ru}`.trim(), en: `At least ${n} ${what.en}`.trim() }
        : { kk: `Ең көбі ${n} ${what.kk}`.trim(), ru: `Не более ${n} ${what.ru}`.trim(), en: `At most ${n} ${what.en}`.trim() };
      return [{ field, code: small ? 'TOO_SMALL' : 'TOO_BIG', message }];
    }
    case 'unrecognized_keys':
      // One entry per unknown key, so the client sees each field it should not have sent.
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        code: 'UNKNOWN_FIELD',
        message: { kk: 'Белгісіз өріс', ru: 'Неизвестное поле', en: 'Unknown field' },
      }));
    default:
      return [{ field, code: 'INVALID', message: { kk: 'Мән жарамсыз', ru: 'Недопустимое значение', en: issue.message } }];
  }
}

/** 400 naming the first failing field, with every issue in `details`. */
export function validationError(error: z.ZodError, prefix?: string): ApiError {
  const issues = error.issues.flatMap((i) => localizeIssue(i)).map((i) => ({
    ...i,
    field: prefix ? (i.field ? `${prefix}.${i.field}` : prefix) : i.field,
  }));
  const first = issues[0] ?? { field: prefix ?? '', code: 'INVALID', message: MESSAGES.INTERNAL };
  return new ApiError(400, 'VALIDATION_FAILED', first.message, {
    ...(first.field ? { field: first.field } : {}),
    details: issues,
  });
}

/**
 * Parses with a zod schema or throws the 400 above. `prefix` names where the value came from when
 * it is not the body (e.g. `query` or `params`), so `field` stays unambiguous.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw validationError(result.error, prefix);
  return result.data;
}

/** body-parser's errors carry `type` and `status`; we map them without exposing their text. */
interface BodyParserError {
  type: string;
  status?: number;
}
function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';
}

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  if (err instanceof CalendarUnavailableError) {
    const { kk, ru, en } = err.reason;
    return new ApiError(503, 'CALENDAR_UNAVAILABLE', { kk, ru, en });
  }
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return apiError(400, 'INVALID_JSON');
      case 'entity.too.large':
        return apiError(413, 'PAYLOAD_TOO_LARGE');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return apiError(415, 'UNSUPPORTED_MEDIA_TYPE');
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
        return apiError(400, 'INVALID_JSON');
      default:
        break;
    }
  }
  // Other client errors of the HTTP layer carry a 4xx `status` and a message that may quote the
  // request (the router's "Failed to decode param '%E0%A4%A'", zlib's complaint about a body
  // declared gzip that is not): answered by status, the message never leaves the process.
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return apiError(413, 'PAYLOAD_TOO_LARGE');
    if (status === 415) return apiError(415, 'UNSUPPORTED_MEDIA_TYPE');
    return apiError(400, 'BAD_REQUEST');
  }
  return undefined;
}

/**
 * Masks what could be personal data in text bound for the log: IINs and phone numbers, e-mail
 * addresses, quoted values (personal-data/redaction.ts).
 */
export function scrub(text: string): string {
  return redactText(text);
}

/** The central error handler: known errors keep their status; anything else is 500 INTERNAL. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = toApiError(err);
    if (known) {
      res.status(known.status).json(known.toBody());
      return;
    }
    // Only the error's class, code and scrubbed message go to the log: a pg message can quote the
    // offending value (e.g. `invalid input syntax ... "<value>"`), so quoted values, e-mail
    // addresses and digit runs that could be an IIN or a phone number are masked. Request bodies
    // are never logged.
    const e = err instanceof Error ? err : new Error('non-error thrown');
    const code = (e as { code?: unknown }).code;
    logger.error(
      { err: { name: e.name, ...(typeof code === 'string' ? { code } : {}), message: scrub(e.message) }, method: req.method },
      'unhandled error',
    );
    res.status(500).json(apiError(500, 'INTERNAL').toBody());
  };
}
