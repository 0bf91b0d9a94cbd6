/**
 * The failure converter of every Client and Worker (security/codec/data-converter.ts).
 *
 * By default Temporal stores a failure's message and stack trace in plain text, outside the
 * payloads that codecs encrypt. A message can carry personal data we do not write ourselves — a
 * PostgreSQL unique-violation quotes the row's key, an IIN — so the message and stack trace are
 * moved into the failure's `encodedAttributes` payload, which the codec encrypts; the history shows
 * "Encoded failure" instead. Clients with the codec restore the original message.
 *
 * This file is bundled into the workflow code (Worker `dataConverter.failureConverterPath`): it
 * must stay free of Node APIs and of the codec itself.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
