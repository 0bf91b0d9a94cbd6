/**
 * Keeping personal data out of logs (issue #3). The API logs only fixed fields (method, route
 * template, status, duration) and, for an unexpected error, its class, code and message — and a
 * message can quote a value (PostgreSQL's `invalid input syntax for type uuid: "…"`). So:
 *   - `redactText` masks what could be a person's data in free text: digit runs of 10 or more (IINs,
 *     phone numbers, also written with spaces, dashes or brackets), e-mail addresses, and quoted
 *     values other than plain SQL identifiers (constraint and table names stay readable);
 *   - `LOG_REDACT_PATHS` is pino's `redact` list, a second line of defence should someone ever log
 *     a body, headers or an actor.
 */

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g;
// A digit, then digits with common separators, then a digit: a phone number as people write it.
const DIGITS_WITH_SEPARATORS = /\+?\d[\d\s().-]{8,}\d/g;
const QUOTED = /"([^"\\]|\\.)*"|'([^'\\]|\\.)*'/g;
const IDENTIFIER = /^["'][a-z_][a-z0-9_$.]*["']$/;

function digitCount(s: string): number {
  let n = 0;
  for (const ch of s) if (ch >= '0' && ch <= '9') n += 1;
  return n;
}

export function redactText(text: string): string {
  return text
    .replace(QUOTED, (m) => (IDENTIFIER.test(m) ? m : `${m[0]}[redacted]${m[0]}`))
    .replace(EMAIL, '[email]')
    .replace(DIGITS_WITH_SEPARATORS, (m) => (digitCount(m) >= 10 ? '#'.repeat(m.length) : m))
    .replace(/\d{10,}/g, (m) => '#'.repeat(m.length));
}

export const LOG_REDACT_PATHS: string[] = [
  'body',
  'req.body',
  'req.headers',
  'headers',
  'actor',
  '*.actor',
  'iin',
  '*.iin',
  'applicantIin',
  '*.applicantIin',
  'representativeIin',
  '*.representativeIin',
  'contact',
  '*.contact',
  'mobile',
  '*.mobile',
  'email',
  '*.email',
  'purposeText',
  '*.purposeText',
];
