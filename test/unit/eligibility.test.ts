/**
 * Eligibility engine (SPEC §4–§6): one or more tests per refusal ground and per exception. Test
 * titles name the rule. Acceptance is Tuesday 10 March 2026 at 10:00 Kazakhstan time, so the
 * 5-year look-back window is [2021-03-10, 2026-03-10] and the R6 window [2023-03-10, 2026-03-10].
 */
import type { ApplicationDeclaration, EligibilityResult, Ground } from '../../domain/application';
import {
  evaluateEligibility,
  familyOf,
  MissingFamilyFactsError,
  type EligibilityInput,
} from '../../domain/eligibility';
import { INTERPRETATIONS } from '../../domain/interpretations';
import {
  emptyAnswers,
  type OccupantMoveIn,
  type OwnershipRecord,
  type PersonRecord,
  type RegistryAnswers,
} from '../../domain/registry-facts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const ACCEPTED_AT = '2026-03-10T10:00:00+05:00';
const ACCEPTED = '2026-03-10';
const KARAGANDA = '351010000';
const TEMIRTAU = '352410000';
const ALMATY = '750000000';
const ALMATY_BOSTANDYK = '751210000';
const ALMATY_MEDEU = '751510000';
const ASTANA_ESIL = '711310000';

const APPLICANT = '900315300127';
const SPOUSE = '920601400452';
const CHILD = '150410500786';
const REPRESENTATIVE = '780101300015';

function person(iin: string, overrides: Partial<PersonRecord> = {}): PersonRecord {
  return {
    iin,
    surname: 'Сейітов',
    givenName: 'Арман',
    birthDate: '1990-03-15',
    sex: 'M',
    citizenship: 'CITIZEN',
    identityDocument: { number: '012345678', issuedAt: '2020-01-01' },
    address: { kato: KARAGANDA, text: 'Қарағанды қ., Бұқар жырау д-лы, 1' },
    ...overrides,
  };
}

function answers(overrides: Partial<RegistryAnswers> = {}): RegistryAnswers {
  return { ...emptyAnswers(), ...overrides };
}

function owned(overrides: Partial<OwnershipRecord> = {}): OwnershipRecord {
  return {
    propertyId: 'P-1',
    kato: KARAGANDA,
    address: 'Қарағанды қ., Ерубаев к-сі, 10-5',
    share: 1,
    habitable: true,
    acquiredAt: '2010-05-01',
    acquiredHow: 'PURCHASE',
    ...overrides,
  };
}

function withOwnership(a: RegistryAnswers, ...records: OwnershipRecord[]): RegistryAnswers {
  return { ...a, realEstate: { ...a.realEstate, ownership: [...a.realEstate.ownership, ...records] } };
}

function moveIn(overrides: Partial<OccupantMoveIn> = {}): OccupantMoveIn {
  return {
    propertyId: 'P-9',
    occupantIin: '850505300011',
    relation: 'OTHER',
    occupantMinor: false,
    occupantDisabled: false,
    at: '2024-06-01',
    ...overrides,
  };
}

function declaration(overrides: Partial<ApplicationDeclaration> = {}): ApplicationDeclaration {
  return {
    applicantIin: APPLICANT,
    path: 'NO_HOUSING',
    fund: 'STATE_HOUSING',
    kato: KARAGANDA,
    categories: [],
    contact: { mobile: '+77011234567' },
    consents: [
      { code: 'C1', givenAt: '2026-03-10T09:55:00+05:00' },
      { code: 'C2', givenAt: '2026-03-10T09:55:00+05:00' },
      { code: 'C3', givenAt: '2026-03-10T09:55:00+05:00' },
    ],
    ...overrides,
  };
}

/** A citizen registered in Karaganda since 2015 with nothing on file: eligible under R7.1. */
function applicantAnswers(overrides: Partial<RegistryAnswers> = {}): RegistryAnswers {
  return answers({
    persons: person(APPLICANT),
    residence: [{ kato: KARAGANDA, from: '2015-01-01' }],
    ...overrides,
  });
}

interface Scenario {
  declaration: ApplicationDeclaration;
  applicant: RegistryAnswers;
  family: Record<string, RegistryAnswers>;
  representative?: RegistryAnswers;
  extra?: Pick<EligibilityInput, 'ownQueueActive' | 'technicalReport' | 'reportRejected'>;
  acceptedAt?: string;
}

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return { declaration: declaration(), applicant: applicantAnswers(), family: {}, ...overrides };
}

/** Adds a current spouse (married 2015) with the given answers. */
function withSpouse(s: Scenario, spouse: RegistryAnswers = answers({ persons: person(SPOUSE, { sex: 'F' }) })): Scenario {
  const civil = { ...s.applicant.civil, marriages: [...s.applicant.civil.marriages, { spouseIin: SPOUSE, from: '2015-06-20' }] };
  return { ...s, applicant: { ...s.applicant, civil }, family: { ...s.family, [SPOUSE]: spouse } };
}

/** Adds a child born 2015 (10 at acceptance) with the given answers. */
function withChild(s: Scenario, child: RegistryAnswers = answers({ persons: person(CHILD, { birthDate: '2015-04-10' }) })): Scenario {
  const civil = { ...s.applicant.civil, children: [...s.applicant.civil.children, { iin: CHILD, birthDate: '2015-04-10' }] };
  return { ...s, applicant: { ...s.applicant, civil }, family: { ...s.family, [CHILD]: child } };
}

function input(s: Scenario): EligibilityInput {
  const familyIins = Object.keys(s.family);
  return {
    declaration: s.declaration,
    facts: {
      applicant: s.applicant,
      familyIins,
      family: s.family,
      ...(s.representative ? { representative: s.representative } : {}),
    },
    acceptedAt: s.acceptedAt ?? ACCEPTED_AT,
    ...s.extra,
  };
}

function evaluate(s: Scenario, interpretations = INTERPRETATIONS): EligibilityResult {
  return evaluateEligibility(input(s), interpretations);
}

/** Compact ground labels, e.g. `A1.9.2/R6:APPLICANT`, for whole-list assertions. */
function labels(result: EligibilityResult): string[] {
  return result.grounds.map((g: Ground) => `${g.id}${g.rule ? `/${g.rule}` : ''}:${g.subject}`);
}

function expectEligible(result: EligibilityResult, basis: 'R7.1' | 'R7.2' = 'R7.1'): void {
  expect(labels(result)).toEqual([]);
  expect(result.basis).toBe(basis);
}

