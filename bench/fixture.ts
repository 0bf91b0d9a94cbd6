/**
 * A generated population of clean R7.1 applicants: adult citizens, single, registered in Karaganda
 * (KATO 351010000) since 2010, with no property, tenancy, privatisation, mortgage, unified-queue
 * record or category, and a number in the mobile citizens database. Each is registered at once
 * (R7.1), so every benchmark application ends with a decision and no hearing.
 *
 * One person per application: a person can have one case (the workflow ID is per person) and, once
 * registered, a second application would be refused (R15.1 via the own queue entry).
 */
import { makeIin } from '../domain/iin';
import type { Fixture, FixturePerson } from '../sandbox/fixture';

export const BENCH_KATO = '351010000';

export interface BenchPerson {
  iin: string;
  mobile: string;
}

const DAY_MS = 86_400_000;
const FIRST_BIRTH = Date.UTC(1965, 0, 1);
const SURNAMES = ['АХМЕТОВ', 'ЖУМАБЕКОВ', 'НУРЛАНОВ', 'САРСЕНОВ', 'ТОКТАРОВ', 'ЕСЕНОВ', 'КАЛИЕВ', 'ОМАРОВ'];
const GIVEN_M = ['ЕРЛАН', 'АЙДОС', 'ДАНИЯР', 'АРМАН', 'ТАЛГАТ', 'НУРЖАН'];
const GIVEN_F = ['АЙГЕРИМ', 'ДИНАРА', 'ГУЛЬНАР', 'ЖАНАР', 'МАДИНА', 'САУЛЕ'];

/**
 * `count` persons with distinct birth dates from 1965-01-01 on (one a day: 10 000 persons end in
 * 1992, all adults), so the IINs are distinct without bookkeeping.
 */
export function benchPopulation(count: number, version: string): { fixture: Fixture; persons: BenchPerson[] } {
  if (count > 12_000) throw new RangeError('at most 12 000 bench persons (birth dates must stay adult)');
  const persons: BenchPerson[] = [];
  const entries: FixturePerson[] = [];
  for (let i = 0; i < count; i += 1) {
    const birthDate = new Date(FIRST_BIRTH + i * DAY_MS).toISOString().slice(0, 10);
    const sex = i % 2 === 0 ? 'M' : 'F';
    const iin = makeIin(birthDate, sex, (i * 37) % 10_000);
    const mobile = `+7700${String(1_000_000 + i).padStart(7, '0')}`;
    const surname = SURNAMES[i % SURNAMES.length] + (sex === 'F' ? 'А' : '');
    const givenName = (sex === 'M' ? GIVEN_M : GIVEN_F)[i % 6];
    persons.push({ iin, mobile });
    entries.push({
      iin,
      note: `bench person ${i}: R7.1 clean, single adult`,
      persons: {
        iin,
        surname,
        givenName,
        birthDate,
        sex,
        citizenship: 'CITIZEN',
        identityDocument: { number: String(100_000_000 + i), issuedAt: '2020-01-15', issuer: 'МВД РК' },
        address: { kato: BENCH_KATO, text: `Карагандинская область, г. Караганда, ул. Ерубаева, д. ${1 + (i % 90)}, кв. ${1 + (i % 120)}` },
      },
      residence: [{ kato: BENCH_KATO, from: '2010-01-01' }],
      mobile: { phone: mobile },
    });
  }
  return {
    persons,
    fixture: {
      version,
      description: `Benchmark population: ${count} clean R7.1 applicants in Karaganda (bench/fixture.ts)`,
      persons: entries,
    },
  };
}
