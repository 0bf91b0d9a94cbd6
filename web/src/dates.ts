/**
 * Dates and times as a person in Kazakhstan reads them: the single time zone UTC+05:00 (SPEC §2)
 * whatever the browser's own zone, in each language's format. No DOM: unit-tested under Node.
 */
import type { Lang } from '../../domain/messages/types';
import { MONTHS_KK } from '../../domain/messages/ui';

const OFFSET_MS = 5 * 3_600_000; // UTC+05:00, SPEC §2

/** An instant as Kazakhstan's wall-clock time: "2026 ж. 3 желтоқсан, 14:05" / "3 декабря 2026 г. в 14:05". */
export function formatInstant(iso: string | undefined, lang: Lang, withTime = true): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const d = new Date(ms + OFFSET_MS); // its UTC fields are the wall clock in UTC+05:00
  if (lang === 'kk') {
    const date = `${d.getUTCFullYear()} ж. ${d.getUTCDate()} ${MONTHS_KK[d.getUTCMonth()]}`;
    const two = (n: number): string => String(n).padStart(2, '0');
    return withTime ? `${date}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : date;
  }
  return new Intl.DateTimeFormat('ru-RU', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  }).format(d);
}

/** A calendar date (YYYY-MM-DD) in each language's format. */
export function formatDate(date: string | undefined, lang: Lang): string {
  if (!date) return '';
  return formatInstant(`${date.slice(0, 10)}T00:00:00Z`, lang, false);
}
