/**
 * Synthetic persons for integration tests. Tests in one run share a database, and a person who is
 * registered once stands in the queue (R15.1 for a second application), so each test that needs a
 * clean applicant makes a new one.
 */
import { makeIin } from '../../domain/iin';
import type { FixturePerson } from '../../sandbox/fixture';

let serial = Math.floor(Math.random() * 5000);

/** A fresh valid IIN of an adult born in 1990. */
export function freshIin(): string {
  serial = (serial + 7) % 10000;
  return makeIin('1990-05-17', 'M', serial);
}

/** An adult citizen of Karaganda (351010000) with no housing history: R7.1 registers them. */
export function cleanPerson(iin: string = freshIin(), phone = '+77015550101'): FixturePerson {
  return {
    iin,
    persons: {
      iin,
      surname: 'СЕИТОВ',
      givenName: 'АРМАН',
      patronymic: 'БОЛАТОВИЧ',
      birthDate: '1990-05-17',
      sex: 'M',
      citizenship: 'CITIZEN',
      identityDocument: { number: '041234567', issuedAt: '2020-01-10', issuer: 'МВД РК' },
      address: { kato: '351010000', text: 'г. Караганда, ул. Бухар-Жырау, 1' },
    },
    residence: [{ kato: '351010000', from: '2008-09-01' }],
    mobile: { phone },
  };
}
