/**
 * The synthetic population generator: deterministic by seed, valid and unique IINs, consistent
 * civil-registry links, the documented mix, and that 100,000 persons generate and load in time.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFixtureFile, parseFixture, type FixturePerson } from '../../sandbox/fixture';
import {
  DEFAULT_AS_OF,
  generatePopulation,
  populationStats,
  writePopulation,
} from '../../sandbox/generate-population';
import { iinBirthDate, iinSex, isValidIin } from '../../sandbox/iin-gen';

const N = 20_000;
let population: FixturePerson[];

beforeAll(() => {
  population = [...generatePopulation({ persons: N, seed: 42 })];
});

test('gives exactly the number of persons asked for', () => {
  expect(population).toHaveLength(N);
  expect([...generatePopulation({ persons: 7, seed: 1 })]).toHaveLength(7);
  expect([...generatePopulation({ persons: 0, seed: 1 })]).toHaveLength(0);
});

test('is deterministic by seed', () => {
  const a = [...generatePopulation({ persons: 3000, seed: 42 })];
  const b = [...generatePopulation({ persons: 3000, seed: 42 })];
  const c = [...generatePopulation({ persons: 3000, seed: 43 })];
  expect(b).toEqual(a);
  expect(c).not.toEqual(a);
});

// These checks walk 20,000 persons: problems are collected and asserted once, because a jest
// expect() per field would dominate the run time.
test('produces valid, unique IINs that match birth date and sex', () => {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of population) {
    if (!isValidIin(p.iin)) problems.push(`${p.iin}: invalid`);
    if (seen.has(p.iin)) problems.push(`${p.iin}: duplicate`);
    seen.add(p.iin);
    if (iinBirthDate(p.iin) !== p.persons?.birthDate) problems.push(`${p.iin}: birth date`);
    if (iinSex(p.iin) !== p.persons?.sex) problems.push(`${p.iin}: sex`);
    // IINs referenced but not in the population (ex-spouses, occupants) are valid too.
    for (const m of p.civil?.marriages ?? []) if (!isValidIin(m.spouseIin)) problems.push(`${m.spouseIin}: invalid spouse`);
    for (const m of p.realEstate?.moveIns ?? []) if (!isValidIin(m.occupantIin)) problems.push(`${m.occupantIin}: invalid occupant`);
  }
  expect(problems).toEqual([]);
});

test('validates against the fixture schema', () => {
  expect(() =>
    parseFixture({ version: 'test', description: 'generated', asOf: DEFAULT_AS_OF, persons: population }),
  ).not.toThrow();
});

test('spouse links are symmetric; children and guardianships are consistent', () => {
  const byIin = new Map(population.map((p) => [p.iin, p]));
  const problems: string[] = [];
  let currentMarriages = 0;
  for (const p of population) {
    const current = (p.civil?.marriages ?? []).filter((m) => m.to === undefined);
    if (current.length > 1) problems.push(`${p.iin}: ${current.length} current marriages`);
    for (const m of current) {
      currentMarriages++;
      const spouse = byIin.get(m.spouseIin);
      if (!spouse) {
        problems.push(`${p.iin}: spouse ${m.spouseIin} not in the population`);
        continue;
      }
      if (spouse.persons?.sex === p.persons?.sex) problems.push(`${p.iin}: same-sex marriage record`);
      const back = spouse.civil?.marriages.some((x) => x.spouseIin === p.iin && x.from === m.from && x.to === undefined);
      if (!back) problems.push(`${p.iin}: spouse ${m.spouseIin} does not point back`);
    }
    for (const c of p.civil?.children ?? []) {
      const child = byIin.get(c.iin);
      if (!child) problems.push(`${p.iin}: child ${c.iin} not in the population`);
      else if (child.persons?.birthDate !== c.birthDate) problems.push(`${p.iin}: child ${c.iin} birth date`);
      if (c.birthDate <= (p.persons?.birthDate ?? '')) problems.push(`${p.iin}: child born before parent`);
    }
    for (const r of p.representation ?? []) {
      const other = byIin.get(r.principalIin === p.iin ? r.representativeIin : r.principalIin);
      const mirrored = other?.representation?.some((x) => JSON.stringify(x) === JSON.stringify(r));
      if (!mirrored) problems.push(`${p.iin}: representation not held by the other party`);
    }
    // The address is where the person is registered now.
    const residence = p.residence ?? [];
    const last = residence[residence.length - 1];
    if (!last || last.to !== undefined || last.kato !== p.persons?.address.kato) problems.push(`${p.iin}: address vs residence`);
  }
  expect(problems).toEqual([]);
  expect(currentMarriages).toBeGreaterThan(0);
});

test('the mix is within the documented bands', () => {
  const s = populationStats(population);
  expect(s.persons).toBe(N);
  expect(s.marriedWithSpouseInPopulation).toBeGreaterThan(0.5);
  expect(s.marriedWithSpouseInPopulation).toBeLessThan(0.6);
  expect(s.withOwnershipHistory).toBeGreaterThan(0.2);
  expect(s.withOwnershipHistory).toBeLessThan(0.3);
  expect(s.ownershipInWindow).toBeGreaterThan(0.05);
  expect(s.ownershipInWindow).toBeLessThan(s.withOwnershipHistory);
  for (const share of [s.withTenancy, s.withPrivatisation, s.withMortgage, s.withActiveQueueRecord]) {
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.06);
  }
  expect(s.withCategory).toBeGreaterThan(0.07);
  expect(s.withCategory).toBeLessThan(0.13);
  expect(s.orphansOrWithoutCare).toBeGreaterThan(0.02);
  expect(s.orphansOrWithoutCare).toBeLessThan(0.04);
  expect(s.withMobile).toBeGreaterThan(0.8);
  expect(s.withMobile).toBeLessThan(0.9);
  expect(s.minors).toBeGreaterThan(0.1);
  // The three republican cities are the most populated.
  const top3 = Object.entries(s.byCity)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([kato]) => kato)
    .sort();
  expect(top3).toEqual(['710000000', '750000000', '790000000']);
});

test('includes the cases the rules care about', () => {
  const windowStart = '2021-11-26';
  const has = (pred: (p: FixturePerson) => boolean): boolean => population.some(pred);
  expect(has((p) => (p.realEstate?.ownership ?? []).some((o) => o.disposedAt !== undefined && o.disposedAt >= windowStart && o.disposedHow === 'SALE'))).toBe(true);
  expect(has((p) => (p.realEstate?.ownership ?? []).some((o) => o.disposedAt !== undefined && o.disposedAt < windowStart))).toBe(true);
  expect(has((p) => (p.realEstate?.ownership ?? []).some((o) => o.share < 1))).toBe(true);
  expect(has((p) => (p.emergency ?? []).length > 0)).toBe(true);
  expect(has((p) => (p.realEstate?.moveIns ?? []).some((m) => m.relation === 'OTHER'))).toBe(true);
  expect(has((p) => (p.representation ?? []).some((r) => r.kind === 'GUARDIANSHIP'))).toBe(true);
  expect(has((p) => p.persons!.citizenship === 'KANDAS')).toBe(true);
  expect(has((p) => p.persons!.citizenship === 'FOREIGN')).toBe(true);
  expect(has((p) => (p.categories ?? []).some((c) => c.code === 'LARGE_FAMILY'))).toBe(true);
  // Recent movers into a republican city (R6) exist.
  expect(
    has((p) => {
      const r = p.residence ?? [];
      const last = r[r.length - 1]!;
      return /^7[159]/.test(last.kato) && last.from > '2024-01-01' && r.length > 1;
    }),
  ).toBe(true);
});

describe('100,000 persons', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-population-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // How fast is the benchmark's to say (npm run bench), not a test's: this one checks what is made.
  test('generate and load into the sandbox', async () => {
    const out = path.join(dir, 'population.json');
    const written = writePopulation({ persons: 100_000, seed: 42, out });
    expect(statSync(out).size).toBe(written.bytes);

    const fixture = await loadFixtureFile(out);
    expect(fixture.size).toBe(100_000);
    const someone = population[0]!;
    expect(fixture.answer('persons', someone.iin)).toEqual(someone.persons);
  }, 120_000);
});
