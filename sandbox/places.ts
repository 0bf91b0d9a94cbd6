/**
 * Localities used by the sandbox's test data: real KATO codes of the republican cities' districts
 * and of regional centres, with names as they appear in addresses and a population weight
 * (thousands of residents, rounded) so synthetic people live where people actually live.
 *
 * Test data only: the system's own locality reference (versioned KATO) lives elsewhere.
 * Rural settlements are left out; every code here is a city or a city district.
 */

export interface Place {
  kato: string;
  /** The KATO of the locality a queue is kept for (the city for a city district). */
  cityKato: string;
  /** As written at the start of an address. */
  name: string;
  /** City name for "Акимат города …". */
  city: string;
  /** Thousands of residents (approximate), the weight of the place in synthetic populations. */
  weight: number;
}

function districts(cityKato: string, city: string, total: number, list: Array<[string, string]>): Place[] {
  return list.map(([kato, district]) => ({
    kato,
    cityKato,
    name: `г. ${city}, ${district}`,
    city,
    weight: total / list.length,
  }));
}

function regionalCentre(kato: string, region: string, city: string, weight: number): Place {
  return { kato, cityKato: kato, name: `${region}, г. ${city}`, city, weight };
}

export const PLACES: readonly Place[] = [
  ...districts('710000000', 'Астана', 1500, [
    ['711110000', 'район Алматы'],
    ['711210000', 'район Есиль'],
    ['711310000', 'район Сарыарка'],
    ['711410000', 'район Байконыр'],
    ['711510000', 'район Нура'],
    ['711610000', 'район Сарайшык'],
  ]),
  ...districts('750000000', 'Алматы', 2300, [
    ['751110000', 'Алмалинский район'],
    ['751210000', 'Алатауский район'],
    ['751310000', 'Ауэзовский район'],
    ['751410000', 'Бостандыкский район'],
    ['751510000', 'Жетысуский район'],
    ['751710000', 'Медеуский район'],
    ['751810000', 'Наурызбайский район'],
    ['751910000', 'Турксибский район'],
  ]),
  ...districts('790000000', 'Шымкент', 1250, [
    ['791110000', 'район Абай'],
    ['791310000', 'район Аль-Фараби'],
    ['791510000', 'район Енбекши'],
    ['791710000', 'район Каратау'],
    ['791910000', 'район Туран'],
  ]),
  regionalCentre('151010000', 'Актюбинская область', 'Актобе', 600),
  regionalCentre('351010000', 'Карагандинская область', 'Караганда', 500),
  regionalCentre('311010000', 'Жамбылская область', 'Тараз', 430),
  regionalCentre('631010000', 'Восточно-Казахстанская область', 'Усть-Каменогорск', 370),
  regionalCentre('551010000', 'Павлодарская область', 'Павлодар', 340),
  regionalCentre('271010000', 'Западно-Казахстанская область', 'Уральск', 330),
  regionalCentre('431010000', 'Кызылординская область', 'Кызылорда', 320),
  regionalCentre('231010000', 'Атырауская область', 'Атырау', 310),
  regionalCentre('471010000', 'Мангистауская область', 'Актау', 270),
  regionalCentre('391010000', 'Костанайская область', 'Костанай', 260),
  regionalCentre('591010000', 'Северо-Казахстанская область', 'Петропавловск', 220),
  regionalCentre('611010000', 'Туркестанская область', 'Туркестан', 220),
  regionalCentre('111010000', 'Акмолинская область', 'Кокшетау', 160),
];

const BY_KATO = new Map<string, Place>(PLACES.map((p) => [p.kato, p]));
for (const city of [
  { kato: '710000000', name: 'г. Астана', city: 'Астана' },
  { kato: '750000000', name: 'г. Алматы', city: 'Алматы' },
  { kato: '790000000', name: 'г. Шымкент', city: 'Шымкент' },
]) {
  BY_KATO.set(city.kato, { ...city, cityKato: city.kato, weight: 0 });
}

export function placeOf(kato: string): Place {
  const place = BY_KATO.get(kato);
  if (!place) throw new Error(`unknown test locality ${kato}`);
  return place;
}

/**
 * The UTC offset a Kazakhstan clock showed at an instant in that locality: the whole country moved
 * to UTC+05:00 on 1 March 2024; before that the east was on +06:00, the west on +05:00 and
 * Kyzylorda moved from +06:00 to +05:00 on 21 December 2018.
 */
export function historicOffset(kato: string, isoDate: string): '+05:00' | '+06:00' {
  if (isoDate >= '2024-03-01') return '+05:00';
  const region = kato.slice(0, 2);
  if (['15', '23', '27', '47'].includes(region)) return '+05:00';
  if (region === '43') return isoDate >= '2018-12-21' ? '+05:00' : '+06:00';
  return '+06:00';
}
