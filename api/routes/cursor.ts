/**
 * Opaque page cursors: base64url of a small JSON object that only the server reads. A cursor that
 * does not decode to what the endpoint expects is 400 CURSOR_INVALID naming `cursor`.
 */
import { apiError } from '../errors';

export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, read: (v: Record<string, unknown>) => T | undefined): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw apiError(400, 'CURSOR_INVALID', { field: 'cursor' });
  }
  const out = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? read(parsed as Record<string, unknown>) : undefined;
  if (out === undefined) throw apiError(400, 'CURSOR_INVALID', { field: 'cursor' });
  return out;
}
