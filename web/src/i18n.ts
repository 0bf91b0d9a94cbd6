/**
 * The page's language: Kazakh or Russian, from `?lang=` in the URL (which wins, so a link keeps
 * it) or the `hpc_lang` cookie; `<html lang>` follows. Dates and times are shown in Kazakhstan's
 * single time zone, UTC+05:00 (SPEC §2), whatever the browser's own zone, in each language's format.
 */
import { LANGS, type Lang } from '../../domain/messages/types';
import { UI, type UiKey } from '../../domain/messages/ui';

export type { Lang };

const COOKIE = 'hpc_lang';

export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl && (LANGS as readonly string[]).includes(fromUrl)) return fromUrl as Lang;
  const m = /(?:^|;\s*)hpc_lang=(kk|ru)/.exec(document.cookie);
  return m ? (m[1] as Lang) : 'kk';
}

/** Remembers the choice (cookie and URL) and marks the document's language. */
export function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.cookie = `${COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
  const url = new URL(location.href);
  if (url.searchParams.get('lang') !== lang) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url);
  }
  document.title = `${UI.appTitle[lang]}`;
}

export function t(key: UiKey, lang: Lang): string {
  return UI[key][lang];
}

/** Any {kk, ru} text (the API's statusText, errors, notices, categories, consents). */
export function pick(text: { kk: string; ru: string } | undefined, lang: Lang): string {
  return text ? text[lang] : '';
}

export { formatDate, formatInstant } from './dates';