/** An R7.2 scenario: the family's only dwelling in Karaganda, recognised as emergency in 2025. */
function emergencyScenario(recognitionKato = KARAGANDA, declaredKato = KARAGANDA): Scenario {
  const dwelling = owned({ propertyId: 'E-1', kato: recognitionKato, acquiredAt: '2012-01-01' });
  return scenario({
    declaration: declaration({ path: 'EMERGENCY', emergencyPropertyId: 'E-1', kato: declaredKato }),
    applicant: withOwnership(
      applicantAnswers({
        emergency: [
          {
            propertyId: 'E-1',
            kato: recognitionKato,
            recognisedAt: '2025-11-20',
            reportNumber: 'TZ-2025/117',
            expertOrganisation: 'ТОО «Сараптама-Строй»',
          },
        ],
      }),
      dwelling,
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// Baseline and family (SPEC §4 Interpretation)
// ---------------------------------------------------------------------------------------------

describe('baseline', () => {
  test('R7.1: a citizen with nothing on file is eligible with basis R7.1', () => {
    const result = evaluate(scenario());
    expectEligible(result);
    expect(result.categories).toEqual({ confirmed: [], unconfirmed: [] });
  });

  test('R7.2: a recognised emergency dwelling in the locality applied for is eligible with basis R7.2', () => {
    expectEligible(evaluate(emergencyScenario()), 'R7.2');
  });

  test('SPEC §2: the acceptance date is the +05:00 date of acceptedAt, whatever offset it is written in', () => {
    // 2026-03-09T20:00Z is 10 March 01:00 in Kazakhstan: the window edge moves with it.
    const s = scenario({
      applicant: withOwnership(applicantAnswers(), owned({ disposedAt: '2021-03-09', disposedHow: 'DESTROYED' })),
      acceptedAt: '2026-03-09T20:00:00Z',
    });
    expectEligible(evaluate(s));
    expect(labels(evaluate({ ...s, acceptedAt: '2026-03-09T18:00:00Z' }))).toEqual(['R15.2:APPLICANT']);
  });
});

describe('familyOf (R13, A1.8, SPEC §4 Interpretation)', () => {
  const civil = (marriages: RegistryAnswers['civil']['marriages'], children: RegistryAnswers['civil']['children'] = []) =>
    answers({ civil: { marriages, children } });

  test('current spouse and children under 18 are family, spouses first', () => {
    const a = civil([{ spouseIin: SPOUSE, from: '2015-06-20' }], [{ iin: CHILD, birthDate: '2015-04-10' }]);
    expect(familyOf(a, ACCEPTED, INTERPRETATIONS)).toEqual([
      { iin: SPOUSE, relation: 'SPOUSE' },
      { iin: CHILD, relation: 'CHILD' },
    ]);
  });

  test('a divorced spouse is not family; a marriage ending on the acceptance day is over', () => {
    expect(familyOf(civil([{ spouseIin: SPOUSE, from: '2010-01-01', to: '2020-02-02' }]), ACCEPTED, INTERPRETATIONS)).toEqual([]);
    expect(familyOf(civil([{ spouseIin: SPOUSE, from: '2010-01-01', to: ACCEPTED }]), ACCEPTED, INTERPRETATIONS)).toEqual([]);
    expect(familyOf(civil([{ spouseIin: SPOUSE, from: '2010-01-01', to: '2026-03-11' }]), ACCEPTED, INTERPRETATIONS)).toEqual([
      { iin: SPOUSE, relation: 'SPOUSE' },
    ]);
  });

  test('a marriage registered after acceptance is not yet family', () => {
    expect(familyOf(civil([{ spouseIin: SPOUSE, from: '2026-03-11' }]), ACCEPTED, INTERPRETATIONS)).toEqual([]);
  });

  test('a child turning 18 the day before acceptance (or on it) is not family; one turning 18 the day after is', () => {
    const kids = [
      { iin: '080309500001', birthDate: '2008-03-09' }, // 18 on 9 March 2026
      { iin: '080310500002', birthDate: '2008-03-10' }, // 18 on the acceptance day
      { iin: '080311500003', birthDate: '2008-03-11' }, // still 17
      { iin: '260311500004', birthDate: '2026-03-11' }, // not yet born
    ];
    expect(familyOf(civil([], kids), ACCEPTED, INTERPRETATIONS)).toEqual([{ iin: '080311500003', relation: 'CHILD' }]);
  });

  test('R7.1: a divorced spouse\'s dwelling does not bar the applicant (their facts are not needed)', () => {
    const s = scenario({
      applicant: applicantAnswers({
        civil: { marriages: [{ spouseIin: SPOUSE, from: '2010-01-01', to: '2019-05-05' }], children: [] },
      }),
    });
    expectEligible(evaluate(s));
  });

  test('missing registry answers for a family member are an error, not "nothing on file"', () => {
    const s = withSpouse(scenario());
    expect(() => evaluate({ ...s, family: {} })).toThrow(MissingFamilyFactsError);
  });
});

// ---------------------------------------------------------------------------------------------
// R15.1 unified republican database
// ---------------------------------------------------------------------------------------------

describe('R15.1 unified republican database', () => {
  const record = (active: boolean) => ({
    kato: KARAGANDA,
    registeredAt: '2019-04-02T10:00:00+06:00',
    categories: [],
    sourceAkimat: 'Қарағанды қаласының әкімдігі',
    active,
  });

  test('R15.1: an active akimat-queue record of the applicant', () => {
    const result = evaluate(scenario({ applicant: applicantAnswers({ unifiedQueue: [record(true)] }) }));
    expect(labels(result)).toEqual(['R15.1:APPLICANT']);
    expect(result.grounds[0]?.registry).toBe('unifiedQueue');
    expect(result.grounds[0]?.facts).toEqual({ unifiedQueue: [record(true)] });
    expect(result.basis).toBeUndefined();
  });

  test('R15.1: an active record of the spouse', () => {
    const s = withSpouse(scenario(), answers({ unifiedQueue: [record(true)] }));
    expect(labels(evaluate(s))).toEqual(['R15.1:SPOUSE']);
  });

  test('R15.1: only applicant and spouse count — a child\'s record and inactive records do not', () => {
    const s = withChild(
      scenario({ applicant: applicantAnswers({ unifiedQueue: [record(false)] }) }),
      answers({ unifiedQueue: [record(true)] }),
    );
    expectEligible(evaluate(s));
  });

  test('R15.1: an active entry in the provider\'s own queue counts when the interpretation says so', () => {
    const s = scenario({ extra: { ownQueueActive: true } });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.1:APPLICANT']);
    expect(result.grounds[0]?.registry).toBe('ownQueue');
    expectEligible(evaluate(s, { ...INTERPRETATIONS, ownQueueCountsAsUnifiedDatabase: false }));
  });
});

// ---------------------------------------------------------------------------------------------
// R15.2 – R15.4 ownership
// ---------------------------------------------------------------------------------------------

describe('R15.2 ownership within 5 years', () => {
  const withDwelling = (record: OwnershipRecord) => scenario({ applicant: withOwnership(applicantAnswers(), record) });

  test('R15.2: a dwelling owned at acceptance', () => {
    const result = evaluate(withDwelling(owned()));
    expect(labels(result)).toEqual(['R15.2:APPLICANT']);
    expect(result.grounds[0]?.facts).toEqual({ ownership: [owned()], window: { from: '2021-03-10', to: ACCEPTED } });
    expect(result.grounds[0]?.reason.ru).toContain('с 10.03.2021 по 10.03.2026');
  });

  test('R15.2 window edge: ownership ended exactly 5 years + 1 day before acceptance is outside the window', () => {
    expectEligible(evaluate(withDwelling(owned({ disposedAt: '2021-03-09', disposedHow: 'INHERITED_BY_OTHERS' }))));
  });

  test('R15.2 window edge: ownership ended on the window\'s first day (exactly 5 years before) is a ground', () => {
    const result = evaluate(withDwelling(owned({ disposedAt: '2021-03-10', disposedHow: 'INHERITED_BY_OTHERS' })));
    expect(labels(result)).toEqual(['R15.2:APPLICANT']);
  });

  test('R15.2: ownership ended within the window is a ground', () => {
    const result = evaluate(withDwelling(owned({ disposedAt: '2023-08-01', disposedHow: 'DESTROYED' })));
    expect(labels(result)).toEqual(['R15.2:APPLICANT']);
  });

  test('R15.2: a dwelling acquired after the acceptance date is ignored', () => {
    expectEligible(evaluate(withDwelling(owned({ acquiredAt: '2026-03-11' }))));
  });

  test('R15.2: the spouse\'s 1/4 share counts (any share)', () => {
    const s = withSpouse(scenario(), withOwnership(answers(), owned({ share: 0.25, propertyId: 'P-S' })));
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.2:SPOUSE']);
    expect(result.grounds[0]?.subjectIin).toBe(SPOUSE);
    expect(result.grounds[0]?.reason.kk).toMatch(/^Өтініш берушінің жұбайы \(ЖСН 920601400452\): /);
  });

  test('R15.2: a minor child\'s share counts', () => {
    const s = withChild(scenario(), withOwnership(answers(), owned({ share: 0.5 })));
    expect(labels(evaluate(s))).toEqual(['R15.2:CHILD']);
  });

  test('R15.2 exception: on R7.2 the recognised emergency dwelling is excepted', () => {
    expectEligible(evaluate(emergencyScenario()), 'R7.2');
  });

  test('R15.2 exception: the spouse\'s share in the recognised emergency dwelling is excepted too', () => {
    const s = withSpouse(emergencyScenario(), withOwnership(answers(), owned({ propertyId: 'E-1', share: 0.5 })));
    expectEligible(evaluate(s), 'R7.2');
  });

  test('R15.2: the emergency dwelling is not excepted on R7.1', () => {
    const s = emergencyScenario();
    const result = evaluate({ ...s, declaration: declaration({ path: 'NO_HOUSING', emergencyPropertyId: 'E-1' }) });
    expect(labels(result)).toEqual(['R15.2:APPLICANT']);
  });

  test('R15.2: on R7.2 another dwelling in the window is still a ground', () => {
    const s = emergencyScenario();
    const result = evaluate({ ...s, applicant: withOwnership(s.applicant, owned({ propertyId: 'P-2' })) });
    expect(labels(result)).toEqual(['R15.2:APPLICANT']);
    expect(result.grounds[0]?.facts).toMatchObject({ ownership: [owned({ propertyId: 'P-2' })], exceptedPropertyId: 'E-1' });
  });

  test('R15.2 threshold comes from interpretations (lookbackYears)', () => {
    const s = withDwelling(owned({ disposedAt: '2022-01-01', disposedHow: 'DESTROYED' }));
    expect(labels(evaluate(s))).toEqual(['R15.2:APPLICANT']);
    expectEligible(evaluate(s, { ...INTERPRETATIONS, lookbackYears: 3 }));
  });
});

describe('R15.3 / R15.4 special funds (no 5-year limit)', () => {
  const oldDwelling = (kato: string) =>
    owned({ kato, acquiredAt: '1999-01-01', disposedAt: '2005-01-01', disposedHow: 'INHERITED_BY_OTHERS' });

  test('R15.3: state-institution fund, a dwelling once owned in that locality (district counts as city)', () => {
    const s = scenario({
      declaration: declaration({ fund: 'STATE_INSTITUTION', kato: ALMATY }),
      applicant: withOwnership(
        applicantAnswers({ residence: [{ kato: ALMATY_MEDEU, from: '2010-01-01' }] }),
        oldDwelling(ALMATY_BOSTANDYK),
      ),
    });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.3:APPLICANT']);
    expect(result.grounds[0]?.facts).toMatchObject({ locality: ALMATY });
  });

  test('R15.3: a dwelling once owned in another locality is not a ground', () => {
    const s = scenario({
      declaration: declaration({ fund: 'STATE_INSTITUTION' }),
      applicant: withOwnership(applicantAnswers(), oldDwelling(TEMIRTAU)),
    });
    expectEligible(evaluate(s));
  });

  test('R15.4: state-enterprise fund, any dwelling ever owned in Kazakhstan (spouse\'s too)', () => {
    const s = withSpouse(
      scenario({ declaration: declaration({ fund: 'STATE_ENTERPRISE' }) }),
      withOwnership(answers(), oldDwelling(TEMIRTAU)),
    );
    expect(labels(evaluate(s))).toEqual(['R15.4:SPOUSE']);
  });

  test('R15.3/R15.4 do not apply to the default state housing fund', () => {
    expectEligible(evaluate(scenario({ applicant: withOwnership(applicantAnswers(), oldDwelling(KARAGANDA)) })));
  });
});

// ---------------------------------------------------------------------------------------------
// R15.5 tenancies
// ---------------------------------------------------------------------------------------------

describe('R15.5 state-fund or akimat-rented tenancy', () => {
  const tenancy = (from: string, to?: string) => ({
    kind: 'AKIMAT_RENTED' as const,
    kato: KARAGANDA,
    address: 'Қарағанды қ., Абай к-сі, 3-12',
    from,
    ...(to ? { to } : {}),
  });

  test('R15.5: a tenancy active at acceptance', () => {
    expect(labels(evaluate(scenario({ applicant: applicantAnswers({ tenancies: [tenancy('2024-01-01')] }) })))).toEqual([
      'R15.5:APPLICANT',
    ]);
  });

  test('R15.5: a state-fund tenancy of a child ended within the 5 years', () => {
    const s = withChild(scenario(), answers({ tenancies: [{ ...tenancy('2016-01-01', '2021-03-10'), kind: 'STATE_FUND' }] }));
    expect(labels(evaluate(s))).toEqual(['R15.5:CHILD']);
  });

  test('R15.5: a tenancy ended before the window is not a ground', () => {
    expectEligible(evaluate(scenario({ applicant: applicantAnswers({ tenancies: [tenancy('2016-01-01', '2021-03-09')] }) })));
  });
});

// ---------------------------------------------------------------------------------------------
// R15.6 unreliable documents or data
// ---------------------------------------------------------------------------------------------

describe('R15.6 unreliable documents or data', () => {
  const power = (overrides: Partial<RegistryAnswers['representation'][number]> = {}) => ({
    kind: 'POWER_OF_ATTORNEY' as const,
    representativeIin: REPRESENTATIVE,
    principalIin: APPLICANT,
    from: '2026-01-15',
    to: '2027-01-15',
    documentNumber: 'НД-2026-00042',
    ...overrides,
  });
  const represented = (records: RegistryAnswers['representation'], where: 'applicant' | 'representative' = 'applicant') =>
    scenario({
      declaration: declaration({ representativeIin: REPRESENTATIVE }),
      applicant: applicantAnswers(where === 'applicant' ? { representation: records } : {}),
      representative: answers({ persons: person(REPRESENTATIVE), ...(where === 'representative' ? { representation: records } : {}) }),
    });

  test('R15.6 (R13): a representative with a power of attorney in force is confirmed', () => {
    expectEligible(evaluate(represented([power()])));
  });

  test('R15.6 (R13): the record may come from the representative\'s own registry answer', () => {
    expectEligible(evaluate(represented([power()], 'representative')));
  });

  test('R15.6 (R13): a power of attorney valid until the acceptance day is still in force that day', () => {
    expectEligible(evaluate(represented([power({ to: ACCEPTED })])));
  });

  test('R15.6 (R13): no representation record → authority not confirmed, subject REPRESENTATIVE', () => {
    const result = evaluate(represented([]));
    expect(labels(result)).toEqual(['R15.6/R13:REPRESENTATIVE']);
    expect(result.grounds[0]?.subjectIin).toBe(REPRESENTATIVE);
    expect(result.grounds[0]?.registry).toBe('representation');
  });

  test('R15.6 (R13): an expired power, or one for another principal, does not confirm authority', () => {
    expect(labels(evaluate(represented([power({ to: '2026-03-09' })])))).toEqual(['R15.6/R13:REPRESENTATIVE']);
    expect(labels(evaluate(represented([power({ principalIin: SPOUSE })])))).toEqual(['R15.6/R13:REPRESENTATIVE']);
  });

  test('R15.6 (A1.8.2): a technical report rejected by the operator', () => {
    const s = { ...emergencyScenario(), extra: { reportRejected: { reason: 'Қорытындыда сарапшының ЭЦҚ жоқ' } } };
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.6/A1.8.2:APPLICANT']);
    expect(result.grounds[0]?.reason.kk).toContain('Қорытындыда сарапшының ЭЦҚ жоқ');
  });

  test('R15.6 (A1.8.2): a technical report matching the recognition is fine', () => {
    const s = { ...emergencyScenario(), extra: { technicalReport: { reportNumber: 'TZ-2025/117', propertyId: 'E-1' } } };
    expectEligible(evaluate(s), 'R7.2');
  });

  test('R15.6 (A1.8.2): a report number or dwelling not matching the emergency recognition', () => {
    const wrongNumber = { ...emergencyScenario(), extra: { technicalReport: { reportNumber: 'TZ-2025/118', propertyId: 'E-1' } } };
    const r1 = evaluate(wrongNumber);
    expect(labels(r1)).toEqual(['R15.6/A1.8.2:APPLICANT']);
    expect(r1.grounds[0]?.facts).toMatchObject({ numberMatches: false, dwellingMatches: true });
    const wrongDwelling = { ...emergencyScenario(), extra: { technicalReport: { reportNumber: 'TZ-2025/117', propertyId: 'E-2' } } };
    expect(labels(evaluate(wrongDwelling))).toEqual(['R15.6/A1.8.2:APPLICANT']);
  });
});

// ---------------------------------------------------------------------------------------------
// R15.7, R15.9: ever
// ---------------------------------------------------------------------------------------------

describe('R15.7 privatisation and R15.9 state-programme mortgage (ever)', () => {
  test('R15.7: a privatisation 28 years ago', () => {
    const s = scenario({ applicant: applicantAnswers({ privatisations: [{ propertyId: 'P-7', kato: KARAGANDA, privatisedAt: '1998-02-02' }] }) });
    expect(labels(evaluate(s))).toEqual(['R15.7:APPLICANT']);
  });

  test('R15.7: a privatisation after the acceptance date is ignored', () => {
    const s = scenario({ applicant: applicantAnswers({ privatisations: [{ propertyId: 'P-7', kato: KARAGANDA, privatisedAt: '2026-04-01' }] }) });
    expectEligible(evaluate(s));
  });

  test('R15.9: the spouse bought a dwelling with a state-programme mortgage 15 years ago', () => {
    const s = withSpouse(
      scenario(),
      answers({ mortgages: [{ programme: '«Қолжетімді баспана»', propertyId: 'P-M', kato: TEMIRTAU, issuedAt: '2011-09-01' }] }),
    );
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.9:SPOUSE']);
    expect(result.grounds[0]?.registry).toBe('mortgages');
  });

  // Issue #10: R15.7 and R15.9 name facts, not registries — the real-estate register shows them too.
  const sold = { disposedAt: '2005-06-01', disposedHow: 'SALE' as const };
  test('R15.7: an ownership record acquired by privatisation counts, though the privatisations registry is silent', () => {
    const s = scenario({ applicant: withOwnership(applicantAnswers(), owned({ propertyId: 'P-8', acquiredAt: '1997-03-01', acquiredHow: 'PRIVATISATION', ...sold })) });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.7:APPLICANT']);
    expect(result.grounds[0]).toMatchObject({ registry: 'realEstate', facts: { privatisations: [], ownershipAcquiredByPrivatisation: [{ propertyId: 'P-8' }] } });
  });

  test('R15.7: a dwelling both registries show is one fact, one ground', () => {
    const s = scenario({
      applicant: withOwnership(
        applicantAnswers({ privatisations: [{ propertyId: 'P-8', kato: KARAGANDA, privatisedAt: '1997-03-01' }] }),
        owned({ propertyId: 'P-8', acquiredAt: '1997-03-01', acquiredHow: 'PRIVATISATION', ...sold }),
      ),
    });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.7:APPLICANT']);
    expect(result.grounds[0]?.facts).not.toHaveProperty('ownershipAcquiredByPrivatisation');
    expect(result.grounds[0]?.reason.en.match(/P-8/g)).toHaveLength(1);
  });

  test('R15.9: an ownership record bought with a state-programme mortgage counts, though the mortgages registry is silent', () => {
    const s = withSpouse(scenario(), withOwnership(answers(), owned({ propertyId: 'P-9', acquiredAt: '2012-04-01', acquiredHow: 'STATE_PROGRAMME_MORTGAGE', ...sold })));
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.9:SPOUSE']);
    expect(result.grounds[0]).toMatchObject({ registry: 'realEstate', facts: { mortgages: [], ownershipAcquiredWithStateMortgage: [{ propertyId: 'P-9' }] } });
  });

  test('R15.7, R15.9: an ordinary purchase in the real-estate register is neither; one acquired after acceptance is ignored', () => {
    expectEligible(evaluate(scenario({ applicant: withOwnership(applicantAnswers(), owned({ acquiredAt: '2001-01-01', ...sold })) })));
    const later = owned({ propertyId: 'P-10', acquiredAt: '2026-04-01', acquiredHow: 'STATE_PROGRAMME_MORTGAGE' });
    expect(labels(evaluate(scenario({ applicant: withOwnership(applicantAnswers(), later) })))).not.toContain('R15.9:APPLICANT');
  });
});

// ---------------------------------------------------------------------------------------------
// R7.2 path: R15.8 and A1.9.2 (R7.2)
// ---------------------------------------------------------------------------------------------

describe('R7.2 emergency path', () => {
  test('R15.8 and A1.9.3 (R7.2): the recognised emergency dwelling stands in another locality — both, as the Kazakh text names it in both (not A1.9.2)', () => {
    const result = evaluate(emergencyScenario(TEMIRTAU, KARAGANDA));
    expect(labels(result)).toEqual(['R15.8:APPLICANT', 'A1.9.3/R7.2:APPLICANT']);
    for (const g of result.grounds) expect(g.facts).toMatchObject({ applicationLocality: KARAGANDA, dwellingLocality: TEMIRTAU });
    expect(result.grounds[1]?.reason.ru).toContain('обратился вне населённого пункта');
  });

  test('R15.8: a dwelling in an Almaty district matches an application for Almaty', () => {
    const s = emergencyScenario(ALMATY_BOSTANDYK, ALMATY);
    // Residence in Almaty for years, so R6 is met.
    expectEligible(evaluate({ ...s, applicant: { ...s.applicant, residence: [{ kato: ALMATY_MEDEU, from: '2010-01-01' }] } }), 'R7.2');
  });

  test('R15.8 does not depend on the current residence: R7.1\'s locality rule is not applied on R7.2', () => {
    const s = emergencyScenario();
    expectEligible(evaluate({ ...s, applicant: { ...s.applicant, residence: [{ kato: TEMIRTAU, from: '2024-01-01' }] } }), 'R7.2');
  });

  test('A1.9.2 (R7.2): the declared dwelling has no emergency recognition', () => {
    const s = emergencyScenario();
    const result = evaluate({ ...s, applicant: { ...s.applicant, emergency: [] } });
    // Without a recognition the dwelling is not excepted from R15.2 either.
    expect(labels(result)).toEqual(['R15.2:APPLICANT', 'A1.9.2/R7.2:APPLICANT']);
  });

  test('A1.9.2 (R7.2): a recognition made after acceptance does not count', () => {
    const s = emergencyScenario();
    const late = s.applicant.emergency.map((r) => ({ ...r, recognisedAt: '2026-03-11' }));
    expect(labels(evaluate({ ...s, applicant: { ...s.applicant, emergency: late } }))).toContain('A1.9.2/R7.2:APPLICANT');
  });

  test('A1.9.2 (R7.2): a recognition held in the spouse\'s registry answer counts', () => {
    const s = emergencyScenario();
    const spouse = answers({ emergency: s.applicant.emergency });
    expectEligible(evaluate(withSpouse({ ...s, applicant: { ...s.applicant, emergency: [] } }, spouse)), 'R7.2');
  });
});

// ---------------------------------------------------------------------------------------------
// A1.9.2 requirements: R7, R11, R6, R7.1
// ---------------------------------------------------------------------------------------------

describe('A1.9.2 requirements of the Rules', () => {
  test('A1.9.2 (R7): not a citizen or kandas', () => {
    const s = scenario({ applicant: applicantAnswers({ persons: person(APPLICANT, { citizenship: 'FOREIGN' }) }) });
    expect(labels(evaluate(s))).toEqual(['A1.9.2/R7:APPLICANT']);
  });

  test('A1.9.2 (R7): a kandas is eligible; a foreign spouse does not bar the applicant', () => {
    const s = withSpouse(
      scenario({ applicant: applicantAnswers({ persons: person(APPLICANT, { citizenship: 'KANDAS' }) }) }),
      answers({ persons: person(SPOUSE, { citizenship: 'FOREIGN' }) }),
    );
    expectEligible(evaluate(s));
  });

  test('A1.9.2 (R7): unknown person (no GBD FL record) or a dead person', () => {
    expect(labels(evaluate(scenario({ applicant: applicantAnswers({ persons: null }) })))).toEqual([
      'A1.9.2/R7:APPLICANT',
    ]);
    const dead = scenario({ applicant: applicantAnswers({ persons: person(APPLICANT, { deathDate: '2026-01-01' }) }) });
    expect(labels(evaluate(dead))).toEqual(['A1.9.2/R7:APPLICANT']);
  });

  test('A1.9.2 (R11): a minor applying without a legal representative', () => {
    const s = scenario({ applicant: applicantAnswers({ persons: person(APPLICANT, { birthDate: '2008-03-11' }) }) });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['A1.9.2/R11:APPLICANT']);
    expect(result.grounds[0]?.facts).toMatchObject({ ageAtAcceptance: 17 });
  });

  test('A1.9.2 (R11): a minor through a guardian with authority in force is eligible', () => {
    const s = scenario({
      declaration: declaration({ representativeIin: REPRESENTATIVE }),
      applicant: applicantAnswers({
        persons: person(APPLICANT, { birthDate: '2010-05-05' }),
        representation: [
          { kind: 'GUARDIANSHIP', representativeIin: REPRESENTATIVE, principalIin: APPLICANT, from: '2019-01-01', documentNumber: 'ОПК-19/7' },
        ],
      }),
    });
    expectEligible(evaluate(s));
  });

  test('R15.6, not A1.9.2 (R11): a minor whose declared guardian\'s authority is not confirmed', () => {
    const s = scenario({
      declaration: declaration({ representativeIin: REPRESENTATIVE }),
      applicant: applicantAnswers({ persons: person(APPLICANT, { birthDate: '2010-05-05' }) }),
    });
    expect(labels(evaluate(s))).toEqual(['R15.6/R13:REPRESENTATIVE']);
  });

  test('A1.9.2 (R11): turning 18 on the acceptance day is adult', () => {
    expectEligible(evaluate(scenario({ applicant: applicantAnswers({ persons: person(APPLICANT, { birthDate: '2008-03-10' }) }) })));
  });

  describe('R6 three years\' residence in Astana, Almaty, Shymkent', () => {
    const almaty = (residence: RegistryAnswers['residence'], overrides: Partial<RegistryAnswers> = {}) =>
      scenario({
        declaration: declaration({ kato: ALMATY }),
        applicant: applicantAnswers({ residence, ...overrides }),
      });

    test('A1.9.2 (R6): registered in Almaty for only two years', () => {
      const result = evaluate(almaty([{ kato: ALMATY, from: '2024-03-10' }]));
      expect(labels(result)).toEqual(['A1.9.2/R6:APPLICANT']);
      expect(result.grounds[0]?.facts).toMatchObject({ locality: ALMATY, firstUncoveredDay: '2023-03-10' });
      expect(result.grounds[0]?.reason.ru).toContain('Алматы');
    });

    test('R6: district codes count as the city, and back-to-back periods are continuous', () => {
      const result = evaluate(
        almaty([
          { kato: ALMATY_BOSTANDYK, from: '2023-03-10', to: '2024-12-31' },
          { kato: ALMATY_MEDEU, from: '2025-01-01' },
        ]),
      );
      expectEligible(result);
    });

    test('R6 window edge: registration from 3 years + 1 day before acceptance is short by a day', () => {
      expect(labels(evaluate(almaty([{ kato: ALMATY_MEDEU, from: '2023-03-11' }])))).toEqual(['A1.9.2/R6:APPLICANT']);
    });

    test('A1.9.2 (R6): a one-day gap between registrations breaks continuity', () => {
      const result = evaluate(
        almaty([
          { kato: ALMATY_BOSTANDYK, from: '2020-01-01', to: '2024-06-01' },
          { kato: ALMATY_MEDEU, from: '2024-06-03' },
        ]),
      );
      expect(labels(result)).toEqual(['A1.9.2/R6:APPLICANT']);
      expect(result.grounds[0]?.facts).toMatchObject({ firstUncoveredDay: '2024-06-02' });
    });

    test('A1.9.2 (R6): years in another city do not count (Astana is not Almaty)', () => {
      const result = evaluate(
        almaty([
          { kato: ASTANA_ESIL, from: '2018-01-01', to: '2024-12-31' },
          { kato: ALMATY_MEDEU, from: '2025-01-01' },
        ]),
      );
      expect(labels(result)).toEqual(['A1.9.2/R6:APPLICANT']);
    });

    test('R6 exception: an orphan under 29 at acceptance', () => {
      const s = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '1998-03-11' }), // 27
        orphanStatus: { orphan: true, withoutParentalCare: false },
      });
      expectEligible(evaluate(s));
    });

    test('R6 exception is for parents lost before 18: an orphan status established at 21 does not count', () => {
      const s = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2002-04-18' }),
        orphanStatus: { orphan: true, withoutParentalCare: false, since: '2023-06-01' },
      });
      expect(labels(evaluate(s))).toEqual(['A1.9.2/R6:APPLICANT']);
      const asChild = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2002-04-18' }),
        orphanStatus: { orphan: true, withoutParentalCare: false, since: '2015-06-01' },
      });
      expectEligible(evaluate(asChild));
    });

    test('R6 exception ends at 29: an orphan who turned 29 on or before acceptance', () => {
      const s = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '1997-03-10' }), // 29 on the acceptance day
        orphanStatus: { orphan: true, withoutParentalCare: false },
      });
      expect(labels(evaluate(s))).toEqual(['A1.9.2/R6:APPLICANT']);
      expectEligible(evaluate(s, { ...INTERPRETATIONS, orphanAgeLimitYears: 30 }));
    });

    test('R6 exception: a child left without parental care (through a guardian)', () => {
      const s = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2012-01-01' }),
        orphanStatus: { orphan: false, withoutParentalCare: true },
        representation: [
          { kind: 'GUARDIANSHIP', representativeIin: REPRESENTATIVE, principalIin: APPLICANT, from: '2020-01-01', documentNumber: 'ОПК-20/1' },
        ],
      });
      expectEligible(evaluate({ ...s, declaration: declaration({ kato: ALMATY, representativeIin: REPRESENTATIVE }) }));
    });

    // Issue #10: the Kazakh text qualifies "children left without parental care" by no age of its
    // own; the interpretation `parentalCareExceptionAgeLimitYears` reads "children" as under 18.
    test('R6 exception for children without parental care ends at 18 (interpretation): at 19 the residence rule applies', () => {
      const s = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2007-01-01' }), // 19 at acceptance
        orphanStatus: { orphan: false, withoutParentalCare: true, since: '2015-01-01' },
      });
      expect(labels(evaluate(s))).toEqual(['A1.9.2/R6:APPLICANT']);
      // A lawyer who reads the 29 as qualifying both groups sets it there: then the exception holds.
      expectEligible(evaluate(s, { ...INTERPRETATIONS, parentalCareExceptionAgeLimitYears: 29 }));
    });

    test('R6 exception for children without parental care: 17 at acceptance (through a guardian) is exempt; the day they turn 18 it ends', () => {
      const guardian = {
        representation: [
          { kind: 'GUARDIANSHIP' as const, representativeIin: REPRESENTATIVE, principalIin: APPLICANT, from: '2020-01-01', documentNumber: 'ОПК-20/1' },
        ],
      };
      const at17 = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2008-03-11' }), // 18 the day after acceptance
        orphanStatus: { orphan: false, withoutParentalCare: true },
        ...guardian,
      });
      expectEligible(evaluate({ ...at17, declaration: declaration({ kato: ALMATY, representativeIin: REPRESENTATIVE }) }));
      const at18 = almaty([{ kato: ALMATY_MEDEU, from: '2025-09-01' }], {
        persons: person(APPLICANT, { birthDate: '2008-03-10' }), // 18 on the acceptance day
        orphanStatus: { orphan: false, withoutParentalCare: true },
      });
      expect(labels(evaluate(at18))).toEqual(['A1.9.2/R6:APPLICANT']);
    });

    test('R6 does not apply outside the three cities', () => {
      expectEligible(evaluate(scenario({ applicant: applicantAnswers({ residence: [{ kato: KARAGANDA, from: '2026-01-01' }] }) })));
    });
  });

  test('A1.9.2 (R7.1): the current registered residence is in another locality', () => {
    const s = scenario({ applicant: applicantAnswers({ residence: [{ kato: TEMIRTAU, from: '2020-01-01' }] }) });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['A1.9.2/R7.1:APPLICANT']);
    expect(result.grounds[0]?.facts).toMatchObject({ applicationLocality: KARAGANDA, residenceLocalities: [TEMIRTAU] });
  });

  test('A1.9.2 (R7.1): a residence that ended before acceptance is not current; the GBD FL address is the fallback', () => {
    const ended = [{ kato: KARAGANDA, from: '2015-01-01', to: '2025-12-31' }];
    expectEligible(evaluate(scenario({ applicant: applicantAnswers({ residence: ended }) })));
    const movedAway = applicantAnswers({ residence: ended, persons: person(APPLICANT, { address: { kato: TEMIRTAU, text: 'Теміртау' } }) });
    const result = evaluate(scenario({ applicant: movedAway }));
    expect(labels(result)).toEqual(['A1.9.2/R7.1:APPLICANT']);
    expect(result.grounds[0]?.registry).toBe('persons');
  });

  test('A1.9.2 (R7.1): a district of Astana is the locality Astana', () => {
    const s = scenario({
      declaration: declaration({ kato: '710000000' }),
      applicant: applicantAnswers({ residence: [{ kato: ASTANA_ESIL, from: '2015-01-01' }] }),
    });
    expectEligible(evaluate(s));
  });
});

