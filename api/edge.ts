/**
 * Hostile text at the edge (issue #9 §5.1): a NUL byte, a lone surrogate, bytes that are not UTF-8
 * — in a JSON body (values and keys, at any depth), a query parameter, a path segment or a header
 * the API reads — is 400 VALIDATION_FAILED naming the field, with kk/ru/en text, before any handler
 * sees it. One place, not a check per route: a NUL reaching PostgreSQL was a 500 (and, through a
 * workflow update, a case retrying for ever); a lone surrogate has no UTF-8 form; and body-parser
 * and node:querystring silently turn invalid UTF-8 into U+FFFD, so the bytes are checked before.
 *
 * The test of "hostile" is the domain's (domain/procedure/inputs.ts hostileTextProblem), the same
 * the workflow's update validators ask, so a text the API lets through the workflow takes too.
 * Lengths stay with each field's schema (api/schemas.ts `max`); bodies are capped where parsed
 * (64 kB), URL and headers by Node (16 kB, 431).
 */
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { hostileTextProblem, INVALID_ENCODING } from '../domain/procedure/inputs';
import type { Reason } from '../domain/procedure/text';
import { PURPOSE_HEADER } from './audit';
import { ApiError, apiError } from './errors';
import { requireJson } from './http';
import { ACTOR_HEADER } from './identity';

/** The 400 for one field, in the shape of api/errors.ts validationError. */
export function hostileFieldError(field: string, reason: Reason): ApiError {
  const message = { kk: reason.kk, ru: reason.ru, en: reason.en };
  return new ApiError(400, 'VALIDATION_FAILED', message, { field, details: [{ field, code: reason.code, message }] });
}

const NON_ASCII_HEADER: Reason = {
  code: 'NON_ASCII_HEADER',
  kk: 'Тақырып мәні тек ASCII таңбаларынан тұруы керек (ASCII емес мәтін URL-кодталған UTF-8 түрінде жіберіледі)',
  ru: 'Значение заголовка должно состоять только из символов ASCII (не-ASCII текст передаётся в URL-кодировке UTF-8)',
  en: 'A header value must be ASCII (non-ASCII text is sent percent-encoded UTF-8)',
};

/** The headers the API reads. Their values are ASCII by contract (X-HPC-Purpose percent-encodes). */
const READ_HEADERS = [ACTOR_HEADER, PURPOSE_HEADER, 'Idempotency-Key', 'Authorization', 'X-CSRF-Token', 'X-Request-Id', 'Cookie'];
// Header values arrive as latin1 strings: one char per byte. Tab is allowed by HTTP.
const HEADER_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const NON_ASCII = /[^\u0000-\u007F]/;

/**
 * Percent-decodes to bytes, strictly as bytes (a `%` not followed by two hex digits stays itself,
 * as node:querystring leaves it); `raw` is the URL text as Node gives it (latin1, one char a byte).
 */
function percentBytes(raw: string, plusIsSpace: boolean): Buffer {
  const src = Buffer.from(plusIsSpace ? raw.replace(/\+/g, ' ') : raw, 'latin1');
  const out = Buffer.alloc(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i += 1) {
    const b = src[i];
    if (b === 0x25 && i + 2 < src.length && isHex(src[i + 1]) && isHex(src[i + 2])) {
      out[n] = parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16);
      i += 2;
    } else {
      out[n] = b;
    }
    n += 1;
  }
  return out.subarray(0, n);
}
function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/** The text of a percent-encoded part, or the reason it is hostile. */
function decodedText(raw: string, plusIsSpace: boolean): { text: string } | { reason: Reason } {
  const bytes = percentBytes(raw, plusIsSpace);
  if (!isUtf8(bytes)) return { reason: INVALID_ENCODING };
  const text = bytes.toString('utf8');
  const problem = hostileTextProblem(text);
  return problem ? { reason: problem } : { text };
}

/** `/v1/applications/:id` → its segments; a `:name` segment names the path parameter. */
function splitTemplate(template: string): string[] {
  return template.split('/').slice(1);
}

/** Whether a path (its segments) fits a route template's (literal segments case-insensitive, as Express). */
function fits(template: readonly string[], segments: readonly string[]): boolean {
  return template.length === segments.length && template.every((part, i) => (part.startsWith(':') ? segments[i] !== '' : part.toLowerCase() === segments[i].toLowerCase()));
}

