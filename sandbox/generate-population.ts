/**
 * Synthetic populations for load tests and simulations:
 *   npx tsx sandbox/generate-population.ts --persons 100000 --seed 42 --out data/population.json
 * writes a fixture (sandbox/fixture-format.md) that `sandbox/main.ts --fixture` serves.
 *
 * Deterministic by seed: the same (persons, seed, asOf) gives the same file byte for byte.
 * People are generated household by household (couples, children, single parents, orphans with
 * guardians) so that civil-registry links are consistent: spouses point at each other, children
 * appear in their parents' records, guardianship records sit with both parties.
 *
 * Target mix (shares of adults unless noted), kept close by steering the draws towards the target
 * as the population grows: ~55% married with the spouse in the population; ~25% with an ownership
 * history, part of it inside the 5-year window; a few % tenancies, privatisations, state-programme
 * mortgages and akimat-queue records; ~10% with a confirmed category; ~3% of all persons orphans or
 * without parental care; ~85% with a mobile number. Residences are in real KATO codes weighted by
 * population (sandbox/places.ts).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type {
  CitizenshipStatus,
  OwnershipRecord,
  PersonRecord,
  ResidencePeriod,
} from '../domain/registry-facts';
import type { FixturePerson } from './fixture';
import { IinAllocator } from './iin-gen';
import {
  FEMALE_NAMES,
  KANDAS_SURNAMES,
  MALE_NAMES,
  patronymicFor,
  STREETS,
  surnameFor,
  SURNAMES,
} from './names';
import { historicOffset, PLACES, placeOf, type Place } from './places';
import { hashString, Prng, WeightedTable } from './prng';

export const DEFAULT_AS_OF = '2026-11-26';

export interface PopulationOptions {
  persons: number;
  seed: number;
  /** "Today" for ages and windows; default 2026-11-26. */
  asOf?: string;
}

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01 UTC): cheap arithmetic in the hot loop.

const DAY_MS = 86_400_000;
const YEAR = 365.2425;

