/**
 * The gateway sandbox's fixture file: what each state registry answers for each IIN.
 * Format documented in sandbox/fixture-format.md. The schemas mirror domain/registry-facts.ts
 * exactly (checked at compile time below), so a fixture that loads is an answer the eligibility
 * engine can read.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  emptyAnswers,
  REGISTRIES,
  type RegistryAnswers,
  type RegistryName,
} from '../domain/registry-facts';

// ---------------------------------------------------------------------------------------------
// Scalars

function isCalendarDate(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');
const isoInstant = z.iso.datetime({ offset: true });
/** Format only: a fixture may hold a checksum-invalid IIN on purpose (e.g. NCA test certificates). */
export const iinSchema = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const kato = z.string().regex(/^\d{9}$/, 'a KATO code is 9 digits');
const phone = z.string().regex(/^\+7\d{10}$/, 'a phone is +7 followed by 10 digits');
const text = z.string().min(1);

// ---------------------------------------------------------------------------------------------
// One schema per registry answer

const personRecord = z.strictObject({
  iin: iinSchema,
  surname: text,
  givenName: text,
  patronymic: text.optional(),
  birthDate: isoDate,
  sex: z.enum(['M', 'F']),
  citizenship: z.enum(['CITIZEN', 'KANDAS', 'FOREIGN', 'STATELESS']),
  deathDate: isoDate.optional(),
  identityDocument: z.strictObject({ number: text, issuedAt: isoDate, issuer: text.optional() }),
  address: z.strictObject({ kato, text }),
});

const residencePeriod = z.strictObject({ kato, from: isoDate, to: isoDate.optional() });

const civilRecord = z.strictObject({
  marriages: z.array(z.strictObject({ spouseIin: iinSchema, from: isoDate, to: isoDate.optional() })),
  children: z.array(z.strictObject({ iin: iinSchema, birthDate: isoDate })),
});

const orphanStatusRecord = z.strictObject({
  orphan: z.boolean(),
  withoutParentalCare: z.boolean(),
  since: isoDate.optional(),
});

const representationRecord = z.strictObject({
  kind: z.enum(['GUARDIANSHIP', 'TRUSTEESHIP', 'POWER_OF_ATTORNEY']),
  representativeIin: iinSchema,
  principalIin: iinSchema,
  from: isoDate,
  to: isoDate.optional(),
  documentNumber: text,
});

const ownershipRecord = z.strictObject({
  propertyId: text,
  kato,
  address: text,
  share: z.number().gt(0).lte(1),
  habitable: z.boolean(),
  areaM2: z.number().positive().optional(),
  acquiredAt: isoDate,
  acquiredHow: z.enum([
    'PURCHASE',
    'GIFT',
    'INHERITANCE',
    'PRIVATISATION',
    'STATE_PROGRAMME_MORTGAGE',
    'EXCHANGE',
    'CONSTRUCTION',
  ]),
  disposedAt: isoDate.optional(),
  disposedHow: z
    .enum(['SALE', 'GIFT', 'EXCHANGE', 'AKIMAT_PURCHASE', 'DESTROYED_OWN_FAULT', 'DESTROYED', 'INHERITED_BY_OTHERS'])
    .optional(),
});

const occupantMoveIn = z.strictObject({
  propertyId: text,
  occupantIin: iinSchema,
  relation: z.enum(['SPOUSE', 'CHILD', 'PARENT', 'OTHER']),
  occupantMinor: z.boolean(),
  occupantDisabled: z.boolean(),
  at: isoDate,
});

const emergencyRecognition = z.strictObject({
  propertyId: text,
  kato,
  recognisedAt: isoDate,
  reportNumber: text,
  expertOrganisation: text,
});

const tenancyRecord = z.strictObject({
  kind: z.enum(['STATE_FUND', 'AKIMAT_RENTED']),
  kato,
  address: text,
  from: isoDate,
  to: isoDate.optional(),
});

const privatisationRecord = z.strictObject({ propertyId: text, kato, privatisedAt: isoDate });

const mortgageRecord = z.strictObject({ programme: text, propertyId: text, kato, issuedAt: isoDate });

const unifiedQueueRecord = z.strictObject({
  kato,
  registeredAt: isoInstant,
  categories: z.array(text),
  sourceAkimat: text,
  active: z.boolean(),
});

