/**
 * How the queue pages word and group their figures (issue #12): months, waiting-time buckets and
 * chart labels in Kazakh and Russian, and a history grouped by list. No DOM: unit-tested under
 * Node (test/unit/web-queue-format.test.ts).
 */
import type { Lang } from '../../domain/messages/types';
import { MONTHS_KK } from '../../domain/messages/ui';

export interface QueueHistoryItem {
  at: string;
  list: { kato: string; category?: string };
  from: number | null;
  to: number | null;
  reason: { code: string; kk: string; ru: string };
}

/** The items grouped by list, the locality's list first, each newest first as the API sends them. */
export function groupByList(items: readonly QueueHistoryItem[]): { key: string; kato: string; category?: string; items: QueueHistoryItem[] }[] {
  const groups = new Map<string, { key: string; kato: string; category?: string; items: QueueHistoryItem[] }>();
  for (const i of items) {
    const key = `${i.list.kato}|${i.list.category ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, kato: i.list.kato, ...(i.list.category ? { category: i.list.category } : {}), items: [] };
      groups.set(key, g);
    }
    g.items.push(i);
  }
  return [...groups.values()].sort((a, b) => (a.category ? 1 : 0) - (b.category ? 1 : 0) || (a.category ?? '').localeCompare(b.category ?? ''));
}

/** "2026-12" as a month: "2026 ж. желтоқсан" / "декабрь 2026 г.". */
export function monthLabel(month: string, lang: Lang): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  if (lang === 'kk') return `${y} ж. ${MONTHS_KK[m - 1]}`;
  return new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

function ruYears(n: number): string {
  const d = n % 10;
  const h = n % 100;
  if (d === 1 && h !== 11) return 'год';
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return 'года';
  return 'лет';
}

/** A waiting-time bucket: "3–5 жыл" / "3–5 лет", "10 жыл және одан көп" / "10 лет и более". */
export function bucketLabel(from: number, to: number | null, lang: Lang): string {
  if (lang === 'kk') return to === null ? `${from} жыл және одан көп` : `${from}–${to} жыл`;
  return to === null ? `${from} ${ruYears(from)} и более` : `${from}–${to} ${ruYears(to)}`;
}

/**
 * A long label (a category's name) in lines of about `width` characters, at most three, for the
 * chart's axis on a phone; the table beside it has the whole name.
 */
export function wrapLabel(label: string, width = 22): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines[2]}…`] : lines;
}

