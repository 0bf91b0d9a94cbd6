/**
 * KATO locality codes (SPEC §4 "Locality", §11) over the versioned reference/kato.json.
 *
 * A queue is kept per locality. For the republican-significance cities — Astana, Almaty, Shymkent —
 * every code of the city's districts (prefixes 71, 75, 79) belongs to the city's code (SPEC §4, R6);
 * any other settlement is its own locality.
 */

import katoJson from '../reference/kato.json';

export type KatoKind = 'REPUBLICAN_CITY' | 'CITY_DISTRICT' | 'CITY' | 'TOWN' | 'VILLAGE';

export interface KatoEntry {
  code: string;
  kind: KatoKind;
  parent?: string;
  name: { kk: string; ru: string; en: string };
  verified: boolean;
}

// Schema-checked by the unit tests (domain/reference-schemas.ts), not at import: this module is in
// the workflow bundle, which is evaluated again for every workflow.
const file = katoJson as { version: string; entries: KatoEntry[] };
export const KATO_VERSION: string = file.version;

let byCodeMemo: ReadonlyMap<string, KatoEntry> | undefined;
function byCode(): ReadonlyMap<string, KatoEntry> {
  byCodeMemo ??= new Map(file.entries.map((e) => [e.code, e]));
  return byCodeMemo;
}

export { REPUBLICAN_CITIES, isRepublicanCity, localityOf } from './locality';

export type KatoErrorCode = 'FORMAT' | 'UNKNOWN';

export interface KatoReason {
  code: KatoErrorCode;
  kk: string;
  ru: string;
  en: string;
}

export type KatoValidation = { valid: true } | { valid: false; reason: KatoReason };

const REASONS: Record<KatoErrorCode, KatoReason> = {
  FORMAT: {
    code: 'FORMAT',
    kk: 'ӘАОЖ коды 9 цифрдан тұруы керек',
    ru: 'Код КАТО должен состоять из 9 цифр',
    en: 'A KATO code must be exactly 9 digits',
  },
  UNKNOWN: {
    code: 'UNKNOWN',
    kk: 'Мұндай ӘАОЖ коды анықтамалықта жоқ',
    ru: 'Такого кода КАТО нет в справочнике',
    en: 'This KATO code is not in the reference table',
  },
};

const KATO_RE = /^\d{9}$/;

/** A code the application may name: 9 digits and present in the reference table. */
export function validateKato(code: string): KatoValidation {
  if (typeof code !== 'string' || !KATO_RE.test(code)) return { valid: false, reason: REASONS.FORMAT };
  if (!byCode().has(code)) return { valid: false, reason: REASONS.UNKNOWN };
  return { valid: true };
}

/** Kazakh and Russian names, or undefined for a code not in the reference table. */
export function katoName(kato: string): { kk: string; ru: string } | undefined {
  const e = byCode().get(kato);
  return e ? { kk: e.name.kk, ru: e.name.ru } : undefined;
}

export function katoEntry(kato: string): KatoEntry | undefined {
  return byCode().get(kato);
}

export function katoEntries(): readonly KatoEntry[] {
  return file.entries;
}