const categoryConfirmation = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'a category code is UPPER_SNAKE_CASE'),
  confirmedAt: isoDate,
  source: text,
});

/** The answer schema of each registry, keyed like `RegistryAnswers`. */
export const registryAnswerSchemas = {
  persons: personRecord.nullable(),
  residence: z.array(residencePeriod),
  civil: civilRecord,
  orphanStatus: orphanStatusRecord.nullable(),
  representation: z.array(representationRecord),
  realEstate: z.strictObject({ ownership: z.array(ownershipRecord), moveIns: z.array(occupantMoveIn) }),
  emergency: z.array(emergencyRecognition),
  tenancies: z.array(tenancyRecord),
  privatisations: z.array(privatisationRecord),
  mortgages: z.array(mortgageRecord),
  unifiedQueue: z.array(unifiedQueueRecord),
  categories: z.array(categoryConfirmation),
  mobile: z.strictObject({ phone }).nullable(),
} satisfies Record<RegistryName, z.ZodType>;

// Compile-time proof that the schemas produce exactly the domain's registry types: if either side
// changes, this stops compiling instead of the sandbox silently serving a different shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaAnswers = { [R in RegistryName]: z.output<(typeof registryAnswerSchemas)[R]> };
const schemasMatchDomain: Same<SchemaAnswers, RegistryAnswers> = true;
void schemasMatchDomain;

// ---------------------------------------------------------------------------------------------
// The fixture file

function ordered(from: string, to: string | undefined): boolean {
  return to === undefined || from <= to;
}

const personEntryShape = {
  iin: iinSchema,
  /** Free text for humans (what the person demonstrates); never served. */
  note: z.string().optional(),
  persons: registryAnswerSchemas.persons.optional(),
  residence: registryAnswerSchemas.residence.optional(),
  civil: registryAnswerSchemas.civil.optional(),
  orphanStatus: registryAnswerSchemas.orphanStatus.optional(),
  representation: registryAnswerSchemas.representation.optional(),
  realEstate: registryAnswerSchemas.realEstate.optional(),
  emergency: registryAnswerSchemas.emergency.optional(),
  tenancies: registryAnswerSchemas.tenancies.optional(),
  privatisations: registryAnswerSchemas.privatisations.optional(),
  mortgages: registryAnswerSchemas.mortgages.optional(),
  unifiedQueue: registryAnswerSchemas.unifiedQueue.optional(),
  categories: registryAnswerSchemas.categories.optional(),
  mobile: registryAnswerSchemas.mobile.optional(),
};

export const fixturePersonSchema = z.strictObject(personEntryShape).superRefine((p, ctx) => {
  // Cross-field checks catch hand-editing slips that would otherwise surface as odd eligibility
  // results far away from the fixture.
  if (p.persons && p.persons.iin !== p.iin) {
    ctx.addIssue({ code: 'custom', path: ['persons', 'iin'], message: `differs from the entry's iin ${p.iin}` });
  }
  p.residence?.forEach((r, i) => {
    if (!ordered(r.from, r.to)) ctx.addIssue({ code: 'custom', path: ['residence', i, 'to'], message: 'before from' });
  });
  p.civil?.marriages.forEach((m, i) => {
    if (!ordered(m.from, m.to)) ctx.addIssue({ code: 'custom', path: ['civil', 'marriages', i, 'to'], message: 'before from' });
    if (m.spouseIin === p.iin) ctx.addIssue({ code: 'custom', path: ['civil', 'marriages', i, 'spouseIin'], message: 'a person cannot marry themselves' });
  });
  p.representation?.forEach((r, i) => {
    if (r.principalIin !== p.iin && r.representativeIin !== p.iin) {
      ctx.addIssue({
        code: 'custom',
        path: ['representation', i],
        message: 'the entry must be the principal or the representative of the record',
      });
    }
    if (!ordered(r.from, r.to)) ctx.addIssue({ code: 'custom', path: ['representation', i, 'to'], message: 'before from' });
  });
  p.realEstate?.ownership.forEach((o, i) => {
    if (!ordered(o.acquiredAt, o.disposedAt)) {
      ctx.addIssue({ code: 'custom', path: ['realEstate', 'ownership', i, 'disposedAt'], message: 'before acquiredAt' });
    }
    if (o.disposedHow !== undefined && o.disposedAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['realEstate', 'ownership', i, 'disposedHow'], message: 'disposedHow needs disposedAt' });
    }
  });
  p.tenancies?.forEach((t, i) => {
    if (!ordered(t.from, t.to)) ctx.addIssue({ code: 'custom', path: ['tenancies', i, 'to'], message: 'before from' });
  });
});

