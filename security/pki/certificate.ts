/**
 * X.509 certificates in the layout of Kazakhstan's National Certification Authority (NCA RK).
 *
 * An NCA subject reads `CN=<SURNAME NAME>, SURNAME=<surname>, SERIALNUMBER=IIN<12 digits>, C=KZ,
 * [O=<organisation>, OU=BIN<12 digits>,] GIVENNAME=<patronymic>` (../shared/rules/CONTEXT.md). The
 * IIN is taken only from SERIALNUMBER and the BIN only from OU, so that a person cannot claim an
 * identity through any other field. The IIN's checksum is not checked here: NCA's test
 * certificates carry 123456789011, which fails it on purpose; policy (auth.ts) decides.
 *
 * Parsing uses pkijs; it accepts certificates whose key algorithm this process cannot verify
 * (GOST), since reading a certificate and verifying its signature are separate steps.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeBase64, looksLikePem, pemBlocks, toHex } from './der';
import { ACCESS_METHOD, ALG, DN, DN_SHORT_NAMES, EXT, KNOWN_EXTENSIONS, NCA_SUBJECT } from './oids';

export type SubjectType =
  | 'INDIVIDUAL'
  | 'ORGANIZATION_EMPLOYEE'
  | 'ORGANIZATION_HEAD'
  | 'ORGANIZATION_SIGNER'
  | 'UNKNOWN';

/** 'RSA', one of NCA's GOST algorithms, or the key algorithm's OID when it is none of these. */
export type CertificateAlgorithm = 'RSA' | 'GOST34.310-2004' | 'GOST34.10-2015-512' | (string & {});

export interface ParsedCertificate {
  /** From SERIALNUMBER=IIN<12 digits> only. */
  iin?: string;
  /** From OU=BIN<12 digits> only (organisation certificates). */
  bin?: string;
  commonName: string;
  /** SURNAME; '' for certificates without one (CAs, services). */
  surname: string;
  /** GIVENNAME, which NCA uses for the patronymic. */
  givenName?: string;
  country?: string;
  organization?: string;
  /** Key usage bits by RFC 5280 name, e.g. ['digitalSignature', 'nonRepudiation']. */
  keyUsage: string[];
  /** Extended key usage OIDs, as in the certificate. */
  extKeyUsage: string[];
  /** Certificate policy OIDs. */
  policies: string[];
  subjectType: SubjectType;
  /** ISO 8601, UTC. */
  notBefore: string;
  notAfter: string;
  /** The subject and issuer names in certificate order, e.g. `C=KZ, CN=ҰКО 3.0 (RSA TEST)`. */
  subject: string;
  issuer: string;
  /** Lower-case hex of the serial number's bytes. */
  serialNumber: string;
  algorithm: CertificateAlgorithm;
}

/** What path validation needs beyond the person-facing fields. */
export interface CertificateDetails {
  isCa: boolean;
  pathLenConstraint?: number;
  subjectKeyId?: string;
  authorityKeyId?: string;
  ocspUrls: string[];
  crlUrls: string[];
  caIssuerUrls: string[];
  /** Critical extensions this module does not understand (RFC 5280 §4.2: must reject). */
  unknownCriticalExtensions: string[];
  signatureAlgorithmOid: string;
  publicKeyAlgorithmOid: string;
  /** True when the issuer and subject names are equal (a self-issued certificate). */
  selfIssued: boolean;
}

export class CertificateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateParseError';
  }
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

const KEY_ALGORITHMS: Readonly<Record<string, CertificateAlgorithm>> = {
  [ALG.rsaEncryption]: 'RSA',
  [ALG.gost2004Key]: 'GOST34.310-2004',
  [ALG.gost2015Key512]: 'GOST34.10-2015-512',
};

/** A parsed certificate with its DER and the pkijs structure, passed between the PKI modules. */
export class NcaCertificate {
  readonly parsed: ParsedCertificate;
  readonly details: CertificateDetails;

  private constructor(
    readonly der: Uint8Array,
    readonly asn: pkijs.Certificate,
  ) {
    this.details = readDetails(asn);
    this.parsed = readParsed(asn, this.details);
  }

