/**
 * Does this person represent that one, right now? (A2.B, R13)
 *
 * A legal representative or trustee acts for a principal only while the representation registry
 * confirms it: `GET {gateway}/gateway/v1/representation/{principalIin}` must list an active
 * record (guardianship, trusteeship or power of attorney) naming the representative, with
 * from ≤ today ≤ to (dates in Kazakhstan time, UTC+05:00). Asked on every request a representative
 * makes about a principal's case — filing and every later action — and never cached, so a
 * guardianship that ended or a power of attorney that expired stops the representative at once.
 */
import { z } from 'zod';
import { almatyDate } from '../../domain/time';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const recordSchema = z.object({
  kind: z.enum(['GUARDIANSHIP', 'TRUSTEESHIP', 'POWER_OF_ATTORNEY']),
  representativeIin: z.string(),
  principalIin: z.string(),
  from: isoDate,
  to: isoDate.optional(),
  documentNumber: z.string().optional(),
});

const answerSchema = z.object({ data: z.array(z.unknown()) });

export type RepresentationRecord = z.output<typeof recordSchema>;

export type RepresentationCheck =
  | { confirmed: true; record: RepresentationRecord }
  | { confirmed: false; reason: 'NO_RECORD' | 'NOT_IN_FORCE' | 'SAME_PERSON' };

/** The registry could not be asked (down, timed out, answered something unreadable). */
export class RepresentationUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepresentationUnavailableError';
  }
}

export interface RepresentationRegistry {
  /** The principal's representation records; throws RepresentationUnavailableError. */
  recordsOf(principalIin: string): Promise<RepresentationRecord[]>;
}

/** The registry through the e-government gateway (in development and tests: the sandbox). */
export function gatewayRepresentationRegistry(gatewayUrl: string, timeoutMs = 5_000): RepresentationRegistry {
  const base = gatewayUrl.replace(/\/+$/, '');
  return {
    async recordsOf(principalIin) {
      let res: Response;
      try {
        res = await fetch(`${base}/gateway/v1/representation/${encodeURIComponent(principalIin)}`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new RepresentationUnavailableError(`representation registry unreachable: ${err instanceof Error ? err.name : 'error'}`);
      }
      if (!res.ok) throw new RepresentationUnavailableError(`representation registry answered HTTP ${res.status}`);
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw new RepresentationUnavailableError('representation registry answered with no JSON');
      }
      const answer = answerSchema.safeParse(body);
      if (!answer.success) throw new RepresentationUnavailableError('representation registry answered in an unknown format');
      // A record the registry describes in a way we cannot read is no confirmation: skipped.
      return answer.data.data.flatMap((r) => {
        const rec = recordSchema.safeParse(r);
        return rec.success ? [rec.data] : [];
      });
    },
  };
}

/** Whether `record` is in force on `today` (YYYY-MM-DD). */
export function inForce(record: RepresentationRecord, today: string): boolean {
  return record.from <= today && (record.to === undefined || today <= record.to);
}

/**
 * Confirms with the registry that `representativeIin` represents `principalIin` at `at`.
 * The one function every representative action goes through (api/auth/authorise.ts).
 */
export async function confirmRepresentation(
  registry: RepresentationRegistry,
  representativeIin: string,
  principalIin: string,
  at: Date,
): Promise<RepresentationCheck> {
  if (representativeIin === principalIin) return { confirmed: false, reason: 'SAME_PERSON' };
  const records = (await registry.recordsOf(principalIin)).filter(
    (r) => r.principalIin === principalIin && r.representativeIin === representativeIin,
  );
  if (records.length === 0) return { confirmed: false, reason: 'NO_RECORD' };
  const today = almatyDate(at.getTime());
  const active = records.find((r) => inForce(r, today));
  return active ? { confirmed: true, record: active } : { confirmed: false, reason: 'NOT_IN_FORCE' };
}
