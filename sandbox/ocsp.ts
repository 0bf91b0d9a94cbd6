/**
 * A test OCSP responder (RFC 6960) for the development PKI, mounted in the gateway sandbox:
 *
 *   POST /ocsp                 body application/ocsp-request → application/ocsp-response
 *   GET  /ocsp/<base64 request> the same, RFC 6960 appendix A.1 GET form
 *   GET  /_admin/revocations   the serials revoked so far
 *   PUT  /_admin/revocations   {"serialNumber": hex, "revokedAt"?: ISO, "reason"?: CRL reason} revokes one
 *   DELETE /_admin/revocations forgets every revocation
 *
 * It answers for the test CA in a folder made by `hpc pki init-test-ca` (default
 * security/pki/test-ca/, env HPC_TEST_CA_DIR): good for a serial the CA issued (index.json),
 * revoked after PUT /_admin/revocations, unknown for anything else; a request about another CA's
 * certificate is unknown too, and without a CA folder every request is `unauthorized`. Answers
 * are signed by the CA's delegated OCSP responder key and echo the request's nonce.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as asn1js from 'asn1js';
import express, { type Request, type Response, type Router } from 'express';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import { OCSP, EXT } from '../security/pki/oids';
import { sha256WithRsa, signSha256 } from '../security/pki/keys';
import { certIdMatches, certIdSerialHex, CRL_REASONS, nonceOf, publicKeyBits, type CrlReason } from '../security/pki/revocation';
import { DEFAULT_TEST_CA_DIR, TestCa, TestCaError } from '../dev/pki/test-ca';

export interface OcspResponderOptions {
  /** Test CA folder; default env HPC_TEST_CA_DIR, else security/pki/test-ca. */
  caDir?: string;
  now?: () => Date;
  /** nextUpdate = thisUpdate + this; default 10 minutes. */
  validityMs?: number;
}

export interface Revocation {
  serialNumber: string;
  revokedAt: string;
  reason?: CrlReason;
}

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
const STATUS = { successful: 0, malformedRequest: 1, internalError: 2, unauthorized: 6 } as const;

export class OcspResponder {
  private readonly caDir: string;
  private readonly now: () => Date;
  private readonly validityMs: number;
  private readonly revoked = new Map<string, Revocation>();
  private loaded: { stamp: string; ca: TestCa; issued: Set<string> } | undefined;

  constructor(options: OcspResponderOptions = {}) {
    this.caDir = resolve(options.caDir ?? (process.env.HPC_TEST_CA_DIR || DEFAULT_TEST_CA_DIR));
    this.now = options.now ?? (() => new Date());
    this.validityMs = options.validityMs ?? 10 * 60_000;
  }

  revoke(serialNumber: string, revokedAt: Date = this.now(), reason?: CrlReason): Revocation {
    const serial = normaliseSerial(serialNumber);
    const entry: Revocation = { serialNumber: serial, revokedAt: revokedAt.toISOString(), ...(reason ? { reason } : {}) };
    this.revoked.set(serial, entry);
    return entry;
  }

  revocations(): Revocation[] {
    return [...this.revoked.values()];
  }

  clearRevocations(): void {
    this.revoked.clear();
  }

  /** The DER OCSPResponse for a DER OCSPRequest; never throws. */
  respond(requestDer: Uint8Array): Uint8Array {
    let request: pkijs.OCSPRequest;
    try {
      request = pkijs.OCSPRequest.fromBER(requestDer);
      if (request.tbsRequest.requestList.length === 0) return statusOnly(STATUS.malformedRequest);
    } catch {
      return statusOnly(STATUS.malformedRequest);
    }
    const state = this.state();
    if (!state) return statusOnly(STATUS.unauthorized);
    try {
      return this.sign(state.ca, state.issued, request);
    } catch {
      return statusOnly(STATUS.internalError);
    }
  }