function dayOf(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

function iso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole years between two ISO dates (age at `on`). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Shift an ISO date by whole years (29 Feb → 28 Feb). */
function plusYears(isoDate: string, years: number): string {
  const y = Number(isoDate.slice(0, 4)) + years;
  const md = isoDate.slice(5) === '02-29' ? '02-28' : isoDate.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

// ---------------------------------------------------------------------------------------------
// Weighted tables

const PLACE_TABLE = new WeightedTable<Place>(PLACES.map((p) => [p, p.weight] as const));

/** Age of a household head, by band (roughly the adult age pyramid of Kazakhstan). */
const ADULT_AGE_BANDS = new WeightedTable<readonly [number, number]>([
  [[18, 24], 11],
  [[25, 34], 23],
  [[35, 44], 21],
  [[45, 54], 16],
  [[55, 64], 15],
  [[65, 79], 11],
  [[80, 92], 3],
]);

const CHILD_COUNT = new WeightedTable<number>([
  [0, 14],
  [1, 20],
  [2, 28],
  [3, 20],
  [4, 10],
  [5, 5],
  [6, 3],
]);

const ACQUISITION = new WeightedTable<OwnershipRecord['acquiredHow']>([
  ['PURCHASE', 65],
  ['INHERITANCE', 12],
  ['GIFT', 10],
  ['CONSTRUCTION', 9],
  ['EXCHANGE', 4],
]);

const DISPOSAL = new WeightedTable<NonNullable<OwnershipRecord['disposedHow']>>([
  ['SALE', 62],
  ['GIFT', 13],
  ['EXCHANGE', 8],
  ['AKIMAT_PURCHASE', 7],
  ['DESTROYED', 3],
  ['DESTROYED_OWN_FAULT', 1],
]);

const CITIZENSHIP = new WeightedTable<CitizenshipStatus>([
  ['CITIZEN', 984],
  ['KANDAS', 11],
  ['FOREIGN', 4],
  ['STATELESS', 1],
]);

const OPERATOR_CODES = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778'] as const;

function mortgageProgramme(year: number): string {
  if (year <= 2016) return 'Доступное жильё – 2020';
  if (year <= 2018) return 'Нұрлы жер';
  if (year <= 2022) return '7-20-25';
  return 'Отау';
}

const SOURCES = {
  social: 'МТСЗН РК (ЕИС социально-трудовой сферы)',
  disability: 'МТСЗН РК (ЦБДИ)',
  health: 'МЗ РК (регистр хронических заболеваний)',
  guardianship: 'МП РК (орган опеки и попечительства)',
  veterans: 'МО РК / МТСЗН РК (реестр ветеранов)',
} as const;

/** Proportional steering: the draw probability moves towards whatever brings `have/of` to `target`. */
function steer(target: number, have: number, of: number, gain = 6): number {
  const ratio = of === 0 ? target : have / of;
  return Math.min(1, Math.max(0, target + gain * (target - ratio)));
}

// ---------------------------------------------------------------------------------------------

interface Member {
  entry: FixturePerson;
  person: PersonRecord;
  adult: boolean;
}

interface Home {
  place: Place;
  address: string;
  /** Registered at this address since. */
  since: number;
  /** Where the household lived before (for members registered before `since`). */
  previous: Place;
}

export const TARGETS = {
  marriedAdults: 0.55,
  ownershipAdults: 0.25,
  orphansPersons: 0.03,
  mobileAdults: 0.85,
  categoriesAdults: 0.1,
} as const;

class PopulationBuilder {
  private readonly rng: Prng;
  private readonly iins: IinAllocator;
  private readonly asOf: string;
  private readonly today: number;
  private readonly windowStart: number;
  private readonly phones = new Set<string>();
  private propertySerial = 0;

  // Running counts for steering.
  emitted = 0;
  private adults = 0;
  private marriedAdults = 0;
  private owners = 0;
  private orphans = 0;
  private withCategory = 0;
  /** Adults whose first category came with their family situation (not personal). */
  private familyCategoryAdults = 0;

  constructor(seed: number, asOf: string) {
    this.rng = new Prng(seed, 'population');
    const serialSeed = String(seed);
    this.iins = new IinAllocator((birthDate, sex) => hashString(serialSeed + birthDate + sex) % 10000);
    this.asOf = asOf;
    this.today = dayOf(asOf);
    this.windowStart = dayOf(plusYears(asOf, -5));
  }

  /** The day a person born on `birthDay` turns `years` (calendar-exact, unlike days × 365.25). */
  private birthday(birthDay: number, years: number): number {
    return dayOf(plusYears(iso(birthDay), years));
  }

  private between(from: number, to: number): number {
    return to <= from ? from : this.rng.int(from, to);
  }

  private birthDayForAge(minAge: number, maxAge: number): number {
    const age = this.rng.int(minAge, maxAge);
    return this.today - Math.floor((age + this.rng.next()) * YEAR) - 1;
  }

  private adultBirthDay(minAge = 18): number {
    const [lo, hi] = ADULT_AGE_BANDS.pick(this.rng.source());
    return this.birthDayForAge(Math.max(lo, minAge), Math.max(hi, minAge));
  }

  private phone(): string {
    for (;;) {
      const p = `+7${this.rng.pick(OPERATOR_CODES)}${String(this.rng.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!this.phones.has(p)) {
        this.phones.add(p);
        return p;
      }
    }
  }

  private newHome(place: Place, oldestBirthDay: number): Home {
    const age = (this.today - oldestBirthDay) / YEAR;
    // Years at the current address: a share of recent movers (R6 matters for the big cities).
    const r = this.rng.next();
    const years = r < 0.12 ? this.rng.next() * 3 : r < 0.4 ? 3 + this.rng.next() * 7 : 10 + this.rng.next() * 30;
    const since = Math.max(oldestBirthDay + 10, this.today - Math.floor(Math.min(years, age) * YEAR));
    let previous = PLACE_TABLE.pick(this.rng.source());
    if (previous.cityKato === place.cityKato) previous = PLACE_TABLE.pick(this.rng.source());
    const flat = this.rng.chance(0.8) ? `, кв. ${this.rng.int(1, 240)}` : '';
    return {
      place,
      address: `${place.name}, ${this.rng.pick(STREETS)}, д. ${this.rng.int(1, 180)}${flat}`,
      since,
      previous,
    };
  }

  private residence(home: Home, birthDay: number, arrivedDay?: number): ResidencePeriod[] {
    const start = birthDay + 10;
    const since = Math.max(home.since, start, arrivedDay ?? start);
    if (arrivedDay !== undefined || since - start < 30) return [{ kato: home.place.kato, from: iso(since) }];
    return [
      { kato: home.previous.kato, from: iso(start), to: iso(since - 1) },
      { kato: home.place.kato, from: iso(since) },
    ];
  }

  private member(opts: {
    sex: 'M' | 'F';
    birthDay: number;
    surname: string;
    givenName: string;
    fatherName?: string;
    citizenship: CitizenshipStatus;
    home: Home;
  }): Member {
    const birthDate = iso(opts.birthDay);
    const iin = this.iins.next(birthDate, opts.sex);
    const adult = ageOn(birthDate, this.asOf) >= 18;
    const sixteen = dayOf(plusYears(birthDate, 16));
    const hasIdCard = sixteen <= this.today;
    // Kandas documents often have no patronymic.
    const patronymic =
      opts.fatherName !== undefined && !(opts.citizenship === 'KANDAS' && this.rng.chance(0.6))
        ? patronymicFor(opts.fatherName, opts.sex, this.rng.chance(0.05))
        : undefined;
    const person: PersonRecord = {
      iin,
      surname: opts.surname,
      givenName: opts.givenName,
      ...(patronymic !== undefined ? { patronymic } : {}),
      birthDate,
      sex: opts.sex,
      citizenship: opts.citizenship,
      identityDocument: {
        number: String(this.rng.int(10_000_000, 99_999_999)).padStart(9, '0'),
        issuedAt: iso(hasIdCard ? this.between(Math.max(sixteen, this.today - 3650), this.today - 1) : opts.birthDay + 7),
        issuer: hasIdCard ? 'МВД РК' : 'РАГС (свидетельство о рождении)',
      },
      address: { kato: opts.home.place.kato, text: opts.home.address },
    };
    const arrived =
      opts.citizenship === 'CITIZEN' ? undefined : this.between(Math.max(opts.birthDay + 10, dayOf('1995-01-01')), this.today - 120);
    const entry: FixturePerson = { iin, persons: person, residence: this.residence(opts.home, opts.birthDay, arrived) };
    if (adult) this.adults++;
    return { entry, person, adult };
  }

  private marry(a: Member, b: Member, from: number): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      x.entry.civil ??= { marriages: [], children: [] };
      x.entry.civil.marriages.push({ spouseIin: y.person.iin, from: iso(from) });
    }
    this.marriedAdults += 2;
  }

  private pastMarriage(m: Member, fromDay: number, toDay: number): void {
    // Keep the marriage between the person's 18th birthday and yesterday, or leave it out.
    const from = Math.max(fromDay, this.birthday(dayOf(m.person.birthDate), 18));
    const to = Math.min(Math.max(from + 200, toDay), this.today - 1);
    if (to <= from) return;
    const spouseSex = m.person.sex === 'M' ? 'F' : 'M';
    const exBirth = dayOf(m.person.birthDate) + this.rng.int(-2000, 2000);
    // A valid IIN the population does not contain: the ex-spouse is someone else's record.
    const spouseIin = this.iins.next(iso(exBirth), spouseSex);
    m.entry.civil ??= { marriages: [], children: [] };
    m.entry.civil.marriages.push({ spouseIin, from: iso(from), to: iso(to) });
  }

  private addChild(parent: Member, child: Member): void {
    parent.entry.civil ??= { marriages: [], children: [] };
    parent.entry.civil.children.push({ iin: child.person.iin, birthDate: child.person.birthDate });
  }

  private children(
    mother: { birthDay: number },
    fromDay: number,
    maxCount: number,
    fatherSurname: string,
    fatherName: string,
    citizenship: CitizenshipStatus,
    home: Home,
  ): Member[] {
    const wanted = Math.min(CHILD_COUNT.pick(this.rng.source()), maxCount);
    const kids: Member[] = [];
    let birth = fromDay + this.rng.int(300, 900);
    const lastPossible = Math.min(this.today - 20, mother.birthDay + Math.floor(43 * YEAR));
    for (let i = 0; i < wanted && birth <= lastPossible; i++) {
      const sex = this.rng.chance(0.51) ? 'M' : 'F';
      kids.push(
        this.member({
          sex,
          birthDay: birth,
          surname: surnameFor(fatherSurname, sex),
          givenName: sex === 'M' ? this.rng.pick(MALE_NAMES) : this.rng.pick(FEMALE_NAMES),
          fatherName,
          citizenship: citizenship === 'KANDAS' || citizenship === 'CITIZEN' ? citizenship : 'CITIZEN',
          home,
        }),
      );
      birth += this.rng.int(450, 1600);
    }
    return kids;
  }

  /** An adult child (18+) often lives elsewhere: give them their own address. */
  private moveOut(child: Member): void {
    if (!child.adult || this.rng.chance(0.45)) return;
    const place = this.rng.chance(0.6) ? placeOf(child.person.address.kato) : PLACE_TABLE.pick(this.rng.source());
    const home = this.newHome(place, dayOf(child.person.birthDate) + Math.floor(18 * YEAR));
    const history = child.entry.residence ?? [];
    const last = history[history.length - 1];
    const moved = Math.max(home.since, dayOf(last?.from ?? child.person.birthDate) + 30);
    if (!last || moved >= this.today) return;
    last.to = iso(moved - 1);
    history.push({ kato: place.kato, from: iso(moved) });
    child.person.address = { kato: place.kato, text: home.address };
  }

  // --- Households ------------------------------------------------------------------------------

  private couple(remaining: number): Member[] {
    const place = PLACE_TABLE.pick(this.rng.source());
    const husbandBirth = this.adultBirthDay(21);
    const wifeBirth = Math.min(husbandBirth + this.rng.int(-700, 2200), dayOf(plusYears(this.asOf, -18)) - 1);
    const home = this.newHome(place, Math.min(husbandBirth, wifeBirth));
    const citizenship = CITIZENSHIP.pick(this.rng.source());
    const kandas = citizenship === 'KANDAS';
    const surname = kandas ? this.rng.pick(KANDAS_SURNAMES) : this.rng.pick(SURNAMES);
    const husbandName = this.rng.pick(MALE_NAMES);
    const husband = this.member({
      sex: 'M', birthDay: husbandBirth, surname, givenName: husbandName,
      fatherName: this.rng.pick(MALE_NAMES), citizenship, home,
    });
    const wifeSurname = this.rng.chance(0.7) ? surnameFor(surname, 'F') : surnameFor(this.rng.pick(SURNAMES), 'F');
    const wife = this.member({
      sex: 'F', birthDay: wifeBirth, surname: wifeSurname, givenName: this.rng.pick(FEMALE_NAMES),
      fatherName: this.rng.pick(MALE_NAMES), citizenship, home,
    });
    // Both at least 18 on the wedding day (the wife is; the husband is 21+), usually 19-32 for her.
    const adultFrom = Math.max(this.birthday(husbandBirth, 18), this.birthday(wifeBirth, 18));
    const married = Math.max(
      adultFrom,
      Math.min(this.today - 30, this.between(this.birthday(wifeBirth, 19), this.birthday(wifeBirth, 32))),
    );
    if (this.rng.chance(0.08)) {
      this.pastMarriage(husband, married - this.rng.int(2000, 5000), married - this.rng.int(200, 1500));
    }
    this.marry(husband, wife, married);
    const kids = this.children({ birthDay: wifeBirth }, married, remaining - 2, surname, husbandName, citizenship, home);
    for (const kid of kids) {
      this.addChild(husband, kid);
      this.addChild(wife, kid);
      this.moveOut(kid);
    }
    this.familyCategories(wife, kids, false);
    return [husband, wife, ...kids];
  }

  private single(remaining: number): Member[] {
    const place = PLACE_TABLE.pick(this.rng.source());
    const sex = this.rng.chance(0.5) ? 'M' : 'F';
    const birthDay = this.adultBirthDay();
    const age = (this.today - birthDay) / YEAR;
    const home = this.newHome(place, birthDay);
    const citizenship = CITIZENSHIP.pick(this.rng.source());
    const surname = citizenship === 'KANDAS' ? this.rng.pick(KANDAS_SURNAMES) : this.rng.pick(SURNAMES);
    const head = this.member({
      sex, birthDay, surname: surnameFor(surname, sex),
      givenName: sex === 'M' ? this.rng.pick(MALE_NAMES) : this.rng.pick(FEMALE_NAMES),
      fatherName: this.rng.pick(MALE_NAMES), citizenship, home,
    });
    const members: Member[] = [head];
    if (sex === 'F' && age >= 26 && age <= 55 && remaining > 1 && this.rng.chance(0.35)) {
      // Divorced mother: the children carry the ex-husband's surname and patronymic.
      const married = birthDay + Math.floor((20 + this.rng.next() * 6) * YEAR);
      const exSurname = this.rng.pick(SURNAMES);
      const exName = this.rng.pick(MALE_NAMES);
      const kids = this.children({ birthDay }, married, remaining - 1, exSurname, exName, citizenship, home);
      const lastBirth = kids.length > 0 ? dayOf(kids[kids.length - 1]!.person.birthDate) : married + 400;
      this.pastMarriage(head, married, this.between(lastBirth + 200, this.today - 60));
      for (const kid of kids) {
        this.addChild(head, kid);
        this.moveOut(kid);
      }
      members.push(...kids);
      this.familyCategories(head, kids, true);
    } else if (age >= 65 && this.rng.chance(0.5)) {
      // Widowed; rarely the spouse died in state or public duty.
      const married = birthDay + Math.floor((21 + this.rng.next() * 8) * YEAR);
      const widowed = this.between(married + 3650, this.today - 30);
      this.pastMarriage(head, married, widowed);
      if (this.rng.chance(0.02)) this.category(head, 'DEATH_IN_DUTY_FAMILY', widowed + 200, SOURCES.social);
    } else if (age >= 30 && this.rng.chance(0.2)) {
      const married = birthDay + Math.floor((22 + this.rng.next() * 5) * YEAR);
      this.pastMarriage(head, married, this.between(married + 400, this.today - 30));
    }
    if (age >= 70 && this.rng.chance(0.01)) head.person.deathDate = iso(this.between(this.today - 1500, this.today - 5));
    return members;
  }

  private orphanHousehold(remaining: number): Member[] {
    const place = PLACE_TABLE.pick(this.rng.source());
    if (remaining < 2 || this.rng.chance(0.7)) {
      // A young adult who lost their parents before 18 (the R6 exception applies under 29).
      const sex = this.rng.chance(0.5) ? 'M' : 'F';
      const birthDay = this.birthDayForAge(18, 28);
      const home = this.newHome(place, birthDay);
      const m = this.member({
        sex, birthDay, surname: surnameFor(this.rng.pick(SURNAMES), sex),
        givenName: sex === 'M' ? this.rng.pick(MALE_NAMES) : this.rng.pick(FEMALE_NAMES),
        fatherName: this.rng.pick(MALE_NAMES), citizenship: 'CITIZEN', home,
      });
      const since = this.between(birthDay + 365, birthDay + Math.floor(17 * YEAR));
      const orphan = this.rng.chance(0.75);
      m.entry.orphanStatus = { orphan, withoutParentalCare: !orphan || this.rng.chance(0.5), since: iso(since) };
      this.orphans++;
      if (this.rng.chance(0.9)) this.category(m, 'ORPHAN', since + 30, SOURCES.guardianship);
      return [m];
    }
    // Minor siblings under a relative's guardianship.
    const surname = this.rng.pick(SURNAMES);
    const fatherName = this.rng.pick(MALE_NAMES);
    const guardianBirth = this.birthDayForAge(32, 66);
    const home = this.newHome(place, guardianBirth);
    const guardian = this.member({
      sex: 'F', birthDay: guardianBirth, surname: surnameFor(this.rng.chance(0.5) ? surname : this.rng.pick(SURNAMES), 'F'),
      givenName: this.rng.pick(FEMALE_NAMES), fatherName: this.rng.pick(MALE_NAMES), citizenship: 'CITIZEN', home,
    });
    const count = Math.min(remaining - 1, this.rng.chance(0.3) ? 2 : 1);
    const members: Member[] = [guardian];
    // The youngest first; older siblings are born before them, so the status date fits all.
    let birthDay = this.birthDayForAge(2, 16);
    const since = this.between(birthDay + 200, this.today - 60);
    const oldestPossible = dayOf(plusYears(this.asOf, -18)) + 30;
    for (let i = 0; i < count; i++) {
      const sex = this.rng.chance(0.5) ? 'M' : 'F';
      const child = this.member({
        sex, birthDay, surname: surnameFor(surname, sex),
        givenName: sex === 'M' ? this.rng.pick(MALE_NAMES) : this.rng.pick(FEMALE_NAMES),
        fatherName, citizenship: 'CITIZEN', home,
      });
      child.entry.orphanStatus = { orphan: this.rng.chance(0.6), withoutParentalCare: true, since: iso(since) };
      this.orphans++;
      this.category(child, 'ORPHAN', since + 30, SOURCES.guardianship);
      const record = {
        kind: 'GUARDIANSHIP' as const,
        representativeIin: guardian.person.iin,
        principalIin: child.person.iin,
        from: iso(Math.max(since + 20, birthDay + 30)),
        documentNumber: `Постановление акимата г. ${place.city} № ${this.rng.int(10, 2999)}`,
      };
      (guardian.entry.representation ??= []).push(record);
      (child.entry.representation ??= []).push({ ...record });
      members.push(child);
      birthDay = Math.max(birthDay - this.rng.int(500, 1500), oldestPossible);
    }
    return members;
  }

  // --- Facts about adults ----------------------------------------------------------------------

  private category(m: Member, code: string, confirmedDay: number, source: string, personal = false): void {
    const first = (m.entry.categories ??= []).length === 0;
    if (m.entry.categories.some((c) => c.code === code)) return;
    m.entry.categories.push({ code, confirmedAt: iso(Math.min(confirmedDay, this.today - 1)), source });
    if (first && m.adult) {
      this.withCategory++;
      if (!personal) this.familyCategoryAdults++;
    }
  }

  /** Family-situation categories, recorded for the mother (the parent the benefit bodies usually register). */
  private familyCategories(holder: Member, kids: Member[], singleParent: boolean): void {
    const minors = kids.filter((k) => !k.adult).length;
    const lastBirth = kids.length > 0 ? dayOf(kids[kids.length - 1]!.person.birthDate) : this.today;
    const sinceLastBirth = (): number => this.between(lastBirth + 60, this.today - 1);
    if (minors >= 4 && this.rng.chance(0.9)) this.category(holder, 'LARGE_FAMILY', lastBirth + 120, SOURCES.social);
    if (kids.length >= 6 && this.rng.chance(0.6)) this.category(holder, 'ALTYN_ALKA', lastBirth + 400, SOURCES.social);
    else if (kids.length === 5 && this.rng.chance(0.5)) this.category(holder, 'KUMIS_ALKA', lastBirth + 400, SOURCES.social);
    if (minors > 0 && this.rng.chance(0.02)) this.category(holder, 'DISABLED_CHILD_FAMILY', sinceLastBirth(), SOURCES.disability);
    if (singleParent && minors > 0 && this.rng.chance(0.6)) this.category(holder, 'SINGLE_PARENT', sinceLastBirth(), SOURCES.social);
  }

  /** One personal category, drawn by how common each is at the person's age and sex. */
  private personalCategory(m: Member): void {
    const age = ageOn(m.person.birthDate, this.asOf);
    const options: Array<readonly [code: string, weight: number, source: string]> = [
      ['DISABLED_1_2', 30 + age * 0.4, SOURCES.disability],
      ['SEVERE_CHRONIC_DISEASE', 12 + age * 0.15, SOURCES.health],
      ['SOCIALLY_VULNERABLE', 28, SOURCES.social],
    ];
    if (m.person.sex === 'M' && age >= 55 && age <= 75) options.push(['COMBAT_VETERAN', 12, SOURCES.veterans]);
    if (age >= 82) options.push(['WAR_VETERAN', 20, SOURCES.veterans]);
    const [code, , source] = new WeightedTable(options.map((o) => [o, o[1]] as const)).pick(this.rng.source());
    this.category(m, code, this.today - this.rng.int(30, 4000), source, true);
  }

  private property(place: Place): { propertyId: string; address: string; areaM2: number } {
    const n = ++this.propertySerial;
    const propertyId = `${place.kato.slice(0, 2)}:${place.kato.slice(2, 5)}:${String(n % 1000).padStart(3, '0')}:${String(n).padStart(6, '0')}`;
    const flat = this.rng.chance(0.75) ? `, кв. ${this.rng.int(1, 240)}` : '';
    return {
      propertyId,
      address: `${place.name}, ${this.rng.pick(STREETS)}, д. ${this.rng.int(1, 180)}${flat}`,
      areaM2: Math.round((25 + this.rng.next() * 90) * 10) / 10,
    };
  }

  /** An ownership history for one owning unit (a single adult or a couple, who share the dwelling). */
  private ownership(owners: Member[], place: Place, homeAddress: string): void {
    const youngest = Math.max(...owners.map((o) => dayOf(o.person.birthDate)));
    const earliest = this.birthday(youngest, 20);
    // Under-20s own nothing here; the steering hands the ownership share to older people.
    if (earliest > this.today - 60) return;
    const kind = this.rng.next();
    const records: Array<Omit<OwnershipRecord, 'share'>> = [];
    const acquire = (from: number, to: number, where: Place): Omit<OwnershipRecord, 'share'> => {
      const acquiredDay = this.between(from, to);
      const year = Number(iso(acquiredDay).slice(0, 4));
      let how = ACQUISITION.pick(this.rng.source());
      if (year >= 1992 && year <= 2006 && this.rng.chance(0.35)) how = 'PRIVATISATION';
      else if (year >= 2011 && this.rng.chance(0.14)) how = 'STATE_PROGRAMME_MORTGAGE';
      const p = this.property(where);
      return {
        propertyId: p.propertyId,
        kato: where.kato,
        address: p.address,
        habitable: true,
        areaM2: p.areaM2,
        acquiredAt: iso(acquiredDay),
        acquiredHow: how,
      };
    };
    if (kind < 0.27 && earliest < this.windowStart - 800) {
      // Owned and disposed of before the 5-year window: no R15.2, but R15.3/R15.4 material.
      const r = acquire(earliest, this.windowStart - 800, this.rng.chance(0.7) ? place : PLACE_TABLE.pick(this.rng.source()));
      r.disposedAt = iso(this.between(dayOf(r.acquiredAt) + 365, this.windowStart - 1));
      r.disposedHow = DISPOSAL.pick(this.rng.source());
      records.push(r);
    } else if (kind < 0.42 && earliest < this.today - 400) {
      // Disposed of inside the window: R15.2, and A1.9.3 when it was a sale, gift or exchange.
      const r = acquire(earliest, this.today - 400, place);
      r.disposedAt = iso(this.between(Math.max(dayOf(r.acquiredAt) + 180, this.windowStart), this.today - 10));
      r.disposedHow = DISPOSAL.pick(this.rng.source());
      r.habitable = r.disposedHow !== 'DESTROYED' && r.disposedHow !== 'DESTROYED_OWN_FAULT' && this.rng.chance(0.95);
      records.push(r);
    } else {
      // A current owner, sometimes after an earlier dwelling.
      const start = Math.min(earliest, this.today - 60);
      const current = acquire(Math.max(start, this.today - Math.floor(30 * YEAR)), this.today - 30, place);
      if (this.rng.chance(0.2) && dayOf(current.acquiredAt) - start > 800) {
        const earlier = acquire(start, dayOf(current.acquiredAt) - 400, this.rng.chance(0.5) ? place : PLACE_TABLE.pick(this.rng.source()));
        earlier.disposedAt = iso(dayOf(current.acquiredAt) - this.rng.int(0, 300));
        earlier.disposedHow = 'SALE';
        records.push(earlier);
      }
      // Usually people are registered where they own.
      if (current.kato === place.kato && this.rng.chance(0.8)) current.address = homeAddress;
      records.push(current);
    }
    const share = owners.length === 2 ? 0.5 : this.rng.chance(0.12) ? this.rng.pick([0.5, 1 / 3, 0.25]) : 1;
    const current = records.find((r) => r.disposedAt === undefined);
    const emergency = current !== undefined && this.rng.chance(0.012);
    if (emergency && current) current.habitable = false;
    const moveIn = current !== undefined && this.rng.chance(0.01);
    const moveInRelation = this.rng.pick(['OTHER', 'OTHER', 'PARENT', 'CHILD'] as const);
    const moveInDay = current ? this.between(dayOf(current.acquiredAt) + 30, this.today - 5) : this.today;
    const moveInIin = this.iins.next(iso(this.birthDayForAge(18, 70)), this.rng.chance(0.5) ? 'M' : 'F');
    const recognisedDay = this.between(this.today - 1000, this.today - 20);
    const reportNumber = `ТЭ-${iso(recognisedDay).slice(0, 4)}/${String(this.rng.int(1, 2999)).padStart(4, '0')}`;
    for (const owner of owners) {
      const re = (owner.entry.realEstate ??= { ownership: [], moveIns: [] });
      for (const r of records) {
        re.ownership.push({ ...r, share });
        if (r.acquiredHow === 'PRIVATISATION') {
          (owner.entry.privatisations ??= []).push({ propertyId: r.propertyId, kato: r.kato, privatisedAt: r.acquiredAt });
        }
        if (r.acquiredHow === 'STATE_PROGRAMME_MORTGAGE') {
          (owner.entry.mortgages ??= []).push({
            programme: mortgageProgramme(Number(r.acquiredAt.slice(0, 4))),
            propertyId: r.propertyId,
            kato: r.kato,
            issuedAt: r.acquiredAt,
          });
        }
      }
      if (current && emergency) {
        (owner.entry.emergency ??= []).push({
          propertyId: current.propertyId,
          kato: current.kato,
          recognisedAt: iso(recognisedDay),
          reportNumber,
          expertOrganisation: `ТОО «${placeOf(current.kato).city} Сараптама»`,
        });
      }
      if (current && moveIn) {
        re.moveIns.push({
          propertyId: current.propertyId,
          occupantIin: moveInIin,
          relation: moveInRelation,
          occupantMinor: false,
          occupantDisabled: moveInRelation === 'PARENT' && this.rng.chance(0.3),
          at: iso(moveInDay),
        });
      }
      this.owners++;
    }
  }

  private tenancy(m: Member, place: Place): void {
    const adultDay = this.birthday(dayOf(m.person.birthDate), 18);
    const from = this.between(Math.max(adultDay, this.today - Math.floor(25 * YEAR)), this.today - 200);
    const r = this.rng.next();
    const to = r < 0.4 ? undefined : r < 0.7 ? this.between(Math.max(from + 180, this.windowStart), this.today - 10) : this.between(from + 180, Math.max(from + 180, this.windowStart - 1));
    const p = this.property(place);
    (m.entry.tenancies ??= []).push({
      kind: this.rng.chance(0.6) ? 'STATE_FUND' : 'AKIMAT_RENTED',
      kato: place.kato,
      address: p.address,
      from: iso(from),
      ...(to !== undefined && to < this.today ? { to: iso(to) } : {}),
    });
  }

  private unifiedQueue(m: Member): void {
    const place = placeOf(m.person.address.kato);
    // The akimats' database was handed over in June 2025: no records after that.
    const lastDay = Math.min(dayOf('2025-06-15'), this.today - 1);
    const firstDay = Math.max(this.birthday(dayOf(m.person.birthDate), 18), dayOf('2005-01-01'));
    if (firstDay > lastDay) return;
    const day = this.between(firstDay, lastDay);
    const date = iso(day);
    const time = `${String(this.rng.int(9, 17)).padStart(2, '0')}:${String(this.rng.int(0, 59)).padStart(2, '0')}:00`;
    (m.entry.unifiedQueue ??= []).push({
      kato: place.cityKato,
      registeredAt: `${date}T${time}${historicOffset(place.cityKato, date)}`,
      categories: (m.entry.categories ?? []).map((c) => c.code),
      sourceAkimat: `Акимат города ${place.city}`,
      active: this.rng.chance(0.85),
    });
  }

  /** Facts drawn per adult (or per couple for ownership) once the household is built. */
  private adultFacts(members: Member[]): void {
    const adults = members.filter((m) => m.adult);
    const spouses = adults.filter((m) => m.entry.civil?.marriages.some((x) => x.to === undefined));
    const units: Member[][] = spouses.length === 2 ? [spouses, ...adults.filter((a) => !spouses.includes(a)).map((a) => [a])] : adults.map((a) => [a]);
    for (const unit of units) {
      const head = unit[0]!;
      // Adult children still at their parents' address rarely own anything yet.
      const isAdultChild = head !== members[0] && !spouses.includes(head);
      const p = steer(TARGETS.ownershipAdults, this.owners, this.adults) * (isAdultChild ? 0.5 : 1);
      if (this.rng.chance(p)) this.ownership(unit, placeOf(head.person.address.kato), head.person.address.text);
    }
    for (const m of adults) {
      const place = placeOf(m.person.address.kato);
      if (this.rng.chance(0.03)) this.tenancy(m, place);
      // Family categories (large family, single parent, orphan) are already set; personal ones
      // (disability, illness, veterans, social vulnerability) top the share up to the target.
      if (!m.entry.categories?.length && this.rng.chance(steer(TARGETS.categoriesAdults * 0.6, this.withCategory - this.familyCategoryAdults, this.adults, 4))) {
        this.personalCategory(m);
      }
      if (this.rng.chance(0.03)) this.unifiedQueue(m);
      const alive = m.person.deathDate === undefined;
      const age = ageOn(m.person.birthDate, this.asOf);
      if (alive && this.rng.chance(age >= 70 ? 0.72 : 0.87)) m.entry.mobile = { phone: this.phone() };
    }
  }

  household(remaining: number): FixturePerson[] {
    let members: Member[];
    if (this.rng.chance(steer(TARGETS.orphansPersons, this.orphans, this.emitted, 30))) {
      members = this.orphanHousehold(remaining);
    } else if (remaining >= 2 && this.rng.chance(steer(TARGETS.marriedAdults, this.marriedAdults, this.adults, 12))) {
      members = this.couple(remaining);
    } else {
      members = this.single(remaining);
    }
    this.adultFacts(members);
    this.emitted += members.length;
    return members.map((m) => m.entry);
  }
}

/** Persons one by one, household members together; exactly `persons` of them. */
export function* generatePopulation(options: PopulationOptions): Generator<FixturePerson> {
  if (!Number.isInteger(options.persons) || options.persons < 0) throw new Error('persons must be a non-negative integer');
  const builder = new PopulationBuilder(options.seed, options.asOf ?? DEFAULT_AS_OF);
  while (builder.emitted < options.persons) {
    yield* builder.household(options.persons - builder.emitted);
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics (for the CLI summary and the tests)

export interface PopulationStats {
  persons: number;
  adults: number;
  /** Shares of adults unless noted. */
  marriedWithSpouseInPopulation: number;
  withOwnershipHistory: number;
  ownershipInWindow: number;
  withTenancy: number;
  withPrivatisation: number;
  withMortgage: number;
  withActiveQueueRecord: number;
  withCategory: number;
  withMobile: number;
  /** Share of all persons. */
  orphansOrWithoutCare: number;
  /** Share of all persons. */
  minors: number;
  /** Persons per city KATO (districts folded into their city). */
  byCity: Record<string, number>;
}

export function populationStats(persons: Iterable<FixturePerson>, asOf = DEFAULT_AS_OF): PopulationStats {
  const windowStart = plusYears(asOf, -5);
  const all: FixturePerson[] = Array.isArray(persons) ? persons : [...persons];
  const known = new Set(all.map((p) => p.iin));
  let adults = 0;
  const c = { married: 0, owners: 0, inWindow: 0, ten: 0, priv: 0, mort: 0, queue: 0, cat: 0, mobile: 0, orphans: 0 };
  const byCity: Record<string, number> = {};
  for (const p of all) {
    const city = p.persons ? placeOf(p.persons.address.kato).cityKato : 'unknown';
    byCity[city] = (byCity[city] ?? 0) + 1;
    if (p.orphanStatus && (p.orphanStatus.orphan || p.orphanStatus.withoutParentalCare)) c.orphans++;
    if (!p.persons || ageOn(p.persons.birthDate, asOf) < 18) continue;
    adults++;
    if (p.civil?.marriages.some((m) => m.to === undefined && known.has(m.spouseIin))) c.married++;
    const own = p.realEstate?.ownership ?? [];
    if (own.length > 0) c.owners++;
    if (own.some((o) => o.disposedAt === undefined || o.disposedAt >= windowStart)) c.inWindow++;
    if ((p.tenancies ?? []).length > 0) c.ten++;
    if ((p.privatisations ?? []).length > 0) c.priv++;
    if ((p.mortgages ?? []).length > 0) c.mort++;
    if ((p.unifiedQueue ?? []).some((q) => q.active)) c.queue++;
    if ((p.categories ?? []).length > 0) c.cat++;
    if (p.mobile) c.mobile++;
  }
  const share = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);
  return {
    persons: all.length,
    adults,
    marriedWithSpouseInPopulation: share(c.married, adults),
    withOwnershipHistory: share(c.owners, adults),
    ownershipInWindow: share(c.inWindow, adults),
    withTenancy: share(c.ten, adults),
    withPrivatisation: share(c.priv, adults),
    withMortgage: share(c.mort, adults),
    withActiveQueueRecord: share(c.queue, adults),
    withCategory: share(c.cat, adults),
    withMobile: share(c.mobile, adults),
    orphansOrWithoutCare: share(c.orphans, all.length),
    minors: share(all.length - adults, all.length),
    byCity,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface WriteResult {
  out: string;
  persons: number;
  bytes: number;
  ms: number;
}

/**
 * Streams the population into a fixture file, one person per line, flushing in ~1 MB chunks so
 * memory stays flat however many persons are asked for.
 */
export function writePopulation(
  options: PopulationOptions & { out: string; onProgress?: (done: number, total: number) => void },
): WriteResult {
  const started = Date.now();
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const fd = openSync(options.out, 'w');
  let bytes = 0;
  let buffer: string[] = [];
  let buffered = 0;
  const flush = (): void => {
    if (buffer.length === 0) return;
    bytes += writeSync(fd, buffer.join(''));
    buffer = [];
    buffered = 0;
  };
  const push = (text: string): void => {
    buffer.push(text);
    buffered += text.length;
    if (buffered > 1_000_000) flush();
  };
  try {
    const header = {
      version: `population-seed${options.seed}-n${options.persons}-${asOf}`,
      description:
        `Synthetic population of ${options.persons} persons generated by sandbox/generate-population.ts ` +
        `(seed ${options.seed}, as of ${asOf}). Not real people.`,
      asOf,
    };
    push(`${JSON.stringify(header).slice(0, -1)},"persons":[\n`);
    let done = 0;
    const step = Math.max(1, Math.floor(options.persons / 20));
    for (const person of generatePopulation(options)) {
      push((done === 0 ? '' : ',\n') + JSON.stringify(person));
      done++;
      if (options.onProgress && (done % step === 0 || done === options.persons)) options.onProgress(done, options.persons);
    }
    push('\n]}\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return { out: options.out, persons: options.persons, bytes, ms: Date.now() - started };
}

function cli(): void {
  const positiveInt = (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
    return n;
  };
  const opts = new Command()
    .name('generate-population')
    .description('Write a synthetic population fixture for the gateway sandbox')
    .option('--persons <n>', 'number of persons', positiveInt, 100_000)
    .option('--seed <n>', 'PRNG seed', positiveInt, 42)
    .option('--as-of <date>', 'the "today" of the population', DEFAULT_AS_OF)
    .option('--out <file>', 'output fixture file', 'data/population.json')
    .option('--stats', 'also print the mix (reads the population back into memory)', false)
    .parse()
    .opts<{ persons: number; seed: number; asOf: string; out: string; stats: boolean }>();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error('--as-of must be YYYY-MM-DD');
  const tty = process.stderr.isTTY;
  const result = writePopulation({
    persons: opts.persons,
    seed: opts.seed,
    asOf: opts.asOf,
    out: opts.out,
    onProgress: (done, total) => {
      const line = `generated ${done}/${total} (${Math.round((done / total) * 100)}%)`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  const summary: Record<string, unknown> = { ...result };
  if (opts.stats) {
    summary.stats = populationStats(generatePopulation({ persons: opts.persons, seed: opts.seed, asOf: opts.asOf }), opts.asOf);
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (require.main === module) {
  try {
    cli();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
