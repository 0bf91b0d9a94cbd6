import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TASK_QUEUE } from '../workflows/contract';

/**
 * Every process setting, in one zod schema over the environment (issue #13 §2). Development gets
 * the embedded defaults `npm start` uses; with NODE_ENV=production each process refuses to start
 * (exit 1, within a second, before connecting to anything) when a setting it needs is missing or
 * is a development value — the public workflow-ID key, the development payload key file, the
 * X-HPC-Actor header, the test CA, a development database password — and names every such setting
 * with the reason in Kazakh, Russian and English (`SettingsError`, printed by `exitOnSettingsError`).
 */

/** The development workflow-ID key: public, so with it anyone could link workflow IDs back to IINs. */
export const DEVELOPMENT_WORKFLOW_ID_KEY = 'development-only-key-change-me';
/** Database passwords of the development stacks (embedded PostgreSQL, docker-compose examples). */
const DEVELOPMENT_DB_PASSWORDS = new Set(['', 'hpc-local-dev', 'postgres', 'password', 'hpc', 'temporal', 'change-me']);

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['0', '1', '']).transform((v) => v === '1');
const optionalText = z.string().trim().optional().transform((v) => (v === '' ? undefined : v));
const httpUrl = z.url({ protocol: /^https?$/ });

/** The environment, as one schema: names, types and development defaults. */
export const ENV_SCHEMA = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  GATEWAY_URL: httpUrl.optional(),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  SANDBOX_PORT: port.default(4010),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Where /metrics, /health and /ready listen (observability/probe-server.ts); 0.0.0.0 in a container. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The API's /metrics, /health, /ready; 0 = any free port (printed at start). */
  API_METRICS_PORT: port.default(9463),
  /** The worker's Temporal SDK metrics (the Runtime's Prometheus exporter serves /metrics here). */
  WORKER_METRICS_PORT: port.default(9464),
  /** The worker's /health and /ready; 0 = any free port. */
  WORKER_HEALTH_PORT: port.default(9465),
  /** OpenTelemetry traces over OTLP/HTTP when set (e.g. http://otel-collector:4318). */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(500).optional(),
  HPC_WORKFLOW_ID_KEY: optionalText,
  HPC_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  HPC_PAYLOAD_KEYS: optionalText,
  HPC_PAYLOAD_ACTIVE_KEY: optionalText,
  CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_PORT: port.default(8888),
  HPC_CODEC_TOKENS: optionalText,
  HPC_CODEC_CORS_ORIGINS: optionalText,
  HPC_CODEC_BREAK_GLASS: flag.default(false),
  HPC_DEV_ALWAYS_OPEN: flag.default(false),
  HPC_DEV_IDENTITY_HEADER: flag.default(false),
  HPC_REQUIRE_SIGNATURES: flag.default(false),
  HPC_PROVIDER_BIN: z.union([z.literal(''), z.string().regex(/^\d{12}$/, '12 digits')]).optional(),
  HPC_TRUST_STORE: optionalText,
  HPC_OCSP_URL: httpUrl.optional(),
  HPC_GOST_VERIFIER_URL: httpUrl.optional(),
  HPC_SESSION_IDLE_SECONDS: z.coerce.number().int().positive().optional(),
  HPC_SESSION_MAX_SECONDS: z.coerce.number().int().positive().optional(),
  HPC_CHALLENGE_TTL_SECONDS: z.coerce.number().int().positive().optional(),
  HPC_SYSTEM_SIGNING_KEY: optionalText,
  HPC_SYSTEM_SIGNING_KEY_PASSWORD: z.string().optional(),
  HPC_TEST_CA_DIR: optionalText,
  /** A workflow bundle built ahead (scripts/build-workflow-bundle.ts; the image sets it). */
  HPC_WORKFLOW_BUNDLE: optionalText,
});
export type Env = z.infer<typeof ENV_SCHEMA>;

/** The processes that check their settings, and what each needs in production. */
export type Service = 'api' | 'worker' | 'codec-server';

