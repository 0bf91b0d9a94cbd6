/**
 * The development system signing key (development and tests only): issued once from the
 * development test CA (HPC_TEST_CA_DIR, default security/pki/test-ca/; created, and its certificate
 * put into the development trust store, when missing) into data/system-signing/, and issued again
 * when that CA is replaced (`pki init-test-ca`). security/pki/system-signer.ts loads this module
 * lazily, and never with NODE_ENV=production.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeIin } from '../../domain/iin';
import { fromP12, type SystemSigner } from '../../security/pki/system-signer';
import { DEFAULT_TRUST_STORE_DIR } from '../../security/pki/trust-store';
import { DEFAULT_TEST_CA_DIR, TEST_PKCS12_PASSWORD, TEST_PROVIDER, TestCa, type Organization } from './test-ca';

export const DEFAULT_SYSTEM_SIGNING_DIR = resolve(__dirname, '..', '..', 'data', 'system-signing');

/** The development system certificate's holder (made-up, valid check digit; not a person's IIN). */
const DEV_SYSTEM_MEMBER = {
  staffId: 'SY-0001',
  role: 'SIGNER' as const,
  iin: makeIin('2000-01-01', 'M', 9001),
  surname: 'HPC',
  givenName: 'ЖҮЙЕ',
};

function writeSecret(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function providerOf(env: NodeJS.ProcessEnv): Organization {
  const bin = env.HPC_PROVIDER_BIN;
  return bin && /^\d{12}$/.test(bin) ? { ...TEST_PROVIDER, bin } : TEST_PROVIDER;
}

/** Issues (or reuses) the development key in `dir` from the CA in `caDir`. */
export async function developmentSystemSigner(dir: string, caDir: string, env: NodeJS.ProcessEnv = process.env): Promise<SystemSigner> {
  let ca: TestCa;
  if (existsSync(join(caDir, 'index.json'))) {
    ca = TestCa.load(caDir);
  } else {
    ca = await TestCa.create(caDir);
    if (resolve(caDir) === DEFAULT_TEST_CA_DIR) {
      // As `pki init-test-ca` does: the default trust store trusts the development CA.
      mkdirSync(DEFAULT_TRUST_STORE_DIR, { recursive: true });
      copyFileSync(join(caDir, 'ca.cer'), join(DEFAULT_TRUST_STORE_DIR, 'hpc-dev-test-ca.cer'));
    }
  }
  const p12Path = join(dir, 'system.p12');
  const metaPath = join(dir, 'system.json');
  const provider = providerOf(env);
  if (existsSync(p12Path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { caSha256?: string; bin?: string }; // written below
    if (meta.caSha256 === ca.certificate.fingerprint && meta.bin === provider.bin) return fromP12(readFileSync(p12Path), TEST_PKCS12_PASSWORD);
  }
  const key = await ca.issueStaff(DEV_SYSTEM_MEMBER, provider, 'SIGN', { writeFiles: false });
  writeSecret(p12Path, key.p12);
  writeFileSync(metaPath, `${JSON.stringify({ caSha256: ca.certificate.fingerprint, bin: provider.bin, serialNumber: key.certificate.parsed.serialNumber }, null, 2)}\n`);
  return fromP12(key.p12, TEST_PKCS12_PASSWORD);
}

/** As the environment says: a fresh key and CA per jest worker, else data/system-signing/. */
export async function developmentSystemSignerFromEnv(env: NodeJS.ProcessEnv): Promise<SystemSigner> {
  if (env.JEST_WORKER_ID !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-system-signer-'));
    return developmentSystemSigner(join(dir, 'key'), join(dir, 'ca'), env);
  }
  return developmentSystemSigner(resolve(env.HPC_SYSTEM_SIGNING_DIR ?? DEFAULT_SYSTEM_SIGNING_DIR), resolve(env.HPC_TEST_CA_DIR ?? DEFAULT_TEST_CA_DIR), env);
}
