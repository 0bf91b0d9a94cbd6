/**
 * The periodic re-verification's activities (issue #11 §2; workflows/reverification.ts). Thin: the
 * entries come from db/reverification.ts, the registries from the gateway, the judgement from
 * domain/reverification.ts. The IINs never leave the activity: what goes back to the workflow (and
 * so into its history) is entry ids, the ground and the registry's record behind it — encrypted,
 * like every payload, by the codec.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import * as db from '../db/reverification';
import { currentReferenceSnapshot } from '../domain/reference-snapshot';
import { almatyDate } from '../domain/time';
import { groundsFound, groundsKey, groundToOpen, type FoundGround } from '../domain/reverification';
import type { OwnershipRecord, PersonRecord } from '../domain/registry-facts';
import type { ReferenceSnapshot } from '../domain/procedure/reference';
import { fetchFromGateway, type GatewayConfig } from './registry-activities';

export interface ReverificationConfig extends Pick<GatewayConfig, 'url' | 'timeoutMs'> {
  pool: Pool;
  /** Gateway calls in flight per registry while a batch is read (each carries up to 50 IINs). */
  registryConcurrency?: number;
}

export interface EntryChange {
  entryId: string;
  applicationId?: string;
  /** Hex SHA-256 of the grounds' key (domain/reverification.ts groundsKey); the key itself stays here. */
  factsHash: string;
  /** The ground to open a removal case on; absent when the facts changed to give none. */
  open?: FoundGround;
}

export interface BatchRead {
  /** Active entries read; 0 ends the run. */
  checked: number;
  lastEntryId: string;
  changes: EntryChange[];
}

export interface ReverificationActivities {
  startReverificationRun(input: { runId: string; at: string }): Promise<{ total: number; reference: ReferenceSnapshot }>;
  reverifyBatch(input: { afterEntryId: string; limit: number; at: string }): Promise<BatchRead>;
  recordReverifiedBatch(input: { runId: string; afterEntryId: string; batch: BatchRead; opened: number; at: string }): Promise<boolean>;
  finishReverificationRun(input: { runId: string; at: string }): Promise<void>;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
/** The fingerprint of "no ground found": what an entry without a recorded verification has. */
const EMPTY = sha256('');

export function createReverificationActivities(config: ReverificationConfig): ReverificationActivities {
  const concurrency = config.registryConcurrency ?? 8;
  return {
    async startReverificationRun({ runId, at }) {
      const total = await db.startRun(config.pool, runId, new Date(at), await db.activeEntryCount(config.pool));
      return { total, reference: currentReferenceSnapshot() };
    },

    async reverifyBatch({ afterEntryId, limit, at }) {
      const entries = await db.activeEntriesAfter(config.pool, afterEntryId, limit);
      if (entries.length === 0) return { checked: 0, lastEntryId: afterEntryId, changes: [] };
      const iins = [...new Set(entries.map((e) => e.iin))];
      const [persons, realEstate] = await Promise.all([
        fetchFromGateway(config, 'persons', iins, concurrency),
        fetchFromGateway(config, 'realEstate', iins, concurrency),
      ]);
      const today = almatyDate(Date.parse(at));
      const changes: EntryChange[] = [];
      for (const e of entries) {
        const found = groundsFound(
          { registeredOn: almatyDate(e.registeredAt.getTime()) },
          {
            persons: (persons[e.iin] as PersonRecord | null | undefined) ?? null,
            realEstate: (realEstate[e.iin] as { ownership: OwnershipRecord[] } | null | undefined) ?? null,
            today,
          },
        );
        const hash = sha256(groundsKey(found));
        if (hash.equals(e.factsHash ?? EMPTY)) continue; // nothing changed since the last verification
        const open = groundToOpen(found);
        changes.push({ entryId: e.entryId, ...(e.applicationId ? { applicationId: e.applicationId } : {}), factsHash: hash.toString('hex'), ...(open ? { open } : {}) });
      }
      return { checked: entries.length, lastEntryId: entries[entries.length - 1]!.entryId, changes };
    },

    async recordReverifiedBatch({ runId, afterEntryId, batch, opened, at }) {
      return db.recordBatch(config.pool, {
        runId,
        afterEntryId,
        lastEntryId: batch.lastEntryId,
        checked: batch.checked,
        at: new Date(at),
        fingerprints: batch.changes.map((c) => ({ entryId: c.entryId, factsHash: Buffer.from(c.factsHash, 'hex') })),
        changed: batch.changes.filter((c) => c.open).length,
        opened,
      });
    },

    async finishReverificationRun({ runId, at }) {
      await db.finishRun(config.pool, runId, new Date(at));
    },
  };
}
