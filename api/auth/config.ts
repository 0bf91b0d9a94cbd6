/**
 * Settings of sign-in and sessions, from the environment (defaults in brackets) or from
 * `createApiApp({..., auth: {...}})` in tests:
 *
 *   HPC_DEV_IDENTITY_HEADER=1   accept `X-HPC-Actor: <role>:<id>` instead of a session — development
 *                               and tests only; refused with NODE_ENV=production [off]
 *   HPC_PROVIDER_BIN            the provider's BIN: staff sign in with a certificate of an employee
 *                               of this legal entity [unset: staff sign-in answers 503]
 *   HPC_SESSION_IDLE_SECONDS    a session ends after this long without a request [900]
 *   HPC_SESSION_MAX_SECONDS     and at the latest this long after sign-in [28800]
 *   HPC_CHALLENGE_TTL_SECONDS   a sign-in nonce must be used within [300]
 *   HPC_TRUST_STORE             trusted CA certificates (security/pki/trust-store.ts) [security/pki/trust]
 *   HPC_OCSP_URL                one OCSP responder for every certificate [the certificate's AIA]
 *   HPC_GOST_VERIFIER_URL       an external GOST verification service (security/pki/verifier.ts) [none]
 */
import {
  CrlChecker,
  FallbackRevocationChecker,
  HttpGostVerifier,
  loadTrustStore,
  OcspClient,
  type RevocationChecker,
  type SignatureVerifier,
  type TrustStore,
} from '../../security/pki';

export interface AuthOptions {
  trust?: TrustStore;
  revocation?: RevocationChecker;
  verifier?: SignatureVerifier;
  /** The provider's BIN; null or undefined: staff cannot sign in. */
  providerBin?: string | null;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  challengeTtlMs?: number;
  /** Base URL of the e-government gateway (representation registry); default `settings.gatewayUrl`. */
  gatewayUrl?: string;
  /** Clock of sessions, challenges and the representation check (tests). */
  now?: () => Date;
}

export interface AuthSettings {
  trust: () => TrustStore;
  revocation: RevocationChecker;
  verifier: SignatureVerifier | undefined;
  providerBin: string | undefined;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  challengeTtlMs: number;
  gatewayUrl: string;
  now: () => Date;
}

/** What createApiApp takes besides ApiDeps (api/http.ts). */
export interface AuthAppOptions {
  /** Accept the X-HPC-Actor header (development and tests); default HPC_DEV_IDENTITY_HEADER=1. */
  devIdentityHeader?: boolean;
  auth?: AuthOptions;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return n * 1000;
}

/** Whether the X-HPC-Actor header is accepted; throws when it would be on in production. */
export function devIdentityHeaderEnabled(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.HPC_DEV_IDENTITY_HEADER;
  if (raw !== undefined && raw !== '' && raw !== '0' && raw !== '1') {
    throw new Error(`HPC_DEV_IDENTITY_HEADER must be 1 or 0, got "${raw}"`);
  }
  const on = option ?? raw === '1';
  if (on && env.NODE_ENV === 'production') {
    throw new Error('the X-HPC-Actor development header (HPC_DEV_IDENTITY_HEADER) is refused with NODE_ENV=production');
  }
  return on;
}

export function authSettings(options: AuthOptions, defaultGatewayUrl: string, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const bin = options.providerBin === undefined ? env.HPC_PROVIDER_BIN : (options.providerBin ?? undefined);
  if (bin !== undefined && bin !== '' && !/^\d{12}$/.test(bin)) throw new Error(`HPC_PROVIDER_BIN must be 12 digits, got "${bin}"`);
  const idleTimeoutMs = options.idleTimeoutMs ?? seconds(env, 'HPC_SESSION_IDLE_SECONDS', 15 * 60);
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? seconds(env, 'HPC_SESSION_MAX_SECONDS', 8 * 60 * 60);
  if (idleTimeoutMs > absoluteTimeoutMs) throw new Error('the idle timeout of a session cannot exceed its maximum lifetime');
  const gost = env.HPC_GOST_VERIFIER_URL;
  const verifier = options.verifier ?? (gost ? new HttpGostVerifier({ baseUrl: gost }) : undefined);
  const ocspUrl = env.HPC_OCSP_URL;
  // The trust store is read at the first sign-in (a folder named by HPC_TRUST_STORE must exist);
  // in production at once, so a deployment with a wrong trust store never starts
  // (assertProductionTrustStore in security/pki/trust-store.ts).
  let trust: TrustStore | undefined = options.trust ?? (env.NODE_ENV === 'production' ? loadTrustStore(undefined, env) : undefined);
  return {
    trust: () => (trust ??= loadTrustStore(undefined, env)),
    revocation:
      options.revocation ??
      new FallbackRevocationChecker(
        new OcspClient({ ...(ocspUrl ? { url: ocspUrl } : {}), ...(verifier ? { verifier } : {}) }),
        new CrlChecker(verifier ? { verifier } : {}),
      ),
    verifier,
    providerBin: bin === '' ? undefined : bin,
    idleTimeoutMs,
    absoluteTimeoutMs,
    challengeTtlMs: options.challengeTtlMs ?? seconds(env, 'HPC_CHALLENGE_TTL_SECONDS', 5 * 60),
    gatewayUrl: options.gatewayUrl ?? defaultGatewayUrl,
    now: options.now ?? (() => new Date()),
  };
}
