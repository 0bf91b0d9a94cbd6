// Starts what the workflow and integration tests need, once per `jest` run:
//  - PostgreSQL: DATABASE_URL if given (a database named hpc_test is made on it), otherwise an
//    embedded server in a temporary folder, removed afterwards;
//  - Temporal's dev server (in memory) unless TEMPORAL_ADDRESS names a running cluster.
// Settings reach the test workers through environment variables (HPC_TEST_*).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../scripts/postgres.mjs';
import { freePort, startTemporalDev, testServerBinary } from '../scripts/temporal-dev.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function freshDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function globalSetup() {
  const started = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A cluster of its own per run, so two test runs on one machine never share (or drop) data.
    const dir = mkdtempSync(join(tmpdir(), 'hpc-test-pg-'));
    chmodSync(dir, 0o755); // the server runs as the postgres user when the tests run as root
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, database: 'postgres' });
    started.push(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    adminUrl = server.url;
  }
  process.env.HPC_TEST_DATABASE_ADMIN_URL = adminUrl;
  process.env.HPC_TEST_DATABASE_URL = await freshDatabase(adminUrl, 'hpc_test');

  if (process.env.TEMPORAL_ADDRESS) {
    process.env.HPC_TEST_TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
  } else {
    const temporal = await startTemporalDev({ root, port: await freePort() });
    started.push(temporal.stop);
    process.env.HPC_TEST_TEMPORAL_ADDRESS = temporal.address;
  }
  process.env.HPC_TEST_SERVER_BINARY = testServerBinary(root);
  // Tests name their callers in the development header X-HPC-Actor (api/identity.ts) unless they
  // sign in (test/integration/auth.test.ts); apps that must refuse it pass devIdentityHeader: false.
  process.env.HPC_DEV_IDENTITY_HEADER ??= '1';
  globalThis.__HPC_STOP__ = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
}
