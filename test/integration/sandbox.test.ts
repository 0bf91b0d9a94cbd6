/**
 * The gateway sandbox over real HTTP (port 0): registry answers, errors, batch, per-registry
 * settings (latency, failures, outages), the SMS gateway's idempotency, admin endpoints, the demo
 * fixture, and that no personal data reaches the request log.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { emptyAnswers, REGISTRIES, type RegistryName } from '../../domain/registry-facts';
import { fixtureSchema, loadFixtureFile, parseFixture, type Fixture, type FixtureIndex } from '../../sandbox/fixture';
import { isValidIin } from '../../sandbox/iin-gen';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';

const ROOT = path.resolve(__dirname, '../..');
const DEMO_PATH = path.join(ROOT, 'sandbox/fixtures/demo.json');
const demoJson = JSON.parse(readFileSync(DEMO_PATH, 'utf8')) as Fixture;

/** A valid IIN (checksum ok) that the demo fixture does not contain. */
const UNKNOWN_IIN = '900101300007';

function demoPerson(noteStart: string): Fixture['persons'][number] {
  const p = demoJson.persons.find((x) => x.note?.startsWith(noteStart));
  if (!p) throw new Error(`no demo person ${noteStart}`);
  return p;
}

let sandbox: RunningSandbox;
let demo: FixtureIndex;

/** The fields the tests read from sandbox answers; one loose type for every endpoint. */
interface Body {
  registry?: string;
  iin?: string;
  answeredAt?: string;
  requestId?: string;
  data?: unknown;
  error?: string;
  issues?: string[];
  positions?: number[];
  messageId?: string;
  duplicate?: boolean;
  status?: string;
  count?: number;
  messages?: Array<Record<string, unknown>>;
  fixture?: { version: string; persons: number };
  [key: string]: unknown;
}

interface Answer {
  status: number;
  body: Body;
  headers: Headers;
}

async function get(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(sandbox.url + pathname, { headers });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}

