/**
 * The codec server: lets authorised staff read encrypted payloads in the Temporal UI and the
 * Temporal CLI (docs/payload-encryption.md), implementing Temporal's remote codec protocol:
 *
 *   POST …/decode  and  POST …/encode
 *   body and answer: {"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}
 *   (Payloads as protobuf JSON); only the last path segment selects the operation; the caller names
 *   the namespace in `X-Namespace`; a bad body or a payload that cannot be decoded is 400.
 *
 * Who may call: a staff member signed in to the API — the same sessions (db/migrations/003_sessions.sql,
 * api/auth/sessions.ts), sent as `Authorization: Bearer <session token>` or as the session cookie —
 * whose role security/policy/policy.json lets read payloads (`payloads.decode`). No session is 401,
 * a role that may not is 403. The static HPC_CODEC_TOKENS are a break-glass opt-in only.
 *
 * Why: every call states its purpose — `X-HPC-Purpose` (the CLI: `--codec-header`) or the endpoint
 * path `/purpose/<text>/decode` (the Temporal UI, which sends no custom headers); none is 400.
 * Every decode and encode that answers is one row of the hash-chained audit log (db/audit.ts):
 * who, role, session, purpose, operation — written before the answer leaves, failing closed. The
 * pino line on stderr adds namespace, count and outcome (refusals too) — never a payload's content.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import pino, { type Logger } from 'pino';
import { SESSION_COOKIE, cookieValue, touchSession } from '../../api/auth/sessions';
import { appendAudit } from '../../db/audit';
import { loadPolicy, ROLES, type Role } from '../policy/policy';

/** A break-glass token may name any role of the policy (security/policy/policy.ts); only DECODE_ROLES pass. */
export const STAFF_ROLES = ROLES;
export type StaffRole = Role;

/**
 * Who may see decrypted case data through the codec server: the roles security/policy/policy.json
 * lists under `payloads.decode` (auditor and administrator; docs/payload-encryption.md says why).
 */
export const DECODE_ROLES: ReadonlySet<string> = new Set<string>(loadPolicy().payloadDecodeRoles);

export interface CodecStaff {
  staffId: string;
  role: string;
  /** The API session the call came with; null for a break-glass token. */
  sessionId?: string | null;
  via?: 'session' | 'break-glass-token';
}

export type CodecAuthorisation = { ok: true; staff: CodecStaff } | { ok: false; status: 401 | 403; reason: string; staff?: CodecStaff };

export class CodecTokenConfigError extends Error {
  override readonly name = 'CodecTokenConfigError';
}

const TOKEN = /^[A-Za-z0-9._~+/=-]{32,512}$/;
const STAFF_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The staff tokens of `HPC_CODEC_TOKENS` (`token:staffId:role,…`). Held by their SHA-256 only, so
 * a heap dump or a log of this object shows no usable token. To be replaced by staff sessions.
 */
export class StaffTokens {
  private constructor(private readonly byDigest: ReadonlyMap<string, CodecStaff>) {}

