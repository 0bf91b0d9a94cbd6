/**
 * A2's identity block from the registries (issue #11 §3, "Prefill (A2)"): the persons registry
 * (GBD FL) through the e-government gateway — in development and tests the gateway sandbox —
 * read by the API at the person's request, and never cached (a document replaced yesterday shows
 * today). Also the emergency registry, for the operator who reviews the technical report (R7.2).
 *
 * A registry that does not answer is 503 REGISTRY_UNAVAILABLE: the person tries again; nothing is
 * guessed or filled from elsewhere.
 */
import type { EmergencyRecognitionRecord, PersonRecord } from '../../domain/registry-facts';
import { apiError } from '../errors';
import type { PersonBlock } from '../schemas';

const TIMEOUT_MS = 5_000;

async function readRegistry(gatewayUrl: string, registry: 'persons' | 'emergency', iin: string): Promise<unknown> {
  const base = gatewayUrl.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}/gateway/v1/${registry}/${encodeURIComponent(iin)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw apiError(503, 'REGISTRY_UNAVAILABLE');
  }
  if (!res.ok) throw apiError(503, 'REGISTRY_UNAVAILABLE');
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw apiError(503, 'REGISTRY_UNAVAILABLE');
  }
  if (typeof body !== 'object' || body === null || !('data' in body)) throw apiError(503, 'REGISTRY_UNAVAILABLE');
  return (body as { data: unknown }).data;
}

/** The person's record in the persons registry, or undefined when it holds none. */
export async function personRecord(gatewayUrl: string, iin: string): Promise<PersonRecord | undefined> {
  const data = await readRegistry(gatewayUrl, 'persons', iin);
  if (data === null || typeof data !== 'object') return undefined;
  return data as PersonRecord; // the gateway's documented shape (domain/registry-facts.ts)
}

/** A2's block from a registry record: the fields the form shows, in the API's names. */
export function personBlockOf(p: PersonRecord): PersonBlock {
  return {
    iin: p.iin,
    surname: p.surname,
    name: p.givenName,
    patronymic: p.patronymic ?? null,
    birthDate: p.birthDate,
    identityDocument: { number: p.identityDocument.number, issuedAt: p.identityDocument.issuedAt },
    address: { kato: p.address.kato, text: p.address.text },
  };
}

/** The identity block of `iin` from the registry: 404 PERSON_NOT_FOUND when it holds none. */
export async function prefillBlock(gatewayUrl: string, iin: string, field?: string): Promise<PersonBlock> {
  const record = await personRecord(gatewayUrl, iin);
  if (!record) throw apiError(404, 'PERSON_NOT_FOUND', field ? { field } : {});
  return personBlockOf(record);
}

/** Paths of the fields where `sent` differs from `registry` (empty when they agree). */
export function personBlockDifferences(sent: PersonBlock, registry: PersonBlock): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      }
      return;
    }
    if (a !== b) out.push(path);
  };
  walk(sent, registry, '');
  return out;
}

/**
 * The application's identity block must be the registry's (A2 fills it from there): 422
 * PERSON_MISMATCH naming the first differing field (all of them in details) otherwise.
 */
export async function checkPersonBlock(gatewayUrl: string, sent: PersonBlock): Promise<void> {
  const record = await personRecord(gatewayUrl, sent.iin);
  if (!record) throw apiError(422, 'PERSON_NOT_FOUND', { field: 'person.iin' });
  const differs = personBlockDifferences(sent, personBlockOf(record));
  if (differs.length > 0) throw apiError(422, 'PERSON_MISMATCH', { field: `person.${differs[0]}`, details: differs.map((f) => ({ field: `person.${f}` })) });
}

/** The emergency registry's recognitions on file for the person (R7.2). */
export async function emergencyRecognitions(gatewayUrl: string, iin: string): Promise<EmergencyRecognitionRecord[]> {
  const data = await readRegistry(gatewayUrl, 'emergency', iin);
  return Array.isArray(data) ? (data as EmergencyRecognitionRecord[]) : [];
}
