/**
 * A private copy of the demo population (sandbox/fixtures/demo.json) for one test file: the IINs
 * of the persons of the named scenarios are replaced everywhere in the fixture (links between
 * relatives and representation records stay consistent) by new valid IINs with the same birth date
 * and sex, so files sharing the database and Temporal never file for the same person.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeIin, validateIin } from '../../domain/iin';
import { parseFixture, type Fixture } from '../../sandbox/fixture';
import { DEMO_FIXTURE } from './stack';

export interface DemoScenario {
  id: string;
  declaration: Record<string, unknown> & {
    applicantIin: string;
    representativeIin?: string;
    contact: { mobile?: string; email?: string };
    consents?: unknown;
  };
  /** R7.2 scenarios: the report that matches the registry's emergency recognition. */
  technicalReport?: { reportNumber: string; propertyId: string };
}

export interface PrivateDemo {
  fixture: Fixture;
  /** The fixture as JSON text (for variants: edit and parse again). */
  fixtureText: string;
  scenario(id: string): DemoScenario;
  /** The POST /v1/applications body of a scenario, with the given consents. */
  bodyOf(id: string, consents?: string[]): Record<string, unknown>;
}

export function privateDemo(scenarioIds: readonly string[]): PrivateDemo {
  const demoText = readFileSync(DEMO_FIXTURE, 'utf8');
  const scenariosText = readFileSync(join(__dirname, '..', '..', 'sandbox', 'fixtures', 'demo-scenarios.json'), 'utf8');
  const all = (JSON.parse(scenariosText) as { scenarios: DemoScenario[] }).scenarios;
  const remap = new Map<string, string>();
  for (const sc of all.filter((x) => scenarioIds.includes(x.id))) {
    for (const iin of [sc.declaration.applicantIin, sc.declaration.representativeIin]) {
      if (!iin || remap.has(iin)) continue;
      const v = validateIin(iin);
      if (!v.valid) throw new Error(`demo IIN ${iin} is invalid`);
      let fresh: string;
      do fresh = makeIin(v.birthDate, v.sex, randomInt(10_000));
      while (fresh === iin || demoText.includes(fresh) || [...remap.values()].includes(fresh));
      remap.set(iin, fresh);
    }
  }
  const remapped = (text: string): string => [...remap].reduce((t, [from, to]) => t.split(from).join(to), text);
  const fixtureText = remapped(demoText);
  const scenarios = (JSON.parse(remapped(scenariosText)) as { scenarios: DemoScenario[] }).scenarios;
  const scenario = (id: string): DemoScenario => {
    const s = scenarios.find((x) => x.id === id);
    if (!s) throw new Error(`no demo scenario ${id}`);
    return s;
  };
  return {
    fixture: parseFixture(JSON.parse(fixtureText)),
    fixtureText,
    scenario,
    bodyOf(id, consents = ['C1', 'C2', 'C3', 'C4']) {
      const { consents: _declared, ...d } = scenario(id).declaration;
      return { ...d, consents };
    },
  };
}