const NEEDED_IN_PRODUCTION: Record<Service, readonly (keyof Env)[]> = {
  api: ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'GATEWAY_URL', 'HPC_WORKFLOW_ID_KEY', 'HPC_PAYLOAD_KEYS', 'HPC_PROVIDER_BIN', 'HPC_TRUST_STORE'],
  worker: ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'GATEWAY_URL', 'HPC_PAYLOAD_KEYS', 'HPC_SYSTEM_SIGNING_KEY', 'HPC_SYSTEM_SIGNING_KEY_PASSWORD'],
  'codec-server': ['DATABASE_URL', 'HPC_PAYLOAD_KEYS', 'HPC_CODEC_CORS_ORIGINS'],
};

export interface LocalizedText {
  kk: string;
  ru: string;
  en: string;
}

export interface SettingIssue {
  setting: string;
  code: 'MISSING' | 'REFUSED' | 'INVALID';
  reason: LocalizedText;
}

export class SettingsError extends Error {
  constructor(
    readonly service: string,
    readonly issues: readonly SettingIssue[],
  ) {
    super(`settings refused: ${issues.map((i) => `${i.setting} (${i.code}): ${i.reason.en}`).join('; ')}`);
    this.name = 'SettingsError';
  }

  toJSON(): unknown {
    return { service: this.service, error: { code: 'SETTINGS', settings: this.issues } };
  }
}

const missing = (setting: string): SettingIssue => ({
  setting,
  code: 'MISSING',
  reason: {
    kk: `${setting} баптауы берілмеген: NODE_ENV=production кезінде ол міндетті`,
    ru: `Параметр ${setting} не задан: при NODE_ENV=production он обязателен`,
    en: `${setting} is not set: it is required with NODE_ENV=production`,
  },
});

const refused = (setting: string, why: LocalizedText): SettingIssue => ({ setting, code: 'REFUSED', reason: why });

const invalid = (setting: string, detail: string): SettingIssue => ({
  setting,
  code: 'INVALID',
  reason: {
    kk: `${setting} баптауының мәні жарамсыз (${detail})`,
    ru: `Недопустимое значение параметра ${setting} (${detail})`,
    en: `${setting} has an invalid value (${detail})`,
  },
});

