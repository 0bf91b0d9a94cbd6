/**
 * Why a row of the unified database cannot be loaded: a stable code for scripts and a text in
 * Kazakh, Russian and English for the akimat's and the provider's staff (docs/import-unified.md).
 */
import type { LocalizedReason } from '../domain/time';

export type RejectCode =
  | 'COLUMN_COUNT'
  | 'BAD_CSV'
  | 'BAD_IIN'
  | 'UNKNOWN_KATO'
  | 'BAD_DATE'
  | 'DATE_IN_FUTURE'
  | 'DATE_BEFORE_1991'
  | 'DATE_BEFORE_BIRTH'
  | 'UNKNOWN_CATEGORY'
  | 'NO_AKIMAT'
  | 'DUPLICATE_IN_FILE'
  | 'ALREADY_IN_QUEUE'
  | 'CONFLICTS_WITH_MIGRATED';

export const REJECT_REASONS: Record<RejectCode, LocalizedReason> = {
  COLUMN_COUNT: {
    code: 'COLUMN_COUNT',
    kk: 'Жолда 5 баған болуы керек: iin, kato, registered_at, categories, source_akimat',
    ru: 'В строке должно быть 5 столбцов: iin, kato, registered_at, categories, source_akimat',
    en: 'A row must have 5 columns: iin, kato, registered_at, categories, source_akimat',
  },
  BAD_CSV: {
    code: 'BAD_CSV',
    kk: 'Жолдағы тырнақшалар дұрыс емес (жабылмаған немесе артық тырнақша)',
    ru: 'Неверные кавычки в строке (незакрытая или лишняя кавычка)',
    en: 'Broken quoting in the row (an unclosed or stray quote)',
  },
  BAD_IIN: {
    code: 'BAD_IIN',
    kk: 'ЖСН жарамсыз',
    ru: 'ИИН недействителен',
    en: 'The IIN is not valid',
  },
  UNKNOWN_KATO: {
    code: 'UNKNOWN_KATO',
    kk: 'ӘАОЖ коды анықтамалықта жоқ немесе 9 цифр емес',
    ru: 'Код КАТО отсутствует в справочнике или не из 9 цифр',
    en: 'The KATO code is not in the reference table or is not 9 digits',
  },
  BAD_DATE: {
    code: 'BAD_DATE',
    kk: 'Тіркеу күні мен уақыты ISO 8601 пішімінде ығысуымен болуы керек (мысалы, 2012-03-05T10:15:00+06:00)',
    ru: 'Дата и время постановки на учёт должны быть в формате ISO 8601 со смещением (например, 2012-03-05T10:15:00+06:00)',
    en: 'The registration date and time must be ISO 8601 with an offset (e.g. 2012-03-05T10:15:00+06:00)',
  },
  DATE_IN_FUTURE: {
    code: 'DATE_IN_FUTURE',
    kk: 'Тіркеу күні болашақта',
    ru: 'Дата постановки на учёт в будущем',
    en: 'The registration date is in the future',
  },
  DATE_BEFORE_1991: {
    code: 'DATE_BEFORE_1991',
    kk: 'Тіркеу күні 1991 жылғы 16 желтоқсаннан бұрын',
    ru: 'Дата постановки на учёт раньше 16 декабря 1991 года',
    en: 'The registration date is before 16 December 1991',
  },
  DATE_BEFORE_BIRTH: {
    code: 'DATE_BEFORE_BIRTH',
    kk: 'Тіркеу күні ЖСН-дегі туған күннен бұрын',
    ru: 'Дата постановки на учёт раньше даты рождения из ИИН',
    en: 'The registration date is before the birth date in the IIN',
  },
  UNKNOWN_CATEGORY: {
    code: 'UNKNOWN_CATEGORY',
    kk: 'Санат коды анықтамалықта жоқ',
    ru: 'Кода категории нет в справочнике',
    en: 'The category code is not in the reference table',
  },
  NO_AKIMAT: {
    code: 'NO_AKIMAT',
    kk: 'Жазбаны берген әкімдік көрсетілмеген (немесе 300 таңбадан ұзын)',
    ru: 'Не указан акимат, передавший запись (или длиннее 300 символов)',
    en: 'The source akimat is missing (or longer than 300 characters)',
  },
  DUPLICATE_IN_FILE: {
    code: 'DUPLICATE_IN_FILE',
    kk: 'Бұл ЖСН файлда бұрын кездесті; бірінші жарамды жол жүктеледі',
    ru: 'Этот ИИН уже встречался в файле; загружается первая верная строка',
    en: 'This IIN already appeared in the file; the first valid row is loaded',
  },
  ALREADY_IN_QUEUE: {
    code: 'ALREADY_IN_QUEUE',
    kk: 'Адам өтініш бойынша кезекте тұр: бір адамның бір ғана белсенді жазбасы болады',
    ru: 'Лицо уже состоит в очереди по заявлению: у человека только одна действующая запись',
    en: 'The person already stands in the queue from an application: one active entry per person',
  },
  CONFLICTS_WITH_MIGRATED: {
    code: 'CONFLICTS_WITH_MIGRATED',
    kk: 'Бұл ЖСН бойынша басқа деректермен көшірілген жазба бар',
    ru: 'По этому ИИН уже перенесена запись с другими данными',
    en: 'A record with other data was already migrated for this IIN',
  },
};
