/**
 * Decrypting a whole workflow history, for the histories the simulate harness records into
 * test/histories/: those replay on every machine and in CI, so they are kept decoded (they hold the
 * sandbox's fictional persons only), and the replay test runs them through the codec as a worker
 * would (undecoded payloads pass through).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { isEncryptedPayload } from './encryption-codec';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array);
}

function looksLikeEncryptedPayload(v: Record<string, unknown>): boolean {
  return isObject(v.metadata) && v.data instanceof Uint8Array && isEncryptedPayload(v as Payload);
}

/**
 * Replaces, in place, every encrypted payload anywhere in `history` (inputs, results, markers,
 * memos, failures' encoded attributes, update arguments, …) by its decryption, and returns it.
 * Finding payloads by their shape keeps this independent of the event types a server version has.
 */
export async function decodeHistoryPayloads(history: History, codec: PayloadCodec): Promise<History> {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number; payload: Payload }[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, value] of entries) {
      if (isObject(value) && !Array.isArray(value) && looksLikeEncryptedPayload(value)) {
        slots.push({ parent: node, key, payload: value as Payload });
      } else {
        visit(value);
      }
    }
  };
  visit(history);
  if (slots.length === 0) return history;
  const decoded = await codec.decode(slots.map((s) => s.payload));
  slots.forEach((s, i) => {
    (s.parent as Record<string | number, unknown>)[s.key] = decoded[i];
  });
  return history;
}
