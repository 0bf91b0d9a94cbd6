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
 *   development                       (dev/pki/system-signer.ts) `data/system-signing/system.p12` (HPC_SYSTEM_SIGNING_DIR),
 *                                     issued once from the development test CA (HPC_TEST_CA_DIR,
 *                                     default security/pki/test-ca/; created, and its certificate
 *                                     put into the default trust store, when there is none yet) and
 *                                     issued again when that CA is replaced (`pki init-test-ca`).
 * `npm start` therefore needs no manual step: the first automated decision makes the key.
 */
import { readFileSync } from 'node:fs';
import { NcaCertificate } from './certificate';
import { readPkcs12 } from './keys';
import { signCmsWith } from './cms-signer';

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

export function fromP12(p12: Uint8Array, password: string): SystemSigner {
  const opened = readPkcs12(p12, password);
  return {
    certificate: opened.certificate,
    sign: (content) => signCmsWith(opened, content),
  };
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
  // Loaded only here, outside production: the development CA is never in the production import graph.
  const dev = await import('../../dev/pki/system-signer');
  return dev.developmentSystemSignerFromEnv(env);
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