  /** From DER, PEM (text or bytes), base64 DER, or an NcaCertificate (returned as is). */
  static from(input: CertificateInput): NcaCertificate {
    if (input instanceof NcaCertificate) return input;
    const bytes = certificateDer(input);
    // Keep exactly the bytes of the certificate's outer TLV (bytes after it are dropped).
    const outer = asn1js.fromBER(bytes);
    if (outer.offset === -1) throw new CertificateParseError(`not DER: ${outer.result.error}`);
    const der = outer.offset === bytes.length ? bytes : bytes.slice(0, outer.offset);
    try {
      return new NcaCertificate(der, pkijs.Certificate.fromBER(der));
    } catch (err) {
      throw new CertificateParseError(`not an X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  get notBefore(): Date {
    return this.asn.notBefore.value;
  }

  get notAfter(): Date {
    return this.asn.notAfter.value;
  }

  /** The exact bytes the issuer signed. */
  get tbs(): Uint8Array {
    return this.asn.tbsView;
  }

  get signature(): Uint8Array {
    return this.asn.signatureValue.valueBlock.valueHexView;
  }

  /** The DER of the subject public key info (what a verifier needs). */
  get publicKeyInfo(): Uint8Array {
    return new Uint8Array(this.asn.subjectPublicKeyInfo.toSchema().toBER(false));
  }

  get serialBytes(): Uint8Array {
    return this.asn.serialNumber.valueBlock.valueHexView;
  }

  /** SHA-256 of the DER, hex: the identity of this exact certificate. */
  get fingerprint(): string {
    return createHash('sha256').update(this.der).digest('hex');
  }

  isValidAt(at: Date): boolean {
    return at.getTime() >= this.notBefore.getTime() && at.getTime() <= this.notAfter.getTime();
  }

  /** True when `issuer`'s subject name is this certificate's issuer name (RFC 5280 name matching). */
  isIssuedBy(issuer: NcaCertificate): boolean {
    if (!this.asn.issuer.isEqual(issuer.asn.subject)) return false;
    // Key identifiers disambiguate CA key rollovers under the same name; both must be present to compare.
    const aki = this.details.authorityKeyId;
    const ski = issuer.details.subjectKeyId;
    return aki === undefined || ski === undefined || aki === ski;
  }
}

export type CertificateInput = Uint8Array | ArrayBuffer | string | NcaCertificate;

function certificateDer(input: Exclude<CertificateInput, NcaCertificate>): Uint8Array {
  if (typeof input === 'string') {
    if (input.includes('-----BEGIN')) return firstCertificateBlock(input);
    const der = decodeBase64(input);
    if (der === undefined) throw new CertificateParseError('neither PEM nor base64 DER');
    return der;
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (looksLikePem(bytes)) return firstCertificateBlock(Buffer.from(bytes).toString('latin1'));
  return bytes;
}

function firstCertificateBlock(text: string): Uint8Array {
  const block = pemBlocks(text).find((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
  if (!block) throw new CertificateParseError('no CERTIFICATE block in the PEM text');
  return block.der;
}

/** Every certificate in a file's content: one DER certificate, or any number of PEM blocks. */
export function loadCertificates(content: Uint8Array | string): NcaCertificate[] {
  const text = typeof content === 'string' ? content : looksLikePem(content) ? Buffer.from(content).toString('latin1') : undefined;
  if (text === undefined) return [NcaCertificate.from(content)];
  const blocks = pemBlocks(text).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
  if (blocks.length === 0) throw new CertificateParseError('no CERTIFICATE block in the PEM text');
  return blocks.map((b) => NcaCertificate.from(b.der));
}

/** Parses a certificate (DER or PEM) into the NCA fields; throws CertificateParseError. */
export function parseCertificate(input: CertificateInput): ParsedCertificate {
  return NcaCertificate.from(input).parsed;
}

// --- reading ---------------------------------------------------------------------------------

function attributeText(value: unknown): string | undefined {
  // Directory strings (UTF8String, PrintableString, BMPString, ...) all keep the text here.
  if (value instanceof asn1js.BaseStringBlock) return value.valueBlock.value;
  return undefined;
}

function attributeValue(tv: pkijs.AttributeTypeAndValue): string {
  const text = attributeText(tv.value);
  if (text !== undefined) return text;
  // RFC 4514 §2.4: a value that is not a string is written as '#' and the hex of its BER.
  const asn = tv.value as unknown as asn1js.BaseBlock; // AttributeValueType is always an ASN.1 block
  return `#${toHex(new Uint8Array(asn.toBER(false)))}`;
}

const DN_SPECIAL = /[,+"\\<>;=]/g;

function escapeDnValue(value: string): string {
  if (value.startsWith('#') && /^#[0-9a-f]+$/.test(value)) return value;
  let out = value.replace(DN_SPECIAL, '\\$&');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** `TYPE=value, TYPE=value` in the order of the certificate (as NCALayer and openssl show it). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${DN_SHORT_NAMES[tv.type] ?? tv.type}=${escapeDnValue(attributeValue(tv))}`)
    .join(', ');
}

function nameValues(name: pkijs.RelativeDistinguishedNames, type: string): string[] {
  return name.typesAndValues.filter((tv) => tv.type === type).flatMap((tv) => {
    const text = attributeText(tv.value);
    return text === undefined ? [] : [text.trim()];
  });
}

function extension(asn: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return asn.extensions?.find((e) => e.extnID === oid);
}

function keyUsageNames(asn: pkijs.Certificate): string[] {
  const ext = extension(asn, EXT.keyUsage);
  if (!ext) return [];
  let bits: asn1js.BitString;
  if (ext.parsedValue instanceof asn1js.BitString) {
    bits = ext.parsedValue;
  } else {
    const decoded = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
    if (!(decoded.result instanceof asn1js.BitString)) return [];
    bits = decoded.result;
  }
  const bytes = bits.valueBlock.valueHexView;
  return KEY_USAGE_BITS.filter((_, i) => i < bytes.length * 8 && (bytes[i >> 3] & (0x80 >> (i & 7))) !== 0);
}

function uris(names: pkijs.GeneralName[] | undefined): string[] {
  // GeneralName type 6 is uniformResourceIdentifier.
  return (names ?? []).filter((n) => n.type === 6 && typeof n.value === 'string').map((n) => n.value as string);
}

function readDetails(asn: pkijs.Certificate): CertificateDetails {
  const bc = extension(asn, EXT.basicConstraints)?.parsedValue;
  const basic = bc instanceof pkijs.BasicConstraints ? bc : undefined;
  const pathLen = basic?.pathLenConstraint;
  const ski = extension(asn, EXT.subjectKeyIdentifier)?.parsedValue;
  const aki = extension(asn, EXT.authorityKeyIdentifier)?.parsedValue;
  const aia = extension(asn, EXT.authorityInfoAccess)?.parsedValue;
  const crl = extension(asn, EXT.crlDistributionPoints)?.parsedValue;
  const access = aia instanceof pkijs.InfoAccess ? aia.accessDescriptions : [];
  const crlUrls =
    crl instanceof pkijs.CRLDistributionPoints
      ? crl.distributionPoints.flatMap((dp) => (Array.isArray(dp.distributionPoint) ? uris(dp.distributionPoint) : []))
      : [];
  return {
    isCa: basic?.cA === true,
    ...(pathLen === undefined ? {} : { pathLenConstraint: typeof pathLen === 'number' ? pathLen : pathLen.valueBlock.valueDec }),
    ...(ski instanceof asn1js.OctetString ? { subjectKeyId: toHex(ski.valueBlock.valueHexView) } : {}),
    ...(aki instanceof pkijs.AuthorityKeyIdentifier && aki.keyIdentifier
      ? { authorityKeyId: toHex(aki.keyIdentifier.valueBlock.valueHexView) }
      : {}),
    ocspUrls: uris(access.filter((a) => a.accessMethod === ACCESS_METHOD.ocsp).map((a) => a.accessLocation)),
    caIssuerUrls: uris(access.filter((a) => a.accessMethod === ACCESS_METHOD.caIssuers).map((a) => a.accessLocation)),
    crlUrls,
    unknownCriticalExtensions: (asn.extensions ?? []).filter((e) => e.critical && !KNOWN_EXTENSIONS.has(e.extnID)).map((e) => e.extnID),
    signatureAlgorithmOid: asn.signatureAlgorithm.algorithmId,
    publicKeyAlgorithmOid: asn.subjectPublicKeyInfo.algorithm.algorithmId,
    selfIssued: asn.issuer.isEqual(asn.subject),
  };
}

/**
 * The NCA subject type from the extended key usage and policy OIDs: a specific organisation role
 * (.2.1 head, .2.2 signing right, .2.5 employee) wins over the general organisation OID (.2),
 * and any organisation OID wins over the individual's (.1).
 */
export function subjectTypeOf(oids: readonly string[]): SubjectType {
  const has = (oid: string): boolean => oids.includes(oid);
  if (has(NCA_SUBJECT.organizationHead)) return 'ORGANIZATION_HEAD';
  if (has(NCA_SUBJECT.organizationSigner)) return 'ORGANIZATION_SIGNER';
  if (has(NCA_SUBJECT.organizationEmployee) || has(NCA_SUBJECT.organization)) return 'ORGANIZATION_EMPLOYEE';
  if (oids.some((o) => o.startsWith(`${NCA_SUBJECT.organization}.`))) return 'ORGANIZATION_EMPLOYEE';
  if (has(NCA_SUBJECT.individual)) return 'INDIVIDUAL';
  return 'UNKNOWN';
}

function readParsed(asn: pkijs.Certificate, details: CertificateDetails): ParsedCertificate {
  const subject = asn.subject;
  const iin = nameValues(subject, DN.serialNumber)
    .map((v) => /^IIN(\d{12})$/.exec(v)?.[1])
    .find((v) => v !== undefined);
  const bin = nameValues(subject, DN.organizationalUnit)
    .map((v) => /^BIN(\d{12})$/.exec(v)?.[1])
    .find((v) => v !== undefined);
  const eku = extension(asn, EXT.extKeyUsage)?.parsedValue;
  const extKeyUsage = eku instanceof pkijs.ExtKeyUsage ? [...eku.keyPurposes] : [];
  const cp = extension(asn, EXT.certificatePolicies)?.parsedValue;
  const policies = cp instanceof pkijs.CertificatePolicies ? cp.certificatePolicies.map((p) => p.policyIdentifier) : [];
  const [commonName = ''] = nameValues(subject, DN.commonName);
  const [surname = ''] = nameValues(subject, DN.surname);
  const [givenName] = nameValues(subject, DN.givenName);
  const [country] = nameValues(subject, DN.country);
  const [organization] = nameValues(subject, DN.organization);
  return {
    ...(iin === undefined ? {} : { iin }),
    ...(bin === undefined ? {} : { bin }),
    commonName,
    surname,
    ...(givenName === undefined ? {} : { givenName }),
    ...(country === undefined ? {} : { country }),
    ...(organization === undefined ? {} : { organization }),
    keyUsage: keyUsageNames(asn),
    extKeyUsage,
    policies,
    subjectType: subjectTypeOf([...extKeyUsage, ...policies]),
    notBefore: asn.notBefore.value.toISOString(),
    notAfter: asn.notAfter.value.toISOString(),
    subject: formatName(subject),
    issuer: formatName(asn.issuer),
    serialNumber: serialHex(asn.serialNumber.valueBlock.valueHexView),
    algorithm: KEY_ALGORITHMS[details.publicKeyAlgorithmOid] ?? details.publicKeyAlgorithmOid,
  };
}

/** Hex of a serial number without the sign-padding zero byte DER adds before a high bit. */
export function serialHex(bytes: Uint8Array): string {
  const trimmed = bytes.length > 1 && bytes[0] === 0 ? bytes.subarray(1) : bytes;
  return toHex(trimmed);
}
