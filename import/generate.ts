/**
 * A synthetic file of the akimats' unified republican database, of any size, the same for the same
 * seed (`hpc generate-unified`, docs/import-unified.md). Valid rows look like real records: IINs
 * with real birth dates and check digits, localities of reference/kato.json weighted towards the
 * big cities, registration instants 1995–2024 in office hours (+06:00 before March 2024), a few
 * categories, akimats named in Kazakh (some with a comma, so quoting is exercised). A share of rows
 * is invalid, spread evenly over every kind of rejection, and a share repeats an earlier person.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { CATEGORIES } from '../domain/categories';
import { makeIin } from '../domain/iin';
import { katoEntries, katoEntry, type KatoEntry } from '../domain/kato';
import { Prng } from '../sandbox/prng';
import { csvField } from './csv';
import { COLUMNS } from './validate';

export const INVALID_KINDS = [
  'BAD_IIN',
  'UNKNOWN_KATO',
  'BAD_DATE',
  'DATE_IN_FUTURE',
  'DATE_BEFORE_1991',
  'DATE_BEFORE_BIRTH',
  'UNKNOWN_CATEGORY',
  'NO_AKIMAT',
  'COLUMN_COUNT',
] as const;
export type InvalidKind = (typeof INVALID_KINDS)[number];

export interface GenerateOptions {
  out: string;
  rows: number;
  seed?: number;
  /** Share of rows that are invalid, spread over INVALID_KINDS (default 0.01). */
  invalidShare?: number;
  /** Share of rows that repeat the IIN of an earlier valid row (default 0.005). */
  duplicateShare?: number;
}

export interface GenerateStats {
  file: string;
  rows: number;
  seed: number;
  valid: number;
  invalid: Partial<Record<InvalidKind, number>>;
  duplicates: number;
}

const KIND_WEIGHT: Record<KatoEntry['kind'], number> = {
  REPUBLICAN_CITY: 6,
  CITY_DISTRICT: 8,
  CITY: 5,
  TOWN: 2,
  VILLAGE: 1,
};

const DAY_MS = 86_400_000;
const FIRST_REG_MS = Date.UTC(1995, 0, 1);
const LAST_REG_MS = Date.UTC(2024, 11, 31);
/** Kazakhstan moved from UTC+06:00 to UTC+05:00 on 1 March 2024. */
const ONE_ZONE_FROM_MS = Date.UTC(2024, 2, 1);

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Office-hours wall-clock time on a day, with the offset in force then. */
function registrationText(dayMs: number, rng: Prng): string {
  const offset = dayMs >= ONE_ZONE_FROM_MS ? '+05:00' : '+06:00';
  return `${isoDay(dayMs)}T${pad(rng.int(9, 17))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}${offset}`;
}

function akimatName(e: KatoEntry, rng: Prng): string {
  const city = e.kind === 'CITY_DISTRICT' && e.parent ? katoEntry(e.parent)?.name.kk ?? e.name.kk : e.name.kk;
  const base =
    e.kind === 'CITY_DISTRICT'
      ? `${city} қаласы ${e.name.kk} әкімдігі`
      : e.kind === 'VILLAGE'
        ? `${e.name.kk} ауылының әкімдігі`
        : `${city} қаласының әкімдігі`;
  return rng.chance(0.1) ? `${base}, тұрғын үй қатынастары бөлімі` : base;
}

