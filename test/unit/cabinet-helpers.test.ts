/**
 * Issue #11 §2–§3, the pure parts: A2's identity block compared field by field, the signed
 * application's form unchanged when it carries no block, the withdrawal's form, page cursors.
 */
import { decodeCursor, encodeCursor } from '../../api/routes/cursor';
import { personBlockDifferences, personBlockOf } from '../../api/services/person-registry';
import type { PersonRecord } from '../../domain/registry-facts';
import { applicationDocument, canonicalFormOf, withdrawalDocument } from '../../security/pki/signed-documents';

const record: PersonRecord = {
  iin: '950314419498',
  surname: 'ЖАКСЫБЕКОВА',
  givenName: 'АЙГЕРИМ',
  patronymic: 'НУРЛАНОВНА',
  birthDate: '1995-03-14',
  sex: 'F',
  citizenship: 'CITIZEN',
  identityDocument: { number: '093436632', issuedAt: '2021-04-06', issuer: 'МВД РК' },
  address: { kato: '351010000', text: 'г. Караганда, ул. Ерубаева, д. 35, кв. 12' },
};

describe('A2 identity block', () => {
  it('takes the form’s fields from the persons registry record (no sex, citizenship or issuer)', () => {
    expect(personBlockOf(record)).toEqual({
      iin: '950314419498',
      surname: 'ЖАКСЫБЕКОВА',
      name: 'АЙГЕРИМ',
      patronymic: 'НУРЛАНОВНА',
      birthDate: '1995-03-14',
      identityDocument: { number: '093436632', issuedAt: '2021-04-06' },
      address: { kato: '351010000', text: 'г. Караганда, ул. Ерубаева, д. 35, кв. 12' },
    });
    const { patronymic: _none, ...kandas } = record;
    expect(personBlockOf(kandas).patronymic).toBeNull();
  });

  it('names every field that differs from the registry', () => {
    const registry = personBlockOf(record);
    expect(personBlockDifferences(registry, registry)).toEqual([]);
    const sent = { ...registry, surname: 'ДРУГАЯ', identityDocument: { ...registry.identityDocument, number: '000' } };
    expect(personBlockDifferences(sent, registry)).toEqual(['surname', 'identityDocument.number']);
  });
});

describe('signed forms', () => {
  const base = {
    idempotencyKey: 'portal-2026-000123',
    applicantIin: '950314419498',
    path: 'NO_HOUSING',
    fund: 'STATE_HOUSING',
    kato: '351010000',
    categories: [],
    contact: { mobile: '+77011234567' },
    consents: ['C1', 'C2'] as const,
  };

  it('an application without the block signs exactly what it signed before the block existed', () => {
    const form = canonicalFormOf(applicationDocument(base));
    expect(form.canonical).not.toContain('person');
    expect(form.canonical).toBe(
      '{"applicantIin":"950314419498","categories":[],"consentTextVersion":"order-130-2025-04-17/A2.C/1","consents":["C1","C2"],"contact":{"mobile":"+77011234567"},"documentType":"APPLICATION","fund":"STATE_HOUSING","idempotencyKey":"portal-2026-000123","kato":"351010000","path":"NO_HOUSING","version":1}',
    );
  });

  it('an application with the block signs it', () => {
    const person = personBlockOf(record);
    const doc = JSON.parse(canonicalFormOf(applicationDocument({ ...base, person })).canonical) as Record<string, unknown>;
    expect(doc.person).toEqual(person);
  });

  it('the withdrawal names the case, the entry, the reason and who asks', () => {
    const doc = withdrawalDocument({ applicationId: 'a', registrationNumber: '351010000-00000001', reason: 'сами купили', withdrawnBy: 'applicant:950314419498' });
    expect(canonicalFormOf(doc).canonical).toBe(
      '{"applicationId":"a","documentType":"WITHDRAWAL","reason":"сами купили","registrationNumber":"351010000-00000001","version":1,"withdrawnBy":"applicant:950314419498"}',
    );
  });
});

describe('page cursors', () => {
  it('round-trip, and anything else is 400 CURSOR_INVALID naming cursor', () => {
    const c = encodeCursor({ t: '2026-12-03 10:00:00.123+05', id: 'x' });
    expect(decodeCursor(c, (v) => v)).toEqual({ t: '2026-12-03 10:00:00.123+05', id: 'x' });
    for (const bad of ['%%%', encodeCursor({}), Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeCursor(bad, (v) => (typeof v.t === 'string' ? v : undefined))).toThrow(expect.objectContaining({ status: 400, code: 'CURSOR_INVALID', field: 'cursor' }));
    }
  });
});

describe('what staff see of a signed document', () => {
  it('no IIN, also not inside a `role:IIN` reference (a withdrawal’s withdrawnBy, a position’s statedBy)', async () => {
    const { redactForStaff } = await import('../../api/routes/signatures');
    const seen = JSON.stringify(
      redactForStaff({ applicantIin: '950314419498', withdrawnBy: 'applicant:950314419498', statedBy: 'representative:950314419498', decidedBy: 'officer:HO-0001' }),
    );
    expect(seen).not.toContain('950314419498');
    expect(seen).toContain('"withdrawnBy":"applicant:95********98"');
    expect(seen).toContain('"decidedBy":"officer:HO-0001"');
  });
});
