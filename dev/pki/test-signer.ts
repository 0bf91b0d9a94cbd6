/**
 * Stands in for NCALayer in demos and tests (development only: it holds private keys in memory;
 * nothing in the production import graph reaches dev/, test/unit/production-graph.test.ts).
 * TestNcaLayer answers the same JSON messages the browser sends to `wss://127.0.0.1:13579/`
 * (docs/eds.md), choosing the key by `signerParams.extKeyUsageOids`; the CMS itself is
 * security/pki/cms-signer.ts's.
 */
import { dataBytes, openKey, signWith, type OpenedKey, type SignCmsOptions, type SignerKey } from '../../security/pki/cms-signer';
export { signCms, signCmsWith, TestSignerError, type OpenedKey, type SignCmsOptions, type SignerKey } from '../../security/pki/cms-signer';

// --- NCALayer's WebSocket messages -------------------------------------------------------------

export interface NcaLayerSignArgs {
  allowedStorages?: string[] | null;
  format: 'cms' | 'xml';
  data: string | string[];
  signingParams?: { decode?: boolean; encapsulate?: boolean; digested?: boolean; tsaProfile?: unknown };
  signerParams?: { extKeyUsageOids?: string[]; chain?: string[] };
  locale?: string;
}

export interface NcaLayerRequest {
  module: string;
  method: string;
  args?: NcaLayerSignArgs;
}

/** `{status: true, body: {result}}`; no `result` when the person cancelled (or had no fitting key). */
export type NcaLayerResponse =
  | { status: true; body: { result?: string | string[] } }
  | { status: false; code: string; message: string };

export interface TestNcaLayerOptions {
  /** Clock for the signingTime attribute. */
  now?: () => Date;
  /** Behave as if the person pressed Cancel. */
  cancel?: boolean;
}

export const NCALAYER_BASICS_MODULE = 'kz.gov.pki.knca.basics';

/** An NCALayer stand-in holding the keys a person has "on their token". */
export class TestNcaLayer {
  private readonly keys: OpenedKey[];

  constructor(
    keys: readonly SignerKey[],
    private readonly options: TestNcaLayerOptions = {},
  ) {
    this.keys = keys.map(openKey);
  }

  /** One request as JSON text (as received over the WebSocket) or as an object. */
  async handle(request: NcaLayerRequest | string): Promise<NcaLayerResponse> {
    let req: NcaLayerRequest;
    try {
      req = typeof request === 'string' ? (JSON.parse(request) as NcaLayerRequest) : request; // shape checked below
    } catch {
      return { status: false, code: '400', message: 'the request is not JSON' };
    }
    if (req.module !== NCALAYER_BASICS_MODULE || req.method !== 'sign' || !req.args) {
      return { status: false, code: '500', message: `unsupported: ${String(req.module)}.${String(req.method)}` };
    }
    const args = req.args;
    if (args.format !== 'cms') return { status: false, code: '500', message: 'the test signer makes CMS only' };
    if (args.signingParams?.digested) return { status: false, code: '500', message: 'signing a digest is not supported' };
    if (this.options.cancel) return { status: true, body: {} };
    const wanted = args.signerParams?.extKeyUsageOids ?? [];
    const key = this.keys.find((k) => wanted.every((oid) => k.certificate.parsed.extKeyUsage.includes(oid)));
    if (!key) return { status: true, body: {} }; // NCALayer lists no key; the person can only cancel
    const options: SignCmsOptions = {
      decode: args.signingParams?.decode ?? true,
      encapsulate: args.signingParams?.encapsulate ?? false,
      signingTime: (this.options.now ?? (() => new Date()))(),
      includeChain: (args.signerParams?.chain ?? []).length > 0,
    };
    try {
      const one = (d: string): string => Buffer.from(signWith(key, dataBytes(d, options.decode ?? true), options)).toString('base64');
      return { status: true, body: { result: Array.isArray(args.data) ? args.data.map(one) : one(args.data) } };
    } catch (err) {
      return { status: false, code: '500', message: err instanceof Error ? err.message : String(err) };
    }
  }
}