// ---------------------------------------------------------------------------------------------
// A1.9.3 deliberate worsening
// ---------------------------------------------------------------------------------------------

describe('A1.9.3 deliberate worsening within 5 years', () => {
  const disposed = (overrides: Partial<OwnershipRecord>) => owned({ disposedAt: '2023-05-05', ...overrides });
  const worsening = (result: EligibilityResult) => result.grounds.filter((g) => g.id === 'A1.9.3');
  const kindOf = (g: Ground | undefined) => (g?.facts as { kind?: string } | undefined)?.kind;

  test('A1.9.3: sale of a habitable owned dwelling (also R15.2: owned within the window)', () => {
    const result = evaluate(scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'SALE' })) }));
    expect(labels(result)).toEqual(['R15.2:APPLICANT', 'A1.9.3:APPLICANT']);
    expect(kindOf(worsening(result)[0])).toBe('ALIENATION');
  });

  test('A1.9.3: gift of a habitable dwelling by the spouse', () => {
    const s = withSpouse(scenario(), withOwnership(answers(), disposed({ disposedHow: 'GIFT', share: 0.5 })));
    expect(labels(evaluate(s))).toEqual(['R15.2:SPOUSE', 'A1.9.3:SPOUSE']);
  });

  test('A1.9.3: sale of an uninhabitable dwelling, or purchase by an akimat, is not worsening', () => {
    const s1 = scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'SALE', habitable: false })) });
    expect(worsening(evaluate(s1))).toEqual([]);
    const s2 = scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'AKIMAT_PURCHASE' })) });
    expect(worsening(evaluate(s2))).toEqual([]);
  });

  test('A1.9.3: exchange of a dwelling, by disposal or by acquisition', () => {
    const r1 = evaluate(scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'EXCHANGE' })) }));
    expect(kindOf(worsening(r1)[0])).toBe('EXCHANGE');
    const r2 = evaluate(scenario({ applicant: withOwnership(applicantAnswers(), owned({ acquiredHow: 'EXCHANGE', acquiredAt: '2022-02-02' })) }));
    expect(kindOf(worsening(r2)[0])).toBe('EXCHANGE');
  });

  test('A1.9.3: destruction through the owner\'s fault; a natural disaster is not', () => {
    const r1 = evaluate(scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'DESTROYED_OWN_FAULT' })) }));
    expect(kindOf(worsening(r1)[0])).toBe('DESTRUCTION');
    const r2 = evaluate(scenario({ applicant: withOwnership(applicantAnswers(), disposed({ disposedHow: 'DESTROYED' })) }));
    expect(worsening(r2)).toEqual([]);
  });

  test('A1.9.3: a sale more than 5 years before acceptance is outside the window', () => {
    const s = scenario({ applicant: withOwnership(applicantAnswers(), owned({ disposedAt: '2021-03-09', disposedHow: 'SALE' })) });
    expectEligible(evaluate(s));
  });

  test('A1.9.3: moving others in — OTHER, a non-disabled parent, an adult non-disabled child', () => {
    const moveIns = [
      moveIn({ relation: 'OTHER' }),
      moveIn({ relation: 'PARENT', occupantDisabled: false }),
      moveIn({ relation: 'CHILD', occupantMinor: false, occupantDisabled: false }),
    ];
    const result = evaluate(scenario({ applicant: applicantAnswers({ realEstate: { ownership: [], moveIns } }) }));
    expect(labels(result)).toEqual(['A1.9.3:APPLICANT']);
    expect(result.grounds[0]?.facts).toMatchObject({ kind: 'MOVE_IN', moveIns });
  });

  test('A1.9.3 exception: a spouse, minor or disabled children and disabled parents may move in', () => {
    const moveIns = [
      moveIn({ relation: 'SPOUSE' }),
      moveIn({ relation: 'CHILD', occupantMinor: true }),
      moveIn({ relation: 'CHILD', occupantDisabled: true }),
      moveIn({ relation: 'PARENT', occupantDisabled: true }),
      moveIn({ relation: 'OTHER', at: '2020-01-01' }), // before the window
    ];
    expectEligible(evaluate(scenario({ applicant: applicantAnswers({ realEstate: { ownership: [], moveIns } }) })));
  });
});