/** The production refusals that do not depend on the process (development switches, test PKI). */
function productionIssues(env: Env, service: Service | undefined): SettingIssue[] {
  const issues: SettingIssue[] = [];
  for (const name of service ? NEEDED_IN_PRODUCTION[service] : []) {
    const value = env[name];
    if (value === undefined || value === '') issues.push(missing(name));
  }
  if (env.HPC_WORKFLOW_ID_KEY !== undefined) {
    if (env.HPC_WORKFLOW_ID_KEY === DEVELOPMENT_WORKFLOW_ID_KEY) {
      issues.push(
        refused('HPC_WORKFLOW_ID_KEY', {
          kk: 'HPC_WORKFLOW_ID_KEY — әзірлеу кезіндегі жария кілт: онымен workflow идентификаторларын ЖСН-ге қайта байланыстыруға болады',
          ru: 'HPC_WORKFLOW_ID_KEY — публичный ключ разработки: с ним идентификаторы workflow можно связать с ИИН',
          en: 'HPC_WORKFLOW_ID_KEY is the public development key: with it workflow IDs can be linked back to IINs',
        }),
      );
    } else if (env.HPC_WORKFLOW_ID_KEY.length < 32) {
      issues.push(
        refused('HPC_WORKFLOW_ID_KEY', {
          kk: 'HPC_WORKFLOW_ID_KEY тым қысқа: кемінде 32 таңба болуы керек',
          ru: 'HPC_WORKFLOW_ID_KEY слишком короткий: нужно не менее 32 символов',
          en: 'HPC_WORKFLOW_ID_KEY is too short: at least 32 characters',
        }),
      );
    }
  }
  if (env.HPC_DEV_IDENTITY_HEADER) {
    issues.push(
      refused('HPC_DEV_IDENTITY_HEADER', {
        kk: 'X-HPC-Actor әзірлеу тақырыбы өндірісте тыйым салынған',
        ru: 'Заголовок разработки X-HPC-Actor запрещён в эксплуатации',
        en: 'the X-HPC-Actor development header is refused in production',
      }),
    );
  }
  if (env.HPC_DEV_ALWAYS_OPEN) {
    issues.push(
      refused('HPC_DEV_ALWAYS_OPEN', {
        kk: 'HPC_DEV_ALWAYS_OPEN тек әзірлеуге арналған: өндірісте жұмыс күндерінің күнтізбесі қолданылады (A1.7.2)',
        ru: 'HPC_DEV_ALWAYS_OPEN только для разработки: в эксплуатации действует календарь рабочих дней (A1.7.2)',
        en: 'HPC_DEV_ALWAYS_OPEN is for development only: production keeps the working-day calendar (A1.7.2)',
      }),
    );
  }
  if (env.HPC_TEST_CA_DIR !== undefined) {
    issues.push(
      refused('HPC_TEST_CA_DIR', {
        kk: 'Әзірлеудің тест КО-сы өндірісте тыйым салынған',
        ru: 'Тестовый УЦ разработки запрещён в эксплуатации',
        en: 'the development test CA is refused in production',
      }),
    );
  }
  if (env.HPC_TRUST_STORE !== undefined && /(^|[\\/])security[\\/]pki[\\/](trust|test-ca)[\\/]?$/.test(env.HPC_TRUST_STORE)) {
    issues.push(
      refused('HPC_TRUST_STORE', {
        kk: 'HPC_TRUST_STORE әзірлеу қоймасын (тест КО) көрсетеді: ҰКО-ның өндірістік сертификаттары қажет',
        ru: 'HPC_TRUST_STORE указывает на хранилище разработки (тестовый УЦ): нужны рабочие сертификаты НУЦ',
        en: 'HPC_TRUST_STORE names the development store (the test CA): NCA RK production certificates are needed',
      }),
    );
  }
  if (env.DATABASE_URL !== undefined) {
    const password = decodeURIComponent(new URL(env.DATABASE_URL).password);
    if (DEVELOPMENT_DB_PASSWORDS.has(password)) {
      issues.push(
        refused('DATABASE_URL', {
          kk: 'DATABASE_URL құпиясөзі әзірлеудің әдепкі құпиясөзі',
          ru: 'Пароль в DATABASE_URL — пароль разработки по умолчанию',
          en: 'the password in DATABASE_URL is a development default',
        }),
      );
    }
  }
  return issues;
}

/**
 * Process settings from the environment, with the embedded defaults that `npm start` uses.
 * One place, so every part reads the same names.
 */
export interface Settings {
  production: boolean;
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string | undefined;
  gatewayUrl: string;
  apiHost: string;
  apiPort: number;
  sandboxPort: number;
  /** Key for the pseudonymous workflow IDs (HMAC of the IIN): no IIN in Temporal's visibility. */
  workflowIdKey: string;
  taskQueue: string;
  /**
   * Payload encryption keys `keyId:base64key,…` (HPC_PAYLOAD_KEYS) and the id of the one that
   * encrypts (HPC_PAYLOAD_ACTIVE_KEY); docs/payload-encryption.md. Unset in development.
   */
  payloadKeys: string | undefined;
  payloadActiveKeyId: string | undefined;
  /** Whether data/payload-keys.json may stand in for payloadKeys: never with NODE_ENV=production. */
  allowDevPayloadKey: boolean;
  /** The codec server (`npm run codec-server`): address, staff tokens, the Temporal UI origins it answers. */
  codecHost: string;
  codecPort: number;
  /** HPC_CODEC_TOKENS: `token:staffId:role,…`, break-glass only beside staff sessions (security/codec/codec-server.ts). */
  codecTokens: string | undefined;
  codecCorsOrigins: string[];
  /**
   * HPC_DEV_ALWAYS_OPEN=1 (development and tests only; refused with NODE_ENV=production): new cases
   * pin a calendar in which every day is a working day and every hour a working hour, so a case
   * received at night is accepted and decided at once instead of at 09:00 the next working day
   * (A1.7.2) — for test stacks, benchmarks and demos that run at any hour.
   */
  devAlwaysOpen: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** The metrics and probe endpoints (observability/probe-server.ts). */
  metricsHost: string;
  apiMetricsPort: number;
  workerMetricsPort: number;
  workerHealthPort: number;
  /** OTLP/HTTP endpoint for traces; unset: no traces are exported. */
  otlpEndpoint: string | undefined;
  /** The pre-built workflow bundle, when the worker runs from one (the image). */
  workflowBundlePath: string | undefined;
}

