/**
 * The data converter wiring shared by every Temporal Client and Worker of the system: the API, the
 * worker, the simulate harness, the test stack and the codec server all build theirs here, so they
 * encrypt and decrypt alike.
 */
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { loadSettings, type Settings } from '../../config/settings';
import { EncryptionCodec } from './encryption-codec';
import { DEV_KEY_FILE, loadKeyring } from './keyring';

/** Path of the failure converter module; Workers bundle it into the workflow code. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * `dataConverter` for `new Client(…)`, `Worker.create(…)`, `Worker.runReplayHistories(…)` and
 * `TestWorkflowEnvironment` (`client: { dataConverter }`).
 */
export function payloadDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * The codec with this process's keys: HPC_PAYLOAD_KEYS / HPC_PAYLOAD_ACTIVE_KEY, or in development
 * the key file data/payload-keys.json (created on first use). Throws KeyringConfigError with the
 * reason when the keys are unusable, so a process refuses to start rather than write plain text.
 */
export function loadPayloadCodec(settings: Settings = loadSettings(), devKeyFile: string = DEV_KEY_FILE): EncryptionCodec {
  return new EncryptionCodec(loadKeyring(settings, devKeyFile));
}
