/**
 * Issue #13 §2: one schema for every setting (config/settings.ts); with NODE_ENV=production a
 * process refuses every development default and names each missing or refused setting (kk/ru/en).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_WORKFLOW_ID_KEY, loadSettings, readSecretFiles, SettingsError, type SettingIssue } from '../../config/settings';

const root = join(__dirname, '..', '..');

const PRODUCTION_API = {
  NODE_ENV: 'production',
  TEMPORAL_ADDRESS: 'temporal:7233',
  DATABASE_URL: 'postgres://hpc:s3cret-from-a-file@app-db:5432/hpc',
  GATEWAY_URL: 'https://gateway.example/egov',
  HPC_WORKFLOW_ID_KEY: 'k'.repeat(48),
  HPC_PAYLOAD_KEYS: 'k1:' + Buffer.alloc(32, 1).toString('base64'),
  HPC_PROVIDER_BIN: '123456789012',
  HPC_TRUST_STORE: '/run/trust',
};

function issuesOf(env: NodeJS.ProcessEnv, service: 'api' | 'worker' | 'codec-server' = 'api'): SettingIssue[] {
  try {
    loadSettings(env, service);
    return [];
  } catch (err) {
    if (err instanceof SettingsError) return [...err.issues];
    throw err;
  }
}

test('development: nothing set gives the npm start defaults', () => {
  const s = loadSettings({});
  expect(s).toMatchObject({ production: false, temporalAddress: '127.0.0.1:7233', apiPort: 3000, gatewayUrl: 'http://127.0.0.1:4010', workflowIdKey: DEVELOPMENT_WORKFLOW_ID_KEY, allowDevPayloadKey: true });
});

test('a complete production environment is accepted', () => {
  expect(issuesOf(PRODUCTION_API)).toEqual([]);
  expect(loadSettings(PRODUCTION_API, 'api')).toMatchObject({ production: true, allowDevPayloadKey: false, workflowIdKey: 'k'.repeat(48) });
});

test('production with nothing set names every setting the API needs, in kk/ru/en', () => {
  const issues = issuesOf({ NODE_ENV: 'production' });
  expect(issues.map((i) => `${i.setting}:${i.code}`)).toEqual(
    ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'GATEWAY_URL', 'HPC_WORKFLOW_ID_KEY', 'HPC_PAYLOAD_KEYS', 'HPC_PROVIDER_BIN', 'HPC_TRUST_STORE'].map((s) => `${s}:MISSING`),
  );
  for (const i of issues) for (const lang of ['kk', 'ru', 'en'] as const) expect(i.reason[lang]).toContain(i.setting);
  expect(issuesOf({ NODE_ENV: 'production' }, 'worker').map((i) => i.setting)).toEqual(
    expect.arrayContaining(['HPC_SYSTEM_SIGNING_KEY', 'HPC_SYSTEM_SIGNING_KEY_PASSWORD', 'HPC_PAYLOAD_KEYS']),
  );
});

test.each([
  ['the public development workflow-ID key', { HPC_WORKFLOW_ID_KEY: DEVELOPMENT_WORKFLOW_ID_KEY }, 'HPC_WORKFLOW_ID_KEY'],
  ['a short workflow-ID key', { HPC_WORKFLOW_ID_KEY: 'short' }, 'HPC_WORKFLOW_ID_KEY'],
  ['the development identity header', { HPC_DEV_IDENTITY_HEADER: '1' }, 'HPC_DEV_IDENTITY_HEADER'],
  ['the always-open development calendar', { HPC_DEV_ALWAYS_OPEN: '1' }, 'HPC_DEV_ALWAYS_OPEN'],
  ['the test CA', { HPC_TEST_CA_DIR: 'security/pki/test-ca' }, 'HPC_TEST_CA_DIR'],
  ['the development trust store', { HPC_TRUST_STORE: '/app/security/pki/trust' }, 'HPC_TRUST_STORE'],
  ['the embedded database password', { DATABASE_URL: 'postgres://postgres:hpc-local-dev@db:5432/hpc' }, 'DATABASE_URL'],
  ['a database without a password', { DATABASE_URL: 'postgres://postgres@db:5432/hpc' }, 'DATABASE_URL'],
])('production refuses %s', (_name, override, setting) => {
  const issues = issuesOf({ ...PRODUCTION_API, ...override });
  expect(issues.map((i) => `${i.setting}:${i.code}`)).toEqual([`${setting}:REFUSED`]);
});

test('a malformed value is named in any environment', () => {
  const issues = issuesOf({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x', HPC_PROVIDER_BIN: '12' });
  expect(issues.map((i) => `${i.setting}:${i.code}`).sort()).toEqual(['API_PORT:INVALID', 'DATABASE_URL:INVALID', 'HPC_PROVIDER_BIN:INVALID']);
});

test('`NODE_ENV=production npm run api` with nothing set exits 1 within seconds, naming each setting', () => {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(1);
  expect(Date.now() - started).toBeLessThan(15_000); // tsx compiles first; the check itself is instant
  const body = JSON.parse(run.stderr.trim().split('\n').pop()!) as { error: { code: string; settings: SettingIssue[] } };
  expect(body.error.code).toBe('SETTINGS');
  expect(body.error.settings.map((s) => s.setting)).toEqual(
    expect.arrayContaining(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'HPC_WORKFLOW_ID_KEY', 'HPC_PAYLOAD_KEYS', 'HPC_TRUST_STORE']),
  );
  expect(body.error.settings[0]?.reason).toEqual({ kk: expect.any(String), ru: expect.any(String), en: expect.any(String) });
});

test('secrets may come from files (<NAME>_FILE, Docker secrets)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpc-secrets-'));
  writeFileSync(join(dir, 'id-key'), `${'s'.repeat(40)}\n`);
  const env: NodeJS.ProcessEnv = { ...PRODUCTION_API, HPC_WORKFLOW_ID_KEY: undefined, HPC_WORKFLOW_ID_KEY_FILE: join(dir, 'id-key') };
  readSecretFiles(env, 'api');
  expect(loadSettings(env, 'api').workflowIdKey).toBe('s'.repeat(40));
  expect(() => readSecretFiles({ HPC_PAYLOAD_KEYS_FILE: join(dir, 'absent') }, 'api')).toThrow(SettingsError);
});
