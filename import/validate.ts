/**
 * Row validation for the unified-database import: small pure functions, one per column, and a
 * checker that adds what needs the whole file or the database (duplicates, entries already there).
 * The CSV format is in docs/import-unified.md.
 */
import { categoryName } from '../domain/categories';
import { validateIin } from '../domain/iin';
import { localityOf, validateKato } from '../domain/kato';
import { almatyInstant, InvalidInstantError, parseInstant, type LocalizedReason } from '../domain/time';
import { almatyYmd, fastInstant, fastIinBirth } from './fast';
import { REJECT_REASONS, type RejectCode } from './reasons';

export const COLUMNS = ['iin', 'kato', 'registered_at', 'categories', 'source_akimat'] as const;
export type Column = (typeof COLUMNS)[number];

/** The day the Republic's own registers begin (Constitutional Law on State Independence). */
export const EARLIEST_REGISTRATION_MS = almatyInstant('1991-12-16', '00:00');
const MAX_AKIMAT_LENGTH = 300;

export interface Problem {
  /** The column at fault, or `row` for the row as a whole. */
  field: Column | 'row';
  code: RejectCode;
  reason: LocalizedReason;
  /** For DUPLICATE_IN_FILE: the row that is loaded instead. */
  firstRow?: number;
}

/** A row that passed every check of its own (not yet against the file or the database). */
export interface ValidRow {
  iin: string;
  kato: string;
  locality: string;
  /** As written in the file: PostgreSQL parses the same ISO 8601 text. */
  registeredAt: string;
  registeredAtMs: number;
  /** Distinct codes in file order. */
  categories: string[];
  sourceAkimat: string;
}

function problem(field: Problem['field'], code: RejectCode, detail?: LocalizedReason): Problem {
  const base = REJECT_REASONS[code];
  const reason = detail
    ? { code, kk: `${base.kk}: ${detail.kk}`, ru: `${base.ru}: ${detail.ru}`, en: `${base.en}: ${detail.en}` }
    : base;
  return { field, code, reason };
}

/** A valid IIN's birth date as `yyyymmdd`, or why it is not valid. */
export function checkIin(iin: string): { birthYmd: number } | Problem {
  const birthYmd = fastIinBirth(iin);
  if (birthYmd !== 0) return { birthYmd };
  const r = validateIin(iin);
  return r.valid ? { birthYmd: Number(r.birthDate.replace(/-/g, '')) } : problem('iin', 'BAD_IIN', r.reason);
}

export function checkKato(kato: string): Problem | null {
  const r = validateKato(kato);
  return r.valid ? null : problem('kato', 'UNKNOWN_KATO');
}

/**
 * An instant with an explicit offset, on or after 16 December 1991, not in the future and not
 * before the person was born (when the IIN is valid, its birth date). A local time without offset
 * is refused: before March 2024 most of Kazakhstan kept UTC+06:00 and the west UTC+05:00, so the
 * wall-clock time alone does not say which instant an akimat meant.
 */
export function checkRegisteredAt(text: string, nowMs: number, birthYmd?: number): { ms: number } | Problem {
  let ms = fastInstant(text);
  if (Number.isNaN(ms)) {
    try {
      ms = parseInstant(text);
    } catch (err) {
      if (err instanceof InvalidInstantError) return problem('registered_at', 'BAD_DATE', err.reason);
      throw err;
    }
  }
  if (ms > nowMs) return problem('registered_at', 'DATE_IN_FUTURE');
  if (ms < EARLIEST_REGISTRATION_MS) return problem('registered_at', 'DATE_BEFORE_1991');
  // The day in Kazakhstan (SPEC §2): born on that day is fine, before it is not.
  if (birthYmd !== undefined && almatyYmd(ms) < birthYmd) return problem('registered_at', 'DATE_BEFORE_BIRTH');
  return { ms };
}

/**
 * `;`-separated category codes, possibly none. A retired code is accepted: an akimat's record may be
 * older than the retirement, and old records keep the categories they were registered with.
 */
