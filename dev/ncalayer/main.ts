/**
 * `npm run ncalayer` (and `npm start` in development): the NCALayer stand-in with every key of the
 * development test CA (security/pki/test-ca/index.json; `hpc pki init-test-ca` makes it), on
 * wss://127.0.0.1:13579/ (NCALAYER_PORT to move it; then give the API HPC_NCALAYER_URL).
 * HPC_NCALAYER_HOLDER chooses the person plugged in first (an IIN or a staff id).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TEST_CA_DIR, TEST_PKCS12_PASSWORD, type TestCaIndex } from '../pki/test-ca';
import type { SignerKey } from '../pki/test-signer';
import { NCALAYER_PORT, startNcaLayerStandIn } from './server';

export function holdersOfTestCa(caDir: string): Record<string, SignerKey[]> {
  const indexFile = join(caDir, 'index.json');
  if (!existsSync(indexFile)) throw new Error(`no test CA in ${caDir}: run npm run --silent hpc -- pki init-test-ca`);
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as TestCaIndex;
  const holders: Record<string, SignerKey[]> = {};
  for (const e of index.issued) {
    if ((e.kind !== 'AUTH' && e.kind !== 'SIGN') || !e.p12File) continue;
    const holder = e.staffId ?? e.iin;
    if (!holder) continue;
    (holders[holder] ??= []).push({ p12: readFileSync(join(caDir, e.p12File)), password: TEST_PKCS12_PASSWORD });
  }
  return holders;
}

async function main(): Promise<void> {
  const caDir = process.env.HPC_TEST_CA_DIR ?? DEFAULT_TEST_CA_DIR;
  const holders = holdersOfTestCa(caDir);
  const port = process.env.NCALAYER_PORT ? Number(process.env.NCALAYER_PORT) : NCALAYER_PORT;
  const standIn = await startNcaLayerStandIn({ port, holders, selected: process.env.HPC_NCALAYER_HOLDER });
  process.stdout.write(`${JSON.stringify({ ncalayer: standIn.url, chooser: `https://127.0.0.1:${standIn.port}/`, holders: Object.keys(holders).length, selected: standIn.selected() })}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
