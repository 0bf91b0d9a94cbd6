/**
 * The OpenAPI document and the API agree (issue #9 §5.6): schemathesis (pinned in
 * scripts/install-schemathesis.sh, into tools/) reads GET /openapi.json from the API running on the
 * real stack and sends what the document allows — and what it does not — to every operation,
 * checking that no answer is a 5xx, every status is one the document declares for the operation,
 * its content type is declared, and its body matches the declared schema; and that a method the
 * document does not declare is 405 with an Allow header listing exactly the declared ones (it found
 * GET /v1/applications/sign-request reaching GET /v1/applications/:id). Any finding fails.
 *
 * Bounded: HPC_SCHEMATHESIS_EXAMPLES examples per operation and phase (default 8) and a fixed seed
 * (HPC_SCHEMATHESIS_SEED), so a run takes about two minutes and a failure replays. The caller is an
 * operator (the development header), so reads and staff actions get past sign-in; applicant-only
 * actions answer 403, which the document declares. A case of a private demo person (S01) exists.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestPki } from '../helpers/auth';
import { privateDemo } from '../helpers/demo';
import { testApiApp } from '../helpers/api';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(420_000);

const SCHEMATHESIS = join(__dirname, '..', '..', 'tools', 'bin', 'schemathesis');
const EXAMPLES = Number(process.env.HPC_SCHEMATHESIS_EXAMPLES ?? 8);
const SEED = Number(process.env.HPC_SCHEMATHESIS_SEED ?? 20261203);
const demo = privateDemo(['S01']);

let stack: Stack;
let server: Server;
let reportDir: string;
let caseId: string;
const HOOKS = join(__dirname, '..', 'helpers', 'schemathesis_hooks.py');

beforeAll(async () => {
  if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: run bash scripts/install-tools.sh`);
  stack = await startStack({ fixture: demo.fixture });
  const app = testApiApp(stack, {
    // Configured as deployed: a trust store with its revocation check, and the provider's BIN (staff sign-in).
    auth: (await createTestPki()).authOptions,
  });
  const iin = demo.scenario('S01').declaration.applicantIin;
  const filed = await request(app).post('/v1/applications').set('X-HPC-Actor', `applicant:${iin}`).set('Idempotency-Key', `st-${randomUUID()}`).send(demo.bodyOf('S01'));
  expect(filed.status).toBe(202);
  caseId = filed.body.applicationId;
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  reportDir = mkdtempSync(join(tmpdir(), 'hpc-schemathesis-'));
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await stack?.stop();
  if (reportDir && !process.env.HPC_KEEP_SCHEMATHESIS) rmSync(reportDir, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process, which serves the API it tests. */
function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { cwd: reportDir, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: HOOKS }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

// Development: HPC_SCHEMATHESIS_HOLD=1 keeps the API up (its port in the log) to run the CLI by hand.
if (process.env.HPC_SCHEMATHESIS_HOLD === '1') {
  test('hold the API open', async () => {
    const { port } = server.address() as AddressInfo;
    require('node:fs').writeFileSync('/tmp/edge-st-port', String(port));
    await new Promise((r) => setTimeout(r, 1_500_000));
  }, 1_600_000);
}

/**
 * One run of the CLI as `actor`; `config` (TOML) may fix parameters. Fails with the CLI's summary,
 * which names each failing operation and check and gives a curl line to replay it.
 */
async function conformance(name: string, actor: string, config?: string): Promise<void> {
  const { port } = server.address() as AddressInfo;
  const junit = join(reportDir, `${name}.xml`);
  const configArgs: string[] = [];
  if (config) {
    const file = join(reportDir, `${name}.toml`);
    writeFileSync(file, config);
    configArgs.push('--config-file', file);
  }
  const { code, output } = await run([
    ...configArgs,
    'run',
    `http://127.0.0.1:${port}/openapi.json`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method,allow_header_conformance',
    '--max-examples',
    String(EXAMPLES),
    '--seed',
    String(SEED),
    // One worker: hypothesis's lambda descriptions call ast.parse, which CPython 3.11 does not
    // make safe across threads ("AST constructor recursion depth mismatch").
    '--workers',
    '1',
    '--no-shrink',
    '--request-timeout',
    '20',
    '--header',
    `X-HPC-Actor: ${actor}`,
    '--header',
    'X-HPC-Purpose: schemathesis conformance run',
    '--report',
    'junit',
    '--report-junit-path',
    junit,
  ]);
  if (code !== 0) throw new Error(`schemathesis (${name}) exited ${code}:\n${output.replace(/^\s*\|.*$/gm, '').slice(-12_000)}`);
  // It did test: every operation of the document appears in the report.
  expect((readFileSync(junit, 'utf8').match(/<testcase /g) ?? []).length).toBeGreaterThanOrEqual(25);
}

test('schemathesis finds no disagreement between the OpenAPI document and the API: an operator, any case id', async () => {
  await conformance('operator', 'operator:OP-0001');
});

test('…nor as the applicant of a real case, whose id every operation is given', async () => {
  await conformance('applicant', `applicant:${demo.scenario('S01').declaration.applicantIin}`, `[parameters]\n"path.id" = "${caseId}"\n"path.code" = "C3"\n`);
});
