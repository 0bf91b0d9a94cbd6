/**
 * Hardening of the HTTP API (issue #3): security headers (helmet), strict CORS, rate limits per
 * address and per IIN. Request size limits are where the bodies are parsed (api/app.ts: JSON 64 kB;
 * api/routes/actions.ts: PDF 10 MB).
 *
 * Settings come from the environment (defaults in brackets), or from `ApiDeps.hardening` in tests:
 *   HPC_CORS_ORIGINS            comma-separated exact origins allowed to call the API from a browser [none]
 *   HPC_RATE_LIMIT_WINDOW_MS    the window of both limits [60000]
 *   HPC_RATE_LIMIT_PER_ADDRESS  requests per window from one client address [600]
 *   HPC_RATE_LIMIT_PER_IIN      requests per window by one applicant or representative, whatever the address [120]
 *   HPC_TRUST_PROXY             Express "trust proxy" (hops, or a list of proxy addresses) so the
 *                               client address is the one the reverse proxy saw [off]
 */
import { createHash } from 'node:crypto';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { apiError } from './errors';
import { PURPOSE_HEADER } from './audit';
import { ACTOR_HEADER, actorOf, isStaff } from './identity';

export interface HardeningSettings {
  corsOrigins: string[];
  rateLimitWindowMs: number;
  rateLimitPerAddress: number;
  rateLimitPerIin: number;
  /** Express's `trust proxy` value; false when the API faces clients directly. */
  trustProxy: boolean | number | string;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** An exact origin (`scheme://host[:port]`): no wildcard, no path, no `null`. */
export function parseCorsOrigins(raw: string | undefined): string[] {
  if (!raw || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0)
    .map((o) => {
      let origin: string;
      try {
        origin = new URL(o).origin;
      } catch {
        throw new Error(`HPC_CORS_ORIGINS: "${o}" is not an origin`);
      }
      if (origin !== o || origin === 'null' || !/^https?:$/.test(new URL(o).protocol)) {
        throw new Error(`HPC_CORS_ORIGINS: "${o}" must be an exact http(s) origin such as https://portal.example.kz`);
      }
      return origin;
    });
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

export function hardeningFromEnv(env: NodeJS.ProcessEnv = process.env): HardeningSettings {
  return {
    corsOrigins: parseCorsOrigins(env.HPC_CORS_ORIGINS),
    rateLimitWindowMs: positiveInt(env, 'HPC_RATE_LIMIT_WINDOW_MS', 60_000),
    rateLimitPerAddress: positiveInt(env, 'HPC_RATE_LIMIT_PER_ADDRESS', 600),
    rateLimitPerIin: positiveInt(env, 'HPC_RATE_LIMIT_PER_IIN', 120),
    trustProxy: parseTrustProxy(env.HPC_TRUST_PROXY),
  };
}

/**
 * Headers for a JSON API: nothing on it is a page, so the content security policy allows nothing
 * and no site may frame it; HSTS; no referrer; no MIME sniffing.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * CORS for the allow-listed origins only. Without a list no CORS header is ever sent, so browsers
 * refuse every cross-origin read; an origin not on the list gets no CORS headers either.
 */
export function strictCors(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  const allowed = new Set(origins);
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    // X-CSRF-Token: cookie sessions' state-changing requests; Authorization: Bearer sessions (api/identity.ts).
    allowedHeaders: ['Content-Type', ACTOR_HEADER, PURPOSE_HEADER, 'Idempotency-Key', 'X-CSRF-Token', 'Authorization', 'X-Request-Id'],
    exposedHeaders: ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
    // Sign-in sessions may travel in cookies once EDS sign-in exists; only listed origins get this.
    credentials: true,
    maxAge: 600,
  });
}

const rateLimited: RequestHandler = (_req, _res, next) => next(apiError(429, 'RATE_LIMITED'));

/** The host itself: 127.0.0.0/8 and ::1, also IPv4-mapped. */
export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Per client address (IPv6 by /56 prefix, as express-rate-limit does by default). Exempt: /health,
 * and the loopback address — the API listens on 127.0.0.1 behind a reverse proxy (api/main.ts), so
 * a loopback address is the proxy itself (HPC_TRUST_PROXY unset: every client would share one
 * budget) or a tool on the host such as the benchmark. With HPC_TRUST_PROXY set, the address is the
 * client's as the proxy saw it, and the limit applies.
 */
export function perAddressLimit(s: HardeningSettings): RequestHandler {
  return rateLimit({
    windowMs: s.rateLimitWindowMs,
    limit: s.rateLimitPerAddress,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.path === '/health' || isLoopback(req.ip),
    handler: rateLimited,
  });
}

/**
 * Per applicant or representative, keyed on the actor's IIN (hashed: the limiter's memory holds no
 * IIN), so spreading requests over addresses does not help. Staff are limited per address only.
 * Mount after requireActor.
 */
export function perIinLimit(s: HardeningSettings): RequestHandler {
  return rateLimit({
    windowMs: s.rateLimitWindowMs,
    limit: s.rateLimitPerIin,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'per-iin',
    skip: (req) => isStaff(actorOf(req)),
    keyGenerator: (req) => `iin:${createHash('sha256').update(actorOf(req).id).digest('hex').slice(0, 32)}`,
    handler: rateLimited,
  });
}
