/**
 * The gateway sandbox: an HTTP stand-in for Kazakhstan's e-government gateway (ШЭП) serving every
 * registry of SPEC §10 from a fixture, plus an SMS gateway. Endpoints are listed in
 * sandbox/fixture-format.md ("The HTTP interface").
 *
 * Personal data never reaches the log: each request is logged as method, route template (the IIN
 * replaced by `:iin`), status and duration only. Query strings are not logged either, since the
 * SMS audit listing is filtered by phone number.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { REGISTRIES, type RegistryName } from '../domain/registry-facts';
import {
  FixtureError,
  FixtureIndex,
  formatIssues,
  indexFixture,
  loadFixtureFile,
  type Fixture,
} from './fixture';
import {
  sandboxSettingsSchema,
  SettingsState,
  type CallPlan,
  type SandboxSettings,
  type SettingsTarget,
  type TargetSettings,
} from './settings';
import { OcspResponder, ocspRouter, type OcspResponderOptions } from './ocsp';
import { SmsStore, smsRequestSchema } from './sms';

export const IIN_PATTERN = /^\d{12}$/;
export const MAX_BATCH = 50;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export type FixtureSource = FixtureIndex | Fixture;

export interface SandboxOptions {
  /** Initial settings (validated); see SandboxSettings. */
  settings?: SandboxSettings;
  /** Request log; none when absent (tests stay quiet). */
  logger?: Logger;
  /** Clock for `answeredAt` and SMS timestamps (tests may pin it). */
  now?: () => Date;
  /** Body size limit of `PUT /_admin/fixture`; large synthetic populations need hundreds of MB. */
  fixtureBodyLimit?: string;
  /** The test OCSP responder (sandbox/ocsp.ts): its test CA folder and clock. */
  ocsp?: OcspResponderOptions;
}

