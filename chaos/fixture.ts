/**
 * The chaos population: the benchmark's clean R7.1 persons (bench/fixture.ts), some of them given
 * what sends their case down another path, so a load mixes the three procedures of the Rules:
 *  - R7_1: no ground, NO_HOUSING → registered at once;
 *  - EMERGENCY: their only house in Karaganda is recognised as emergency (report ЧС-…) → R7.2: the
 *    applicant uploads the report, an operator accepts it → registered;
 *  - HEARING_POSITION: owns a 1/2 share of a flat (R15.2) → preliminary refusal and hearing (R17);
 *    the applicant states a position (a workflow update, so faults also hit updates);
 *  - HEARING_WAITING: the same ground, and nobody acts.
 * Both hearing paths rest visibly in HEARING_SCHEDULED (WaitingOn=applicant): the hearing is working
 * days away on a real clock, and the officer's outcome can only be recorded after it.
 * Built on the same generator so the IINs are valid and distinct without bookkeeping.
 */
import { benchPopulation, BENCH_KATO } from '../bench/fixture';
import type { Fixture, FixturePerson } from '../sandbox/fixture';

export type ChaosPath = 'R7_1' | 'EMERGENCY' | 'HEARING_POSITION' | 'HEARING_WAITING';

export interface ChaosPerson {
  index: number;
  iin: string;
  mobile: string;
  /** Surname and given name as the registry holds them (never to appear in a log). */
  fullName?: string;
  path: ChaosPath;
  /** EMERGENCY: the dwelling and the report number the registry holds. */
  emergency?: { propertyId: string; reportNumber: string };
}

/** What each path must end in once the load is over (undefined: still waiting, visibly). */
export const EXPECTED_OUTCOME: Record<ChaosPath, 'REGISTERED' | 'REFUSED' | undefined> = {
  R7_1: 'REGISTERED',
  EMERGENCY: 'REGISTERED',
  HEARING_POSITION: undefined,
  HEARING_WAITING: undefined,
};

/** Out of every 20 applications: 10 R7.1, 4 emergency, 3 hearings with a position, 3 without. */
export function pathOf(index: number): ChaosPath {
  const r = index % 20;
  if (r < 10) return 'R7_1';
  if (r < 14) return 'EMERGENCY';
  if (r < 17) return 'HEARING_POSITION';
  return 'HEARING_WAITING';
}

function propertyId(index: number): string {
  return `35:101:${String(index % 1000).padStart(3, '0')}:${String(1000 + (index % 9000)).padStart(4, '0')}`;
}

function addEmergency(entry: FixturePerson, index: number): { propertyId: string; reportNumber: string } {
  const id = propertyId(index);
  const reportNumber = `ТЭ-2026/${String(index).padStart(5, '0')}`;
  (entry.realEstate ??= { ownership: [], moveIns: [] }).ownership.push({
    propertyId: id,
    kato: BENCH_KATO,
    address: `Карагандинская область, г. Караганда, ул. Гоголя, д. ${1 + (index % 200)}`,
    share: 1,
    habitable: false,
    areaM2: 54,
    acquiredAt: '2008-05-20',
    acquiredHow: 'PURCHASE',
  });
  entry.emergency = [
    { propertyId: id, kato: BENCH_KATO, recognisedAt: '2026-08-11', reportNumber, expertOrganisation: 'ТОО «КарагандаСтройЭкспертиза»' },
  ];
  return { propertyId: id, reportNumber };
}

function addShare(entry: FixturePerson, index: number): void {
  (entry.realEstate ??= { ownership: [], moveIns: [] }).ownership.push({
    propertyId: propertyId(index),
    kato: BENCH_KATO,
    address: `Карагандинская область, г. Караганда, ул. Бухар-Жырау, д. ${1 + (index % 150)}, кв. ${1 + (index % 80)}`,
    share: 0.5,
    habitable: true,
    areaM2: 48,
    acquiredAt: '2022-04-05',
    acquiredHow: 'INHERITANCE',
  });
}

/** `count` persons, path by `pathOf(index)`, and the sandbox fixture that backs them. */
export function chaosPopulation(count: number, version: string): { fixture: Fixture; persons: ChaosPerson[] } {
  const base = benchPopulation(count, version);
  const persons: ChaosPerson[] = base.persons.map((p, index) => {
    const path = pathOf(index);
    const entry = base.fixture.persons[index];
    entry.note = `chaos person ${index}: ${path}`;
    const name = entry.persons ? { fullName: `${entry.persons.surname} ${entry.persons.givenName}` } : {};
    if (path === 'EMERGENCY') return { index, ...p, ...name, path, emergency: addEmergency(entry, index) };
    if (path === 'HEARING_POSITION' || path === 'HEARING_WAITING') addShare(entry, index);
    return { index, ...p, ...name, path };
  });
  return {
    persons,
    fixture: { ...base.fixture, description: `Chaos population: ${count} persons of mixed paths (chaos/fixture.ts)` },
  };
}
