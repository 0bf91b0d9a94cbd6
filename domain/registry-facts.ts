/**
 * The facts that the state registries behind the e-government gateway hold about one person
 * (SPEC §10). The gateway sandbox serves exactly these shapes, one registry per endpoint, and the
 * eligibility engine reads nothing else. Dates are ISO 8601: `YYYY-MM-DD` for calendar dates,
 * full instants with offset where the time of day matters.
 *
 * Every registry answer is a plain JSON value so it can travel through Temporal payloads and be
 * recorded in a case's facts as "the registry answer behind" a refusal ground (SPEC §5).
 */

/** ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** ISO 8601 instant with an explicit offset, e.g. `2026-03-06T10:00:00+05:00`. */
export type IsoInstant = string;

/** The registries of SPEC §10, named as the sandbox's endpoints are. */
export const REGISTRIES = [
  'persons', // GBD FL: identity, citizenship, death, document, address
  'residence', // residence registration history
  'civil', // civil registry: marriages and births
  'orphanStatus', // orphan and parental-care status
  'representation', // guardianship, trusteeship, powers of attorney
  'realEstate', // ownership history
  'emergency', // emergency recognitions of dwellings with the expert's report
  'tenancies', // state-fund and akimat-rented tenancies
  'privatisations',
  'mortgages', // state-programme mortgages
  'unifiedQueue', // the akimats' unified republican database
  'categories', // confirmed Art. 74 categories
  'mobile', // the mobile citizens database (IIN -> phone)
] as const;
export type RegistryName = (typeof REGISTRIES)[number];

export type CitizenshipStatus = 'CITIZEN' | 'KANDAS' | 'FOREIGN' | 'STATELESS';

export interface PersonRecord {
  iin: string;
  surname: string;
  givenName: string;
  patronymic?: string;
  birthDate: IsoDate;
  sex: 'M' | 'F';
  citizenship: CitizenshipStatus;
  deathDate?: IsoDate;
  identityDocument: { number: string; issuedAt: IsoDate; issuer?: string };
  /** Registered address; `kato` is the settlement's (or city district's) 9-digit code. */
  address: { kato: string; text: string };
}

/** One registration at a residence (propiska). `to` absent = current. */
export interface ResidencePeriod {
  kato: string;
  from: IsoDate;
  to?: IsoDate;
}

export interface Marriage {
  spouseIin: string;
  from: IsoDate;
  /** Divorce or the spouse's death. Absent = current marriage. */
  to?: IsoDate;
}

export interface ChildRecord {
  iin: string;
  birthDate: IsoDate;
}

export interface CivilRecord {
  marriages: Marriage[];
  children: ChildRecord[];
}

export interface OrphanStatusRecord {
  /** Both parents dead (or deprived of rights) before the person turned 18. */
  orphan: boolean;
  /** Left without parental care (Housing Law art. 71 para 3, R6, R11). */
  withoutParentalCare: boolean;
  /** The date the status was established. */
  since?: IsoDate;
}

export type RepresentationKind = 'GUARDIANSHIP' | 'TRUSTEESHIP' | 'POWER_OF_ATTORNEY';

export interface RepresentationRecord {
  kind: RepresentationKind;
  representativeIin: string;
  principalIin: string;
  from: IsoDate;
  to?: IsoDate;
  /** Document number of the court decision, guardianship-authority act or notarised power. */
  documentNumber: string;
}

export type AcquisitionKind =
  | 'PURCHASE'
  | 'GIFT'
  | 'INHERITANCE'
  | 'PRIVATISATION'
  | 'STATE_PROGRAMME_MORTGAGE'
  | 'EXCHANGE'
  | 'CONSTRUCTION';

export type DisposalKind =
  | 'SALE'
  | 'GIFT'
  | 'EXCHANGE'
  /** Bought out by an akimat (e.g. demolition programme): not a deliberate worsening (A1.9.3). */
  | 'AKIMAT_PURCHASE'
  /** Destroyed through the owner's fault (A1.9.3). */
  | 'DESTROYED_OWN_FAULT'
  /** Destroyed by a natural disaster or other cause not attributable to the owner. */
  | 'DESTROYED'
  | 'INHERITED_BY_OTHERS';

export interface OwnershipRecord {
  propertyId: string;
  kato: string;
  address: string;
  /** Share of ownership, 0 < share <= 1; any share counts as ownership (R15.2). */
  share: number;
  /** Whether the dwelling was fit to live in when disposed of (A1.9.3: sale of a habitable dwelling). */
  habitable: boolean;
  areaM2?: number;
  acquiredAt: IsoDate;
  acquiredHow: AcquisitionKind;
  disposedAt?: IsoDate;
  disposedHow?: DisposalKind;
}

export interface EmergencyRecognitionRecord {
  propertyId: string;
  kato: string;
  recognisedAt: IsoDate;
  /** The certified expert's technical report that the recognition rests on (A1.8.2). */
  reportNumber: string;
  expertOrganisation: string;
}

export type TenancyKind = 'STATE_FUND' | 'AKIMAT_RENTED';

export interface TenancyRecord {
  kind: TenancyKind;
  kato: string;
  address: string;
  from: IsoDate;
  to?: IsoDate;
}

export interface PrivatisationRecord {
  propertyId: string;
  kato: string;
  privatisedAt: IsoDate;
}

export interface MortgageRecord {
  programme: string;
  propertyId: string;
  kato: string;
  issuedAt: IsoDate;
}

export interface UnifiedQueueRecord {
  kato: string;
  registeredAt: IsoInstant;
  categories: string[];
  sourceAkimat: string;
  active: boolean;
}

export interface CategoryConfirmation {
  /** Code from reference/categories.json. */
  code: string;
  confirmedAt: IsoDate;
  source: string;
}

/** A1.9.3: someone other than a spouse, minor or disabled child, or disabled parent moved in. */
export interface OccupantMoveIn {
  propertyId: string;
  occupantIin: string;
  relation: 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';
  occupantMinor: boolean;
  occupantDisabled: boolean;
  at: IsoDate;
}

/** Answers of each registry for one IIN. `persons` is null when the IIN is unknown. */
export interface RegistryAnswers {
  persons: PersonRecord | null;
  residence: ResidencePeriod[];
  civil: CivilRecord;
  orphanStatus: OrphanStatusRecord | null;
  representation: RepresentationRecord[];
  /** Ownership history, plus move-ins of others into owned dwellings (A1.9.3). */
  realEstate: { ownership: OwnershipRecord[]; moveIns: OccupantMoveIn[] };
  emergency: EmergencyRecognitionRecord[];
  tenancies: TenancyRecord[];
  privatisations: PrivatisationRecord[];
  mortgages: MortgageRecord[];
  unifiedQueue: UnifiedQueueRecord[];
  categories: CategoryConfirmation[];
  mobile: { phone: string } | null;
}

export type RegistryAnswer<R extends RegistryName> = RegistryAnswers[R];

/** Empty answers, the shape a registry gives for a person it has no records of. */
export function emptyAnswers(): RegistryAnswers {
  return {
    persons: null,
    residence: [],
    civil: { marriages: [], children: [] },
    orphanStatus: null,
    representation: [],
    realEstate: { ownership: [], moveIns: [] },
    emergency: [],
    tenancies: [],
    privatisations: [],
    mortgages: [],
    unifiedQueue: [],
    categories: [],
    mobile: null,
  };
}
