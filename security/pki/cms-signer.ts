/**
 * Detached CMS signatures as NCALayer makes them, with a key this process holds: the provider's
 * system key signs every automated decision with signCmsWith() (security/pki/system-signer.ts), and
 * the development stand-in for NCALayer (dev/pki/test-signer.ts) signs with signCms().
 *
 * signCms() makes the CMS NCALayer's `kz.gov.pki.knca.basics` `sign` returns for
 * `format: 'cms'`, `signingParams: {decode: true, encapsulate: false}`: a DER ContentInfo with
 * SignedData, SHA-256, the signer's certificate, one SignerInfo identified by issuer and serial,
 * signed attributes contentType, signingTime and messageDigest, an RSA PKCS#1 v1.5 signature;
 * base64 encoded.
 */
import { createHash, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { NcaCertificate, type CertificateInput } from './certificate';
import { decodeBase64 } from './der';
import { readPkcs12, readPrivateKey, signSha256 } from './keys';
import { ALG, CMS } from './oids';

/** A key as NCALayer would open it: a PKCS#12 file and its password, or a key and certificate. */
export type SignerKey =
  | { p12: Uint8Array; password: string }
  | { privateKey: KeyObject | string; certificate: CertificateInput; chain?: readonly CertificateInput[] };

export interface SignCmsOptions {
  /** `signingParams.decode`: the data string is base64 and its bytes are signed (default true). */
  decode?: boolean;
  /** `signingParams.encapsulate`: put the data inside the CMS (default false: detached). */
  encapsulate?: boolean;
  /** The signingTime attribute; default now. */
  signingTime?: Date;
  /** Add the CA certificates of the key to the CMS (NCALayer's `signerParams.chain`). */
  includeChain?: boolean;
}

export interface OpenedKey {
  privateKey: KeyObject;
  certificate: NcaCertificate;
  chain: NcaCertificate[];
}

export class TestSignerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestSignerError';
  }
}

export function openKey(key: SignerKey): OpenedKey {
  if ('p12' in key) return readPkcs12(key.p12, key.password);
  return {
    privateKey: typeof key.privateKey === 'string' ? readPrivateKey(key.privateKey) : key.privateKey,
    certificate: NcaCertificate.from(key.certificate),
    chain: (key.chain ?? []).map((c) => NcaCertificate.from(c)),
  };
}

export function dataBytes(data: string | Uint8Array, decode: boolean): Uint8Array {
  if (typeof data !== 'string') return data;
  if (!decode) return new Uint8Array(Buffer.from(data, 'utf8'));
  const bytes = decodeBase64(data);
  if (bytes === undefined) throw new TestSignerError('data is not base64 (signingParams.decode is true)');
  return bytes;
}

function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * DER that is written out as it is. asn1js hands a constructed block's children a writer; RawData
 * ignores it, so this writes into it.
 */
class PreEncoded extends asn1js.RawData {
  override toBER(sizeOnly?: boolean, writer?: asn1js.ViewWriter): ArrayBuffer {
    const der = super.toBER(sizeOnly);
    if (!writer) return der;
    writer.write(der);
    return new ArrayBuffer(0);
  }
}

/**
 * The certificate and its issuer name as DER encoded once. pkijs re-parses and re-encodes the
 * whole certificate (and the issuer name) for every CMS — most of a signature's cost, and the
 * system key signs every automated decision. CertificateSet and IssuerAndSerialNumber encode any
 * item through its toSchema(), so these hand them the bytes the certificate already has.
 */
interface EncodedOnce {
  certificate: pkijs.Certificate;
  issuer: pkijs.RelativeDistinguishedNames;
}
const encodedCertificates = new WeakMap<NcaCertificate, EncodedOnce>();
function encodedOnce(cert: NcaCertificate): EncodedOnce {
  let encoded = encodedCertificates.get(cert);
  if (!encoded) {
    const certificateDer = cert.asn.toSchema().toBER(false);
    const issuerDer = cert.asn.issuer.toSchema().toBER(false);
    // Typed as pkijs classes for their parameters; only toSchema() is ever called on them.
    encoded = {
      certificate: { toSchema: () => new PreEncoded({ data: certificateDer }) } as unknown as pkijs.Certificate,
      issuer: { toSchema: () => new PreEncoded({ data: issuerDer }) } as unknown as pkijs.RelativeDistinguishedNames,
    };
    encodedCertificates.set(cert, encoded);
  }
  return encoded;
}

export function signWith(opened: OpenedKey, content: Uint8Array, options: SignCmsOptions): Uint8Array {
  const digest = new Uint8Array(createHash('sha256').update(content).digest());
  // DER orders a SET OF by the encodings of its elements; the signature covers that order.
  const attributes = [
    attribute(CMS.contentType, new asn1js.ObjectIdentifier({ value: CMS.data })),
    attribute(CMS.signingTime, new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() })),
    attribute(CMS.messageDigest, new asn1js.OctetString({ valueHex: digest })),
  ]
    .map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map((x) => x.a);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31; // RFC 5652 §5.4: signed as a SET OF, carried as [0]
  const cert = opened.certificate;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: encodedOnce(cert).issuer, serialNumber: cert.asn.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: ALG.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: ALG.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signSha256(opened.privateKey, toSign) }),
  });
  const signed = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: ALG.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: CMS.data,
      ...(options.encapsulate ? { eContent: new asn1js.OctetString({ valueHex: content }) } : {}),
    }),
    certificates: [encodedOnce(cert).certificate, ...(options.includeChain ? opened.chain.map((c) => encodedOnce(c).certificate) : [])],
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: CMS.signedData, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

/**
 * The base64 CMS NCALayer would return for `data` (a base64 string with decode: true, the
 * default; a text with decode: false; or bytes).
 */
export function signCms(key: SignerKey, data: string | Uint8Array, options: SignCmsOptions = {}): string {
  return signCmsWith(openKey(key), data, options);
}

/**
 * signCms with a key opened once (readPkcs12): a long-lived signer — the provider's system key,
 * which signs every automated decision — must not parse its certificate again for each signature.
 */
export function signCmsWith(opened: OpenedKey, data: string | Uint8Array, options: SignCmsOptions = {}): string {
  const content = dataBytes(data, options.decode ?? true);
  return Buffer.from(signWith(opened, content, options)).toString('base64');
}
