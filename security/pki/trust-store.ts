/**
 * Trusted roots: the certification authorities whose certificates end a valid chain.
 *
 * Kept in a folder (env `HPC_TRUST_STORE`, default `security/pki/trust/`), one certificate per
 * `.cer`/`.crt`/`.der` file or any number per `.pem` file. In development the folder holds the
 * test CA written by `hpc pki init-test-ca`; in production it holds NCA's root and issuing CA
 * certificates (RSA and GOST), downloaded from pki.gov.kz and checked by their fingerprints.
 * A trust anchor need not be self-signed: NCA's issuing CAs («ҰКО 3.0») may be anchors themselves.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CertificateParseError, loadCertificates, NcaCertificate, type CertificateInput } from './certificate';

export const DEFAULT_TRUST_STORE_DIR = resolve(__dirname, 'trust');
/** The development CA's name (dev/pki/test-ca.ts, 'ҰКО HPC DEV (RSA TEST)'). */
const DEV_TEST_CA_MARK = 'HPC DEV';

export interface TrustStore {
  readonly anchors: readonly NcaCertificate[];
  /** Where the anchors came from (a folder, or 'memory'), for messages. */
  readonly source: string;
}

export class TrustStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustStoreError';
  }
}

const CERT_FILE = /\.(cer|crt|der|pem)$/i;

/** The trust-store folder named by the environment, or the default. */
export function trustStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.HPC_TRUST_STORE;
  return configured !== undefined && configured !== '' ? resolve(configured) : DEFAULT_TRUST_STORE_DIR;
}

/**
 * Loads every certificate file of the folder. A folder named by HPC_TRUST_STORE must exist (a
 * typo must not silently trust nothing and lock everyone out unexplained); the default folder may
 * be missing or empty (no test CA generated yet), which trusts nobody.
 */
export function loadTrustStore(dir?: string, env: NodeJS.ProcessEnv = process.env): TrustStore {
  const folder = dir !== undefined ? resolve(dir) : trustStoreDir(env);
  const explicit = dir !== undefined || (env.HPC_TRUST_STORE ?? '') !== '';
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    if (explicit) throw new TrustStoreError(`trust store folder ${folder} does not exist`);
    return { anchors: [], source: folder };
  }
  const anchors: NcaCertificate[] = [];
  for (const name of readdirSync(folder).filter((f) => CERT_FILE.test(f)).sort()) {
    try {
      anchors.push(...loadCertificates(readFileSync(join(folder, name))));
    } catch (err) {
      if (err instanceof CertificateParseError) throw new TrustStoreError(`${join(folder, name)}: ${err.message}`);
      throw err;
    }
  }
  const store = { anchors: dedupe(anchors), source: folder };
  if (env.NODE_ENV === 'production') assertProductionTrustStore(store, explicit);
  return store;
}

/** A test PKI's CA: NCA's test CAs say TEST in their names; the development CA is ours (dev/pki/test-ca.ts). */
export function isTestAuthority(c: NcaCertificate): boolean {
  return /\bTEST\b/i.test(c.parsed.subject) || c.parsed.subject.includes(DEV_TEST_CA_MARK);
}

/**
 * Production refuses to start on a trust store that would let the wrong people in: the default
 * folder (meant for the development CA), an empty one, or one holding a test authority. NCA's
 * production roots cannot ship with the code (they are fetched from pki.gov.kz and checked by
 * fingerprint at deployment, docs/eds.md), so this check is what stands between a misconfigured
 * deployment and sign-ins signed by a test key anyone can download.
 */
export function assertProductionTrustStore(store: TrustStore, explicit: boolean): void {
  if (!explicit) throw new TrustStoreError('production needs HPC_TRUST_STORE naming the folder of NCA RK production CA certificates');
  if (store.anchors.length === 0) throw new TrustStoreError(`trust store ${store.source} holds no certificate`);
  const test = store.anchors.filter(isTestAuthority);
  if (test.length > 0) {
    throw new TrustStoreError(`trust store ${store.source} holds test authorities, refused in production: ${test.map((c) => c.parsed.subject).join('; ')}`);
  }
}

/** A trust store from certificates in memory (tests, the CLI's --ca files). */
export function trustStoreOf(certificates: readonly CertificateInput[], source = 'memory'): TrustStore {
  return { anchors: dedupe(certificates.map((c) => NcaCertificate.from(c))), source };
}

function dedupe(certs: NcaCertificate[]): NcaCertificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => (seen.has(c.fingerprint) ? false : (seen.add(c.fingerprint), true)));
}
