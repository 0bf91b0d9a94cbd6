/**
 * docker-compose.yml cannot run here (no Docker engine); this keeps it consistent: every service
 * it depends on exists, the application services run the real entry points, and the production
 * topology of issue #2 is all there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  depends_on?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
}

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

test('the production topology: Temporal on PostgreSQL, its UI, the app database, API, several workers, sandbox', () => {
  for (const name of ['temporal-db', 'temporal', 'temporal-ui', 'app-db', 'api', 'worker', 'sandbox']) {
    expect(services[name]).toBeDefined();
  }
  expect(services.temporal.environment?.DB).toMatch(/^postgres/);
  expect(services.worker.deploy?.replicas ?? 1).toBeGreaterThanOrEqual(2);
});

test('every depends_on names a service', () => {
  for (const [name, svc] of Object.entries(services)) {
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const dep of deps) expect({ service: name, dependsOn: dep, exists: dep in services }).toEqual({ service: name, dependsOn: dep, exists: true });
  }
});

test('application services start entry points that exist and reach Temporal and PostgreSQL', () => {
  for (const name of ['api', 'worker', 'sandbox']) {
    const cmd = services[name].command ?? [];
    const entry = cmd.find((part) => part.endsWith('.ts'));
    expect(entry && existsSync(join(root, entry))).toBe(true);
    // Not the tsx CLI: its signal relay SIGKILLs a child slow to answer SIGTERM (docker stop).
    expect(cmd.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
  }
  for (const name of ['api', 'worker']) {
    expect(services[name].environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services[name].environment?.DATABASE_URL).toContain('@app-db:5432/');
  }
});

test('the case search attributes registered in production match the workflow contract', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SEARCH_ATTRIBUTE_REGISTRATIONS } = require('../../workflows/contract') as { SEARCH_ATTRIBUTE_REGISTRATIONS: string[] };
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  // scripts/temporal-dev.mjs registers them on the dev server (npm start and the tests).
  const devServer = readFileSync(join(root, 'scripts', 'temporal-dev.mjs'), 'utf8');
  for (const sa of SEARCH_ATTRIBUTE_REGISTRATIONS) {
    expect(text).toContain(sa.replace('=', ' ').split(' ')[0]);
    expect(devServer).toContain(`'${sa}'`);
  }
});