/**
 * Parses and checks the environment. With `service` and NODE_ENV=production, also requires what
 * that process needs; any problem throws one SettingsError naming every setting.
 */
export function loadSettings(rawEnv: NodeJS.ProcessEnv = process.env, service?: Service): Settings {
  const parsed = ENV_SCHEMA.safeParse(rawEnv);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => invalid(String(i.path[0] ?? '?'), i.message));
    throw new SettingsError(service ?? 'settings', issues);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production) {
    const issues = productionIssues(env, service);
    if (issues.length > 0) throw new SettingsError(service ?? 'settings', issues);
  }
  const uiPort = env.TEMPORAL_UI_PORT;
  return {
    production,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE,
    databaseUrl: env.DATABASE_URL,
    gatewayUrl: env.GATEWAY_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`,
    apiHost: env.API_HOST,
    apiPort: env.API_PORT,
    sandboxPort: env.SANDBOX_PORT,
    workflowIdKey: env.HPC_WORKFLOW_ID_KEY ?? DEVELOPMENT_WORKFLOW_ID_KEY,
    taskQueue: env.HPC_TASK_QUEUE,
    payloadKeys: env.HPC_PAYLOAD_KEYS,
    payloadActiveKeyId: env.HPC_PAYLOAD_ACTIVE_KEY,
    allowDevPayloadKey: !production,
    codecHost: env.CODEC_HOST,
    codecPort: env.CODEC_PORT,
    codecTokens: env.HPC_CODEC_TOKENS,
    // The Temporal UI that `npm start` runs (TEMPORAL_UI_PORT); browsers send either host name.
    codecCorsOrigins: (env.HPC_CODEC_CORS_ORIGINS ?? `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`)
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    devAlwaysOpen: env.HPC_DEV_ALWAYS_OPEN,
    logLevel: env.LOG_LEVEL,
    metricsHost: env.METRICS_HOST,
    apiMetricsPort: env.API_METRICS_PORT,
    workerMetricsPort: env.WORKER_METRICS_PORT,
    workerHealthPort: env.WORKER_HEALTH_PORT,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    workflowBundlePath: env.HPC_WORKFLOW_BUNDLE,
  };
}

/** Secrets that may come from a file (`<NAME>_FILE`, e.g. a Docker secret under /run/secrets). */
export const SECRET_SETTINGS = ['DATABASE_URL', 'HPC_WORKFLOW_ID_KEY', 'HPC_PAYLOAD_KEYS', 'HPC_SYSTEM_SIGNING_KEY_PASSWORD', 'HPC_CODEC_TOKENS'] as const;

/**
 * `<NAME>_FILE` → `<NAME>` for each secret setting, in place, so every reader of the environment
 * (the pool, the system signer) sees it; the value is the file's content without the final newline.
 * A name set both ways, or a file that cannot be read, is refused.
 */
export function readSecretFiles(env: NodeJS.ProcessEnv, service: string): void {
  const issues: SettingIssue[] = [];
  for (const name of SECRET_SETTINGS) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      issues.push(invalid(`${name}_FILE`, `${name} is set too; give one of them`));
      continue;
    }
    try {
      env[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      issues.push(invalid(`${name}_FILE`, 'the file cannot be read'));
    }
  }
  if (issues.length > 0) throw new SettingsError(service, issues);
}

/**
 * For a process's main(): the settings, or — on a SettingsError — the JSON error on stderr (every
 * setting, kk/ru/en, as the CLI reports errors) and exit code 1, before anything else starts.
 */
export function settingsOrExit(service: Service, env: NodeJS.ProcessEnv = process.env): Settings {
  try {
    readSecretFiles(env, service);
    return loadSettings(env, service);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    process.stderr.write(`${JSON.stringify(err.toJSON())}\n`);
    process.exit(1);
  }
}
