/**
 * The provider's system signing key: automated decisions (R7.1 registration, a refusal finalised
 * because no position was stated, decisions following an operator's review) are signed by the
 * system in the activity that writes them (activities/case-activities.ts), with a detached CMS over
 * the decision's canonical form — the same format a person's NCALayer makes.
 *
 * Where the key comes from (first match):
 *   HPC_SYSTEM_SIGNING_KEY            a PKCS#12 file: the provider's NCA certificate for its
 *   HPC_SYSTEM_SIGNING_KEY_PASSWORD   information system (production; required there)
 *   NODE_ENV=production               nothing else: an unconfigured key is an error
 *   under jest (JEST_WORKER_ID)       a throw-away test CA and key in a temporary folder, so tests
 *                                     never write into the checkout
 *   development                       `data/system-signing/system.p12` (HPC_SYSTEM_SIGNING_DIR),
 *                                     issued once from the development test CA (HPC_TEST_CA_DIR,
 *                                     default security/pki/test-ca/; created, and its certificate
 *                                     put into the default trust store, when there is none yet) and
 *                                     issued again when that CA is replaced (`pki init-test-ca`).
 * `npm start` therefore needs no manual step: the first automated decision makes the key.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeIin } from '../../domain/iin';
import { NcaCertificate } from './certificate';
import { readPkcs12 } from './keys';
import { DEFAULT_TEST_CA_DIR, TEST_PKCS12_PASSWORD, TEST_PROVIDER, TestCa, type Organization } from './test-ca';
import { signCmsWith } from './test-signer';
import { DEFAULT_TRUST_STORE_DIR } from './trust-store';

export interface SystemSigner {
  /** The provider's certificate that signs. */
  certificate: NcaCertificate;
  /** A detached CMS (base64) over `content`, as NCALayer makes it. */
  sign(content: Uint8Array): string;
}

export class SystemSignerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SystemSignerConfigError';
  }
}

/** The development system certificate's holder (made-up, valid check digit; not a person's IIN). */
const DEV_SYSTEM_MEMBER = {
  staffId: 'SY-0001',
  role: 'SIGNER' as const,
  iin: makeIin('2000-01-01', 'M', 9001),
  surname: 'HPC',
  givenName: 'ЖҮЙЕ',
};

export const DEFAULT_SYSTEM_SIGNING_DIR = resolve(__dirname, '..', '..', 'data', 'system-signing');

function fromP12(p12: Uint8Array, password: string): SystemSigner {
  const opened = readPkcs12(p12, password);
  return {
    certificate: opened.certificate,
    sign: (content) => signCmsWith(opened, content),
  };
}

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

/** The system signer as configured by the environment (see the header). */
export async function loadSystemSigner(env: NodeJS.ProcessEnv = process.env): Promise<SystemSigner> {
  const file = env.HPC_SYSTEM_SIGNING_KEY;
  if (file) {
    const password = env.HPC_SYSTEM_SIGNING_KEY_PASSWORD;
    if (password === undefined) throw new SystemSignerConfigError('HPC_SYSTEM_SIGNING_KEY needs HPC_SYSTEM_SIGNING_KEY_PASSWORD');
    return fromP12(readFileSync(file), password);
  }
  if (env.NODE_ENV === 'production') {
    throw new SystemSignerConfigError('no system signing key: set HPC_SYSTEM_SIGNING_KEY and HPC_SYSTEM_SIGNING_KEY_PASSWORD');
  }
  if (env.JEST_WORKER_ID !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hpc-system-signer-'));
    return developmentSystemSigner(join(dir, 'key'), join(dir, 'ca'), env);
  }
  return developmentSystemSigner(resolve(env.HPC_SYSTEM_SIGNING_DIR ?? DEFAULT_SYSTEM_SIGNING_DIR), resolve(env.HPC_TEST_CA_DIR ?? DEFAULT_TEST_CA_DIR), env);
}

/** Loads once per process (and again after a failure, so a fixed configuration is picked up). */
export function lazySystemSigner(load: () => Promise<SystemSigner> = () => loadSystemSigner()): () => Promise<SystemSigner> {
  let pending: Promise<SystemSigner> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
