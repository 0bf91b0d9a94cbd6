/**
 * The worker process: `npm run worker`. Reads TEMPORAL_ADDRESS, DATABASE_URL, GATEWAY_URL and the
 * payload keys (HPC_PAYLOAD_KEYS / HPC_PAYLOAD_ACTIVE_KEY, docs/payload-encryption.md).
 * Several may run against one cluster (docker-compose.yml runs three); they all need the same keys.
 */
import { runWorker } from './run-worker';

runWorker().catch((err: Error) => {
  process.stderr.write(`worker failed: ${err.message}\n`);
  process.exit(1);
});