class Weighted<T> {
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(private readonly items: readonly T[], weight: (t: T) => number) {
    for (const it of items) this.cumulative.push((this.total += weight(it)));
  }
  pick(rng: Prng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

interface Record5 {
  iin: string;
  kato: string;
  registeredAt: string;
  categories: string;
  akimat: string;
}

function line(r: Record5): string {
  return `${r.iin},${r.kato},${r.registeredAt},${r.categories},${csvField(r.akimat)}\n`;
}

/** Rows one by one (header first), with the stats filled in as they go. */
export function* generateUnifiedRows(opts: Omit<GenerateOptions, 'out'>, stats: GenerateStats): Generator<string> {
  const rng = new Prng(opts.seed ?? 1, 'unified-import');
  const invalidShare = opts.invalidShare ?? 0.01;
  const duplicateShare = opts.duplicateShare ?? 0.005;
  const places = new Weighted(katoEntries(), (e) => KIND_WEIGHT[e.kind]);
  const codes = CATEGORIES.filter((c) => c.retired === undefined).map((c) => c.code);
  const used = new Set<string>();
  const validIins: string[] = [];

  const person = (): { iin: string; birthMs: number } => {
    for (;;) {
      const birthMs = Date.UTC(1940, 0, 1) + rng.int(0, 60 * 365) * DAY_MS; // 1940–1999
      const iin = makeIin(isoDay(birthMs), rng.chance(0.5) ? 'M' : 'F', rng.int(0, 9999));
      if (!used.has(iin)) {
        used.add(iin);
        return { iin, birthMs };
      }
    }
  };
  const validRecord = (): Record5 => {
    const { iin, birthMs } = person();
    const e = places.pick(rng);
    const from = Math.max(FIRST_REG_MS, birthMs + 18 * 365 * DAY_MS);
    const dayMs = from + rng.int(0, Math.floor((LAST_REG_MS - from) / DAY_MS)) * DAY_MS;
    const r = rng.next();
    const cats = r < 0.7 ? [] : r < 0.95 ? [rng.pick(codes)] : [...new Set([rng.pick(codes), rng.pick(codes)])];
    return { iin, kato: e.code, registeredAt: registrationText(dayMs, rng), categories: cats.join(';'), akimat: akimatName(e, rng) };
  };

  yield `${COLUMNS.join(',')}\n`;
  for (let i = 0; i < opts.rows; i += 1) {
    const roll = rng.next();
    if (roll < invalidShare) {
      const kind = INVALID_KINDS[Math.min(INVALID_KINDS.length - 1, Math.floor((roll / invalidShare) * INVALID_KINDS.length))];
      stats.invalid[kind] = (stats.invalid[kind] ?? 0) + 1;
      const r = validRecord();
      switch (kind) {
        case 'BAD_IIN':
          r.iin = r.iin.slice(0, 11) + String((Number(r.iin[11]) + 1) % 10);
          break;
        case 'UNKNOWN_KATO':
          r.kato = '999999999';
          break;
        case 'BAD_DATE':
          r.registeredAt = rng.chance(0.5) ? `${r.registeredAt.slice(0, 5)}02-30${r.registeredAt.slice(10)}` : r.registeredAt.slice(0, 19);
          break;
        case 'DATE_IN_FUTURE':
          r.registeredAt = '2099-01-15T10:00:00+05:00';
          break;
        case 'DATE_BEFORE_1991':
          r.registeredAt = '1989-06-01T10:00:00+06:00';
          break;
        case 'DATE_BEFORE_BIRTH': {
          // Someone born in 2003 with a record from 2001.
          const iin = makeIin('2003-05-10', 'F', rng.int(0, 9999));
          r.iin = iin;
          r.registeredAt = '2001-04-02T11:00:00+06:00';
          break;
        }
        case 'UNKNOWN_CATEGORY':
          r.categories = 'NO_SUCH_CATEGORY';
          break;
        case 'NO_AKIMAT':
          r.akimat = '';
          break;
        case 'COLUMN_COUNT':
          yield `${r.iin},${r.kato},${r.registeredAt},${r.categories}\n`;
          continue;
      }
      yield line(r);
    } else if (roll < invalidShare + duplicateShare && validIins.length > 0) {
      stats.duplicates += 1;
      const r = validRecord();
      r.iin = validIins[rng.int(0, validIins.length - 1)];
      yield line(r);
    } else {
      const r = validRecord();
      validIins.push(r.iin);
      stats.valid += 1;
      yield line(r);
    }
  }
}

/** Writes the file; resolves with what it holds. */
export async function generateUnifiedFile(opts: GenerateOptions): Promise<GenerateStats> {
  if (!Number.isInteger(opts.rows) || opts.rows < 0) throw new RangeError(`rows must be a whole number: ${opts.rows}`);
  const stats: GenerateStats = { file: opts.out, rows: opts.rows, seed: opts.seed ?? 1, valid: 0, invalid: {}, duplicates: 0 };
  const out = createWriteStream(opts.out, { encoding: 'utf8' });
  let buffer = '';
  for (const l of generateUnifiedRows(opts, stats)) {
    buffer += l;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await finished(out);
  return stats;
}