// ---------------------------------------------------------------------------------------------
// A1.9.4 consents
// ---------------------------------------------------------------------------------------------

describe('A1.9.4 consent to restricted personal data', () => {
  test('A1.9.4 (A2.C1): consent C1 missing', () => {
    const s = scenario({ declaration: declaration({ consents: [{ code: 'C2', givenAt: ACCEPTED_AT }] }) });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['A1.9.4/A2.C1:APPLICANT']);
    expect(result.grounds[0]?.facts).toEqual({ missingConsent: 'C1', consentsGiven: ['C2'] });
  });

  test('A1.9.4: both C1 and C2 missing give two grounds; C3/C4 are not required', () => {
    const s = scenario({ declaration: declaration({ consents: [{ code: 'C4', givenAt: ACCEPTED_AT }] }) });
    expect(labels(evaluate(s))).toEqual(['A1.9.4/A2.C1:APPLICANT', 'A1.9.4/A2.C2:APPLICANT']);
  });
});

// ---------------------------------------------------------------------------------------------
// Categories R8–R10
// ---------------------------------------------------------------------------------------------

describe('categories R8–R10', () => {
  const confirmation = (code: string) => ({ code, confirmedAt: '2024-01-01', source: 'ЕСБД' });

  test('R8: a declared category on file is confirmed', () => {
    const s = scenario({
      declaration: declaration({ categories: ['DISABILITY_1_2'] }),
      applicant: applicantAnswers({ categories: [confirmation('DISABILITY_1_2')] }),
    });
    expect(evaluate(s).categories).toEqual({ confirmed: ['DISABILITY_1_2'], unconfirmed: [] });
  });

  test('R10: an unconfirmed category is not a refusal ground — still registered under R7.1', () => {
    const s = scenario({ declaration: declaration({ categories: ['LARGE_FAMILY', 'LARGE_FAMILY'] }) });
    const result = evaluate(s);
    expectEligible(result);
    expect(result.categories).toEqual({ confirmed: [], unconfirmed: ['LARGE_FAMILY'] });
  });

  test('R8/R11: ORPHAN is confirmed by the orphan/parental-care status registry as well', () => {
    const s = scenario({
      declaration: declaration({ categories: ['ORPHAN', 'VETERAN'] }),
      applicant: applicantAnswers({ orphanStatus: { orphan: false, withoutParentalCare: true } }),
    });
    expect(evaluate(s).categories).toEqual({ confirmed: ['ORPHAN'], unconfirmed: ['VETERAN'] });
  });

  test('R8: categories are reported alongside refusal grounds too', () => {
    const s = scenario({
      declaration: declaration({ categories: ['DISABILITY_1_2'] }),
      applicant: applicantAnswers({ categories: [confirmation('DISABILITY_1_2')], privatisations: [{ propertyId: 'P', kato: KARAGANDA, privatisedAt: '2000-01-01' }] }),
    });
    const result = evaluate(s);
    expect(labels(result)).toEqual(['R15.7:APPLICANT']);
    expect(result.categories.confirmed).toEqual(['DISABILITY_1_2']);
  });
});