/**
 * 405 for a method the API does not declare on a path it does (issue #9 §5.6), with `Allow` naming
 * the declared ones (HEAD with GET, as Express answers it), by the most specific template that fits. Mounted early — after CORS, which answers
 * preflights — because a sub-router would otherwise answer OPTIONS itself with 200 text.
 */
export function methodNotAllowed(endpoints: readonly { method: string; path: string }[]): RequestHandler {
  const routes = endpoints.map((e) => ({ method: e.method.toUpperCase(), segments: splitTemplate(e.path) }));
  return (req, res, next) => {
    const segments = req.path.replace(/(.)\/$/, '$1').split('/').slice(1);
    // The most specific templates only: /v1/applications/sign-request is that path, not an :id
    // (a GET there would otherwise reach GET /v1/applications/:id, which the document does not say).
    const fitting = routes.filter((r) => fits(r.segments, segments));
    const literals = (r: (typeof routes)[number]): number => r.segments.filter((p) => !p.startsWith(':')).length;
    const most = Math.max(0, ...fitting.map(literals));
    const declared = new Set(fitting.filter((r) => literals(r) === most).map((r) => r.method));
    if (declared.size === 0) {
      next();
      return;
    }
    if (declared.has('GET')) declared.add('HEAD');
    if (declared.has(req.method)) {
      next();
      return;
    }
    res.set('Allow', [...declared].sort().join(', '));
    next(apiError(405, 'METHOD_NOT_ALLOWED'));
  };
}

/**
 * App-level guard, before any route: the path's segments (named by the route templates given, e.g.
 * `id`, `kato`, `code`, `iin`; `path` when no template matches), every query parameter (named by
 * itself), and the headers the API reads (named by the header).
 */
export function edgeGuard(routeTemplates: readonly string[]): RequestHandler {
  const templates = routeTemplates.map(splitTemplate);
  return (req, _res, next) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);

    // Path segments, named by the template that matches the path's shape.
    const segments = rawPath.split('/').slice(1);
    const template = templates.find((t) => fits(t, segments));
    for (const [i, raw] of segments.entries()) {
      const decoded = decodedText(raw, false);
      if ('reason' in decoded) {
        const part = template?.[i];
        next(hostileFieldError(part?.startsWith(':') ? part.slice(1) : 'path', decoded.reason));
        return;
      }
    }

    // Query parameters: names and values.
    for (const pair of rawQuery.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      const key = decodedText(rawKey, true);
      if ('reason' in key) {
        next(hostileFieldError('query', key.reason));
        return;
      }
      if (eq === -1) continue;
      const value = decodedText(pair.slice(eq + 1), true);
      if ('reason' in value) {
        next(hostileFieldError(key.text, value.reason));
        return;
      }
    }

    for (const name of READ_HEADERS) {
      const value = req.headers[name.toLowerCase()];
      if (typeof value !== 'string') continue;
      if (HEADER_CONTROL.test(value)) {
        next(hostileFieldError(name, hostileTextProblem('\u0000')!));
        return;
      }
      // Cookie may carry other cookies of the site, not ours to judge.
      if (name !== 'Cookie' && NON_ASCII.test(value)) {
        next(hostileFieldError(name, NON_ASCII_HEADER));
        return;
      }
    }
    next();
  };
}

/** The field path of a JSON value as zod names it: `contact.email`, `categories.0`. */
function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/**
 * Every string of a parsed JSON body — values and keys, at any depth — walked without recursion
 * (64 kB of `[` nests deeper than the stack).
 */
export function hostileInJson(body: unknown): ApiError | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = hostileTextProblem(value);
      if (problem) return hostileFieldError(path || 'body', problem);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], path: join(path, i) });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, v] = entries[i];
        const problem = hostileTextProblem(key);
        if (problem) return hostileFieldError(path || 'body', problem);
        stack.push({ value: v, path: join(path, key) });
      }
    }
  }
  return undefined;
}

const hostileBody: RequestHandler = (req, _res, next) => {
  next(hostileInJson(req.body));
};

/**
 * A JSON body: its type checked (415), its size capped (413), its bytes UTF-8 (body-parser would
 * read invalid bytes as U+FFFD), and no hostile string in it. Every JSON route uses this.
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    requireJson,
    express.json({
      limit,
      verify: (_req, _res, buf) => {
        if (!isUtf8(buf)) throw hostileFieldError('body', INVALID_ENCODING);
      },
    }),
    hostileBody,
  ];
}