/** A settings document that failed validation. */
export class SettingsError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid settings:\n  ${issues.join('\n  ')}`);
    this.name = 'SettingsError';
  }
}

/** Settings access for tests and the CLI, the same operations as `/_admin/settings`. */
export interface SettingsControl {
  get(): SandboxSettings;
  /** Validates and merges a patch (see SettingsState.update); throws SettingsError. */
  update(patch: unknown): SandboxSettings;
  /** Back to the settings the sandbox started with. */
  reset(): void;
  effective(target: SettingsTarget): TargetSettings;
}

export interface RegistryCallStats {
  calls: number;
  batchCalls: number;
  unavailable: number;
}

/** The in-process handle on a sandbox app. */
export interface SandboxControl {
  readonly fixture: FixtureIndex;
  setFixture(fixture: FixtureSource): FixtureIndex;
  readonly settings: SettingsControl;
  readonly sms: SmsStore;
  gatewayStats(): Record<RegistryName, RegistryCallStats>;
  /** Clears the SMS log and all counters; with `settings: true` also restores start-up settings. */
  reset(options?: { settings?: boolean }): void;
}

export type SandboxApp = Express & { readonly sandbox: SandboxControl };

function isRegistryName(name: string): name is RegistryName {
  return (REGISTRIES as readonly string[]).includes(name);
}

/** Kazakhstan time (UTC+05:00 all year, SPEC §2) with an explicit offset. */
export function kazakhstanInstant(date: Date): string {
  return new Date(date.getTime() + 5 * 3_600_000).toISOString().replace('Z', '+05:00');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function validateSettings(value: unknown): SandboxSettings {
  const result = sandboxSettingsSchema.safeParse(value);
  if (!result.success) throw new SettingsError(formatIssues(result.error));
  return result.data;
}

function emptyStats(): Record<RegistryName, RegistryCallStats> {
  return Object.fromEntries(REGISTRIES.map((r) => [r, { calls: 0, batchCalls: 0, unavailable: 0 }])) as Record<
    RegistryName,
    RegistryCallStats
  >;
}

interface ErrorBody {
  error: string;
  message: string;
  [extra: string]: unknown;
}

function sendError(res: Response, status: number, body: ErrorBody): void {
  res.status(status).json({ ...body, requestId: res.locals.requestId as string });
}

/** Builds the express app. The returned app carries `sandbox`, its in-process control handle. */
export function createSandboxApp(fixture: FixtureSource, options: SandboxOptions = {}): SandboxApp {
  const now = options.now ?? (() => new Date());
  const logger = options.logger;
  const initialSettings = validateSettings(options.settings ?? {});
  const settingsState = new SettingsState(initialSettings);
  const sms = new SmsStore();
  let current: FixtureIndex = indexFixture(fixture);
  let stats = emptyStats();

  const settings: SettingsControl = {
    get: () => settingsState.get(),
    update: (patch) => settingsState.update(validateSettings(patch)),
    reset: () => settingsState.replace(initialSettings),
    effective: (target) => settingsState.effective(target),
  };

  const control: SandboxControl = {
    get fixture() {
      return current;
    },
    setFixture(next) {
      current = indexFixture(next);
      return current;
    },
    settings,
    sms,
    gatewayStats: () => structuredClone(stats),
    reset(opts = {}) {
      sms.reset();
      stats = emptyStats();
      if (opts.settings) settings.reset();
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const smallJson = express.json({ limit: '1mb' });
  const largeJson = express.json({ limit: options.fixtureBodyLimit ?? '1gb' });

  // Request id first, so every answer — errors included — carries one.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    if (logger) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        logger.info(
          {
            method: req.method,
            // Handlers set an IIN-free template; anything unmatched is not echoed (it may hold one).
            route: (res.locals.route as string | undefined) ?? '<unmatched>',
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'request',
        );
      });
    }
    next();
  });

  async function perform(target: SettingsTarget, res: Response): Promise<CallPlan> {
    const plan = settingsState.plan(target);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (plan.fail) {
      res.setHeader('Retry-After', '1');
      sendError(res, 503, {
        error: 'REGISTRY_UNAVAILABLE',
        registry: target,
        message: plan.failure === 'DOWN' ? `${target} is down` : `${target} did not answer`,
      });
    }
    return plan;
  }

  app.get('/health', (_req, res) => {
    res.locals.route = '/health';
    res.json({ status: 'ok', fixture: { version: current.version, persons: current.size } });
  });

  // --- Registries --------------------------------------------------------------------------

  const batchBodySchema = z.strictObject({ iins: z.array(z.string()).min(1).max(MAX_BATCH) });

  app.post('/gateway/v1/:registry/batch', smallJson, async (req, res) => {
    const registry = req.params.registry as string;
    if (!isRegistryName(registry)) {
      res.locals.route = '/gateway/v1/:registry/batch';
      sendError(res, 404, { error: 'UNKNOWN_REGISTRY', message: `no registry ${registry}`, registries: REGISTRIES });
      return;
    }
    res.locals.route = `/gateway/v1/${registry}/batch`;
    const body = batchBodySchema.safeParse(req.body);
    if (!body.success) {
      sendError(res, 400, {
        error: 'INVALID_REQUEST',
        message: `expected { "iins": [...] } with 1 to ${MAX_BATCH} IINs`,
        issues: formatIssues(body.error),
      });
      return;
    }
    const malformed = body.data.iins.filter((iin) => !IIN_PATTERN.test(iin));
    if (malformed.length > 0) {
      sendError(res, 400, {
        error: 'INVALID_IIN',
        message: `${malformed.length} IIN(s) are not 12 digits`,
        positions: body.data.iins.flatMap((iin, i) => (IIN_PATTERN.test(iin) ? [] : [i])),
      });
      return;
    }
    stats[registry].batchCalls++;
    const plan = await perform(registry, res);
    if (plan.fail) {
      stats[registry].unavailable++;
      return;
    }
    const data: Record<string, unknown> = {};
    for (const iin of body.data.iins) data[iin] = current.answer(registry, iin);
    res.json({ registry, answeredAt: kazakhstanInstant(now()), requestId: res.locals.requestId as string, data });
  });

  app.get('/gateway/v1/:registry/:iin', async (req, res) => {
    const registry = req.params.registry as string;
    const iin = req.params.iin as string;
    if (!isRegistryName(registry)) {
      res.locals.route = '/gateway/v1/:registry/:iin';
      sendError(res, 404, { error: 'UNKNOWN_REGISTRY', message: `no registry ${registry}`, registries: REGISTRIES });
      return;
    }
    res.locals.route = `/gateway/v1/${registry}/:iin`;
    if (!IIN_PATTERN.test(iin)) {
      sendError(res, 400, { error: 'INVALID_IIN', message: 'an IIN is 12 digits' });
      return;
    }
    stats[registry].calls++;
    const plan = await perform(registry, res);
    if (plan.fail) {
      stats[registry].unavailable++;
      return;
    }
    // Read the fixture after the delay, as a real registry answers with its state at answer time.
    res.json({
      registry,
      iin,
      answeredAt: kazakhstanInstant(now()),
      requestId: res.locals.requestId as string,
      data: current.answer(registry, iin),
    });
  });

  // --- SMS gateway -------------------------------------------------------------------------

  app.post('/sms/v1/messages', smallJson, async (req, res) => {
    res.locals.route = '/sms/v1/messages';
    const body = smsRequestSchema.safeParse(req.body);
    if (!body.success) {
      sendError(res, 400, { error: 'INVALID_REQUEST', message: 'bad SMS request', issues: formatIssues(body.error) });
      return;
    }
    const plan = await perform('sms', res);
    if (plan.fail) {
      sms.noteUnavailable();
      return;
    }
    // After the await: the dedupe check and the insert happen in one synchronous step.
    const result = sms.send(body.data, kazakhstanInstant(now()));
    res.status(202).json({ messageId: result.messageId, status: 'ACCEPTED', duplicate: result.duplicate });
  });

  app.get('/sms/v1/messages', (req, res) => {
    res.locals.route = '/sms/v1/messages';
    const { clientMessageId, to } = req.query;
    if ((clientMessageId !== undefined && typeof clientMessageId !== 'string') || (to !== undefined && typeof to !== 'string')) {
      sendError(res, 400, { error: 'INVALID_REQUEST', message: 'clientMessageId and to are single strings' });
      return;
    }
    // An unencoded "+" in a query string arrives as a space; accept it rather than miss the match.
    const phone = to?.replace(/^ (?=\d)/, '+');
    const messages = sms.list({ clientMessageId, to: phone });
    res.json({ count: messages.length, messages });
  });

  app.get('/sms/v1/stats', (_req, res) => {
    res.locals.route = '/sms/v1/stats';
    res.json(sms.stats());
  });

  // --- Admin -------------------------------------------------------------------------------

  app.get('/_admin/settings', (_req, res) => {
    res.locals.route = '/_admin/settings';
    res.json(settings.get());
  });

  app.put('/_admin/settings', smallJson, (req, res) => {
    res.locals.route = '/_admin/settings';
    try {
      res.json(settings.update(req.body));
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      sendError(res, 400, { error: 'INVALID_SETTINGS', message: 'settings rejected', issues: err.issues });
    }
  });

  app.put('/_admin/fixture', largeJson, (req, res) => {
    res.locals.route = '/_admin/fixture';
    try {
      const next = control.setFixture(req.body as Fixture);
      res.json({ version: next.version, persons: next.size });
    } catch (err) {
      if (!(err instanceof FixtureError)) throw err;
      sendError(res, 400, { error: 'INVALID_FIXTURE', message: 'fixture rejected', issues: err.issues });
    }
  });

  app.post('/_admin/reset', (req, res) => {
    res.locals.route = '/_admin/reset';
    const restoreSettings = req.query.settings === '1' || req.query.settings === 'true';
    control.reset({ settings: restoreSettings });
    res.json({ reset: true, settingsRestored: restoreSettings });
  });

  app.get('/_admin/stats', (_req, res) => {
    res.locals.route = '/_admin/stats';
    res.json({ gateway: control.gatewayStats(), sms: sms.stats() });
  });

  // --- Test OCSP responder (EDS revocation, security/pki) ------------------------------------

  app.use(ocspRouter(new OcspResponder({ now, ...options.ocsp })));

  // --- Fallbacks ---------------------------------------------------------------------------

  app.use((_req: Request, res: Response) => {
    sendError(res, 404, { error: 'NOT_FOUND', message: 'no such endpoint' });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      sendError(res, 400, { error: 'INVALID_JSON', message: 'the body is not valid JSON' });
    } else if (e.type === 'entity.too.large') {
      sendError(res, 413, { error: 'BODY_TOO_LARGE', message: 'the body is too large' });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(res, e.status, { error: 'BAD_REQUEST', message: e.message ?? 'bad request' });
    } else {
      logger?.error({ err: e.message }, 'unhandled error');
      sendError(res, 500, { error: 'INTERNAL', message: 'sandbox error' });
    }
  });

  return Object.assign(app, { sandbox: control });
}

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: the sandbox holds personal-looking data and has no auth, so stay local. */
  host?: string;
  /** A fixture, or the path of a fixture file. */
  fixture: FixtureSource | string;
}

export interface RunningSandbox {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  app: SandboxApp;
  close(): Promise<void>;
  setFixture(fixture: FixtureSource): FixtureIndex;
  settings: SettingsControl;
  sms: SmsStore;
  reset(options?: { settings?: boolean }): void;
}

/** Starts the sandbox on host:port and resolves once it listens. */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const fixture = typeof options.fixture === 'string' ? await loadFixtureFile(options.fixture) : options.fixture;
  const app = createSandboxApp(fixture, options);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets would otherwise hold close() open for seconds.
        server.closeIdleConnections();
      }),
    setFixture: (f) => app.sandbox.setFixture(f),
    settings: app.sandbox.settings,
    sms: app.sandbox.sms,
    reset: (o) => app.sandbox.reset(o),
  };
}