  static parse(spec: string | undefined): StaffTokens {
    const byDigest = new Map<string, CodecStaff>();
    const items = (spec ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    items.forEach((item, i) => {
      const parts = item.split(':');
      if (parts.length !== 3) throw new CodecTokenConfigError(`HPC_CODEC_TOKENS entry ${i + 1} is not "token:staffId:role"`);
      const [token, staffId, role] = parts;
      if (!TOKEN.test(token)) {
        throw new CodecTokenConfigError(`HPC_CODEC_TOKENS entry ${i + 1}: the token must be 32-512 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. \`openssl rand -base64 32\`)`);
      }
      if (!STAFF_ID.test(staffId)) throw new CodecTokenConfigError(`HPC_CODEC_TOKENS entry ${i + 1}: staff id "${staffId}" is not valid`);
      if (!(STAFF_ROLES as readonly string[]).includes(role)) {
        throw new CodecTokenConfigError(`HPC_CODEC_TOKENS entry ${i + 1}: role "${role}" is not one of ${STAFF_ROLES.join(', ')}`);
      }
      const digest = tokenDigest(token);
      if (byDigest.has(digest)) throw new CodecTokenConfigError(`HPC_CODEC_TOKENS entry ${i + 1}: the token is used twice`);
      byDigest.set(digest, { staffId, role: role as StaffRole }); // checked against STAFF_ROLES just above
    });
    return new StaffTokens(byDigest);
  }

  get size(): number {
    return this.byDigest.size;
  }

  lookup(token: string): CodecStaff | undefined {
    return this.byDigest.get(tokenDigest(token));
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The one place that decides whether a codec request may proceed: who is calling (a bearer staff
 * token today; staff sessions will replace the lookup) and whether their role may read case data.
 */
export function authoriseCodecRequest(req: Request, tokens: StaffTokens, roles: ReadonlySet<string> = DECODE_ROLES): CodecAuthorisation {
  const header = req.get('authorization');
  const m = header === undefined ? null : BEARER.exec(header);
  if (!m) return { ok: false, status: 401, reason: header === undefined ? 'no Authorization header' : 'not a Bearer token' };
  const staff = tokens.lookup(m[1]);
  if (!staff) return { ok: false, status: 401, reason: 'unknown token' };
  if (!roles.has(staff.role)) return { ok: false, status: 403, reason: `role ${staff.role} may not read case data`, staff };
  return { ok: true, staff: { ...staff, sessionId: null, via: 'break-glass-token' } };
}

export interface CodecSessions {
  pool: Pool;
  /** The API's idle timeout (HPC_SESSION_IDLE_SECONDS): a decode is activity and moves it on. */
  idleTimeoutMs: number;
  now?: () => Date;
}

/**
 * Who is calling, by the API's staff session (Bearer token, else the session cookie), and whether
 * their role may read payloads. A token that is no session may still be a break-glass token, when
 * those are enabled. Sessions of persons (applicants, representatives) are 403: they read their own
 * case through the API.
 */
export async function authoriseCodecCaller(
  req: Request,
  opts: { sessions?: CodecSessions; tokens?: StaffTokens; roles?: ReadonlySet<string> },
): Promise<CodecAuthorisation> {
  const roles = opts.roles ?? DECODE_ROLES;
  const header = req.get('authorization');
  const bearer = header === undefined ? null : BEARER.exec(header);
  if (header !== undefined && !bearer) return { ok: false, status: 401, reason: 'not a Bearer token' };
  const token = bearer?.[1] ?? cookieValue(req.get('cookie'), SESSION_COOKIE);
  if (token === undefined) return { ok: false, status: 401, reason: 'no session' };
  if (opts.sessions) {
    const { pool, idleTimeoutMs, now } = opts.sessions;
    const session = await touchSession(pool, token, (now ?? (() => new Date()))(), idleTimeoutMs);
    if (session) {
      const staff: CodecStaff = { staffId: session.staffId ?? session.role, role: session.role, sessionId: session.id, via: 'session' };
      if (session.staffId === null || !roles.has(session.role)) {
        return { ok: false, status: 403, reason: `role ${session.role} may not read case data`, staff };
      }
      return { ok: true, staff };
    }
  }
  if (opts.tokens && opts.tokens.size > 0) return authoriseCodecRequest(req, opts.tokens, roles);
  return { ok: false, status: 401, reason: 'no live staff session' };
}

const PURPOSE_HEADER = 'x-hpc-purpose';
/** The UI's endpoint may carry the purpose: `…/purpose/<percent-encoded text>/decode`. */
const PURPOSE_PATH = /\/purpose\/([^/]+)\/(?:decode|encode)$/;
const PURPOSE_TEXT = /^[^\p{Cc}]{3,500}$/u;

/** The caller's stated purpose, or undefined when none (or an unreadable one) was given. */
export function statedPurpose(req: Request): string | undefined {
  let text = req.get(PURPOSE_HEADER);
  if (text !== undefined) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  } else {
    const m = PURPOSE_PATH.exec(req.path);
    if (m) {
      try {
        text = decodeURIComponent(m[1]);
      } catch {
        return undefined;
      }
    }
  }
  text = text?.trim();
  return text !== undefined && PURPOSE_TEXT.test(text) ? text : undefined;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The API's staff sessions, and the audit log in the same database. */
  sessions?: CodecSessions;
  /** Break-glass tokens (HPC_CODEC_TOKENS with HPC_CODEC_BREAK_GLASS=1, or development). */
  tokens?: StaffTokens;
  /** Overrides the policy's `payloads.decode` (tests). */
  decodeRoles?: ReadonlySet<string>;
  /** Browser origins allowed to call (the Temporal UI); other origins get no CORS headers. */
  corsOrigins: readonly string[];
  /** Namespaces whose payloads this server's keys belong to; an `X-Namespace` outside them is 400. */
  namespaces: readonly string[];
  /** The audit log; defaults to pino on stderr. */
  logger?: Logger;
}

/** The Temporal UI sends these; `Authorization-Extras` carries its ID token when it passes one. */
const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization, Authorization-Extras, X-HPC-Purpose';
/** Temporal's default payload size limit is 2 MB, and the UI sends a whole event's payloads at once. */
const BODY_LIMIT = '8mb';

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function parsePayloads(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads; // shape checked below
  if (!Array.isArray(payloads)) throw new TypeError('the body must be {"payloads": [...]}');
  return payloads.map((p, i) => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw new TypeError(`payloads[${i}] is not an object`);
    try {
      return JSONToPayload(p as JSONPayload); // protobuf JSON: fromJson checks every field
    } catch {
      throw new TypeError(`payloads[${i}] is not a Payload in protobuf JSON (base64 metadata values and data)`);
    }
  });
}

export function createCodecServerApp(opts: CodecServerOptions): express.Express {
  const audit = opts.logger ?? pino({ name: 'codec-server' }, pino.destination(2));
  const origins = new Set(opts.corsOrigins);
  const namespaces = new Set(opts.namespaces);
  const app = express();
  app.disable('x-powered-by');

  // CORS for the Temporal UI, before authentication: a preflight carries no credentials.
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    const allowed = origin !== undefined && origins.has(origin);
    if (allowed) {
      res.set('Access-Control-Allow-Origin', origin);
      // The UI's "include cross-origin credentials" setting sends cookies: future staff sessions.
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      if (!allowed) {
        res.status(403).end();
        return;
      }
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
  app.use(cors);
  app.use((_req, res, next) => {
    // Decoded payloads are personal data: never cached, never sniffed into something else.
    res.set('Cache-Control', 'no-store');
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The Temporal UI sits behind this server's authentication (docker-compose.yml: the ui-gateway's
  // auth_request asks here for every UI request): a live staff session of a role that may read
  // payloads gets 204, anyone else 401/403. Break-glass tokens do not open the UI.
  app.get('/auth/ui', (req, res, next) => {
    authoriseCodecCaller(req, { ...(opts.sessions ? { sessions: opts.sessions } : {}) }).then((result) => {
      if (result.ok) res.status(204).end();
      else res.status(result.status).json({ error: result.reason });
    }, next);
  });

  const json = express.json({ limit: BODY_LIMIT, type: 'application/json' });

  // The protocol selects the operation by the last path segment only (…/default/decode works too).
  app.post(/\/(decode|encode)$/, (req, res, next) => {
    const action = req.path.endsWith('/decode') ? 'decode' : 'encode';
    const namespace = req.get('x-namespace') ?? opts.namespaces[0];
    void (async () => {
      let auth: CodecAuthorisation;
      try {
        auth = await authoriseCodecCaller(req, { ...(opts.sessions ? { sessions: opts.sessions } : {}), ...(opts.tokens ? { tokens: opts.tokens } : {}), ...(opts.decodeRoles ? { roles: opts.decodeRoles } : {}) });
      } catch (e) {
        next(e);
        return;
      }
      if (!auth.ok) {
        audit.warn(
          { event: `codec.${action}`, outcome: 'denied', status: auth.status, reason: auth.reason, ...(auth.staff ?? {}), namespace, at: new Date().toISOString() },
          'codec request refused',
        );
        if (auth.status === 401) res.set('WWW-Authenticate', 'Bearer realm="hpc-codec"');
        fail(res, auth.status, auth.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', auth.status === 401 ? 'a staff session is required' : 'this role may not read case data');
        return;
      }
      const { staff } = auth;
      if (!namespaces.has(namespace)) {
        fail(res, 400, 'UNKNOWN_NAMESPACE', `this codec server serves ${[...namespaces].join(', ')}`);
        return;
      }
      const purpose = statedPurpose(req);
      if (purpose === undefined) {
        fail(res, 400, 'PURPOSE_REQUIRED', 'state why: X-HPC-Purpose (3-500 characters, percent-encoded UTF-8) or the endpoint …/purpose/<text>/decode');
        return;
      }
      json(req, res, (err?: unknown) => {
        if (err) {
          next(err);
          return;
        }
        let payloads: Payload[];
        try {
          payloads = parsePayloads(req.body);
        } catch (e) {
          fail(res, 400, 'BAD_REQUEST', (e as Error).message);
          return;
        }
        const entry = { event: `codec.${action}`, staffId: staff.staffId, role: staff.role, via: staff.via, namespace, count: payloads.length, at: new Date().toISOString() };
        const work = action === 'decode' ? opts.codec.decode(payloads) : opts.codec.encode(payloads);
        work.then(
          async (out) => {
            // The audit row first, failing closed: no row, no data.
            if (opts.sessions) {
              try {
                await appendAudit(opts.sessions.pool, {
                  actor: `${staff.role}:${staff.staffId}`,
                  actorRole: staff.role,
                  onBehalfOf: null,
                  sessionId: staff.sessionId ?? null,
                  applicationId: null,
                  action: action === 'decode' ? 'DECODE_PAYLOADS' : 'ENCODE_PAYLOADS',
                  purpose: staff.via === 'break-glass-token' ? 'PAYLOAD_INSPECTION_BREAK_GLASS' : 'PAYLOAD_INSPECTION',
                  purposeText: purpose,
                  route: `POST /${action}`,
                });
              } catch (e) {
                audit.error({ ...entry, outcome: 'failed', err: { name: e instanceof Error ? e.name : 'unknown' } }, 'audit row not written');
                fail(res, 500, 'INTERNAL', 'internal error');
                return;
              }
            }
            audit.info({ ...entry, outcome: 'ok' }, `payloads ${action}d`);
            res.json({ payloads: out.map((p) => payloadToJSON(p)) });
          },
          (e: unknown) => {
            // Codec errors name key ids and reasons, never content: safe to return and to log.
            const message = e instanceof Error ? e.message : String(e);
            audit.warn({ ...entry, outcome: 'failed', error: message }, `payloads could not be ${action}d`);
            fail(res, 400, 'CODEC_ERROR', message);
          },
        );
      });
    })();
  });

  app.use((_req, res) => {
    fail(res, 404, 'NOT_FOUND', 'POST /decode or /encode');
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = (err as { status?: unknown }).status;
    // body-parser's errors (bad JSON, too large, wrong charset) carry a 4xx status.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      fail(res, status, 'BAD_REQUEST', status === 413 ? 'the body is too large' : 'the body is not valid JSON');
      return;
    }
    audit.error({ event: 'codec.error', err: { name: err instanceof Error ? err.name : 'unknown' } }, 'unhandled error');
    fail(res, 500, 'INTERNAL', 'internal error');
  };
  app.use(onError);
  return app;
}

export interface RunningCodecServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) and resolves once it accepts connections. */
export async function startCodecServer(opts: CodecServerOptions & { host: string; port: number }): Promise<RunningCodecServer> {
  const app = createCodecServerApp(opts);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, opts.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo; // a TCP listener always has an AddressInfo
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
