/**
 * The canonical form of signed documents: RFC 8785 (JCS) canonical JSON (security/pki/cms.ts
 * canonicalJson) and what each document type signs (security/pki/signed-documents.ts).
 */
import fc from 'fast-check';
import { CanonicalFormError, canonicalJson } from '../../security/pki/cms';
import {
  applicationDocument,
  canonicalFormOf,
  consentDocument,
  CONSENT_TEXT_VERSION,
  decisionDocument,
  positionDocument,
} from '../../security/pki/signed-documents';

describe('RFC 8785 canonical JSON', () => {
  it('the example of RFC 8785 §3.2.2: numbers, string escapes, literals, sorted keys', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('numbers in the ECMAScript form (RFC 8785 §3.2.2.3)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
      [9007199254740991, '9007199254740991'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [n, want] of cases) expect(canonicalJson(n)).toBe(want);
  });

  it('keys sorted by UTF-16 code units, not code points (RFC 8785 §3.2.3)', () => {
    const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
    const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
    // The emoji (high surrogate D83D) comes before U+FB33 although its code point is larger.
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    expect(canonicalJson(obj)).toBe(`{${order.map((k) => `${JSON.stringify(k)}:${keys.indexOf(k)}`).join(',')}}`);
  });

  it('Kazakh and Russian text stays as UTF-8, controls are escaped', () => {
    expect(canonicalJson({ t: 'Өтініш «Отбасы» ё\u0001\t' })).toBe('{"t":"Өтініш «Отбасы» ё\\u0001\\t"}');
  });

  it('no whitespace; nested objects sorted at every level; undefined members left out', () => {
    expect(canonicalJson({ b: [{ z: 1, a: { d: 2, c: undefined } }], a: 'x' })).toBe('{"a":"x","b":[{"a":{"d":2},"z":1}]}');
  });

  it('refuses what has no single JSON form rather than converting it', () => {
    for (const bad of [NaN, Infinity, new Date(0), new Map(), BigInt(1), '\ud800', { k: '\udc00x' }, Object.create({ inherited: 1 }) as object]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalFormError);
    }
  });

  it('property: parsing the canonical text gives the value back, and canonicalising again is the identity', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        // Key order of the input never matters.
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(canonicalJson(reversed)).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the documents that are signed', () => {
  const body = {
    applicantIin: '950314419498',
    path: 'NO_HOUSING',
    fund: 'STATE_HOUSING',
    kato: '351010000',
    categories: ['ORPHAN'],
    contact: { mobile: '+77011234567' },
    consents: ['C1', 'C2'] as ('C1' | 'C2')[],
  };

  it('an application: the declaration, the parties and the Idempotency-Key, with type and version', () => {
    const doc = applicationDocument({ ...body, idempotencyKey: 'portal-0001' });
    expect(doc).toEqual({ documentType: 'APPLICATION', version: 1, idempotencyKey: 'portal-0001', ...body, consentTextVersion: CONSENT_TEXT_VERSION });
    expect('representativeIin' in doc).toBe(false);
    const form = canonicalFormOf(doc);
    expect(Buffer.from(form.data, 'base64').toString('utf8')).toBe(form.canonical);
    expect(form.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every field changes the signed bytes (nothing a person declares is outside the signature)', () => {
    const base = canonicalFormOf(applicationDocument({ ...body, idempotencyKey: 'portal-0001' })).sha256;
    const variants = [
      { ...body, idempotencyKey: 'portal-0002' },
      { ...body, idempotencyKey: 'portal-0001', representativeIin: '870412300155' },
      { ...body, idempotencyKey: 'portal-0001', kato: '751110000' },
      { ...body, idempotencyKey: 'portal-0001', contact: { mobile: '+77011234568' } },
      { ...body, idempotencyKey: 'portal-0001', consents: ['C1'] as 'C1'[] },
      { ...body, idempotencyKey: 'portal-0001', categories: [] },
      { ...body, idempotencyKey: 'portal-0001', fund: 'STATE_ENTERPRISE' },
    ];
    for (const v of variants) expect(canonicalFormOf(applicationDocument(v)).sha256).not.toBe(base);
  });

  it('a consent, a position and a decision carry the case id and their own fields', () => {
    const id = '0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11';
    expect(consentDocument({ applicationId: id, applicantIin: '950314419498', codes: ['C3'] })).toEqual({
      documentType: 'CONSENT',
      version: 1,
      applicationId: id,
      applicantIin: '950314419498',
      codes: ['C3'],
      consentTextVersion: CONSENT_TEXT_VERSION,
    });
    const position = positionDocument({ applicationId: id, hearingSeq: 1, text: 'Позиция', statedBy: 'applicant:950314419498' });
    expect(canonicalFormOf(position).canonical).toBe(
      `{"applicationId":"${id}","documentType":"POSITION","hearingSeq":1,"statedBy":"applicant:950314419498","text":"Позиция","version":1}`,
    );
    const decision = decisionDocument({
      applicationId: id,
      outcome: 'REFUSED',
      grounds: ['R15.4'],
      categories: { confirmed: [], unconfirmed: ['ORPHAN'] },
      decidedAt: '2026-11-26T18:30:00+05:00',
      decidedBy: 'system',
    });
    expect('reasoning' in decision).toBe(false);
    expect(JSON.parse(canonicalFormOf(decision).canonical)).toEqual(decision);
  });
});