export function checkCategories(text: string): { codes: string[] } | Problem {
  if (text === '') return { codes: [] };
  const codes: string[] = [];
  for (const raw of text.split(';')) {
    const code = raw.trim();
    if (code === '') continue;
    if (categoryName(code) === undefined) {
      return problem('categories', 'UNKNOWN_CATEGORY', { code, kk: code, ru: code, en: code });
    }
    if (!codes.includes(code)) codes.push(code);
  }
  return { codes };
}

export function checkAkimat(text: string): Problem | null {
  const name = text.trim();
  return name === '' || name.length > MAX_AKIMAT_LENGTH ? problem('source_akimat', 'NO_AKIMAT') : null;
}

function isProblem(x: object): x is Problem {
  return 'code' in x;
}

/** Every problem of one row on its own, or the row ready to load. */
export function validateFields(fields: string[] | null, nowMs: number): { row: ValidRow } | { problems: Problem[] } {
  if (fields === null) return { problems: [problem('row', 'BAD_CSV')] };
  if (fields.length !== COLUMNS.length) return { problems: [problem('row', 'COLUMN_COUNT')] };
  const [iinText, katoText, atText, categoriesText, akimatText] = fields;
  const iin = iinText.trim();
  const kato = katoText.trim();
  const problems: Problem[] = [];
  const iinCheck = checkIin(iin);
  if (isProblem(iinCheck)) problems.push(iinCheck);
  const katoProblem = checkKato(kato);
  if (katoProblem) problems.push(katoProblem);
  const at = checkRegisteredAt(atText.trim(), nowMs, isProblem(iinCheck) ? undefined : iinCheck.birthYmd);
  if (isProblem(at)) problems.push(at);
  const cats = checkCategories(categoriesText.trim());
  if (isProblem(cats)) problems.push(cats);
  const akimatProblem = checkAkimat(akimatText);
  if (akimatProblem) problems.push(akimatProblem);
  if (problems.length > 0 || isProblem(at) || isProblem(cats)) return { problems };
  return {
    row: {
      iin,
      kato,
      locality: localityOf(kato),
      registeredAt: atText.trim(),
      registeredAtMs: at.ms,
      categories: cats.codes,
      sourceAkimat: akimatText.trim(),
    },
  };
}

/** What the database already holds for an IIN (loaded once per run). */
export type ExistingEntry =
  | { kind: 'APPLICATION' }
  /** `signature` of the migrated record (recordSignature), to tell a re-run from a conflict. */
  | { kind: 'MIGRATED'; signature: string };

/** Identity of a migrated record: the same IIN with the same fields is "already present". */
export function recordSignature(r: { kato: string; registeredAtMs: number; categories: string[]; sourceAkimat: string }): string {
  return `${r.kato}|${r.registeredAtMs}|${[...r.categories].sort().join(';')}|${r.sourceAkimat}`;
}

export type RowOutcome =
  | { kind: 'load'; row: ValidRow }
  | { kind: 'present' }
  | { kind: 'reject'; problems: Problem[] };

/**
 * Checks rows in file order: a row valid on its own is then checked against earlier rows of the
 * file (the first valid row of an IIN wins) and against the database (an active entry from an
 * application is refused; a migrated record with the same fields is already present, one with
 * other fields is a conflict).
 */
export class RowChecker {
  private readonly firstRowOf = new Map<string, number>();

  constructor(
    private readonly existing: ReadonlyMap<string, ExistingEntry>,
    private readonly nowMs: number,
  ) {}

  check(rowNumber: number, fields: string[] | null): RowOutcome {
    const v = validateFields(fields, this.nowMs);
    if ('problems' in v) return { kind: 'reject', problems: v.problems };
    const { row } = v;
    const first = this.firstRowOf.get(row.iin);
    if (first !== undefined) {
      return { kind: 'reject', problems: [{ ...problem('iin', 'DUPLICATE_IN_FILE'), firstRow: first }] };
    }
    this.firstRowOf.set(row.iin, rowNumber);
    const there = this.existing.get(row.iin);
    if (there === undefined) return { kind: 'load', row };
    if (there.kind === 'APPLICATION') return { kind: 'reject', problems: [problem('iin', 'ALREADY_IN_QUEUE')] };
    return there.signature === recordSignature(row)
      ? { kind: 'present' }
      : { kind: 'reject', problems: [problem('iin', 'CONFLICTS_WITH_MIGRATED')] };
  }
}