// ---------------------------------------------------------------------------------------------
// Every ground, deterministic order (SPEC §5)
// ---------------------------------------------------------------------------------------------

describe('SPEC §5: every ground found, in rule order then subject', () => {
  function everything(): Scenario {
    let s = scenario({
      declaration: declaration({
        kato: ALMATY,
        fund: 'STATE_ENTERPRISE',
        representativeIin: REPRESENTATIVE,
        consents: [{ code: 'C1', givenAt: ACCEPTED_AT }],
      }),
      applicant: withOwnership(
        applicantAnswers({
          persons: person(APPLICANT, { citizenship: 'STATELESS' }),
          residence: [{ kato: TEMIRTAU, from: '2015-01-01' }],
          unifiedQueue: [{ kato: TEMIRTAU, registeredAt: '2018-01-01T09:00:00+06:00', categories: [], sourceAkimat: 'Теміртау', active: true }],
          privatisations: [{ propertyId: 'P-7', kato: TEMIRTAU, privatisedAt: '1997-01-01' }],
        }),
        owned({ kato: TEMIRTAU, disposedAt: '2024-01-01', disposedHow: 'SALE' }),
      ),
    });
    s = withChild(withSpouse(s, answers({ unifiedQueue: s.applicant.unifiedQueue, mortgages: [{ programme: 'Нұрлы жер', propertyId: 'P-M', kato: KARAGANDA, issuedAt: '2016-01-01' }] })),
      answers({ tenancies: [{ kind: 'STATE_FUND', kato: TEMIRTAU, address: 'Теміртау', from: '2020-01-01' }] }));
    return s;
  }

  test('R15.1, R15.2, R15.4, R15.5, R15.6, R15.7, R15.9, A1.9.2 (R7, R6, R7.1), A1.9.3, A1.9.4 all returned', () => {
    expect(labels(evaluate(everything()))).toEqual([
      'R15.1:APPLICANT',
      'R15.1:SPOUSE',
      'R15.2:APPLICANT',
      'R15.4:APPLICANT',
      'R15.5:CHILD',
      'R15.6/R13:REPRESENTATIVE',
      'R15.7:APPLICANT',
      'R15.9:SPOUSE',
      'A1.9.2/R7:APPLICANT',
      'A1.9.2/R6:APPLICANT',
      'A1.9.2/R7.1:APPLICANT',
      'A1.9.3:APPLICANT',
      'A1.9.4/A2.C2:APPLICANT',
    ]);
  });

  test('the result is deterministic and does not depend on family order in the facts', () => {
    const s = everything();
    const reversed: Scenario = { ...s, family: Object.fromEntries(Object.entries(s.family).reverse()) };
    expect(evaluate(reversed)).toEqual(evaluate(s));
  });

  test('every ground carries kk/ru/en reasons and its registry', () => {
    for (const g of evaluate(everything()).grounds) {
      expect(g.reason.kk.length).toBeGreaterThan(10);
      expect(g.reason.ru.length).toBeGreaterThan(10);
      expect(g.reason.en.length).toBeGreaterThan(10);
      expect(g.registry).not.toBe('');
    }
  });
});