export const fixtureSchema = z
  .strictObject({
    version: z.string().min(1),
    description: z.string(),
    /** The "today" the fixture's dates were written against (documentation only). */
    asOf: isoDate.optional(),
    persons: z.array(fixturePersonSchema),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.persons.forEach((p, i) => {
      if (seen.has(p.iin)) ctx.addIssue({ code: 'custom', path: ['persons', i, 'iin'], message: `duplicate IIN ${p.iin}` });
      seen.add(p.iin);
    });
  });

/** One person's entry: any subset of the registry answers; a missing registry answers "empty". */
export type FixturePerson = { iin: string; note?: string } & Partial<RegistryAnswers>;
export interface Fixture {
  version: string;
  description: string;
  asOf?: string;
  persons: FixturePerson[];
}

const fixtureTypeMatches: Same<z.output<typeof fixtureSchema>, Fixture> = true;
void fixtureTypeMatches;

/** A fixture that failed validation; `issues` are readable `path: message` lines. */
export class FixtureError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(issues.length > 0 ? `${message}:\n  ${issues.join('\n  ')}` : message);
    this.name = 'FixtureError';
  }
}

const MAX_REPORTED_ISSUES = 50;

export function formatIssues(error: z.ZodError): string[] {
  const lines = error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  if (error.issues.length > MAX_REPORTED_ISSUES) lines.push(`… and ${error.issues.length - MAX_REPORTED_ISSUES} more`);
  return lines;
}

/** Validates a parsed JSON value as a fixture; throws FixtureError listing what is wrong. */
export function parseFixture(json: unknown): Fixture {
  const result = fixtureSchema.safeParse(json);
  if (!result.success) throw new FixtureError('invalid fixture', formatIssues(result.error));
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Loading and lookup

/** A validated fixture indexed by IIN: what the server answers from. */
export class FixtureIndex {
  readonly version: string;
  readonly description: string;
  readonly asOf: string | undefined;
  private readonly byIin: Map<string, FixturePerson>;

  /** Use indexFixture(); the constructor trusts its input to be validated. */
  constructor(fixture: Fixture) {
    this.version = fixture.version;
    this.description = fixture.description;
    this.asOf = fixture.asOf;
    this.byIin = new Map(fixture.persons.map((p) => [p.iin, p]));
  }

  get size(): number {
    return this.byIin.size;
  }

  has(iin: string): boolean {
    return this.byIin.has(iin);
  }

  iins(): IterableIterator<string> {
    return this.byIin.keys();
  }

  /** One registry's answer for an IIN; the empty answer when the registry has no records of it. */
  answer<R extends RegistryName>(registry: R, iin: string): RegistryAnswers[R] {
    const entry = this.byIin.get(iin);
    const value = entry?.[registry];
    return value === undefined ? emptyAnswers()[registry] : (value as RegistryAnswers[R]);
  }

  /** Every registry's answer for an IIN. */
  answers(iin: string): RegistryAnswers {
    const all = emptyAnswers();
    const entry = this.byIin.get(iin);
    if (!entry) return all;
    for (const registry of REGISTRIES) {
      const value = entry[registry];
      if (value !== undefined) Object.assign(all, { [registry]: value });
    }
    return all;
  }
}

/** Validates (unless already a FixtureIndex) and indexes by IIN. */
export function indexFixture(fixture: FixtureIndex | Fixture | unknown): FixtureIndex {
  if (fixture instanceof FixtureIndex) return fixture;
  return new FixtureIndex(parseFixture(fixture));
}

/** Reads, validates and indexes a fixture file. */
export async function loadFixtureFile(path: string): Promise<FixtureIndex> {
  const raw = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new FixtureError(`${path} is not JSON: ${(err as Error).message}`, []);
  }
  try {
    return new FixtureIndex(parseFixture(json));
  } catch (err) {
    if (err instanceof FixtureError) throw new FixtureError(`invalid fixture ${path}`, err.issues);
    throw err;
  }
}