async function send(method: 'POST' | 'PUT', pathname: string, body: unknown): Promise<Answer> {
  const res = await fetch(sandbox.url + pathname, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}

beforeAll(async () => {
  demo = await loadFixtureFile(DEMO_PATH);
  sandbox = await startSandbox({ port: 0, fixture: demo });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.setFixture(demo);
  sandbox.reset({ settings: true });
});

describe('demo fixture', () => {
  test('validates against the schema', () => {
    const result = fixtureSchema.safeParse(demoJson);
    expect(result.success).toBe(true);
    expect(demoJson.persons.length).toBeGreaterThanOrEqual(25);
    expect(demoJson.persons.length).toBeLessThanOrEqual(40);
  });

  test('every IIN in it (persons and references) passes the checksum', () => {
    expect(isValidIin(UNKNOWN_IIN)).toBe(true);
    expect(demoJson.persons.some((p) => p.iin === UNKNOWN_IIN)).toBe(false);
    const referenced: string[] = [];
    for (const p of demoJson.persons) {
      referenced.push(p.iin);
      for (const m of p.civil?.marriages ?? []) referenced.push(m.spouseIin);
      for (const c of p.civil?.children ?? []) referenced.push(c.iin);
      for (const r of p.representation ?? []) referenced.push(r.principalIin, r.representativeIin);
      for (const m of p.realEstate?.moveIns ?? []) referenced.push(m.occupantIin);
    }
    const invalid = referenced.filter((iin) => !isValidIin(iin));
    expect(invalid).toEqual([]);
  });

  test('spouse links are symmetric and the README lists every person', () => {
    const byIin = new Map(demoJson.persons.map((p) => [p.iin, p]));
    for (const p of demoJson.persons) {
      for (const m of p.civil?.marriages ?? []) {
        const spouse = byIin.get(m.spouseIin);
        if (spouse) expect(spouse.civil?.marriages).toContainEqual({ ...m, spouseIin: p.iin });
      }
    }
    const readme = readFileSync(path.join(ROOT, 'sandbox/fixtures/README.md'), 'utf8');
    for (const p of demoJson.persons) expect(readme).toContain(p.iin);
  });

  test('demo-scenarios.json refers to persons and dwellings of the fixture', () => {
    const scenarios = JSON.parse(readFileSync(path.join(ROOT, 'sandbox/fixtures/demo-scenarios.json'), 'utf8')) as {
      scenarios: Array<{
        id: string;
        declaration: { applicantIin: string; representativeIin?: string; emergencyPropertyId?: string };
        technicalReport?: { reportNumber: string; propertyId: string };
        expected: { basis?: string; grounds: string[] };
      }>;
    };
    const byIin = new Map(demoJson.persons.map((p) => [p.iin, p]));
    expect(scenarios.scenarios.length).toBeGreaterThanOrEqual(28);
    for (const s of scenarios.scenarios) {
      const applicant = byIin.get(s.declaration.applicantIin);
      expect(applicant?.note).toMatch(new RegExp(`^${s.id} applicant`));
      if (s.declaration.representativeIin) expect(byIin.has(s.declaration.representativeIin)).toBe(true);
      if (s.declaration.emergencyPropertyId) {
        const owned = applicant?.realEstate?.ownership.map((o) => o.propertyId);
        expect(owned).toContain(s.declaration.emergencyPropertyId);
      }
      // Either registered on a basis or refused on grounds, never both.
      expect(s.expected.basis === undefined).toBe(s.expected.grounds.length > 0);
    }
  });

  test('a fixture with a typo or a bad value is rejected with the path', () => {
    const broken = structuredClone(demoJson) as unknown as { persons: Array<Record<string, unknown>> };
    broken.persons[0]!.residance = [];
    expect(() => parseFixture(broken)).toThrow(/persons\.0/);
    const badDate = structuredClone(demoJson);
    badDate.persons[0]!.residence = [{ kato: '351010000', from: '2013-02-30' }];
    expect(() => parseFixture(badDate)).toThrow(/calendar date/);
  });
});

describe('registries', () => {
  test('each registry answers what the fixture holds, with the empty answer for a missing registry', async () => {
    const applicant = demoPerson('S02 applicant');
    const empty = emptyAnswers();
    for (const registry of REGISTRIES) {
      const res = await get(`/gateway/v1/${registry}/${applicant.iin}`);
      expect(res.status).toBe(200);
      expect(res.body.registry).toBe(registry);
      expect(res.body.iin).toBe(applicant.iin);
      expect(res.body.answeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+05:00$/);
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
      expect(res.body.data).toEqual(applicant[registry as RegistryName] ?? empty[registry as RegistryName]);
    }
  });

  test('the representation record is answered to both parties', async () => {
    const principal = demoPerson('S07 applicant');
    const representative = demoPerson('S07 representative');
    const a = await get(`/gateway/v1/representation/${principal.iin}`);
    const b = await get(`/gateway/v1/representation/${representative.iin}`);
    expect(a.body.data).toEqual(b.body.data);
    expect((a.body.data as unknown[])[0]).toMatchObject({ kind: 'POWER_OF_ATTORNEY', to: '2026-05-10' });
  });

  test('an unknown IIN gets 200 with empty answers ("no records")', async () => {
    const persons = await get(`/gateway/v1/persons/${UNKNOWN_IIN}`);
    expect(persons.status).toBe(200);
    expect(persons.body.data).toBeNull();
    const civil = await get(`/gateway/v1/civil/${UNKNOWN_IIN}`);
    expect(civil.body.data).toEqual({ marriages: [], children: [] });
    const realEstate = await get(`/gateway/v1/realEstate/${UNKNOWN_IIN}`);
    expect(realEstate.body.data).toEqual({ ownership: [], moveIns: [] });
    const mobile = await get(`/gateway/v1/mobile/${UNKNOWN_IIN}`);
    expect(mobile.body.data).toBeNull();
  });

  test('a malformed IIN gets 400, an unknown registry 404, both as JSON with a request id', async () => {
    for (const bad of ['12345', '12345678901a', '1234567890123']) {
      const res = await get(`/gateway/v1/persons/${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('INVALID_IIN');
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
    const res = await get(`/gateway/v1/taxes/${UNKNOWN_IIN}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('UNKNOWN_REGISTRY');
    const nowhere = await get('/nowhere');
    expect(nowhere.status).toBe(404);
  });

  test('a caller-supplied X-Request-Id is echoed', async () => {
    const res = await get(`/gateway/v1/persons/${UNKNOWN_IIN}`, { 'X-Request-Id': 'case-42.step-3' });
    expect(res.headers.get('x-request-id')).toBe('case-42.step-3');
    expect(res.body.requestId).toBe('case-42.step-3');
  });

  test('batch answers every IIN of the request in one call', async () => {
    const husband = demoPerson('S09 spouse');
    const wife = demoPerson('S09 applicant');
    const res = await send('POST', '/gateway/v1/unifiedQueue/batch', { iins: [wife.iin, husband.iin, UNKNOWN_IIN] });
    expect(res.status).toBe(200);
    expect(res.body.registry).toBe('unifiedQueue');
    const data = res.body.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual([wife.iin, husband.iin, UNKNOWN_IIN].sort());
    expect(data[wife.iin]).toEqual([]);
    expect(data[husband.iin]).toEqual(husband.unifiedQueue);
    expect(data[UNKNOWN_IIN]).toEqual([]);
    expect(sandbox.app.sandbox.gatewayStats().unifiedQueue.batchCalls).toBe(1);
  });

  test('batch rejects more than 50 IINs, an empty list and malformed IINs', async () => {
    const tooMany = Array.from({ length: 51 }, () => UNKNOWN_IIN);
    expect((await send('POST', '/gateway/v1/persons/batch', { iins: tooMany })).status).toBe(400);
    expect((await send('POST', '/gateway/v1/persons/batch', { iins: [] })).status).toBe(400);
    const bad = await send('POST', '/gateway/v1/persons/batch', { iins: [UNKNOWN_IIN, 'x'] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'INVALID_IIN', positions: [1] });
    expect((await send('POST', '/gateway/v1/nope/batch', { iins: [UNKNOWN_IIN] })).status).toBe(404);
  });

  test('a body that is not JSON gets 400 JSON', async () => {
    const res = await fetch(`${sandbox.url}/gateway/v1/persons/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"iins": [',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('INVALID_JSON');
  });
});

describe('settings: failures, outages, latency', () => {
  test('errorRate 1.0 answers 503 REGISTRY_UNAVAILABLE for that registry only', async () => {
    const put = await send('PUT', '/_admin/settings', { persons: { errorRate: 1 } });
    expect(put.status).toBe(200);
    const res = await get(`/gateway/v1/persons/${UNKNOWN_IIN}`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'REGISTRY_UNAVAILABLE', registry: 'persons' });
    expect(res.headers.get('retry-after')).toBe('1');
    const batch = await send('POST', '/gateway/v1/persons/batch', { iins: [UNKNOWN_IIN] });
    expect(batch.status).toBe(503);
    expect((await get(`/gateway/v1/residence/${UNKNOWN_IIN}`)).status).toBe(200);
    expect(sandbox.app.sandbox.gatewayStats().persons.unavailable).toBe(2);
  });

  test('the default applies to every registry and SMS unless overridden', async () => {
    await send('PUT', '/_admin/settings', { default: { errorRate: 1 }, civil: { errorRate: 0 } });
    expect((await get(`/gateway/v1/mortgages/${UNKNOWN_IIN}`)).status).toBe(503);
    expect((await get(`/gateway/v1/civil/${UNKNOWN_IIN}`)).status).toBe(200);
    const sms = await send('POST', '/sms/v1/messages', { to: '+77011234567', text: 'x', clientMessageId: 'd-1' });
    expect(sms.status).toBe(503);
    expect(sms.body.registry).toBe('sms');
  });

  test('a down registry always answers 503, whatever its error rate', async () => {
    await send('PUT', '/_admin/settings', { realEstate: { down: true, errorRate: 0 } });
    for (let i = 0; i < 5; i++) {
      expect((await get(`/gateway/v1/realEstate/${UNKNOWN_IIN}`)).status).toBe(503);
    }
    await send('PUT', '/_admin/settings', { realEstate: { down: false } });
    expect((await get(`/gateway/v1/realEstate/${UNKNOWN_IIN}`)).status).toBe(200);
  });

  test('a down SMS gateway sends nothing; the retry after recovery delivers once', async () => {
    sandbox.settings.update({ sms: { down: true } });
    const body = { to: '+77011234567', text: 'Решение по заявлению', clientMessageId: 'notice-1' };
    expect((await send('POST', '/sms/v1/messages', body)).status).toBe(503);
    sandbox.settings.update({ sms: { down: false } });
    const ok = await send('POST', '/sms/v1/messages', body);
    expect(ok.status).toBe(202);
    expect(ok.body.duplicate).toBe(false);
    expect((await get('/sms/v1/stats')).body).toEqual({ sent: 1, duplicatesSuppressed: 0, unavailable: 1 });
  });

  test('latency is respected (at least latencyMs)', async () => {
    await send('PUT', '/_admin/settings', { residence: { latencyMs: 150 } });
    const started = performance.now();
    const res = await get(`/gateway/v1/residence/${UNKNOWN_IIN}`);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(148);
    // Other registries stay fast-ish (no tight bound: CI machines vary).
    const other = performance.now();
    await get(`/gateway/v1/civil/${UNKNOWN_IIN}`);
    expect(performance.now() - other).toBeLessThan(150);
  });

  test('with a seed, failure draws are reproducible', async () => {
    const statuses = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await get(`/gateway/v1/categories/${UNKNOWN_IIN}`)).status);
      return out;
    };
    await send('PUT', '/_admin/settings', { seed: 1234, categories: { errorRate: 0.5 } });
    const first = await statuses();
    await send('PUT', '/_admin/settings', { seed: 1234 });
    const second = await statuses();
    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  test('PUT /_admin/settings validates and merges', async () => {
    const bad: unknown[] = [
      { persons: { errorRate: 1.5 } },
      { persons: { errorRate: -0.1 } },
      { persons: { latencyMs: -1 } },
      { persons: { latencyMs: 1.5 } },
      { persons: { down: 'yes' } },
      { persons: { speed: 1 } },
      { taxes: { errorRate: 0 } },
      { seed: 'abc' },
      [],
    ];
    for (const body of bad) {
      const res = await send('PUT', '/_admin/settings', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('INVALID_SETTINGS');
      expect(res.body.issues?.length).toBeGreaterThan(0);
    }
    await send('PUT', '/_admin/settings', { mobile: { latencyMs: 5 } });
    const merged = await send('PUT', '/_admin/settings', { mobile: { errorRate: 0.25 }, sms: { down: true } });
    expect(merged.status).toBe(200);
    const current = await get('/_admin/settings');
    expect(current.body).toEqual(merged.body);
    expect(current.body.mobile).toEqual({ latencyMs: 5, errorRate: 0.25 });
    expect(current.body.sms).toEqual({ down: true });
    expect(sandbox.settings.effective('mobile')).toEqual({ latencyMs: 5, latencyJitterMs: 0, errorRate: 0.25, down: false });
  });

  test('POST /_admin/reset?settings=1 restores the start-up settings', async () => {
    await send('PUT', '/_admin/settings', { persons: { down: true } });
    const res = await fetch(`${sandbox.url}/_admin/reset?settings=1`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await get('/_admin/settings')).body).toEqual({});
  });
});

describe('SMS gateway', () => {
  const message = { to: '+77051234567', text: 'Вы поставлены на учёт. Номер очереди 1024.', clientMessageId: 'case-7:decision' };

  test('the same clientMessageId is delivered once', async () => {
    const first = await send('POST', '/sms/v1/messages', message);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'ACCEPTED', duplicate: false });
    const again = await send('POST', '/sms/v1/messages', message);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ messageId: first.body.messageId, status: 'ACCEPTED', duplicate: true });

    const byId = await get(`/sms/v1/messages?clientMessageId=${encodeURIComponent(message.clientMessageId)}`);
    expect(byId.body.count).toBe(1);
    expect(byId.body.messages?.[0]).toMatchObject({ messageId: first.body.messageId, to: message.to, text: message.text });
    const byPhone = await get(`/sms/v1/messages?to=${encodeURIComponent(message.to)}`);
    expect(byPhone.body.count).toBe(1);
    // An unencoded "+" arrives as a space; the listing still finds the number.
    const unencoded = await get(`/sms/v1/messages?to=${message.to}`);
    expect(unencoded.body.count).toBe(1);
    expect((await get('/sms/v1/stats')).body).toEqual({ sent: 1, duplicatesSuppressed: 1, unavailable: 0 });
  });

  test('concurrent retries with one clientMessageId still deliver once', async () => {
    sandbox.settings.update({ sms: { latencyMs: 30 } });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => send('POST', '/sms/v1/messages', { ...message, clientMessageId: 'race-1' })),
    );
    expect(new Set(results.map((r) => r.body.messageId)).size).toBe(1);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect((await get('/sms/v1/messages?clientMessageId=race-1')).body.count).toBe(1);
  });

  test('bad requests get 400, and reset clears log and counters', async () => {
    for (const body of [
      { ...message, to: '87051234567' },
      { ...message, text: '' },
      { to: message.to, text: message.text },
      { ...message, extra: 1 },
    ]) {
      expect((await send('POST', '/sms/v1/messages', body)).status).toBe(400);
    }
    await send('POST', '/sms/v1/messages', message);
    expect((await get('/sms/v1/messages')).body.count).toBe(1);
    expect((await fetch(`${sandbox.url}/_admin/reset`, { method: 'POST' })).status).toBe(200);
    expect((await get('/sms/v1/messages')).body.count).toBe(0);
    expect((await get('/sms/v1/stats')).body).toEqual({ sent: 0, duplicatesSuppressed: 0, unavailable: 0 });
    // After a reset the id is new again.
    expect((await send('POST', '/sms/v1/messages', message)).body.duplicate).toBe(false);
  });
});

describe('admin', () => {
  test('GET /health reports the fixture', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', fixture: { version: demoJson.version, persons: demoJson.persons.length } });
  });

  test('PUT /_admin/fixture replaces the fixture after validating it', async () => {
    const applicant = demoPerson('S01 applicant');
    const replacement: Fixture = {
      version: 'test-1',
      description: 'one person',
      persons: [{ iin: UNKNOWN_IIN, mobile: { phone: '+77770000001' } }],
    };
    const ok = await send('PUT', '/_admin/fixture', replacement);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ version: 'test-1', persons: 1 });
    expect((await get(`/gateway/v1/mobile/${UNKNOWN_IIN}`)).body.data).toEqual({ phone: '+77770000001' });
    expect((await get(`/gateway/v1/persons/${applicant.iin}`)).body.data).toBeNull();

    const invalid = await send('PUT', '/_admin/fixture', { version: 'x', description: '', persons: [{ iin: '1' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('INVALID_FIXTURE');
    expect(invalid.body.issues?.[0]).toMatch(/^persons\.0\.iin/);
    const duplicate = await send('PUT', '/_admin/fixture', {
      version: 'x',
      description: '',
      persons: [{ iin: UNKNOWN_IIN }, { iin: UNKNOWN_IIN }],
    });
    expect(duplicate.status).toBe(400);
    // The rejected fixtures did not replace the accepted one.
    expect((await get('/health')).body.fixture?.version).toBe('test-1');
  });
});

describe('logging', () => {
  test('the request log holds no IIN, name or phone', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await startSandbox({ port: 0, fixture: demo, logger: pino({ level: 'info' }, sink) });
    try {
      const p = demoPerson('S01 applicant');
      await fetch(`${logged.url}/gateway/v1/persons/${p.iin}`);
      await fetch(`${logged.url}/gateway/v1/persons/${p.iin}x`);
      await fetch(`${logged.url}/gateway/v1/nope/${p.iin}`);
      await fetch(`${logged.url}/gateway/v1/persons/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ iins: [p.iin] }),
      });
      await fetch(`${logged.url}/sms/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: p.mobile!.phone, text: 'hello', clientMessageId: 'log-1' }),
      });
      await fetch(`${logged.url}/sms/v1/messages?to=${encodeURIComponent(p.mobile!.phone)}`);
      await fetch(`${logged.url}/x/${p.iin}`);
    } finally {
      await logged.close();
    }
    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(7);
    const p = demoPerson('S01 applicant');
    expect(text).not.toContain(p.iin);
    expect(text).not.toContain(p.mobile!.phone.slice(1));
    expect(text).not.toContain(p.persons!.surname);
    expect(text).toContain('/gateway/v1/persons/:iin');
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(expect.arrayContaining(['method', 'route', 'status', 'ms']));
  });
});

describe('CLI', () => {
  test('npm run sandbox prints its URL as one JSON line and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sandbox/main.ts', '--port', '0', '--log-level', 'silent'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const nl = out.indexOf('\n');
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const info = JSON.parse(line) as { url: string; persons: number };
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.persons).toBe(demoJson.persons.length);
      const health = await fetch(`${info.url}/health`);
      expect(health.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
