/**
 * The reference tables the forms need, from the repository's versioned files (the API checks
 * against the same files): KATO localities by name (SPEC §4) and the priority categories (R8).
 */
import katoJson from '../../reference/kato.json';
import categoriesJson from '../../reference/categories.json';
import type { Lang } from './i18n';

interface KatoEntry {
  code: string;
  kind: string;
  parent?: string;
  name: { kk: string; ru: string };
}
const entries = (katoJson as { entries: KatoEntry[] }).entries;
const byCode = new Map(entries.map((e) => [e.code, e]));

/** A locality's label: its name, with its city for a city district, and its code to tell namesakes apart. */
export function localityLabel(code: string, lang: Lang): string {
  const e = byCode.get(code);
  if (!e) return code;
  const parent = e.parent ? byCode.get(e.parent) : undefined;
  return `${e.name[lang]}${parent ? `, ${parent.name[lang]}` : ''} (${e.code})`;
}

export function localityOptions(lang: Lang): { code: string; label: string }[] {
  return entries.map((e) => ({ code: e.code, label: localityLabel(e.code, lang) })).sort((a, b) => a.label.localeCompare(b.label, lang));
}

/** The code for what the person typed or chose: a label of the list, or a bare 9-digit code. */
export function localityCodeOf(text: string, lang: Lang): string | undefined {
  const trimmed = text.trim();
  if (/^\d{9}$/.test(trimmed) && byCode.has(trimmed)) return trimmed;
  const hit = localityOptions(lang).find((o) => o.label === trimmed);
  if (hit) return hit.code;
  const m = /\((\d{9})\)\s*$/.exec(trimmed);
  return m && byCode.has(m[1]) ? m[1] : undefined;
}

interface Category {
  code: string;
  name: { kk: string; ru: string };
  retired?: string;
}
export const CATEGORIES = (categoriesJson as { categories: Category[] }).categories.filter((c) => !c.retired);
const categoryByCode = new Map((categoriesJson as { categories: Category[] }).categories.map((c) => [c.code, c]));
export function categoryName(code: string, lang: Lang): string {
  return categoryByCode.get(code)?.name[lang] ?? code;
}