  /** The CA, reloaded whenever its folder changes (a new `init-test-ca`, a newly issued key). */
  private state(): { ca: TestCa; issued: Set<string> } | undefined {
    const index = join(this.caDir, 'index.json');
    if (!existsSync(index)) return undefined;
    const stamp = `${statSync(index).mtimeMs}:${statSync(index).size}`;
    if (this.loaded?.stamp === stamp) return this.loaded;
    try {
      const ca = TestCa.load(this.caDir);
      const issued = new Set(ca.index().issued.map((e) => e.serialNumber));
      this.loaded = { stamp, ca, issued };
      return this.loaded;
    } catch (err) {
      if (err instanceof TestCaError || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  private sign(ca: TestCa, issued: Set<string>, request: pkijs.OCSPRequest): Uint8Array {
    const now = this.now();
    const responses = request.tbsRequest.requestList.map((r) => {
      const serial = certIdSerialHex(r.reqCert);
      const ours = certIdMatches(r.reqCert, ca.certificate) && issued.has(serial);
      const revocation = ours ? this.revoked.get(serial) : undefined;
      return new pkijs.SingleResponse({
        certID: r.reqCert,
        certStatus: !ours ? tagged(2) : revocation ? revokedInfo(revocation) : tagged(0),
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + this.validityMs),
      });
    });
    const data = new pkijs.ResponseData({
      // byKey: SHA-1 of the responder's public key bits (RFC 6960 §4.2.1).
      responderID: new asn1js.OctetString({ valueHex: createHash('sha1').update(publicKeyBits(ca.ocspCertificate)).digest() }),
      producedAt: now,
      responses,
    });
    const nonce = nonceOf(request.tbsRequest.requestExtensions);
    if (nonce) {
      data.responseExtensions = [
        new pkijs.Extension({ extnID: EXT.ocspNonce, critical: false, extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false) }),
      ];
    }
    const tbs = new Uint8Array(data.toSchema(true).toBER(false));
    data.tbsView = tbs;
    const basic = new pkijs.BasicOCSPResponse({
      tbsResponseData: data,
      signatureAlgorithm: sha256WithRsa(),
      signature: new asn1js.BitString({ valueHex: signSha256(ca.ocspKey, tbs) }),
      certs: [ca.ocspCertificate.asn],
    });
    const response = new pkijs.OCSPResponse({
      responseStatus: new asn1js.Enumerated({ value: STATUS.successful }),
      responseBytes: new pkijs.ResponseBytes({
        responseType: OCSP.basic,
        response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
      }),
    });
    return new Uint8Array(response.toSchema().toBER(false));
  }
}

function normaliseSerial(serial: string): string {
  const hex = serial.toLowerCase().replace(/[\s:]/g, '');
  return hex.length > 2 && hex.startsWith('00') ? hex.slice(2) : hex;
}

/** `[n] IMPLICIT NULL`: good (0) and unknown (2) in CertStatus. */
function tagged(tagNumber: number): asn1js.Primitive {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber } });
}

function revokedInfo(r: Revocation): asn1js.Constructed {
  const value: asn1js.BaseBlock[] = [new asn1js.GeneralizedTime({ valueDate: new Date(r.revokedAt) })];
  if (r.reason) {
    value.push(
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: CRL_REASONS.indexOf(r.reason) })] }),
    );
  }
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
}

function statusOnly(status: number): Uint8Array {
  return new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
}

const revocationSchema = z.strictObject({
  serialNumber: z.string().regex(/^(?:[0-9a-fA-F]{2}[:\s]?){1,40}$/, 'a serial number in hex'),
  revokedAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.enum(CRL_REASONS).optional(),
});

function sendOcsp(res: Response, der: Uint8Array): void {
  res.status(200).type('application/ocsp-response').setHeader('Cache-Control', 'no-store');
  res.send(Buffer.from(der));
}

/** The express routes of the responder, to mount on the sandbox app. */
export function ocspRouter(responder: OcspResponder): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '16kb' });

  router.post('/ocsp', raw, (req: Request, res: Response) => {
    res.locals.route = '/ocsp';
    const body: unknown = req.body;
    if (!req.is('application/ocsp-request') || !Buffer.isBuffer(body)) {
      res.status(415).json({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send an application/ocsp-request body' });
      return;
    }
    sendOcsp(res, responder.respond(new Uint8Array(body)));
  });

  router.get('/ocsp/:request', (req: Request, res: Response) => {
    res.locals.route = '/ocsp/:request';
    const encoded = decodeURIComponent(req.params.request as string);
    sendOcsp(res, responder.respond(new Uint8Array(Buffer.from(encoded, 'base64'))));
  });

  router.get('/_admin/revocations', (_req: Request, res: Response) => {
    res.locals.route = '/_admin/revocations';
    res.json({ revocations: responder.revocations() });
  });

  router.put('/_admin/revocations', express.json({ limit: '16kb' }), (req: Request, res: Response) => {
    res.locals.route = '/_admin/revocations';
    const body = revocationSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'INVALID_REQUEST', message: 'expected {"serialNumber": hex, "revokedAt"?: ISO 8601, "reason"?: CRL reason}' });
      return;
    }
    const at = body.data.revokedAt === undefined ? undefined : new Date(body.data.revokedAt);
    const revoked = responder.revoke(body.data.serialNumber, at, body.data.reason);
    res.json({ revoked, revocations: responder.revocations() });
  });

  router.delete('/_admin/revocations', (_req: Request, res: Response) => {
    res.locals.route = '/_admin/revocations';
    responder.clearRevocations();
    res.json({ revocations: [] });
  });

  return router;
}
