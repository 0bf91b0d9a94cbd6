/**
 * Text a person or an officer sends into a case (a position, a reason, a report number). The API
 * refuses hostile text at the edge; the workflow's validators ask this too, so that nothing that
 * reached a running case by another way (another client, an older API) can poison it — a NUL
 * byte, for one, cannot be stored by PostgreSQL and would make the writing activity fail for ever.
 */
import type { Reason } from './text';

// C0 controls but tab, line feed and carriage return; DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const TEXT_LIMITS = {
  /** A position, a reasoning, a reason for rejecting a report. */
  statement: 10_000,
  /** A report number, a dwelling's id. */
  identifier: 128,
} as const;

/**
 * Why a text is hostile whatever field it is in — a control character (NUL above all: PostgreSQL
 * cannot store it in text) or a lone surrogate (it has no UTF-8 form) — or undefined. The API asks
 * this of every string it reads (api/edge.ts) and the workflow's validators through textProblem.
 */
export function hostileTextProblem(value: string): Reason | undefined {
  if (CONTROL.test(value)) {
    return {
      code: 'CONTROL_CHARACTER',
      kk: 'Мәтінде рұқсат етілмеген басқару таңбасы бар (мысалы, NUL)',
      ru: 'Текст содержит недопустимый управляющий символ (например, NUL)',
      en: 'The text contains a control character that is not allowed (e.g. NUL)',
    };
  }
  if (LONE_SURROGATE.test(value)) {
    return {
      code: 'INVALID_UNICODE',
      kk: 'Мәтін жарамсыз Unicode таңбасын қамтиды',
      ru: 'Текст содержит недопустимый символ Unicode',
      en: 'The text contains an invalid Unicode character (a lone surrogate)',
    };
  }
  return undefined;
}

/** Bytes that are not UTF-8 where text was expected (a body, a percent-encoded parameter). */
export const INVALID_ENCODING: Reason = {
  code: 'INVALID_ENCODING',
  kk: 'Мәтін UTF-8 кодтауында емес',
  ru: 'Текст не в кодировке UTF-8',
  en: 'The text is not valid UTF-8',
};

/** Why a text cannot be taken, or undefined when it can. */
export function textProblem(value: unknown, maxLength: number, opts: { required?: boolean } = {}): Reason | undefined {
  if (typeof value !== 'string') {
    return { code: 'NOT_TEXT', kk: 'Мәтін күтілген', ru: 'Ожидался текст', en: 'A text is expected' };
  }
  const hostile = hostileTextProblem(value);
  if (hostile) return hostile;
  if (value.length > maxLength) {
    return {
      code: 'TOO_LONG',
      kk: `Мәтін тым ұзын: ең көбі ${maxLength} таңба`,
      ru: `Текст слишком длинный: не более ${maxLength} символов`,
      en: `The text is too long: at most ${maxLength} characters`,
    };
  }
  if (opts.required && value.trim().length === 0) {
    return { code: 'EMPTY', kk: 'Мәтін бос', ru: 'Текст пуст', en: 'The text is empty' };
  }
  return undefined;
}
