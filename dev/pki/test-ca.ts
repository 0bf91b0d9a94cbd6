/**
 * A test certification authority for development, demos and tests — never for production.
 *
 * It issues certificates in the real NCA layout (certificate.ts): an RSA-2048 root
 * («ҰКО HPC DEV (RSA TEST)»), a delegated OCSP responder certificate for the sandbox's
 * `POST /ocsp`, and for each person an AUTH key (clientAuth) and a SIGN key (emailProtection),
 * with the NCA subject-type OID and policy, as PKCS#12 files with the password
 * TEST_PKCS12_PASSWORD (NCA's own test keys use the same one).
 *
 * Folder layout (default security/pki/test-ca/, git-ignored; keys must never be committed):
 *   ca.cer, ca.pem, ca.key.pem        the root certificate and its private key
 *   ocsp.cer, ocsp.key.pem            the OCSP responder's certificate and key
 *   index.json                        every certificate issued (what the OCSP responder knows)
 *   persons/<IIN>/AUTH_RSA256.p12|.cer, RSA256.p12|.cer
 *   staff/<staff id>/AUTH_RSA256.p12|.cer, RSA256.p12|.cer
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseFixture } from '../../sandbox/fixture';
import { NcaCertificate, type SubjectType } from '../../security/pki/certificate';
import { toPem } from '../../security/pki/der';
import { createPkcs12, generateRsaKeyPair, privateKeyPem, readPrivateKey, sha256WithRsa, signSha256, spkiDer } from '../../security/pki/keys';
import { ACCESS_METHOD, DN, EKU, EXT, NCA_POLICY, NCA_SUBJECT } from '../../security/pki/oids';
import { DEFAULT_TRUST_STORE_DIR } from '../../security/pki/trust-store';

/** Password of every PKCS#12 file the test CA writes (development only). */
export const TEST_PKCS12_PASSWORD = 'Qwerty12';

/**
 * The provider (the housing construction savings bank acting as the Housing Provision Center)
 * as staff certificates name it. The BIN is made up: it has the shape of a resident legal
 * entity's BIN (registered 2014-03) and a valid check digit; it is no real organisation's.
 */
export const TEST_PROVIDER: Readonly<Organization> = {
  name: 'АО "ЦЕНТР ОБЕСПЕЧЕНИЯ ЖИЛЬЕМ" (ТЕСТ)',
  bin: '140340007401',
};

export const DEFAULT_TEST_CA_DIR = resolve(__dirname, '..', '..', 'security', 'pki', 'test-ca');
/** The sandbox's default address (SANDBOX_PORT 4010) with the responder's path. */
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:4010/ocsp';
const CA_COMMON_NAME = 'ҰКО HPC DEV (RSA TEST)';
const OCSP_COMMON_NAME = 'OCSP ҰКО HPC DEV (RSA TEST)';
const INDEX_FORMAT = 'hpc-test-ca/1';
const DAY = 86_400_000;

export interface PersonName {
  iin: string;
  surname: string;
  /** First name. */
  givenName: string;
  /** NCA puts the patronymic into GIVENNAME; absent for people without one. */
  patronymic?: string;
}

export interface Organization {
  name: string;
  bin: string;
}

/** HEAD: 1.2.398.3.3.4.1.2.1; SIGNER (right to sign): .2.2; EMPLOYEE: .2.5. */
export type StaffRole = 'HEAD' | 'SIGNER' | 'EMPLOYEE';

export interface StaffMember extends PersonName {
  /** The API's staff id, e.g. OP-0001 (not in the certificate: NCA certificates carry the IIN). */
  staffId: string;
  role: StaffRole;
}

/** The demo staff: operator OP-0001, hearing officer HO-0001 (signs decisions), the head. */
export const TEST_STAFF: readonly StaffMember[] = [
  { staffId: 'OP-0001', role: 'EMPLOYEE', iin: '900101411019', surname: 'СЕЙТКАЛИЕВА', givenName: 'ЖАНЫЛ', patronymic: 'МАРАТОВНА' },
  { staffId: 'HO-0001', role: 'SIGNER', iin: '850215312019', surname: 'АБЕНОВ', givenName: 'НУРЛАН', patronymic: 'СЕРИКОВИЧ' },
  { staffId: 'HD-0001', role: 'HEAD', iin: '750620313018', surname: 'КУАНДЫКОВ', givenName: 'БАУЫРЖАН', patronymic: 'ТЕМИРОВИЧ' },
];

export type KeyKind = 'AUTH' | 'SIGN';

export interface IssueOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** Write the .cer and .p12 files (default true); tests issuing throw-away keys pass false. */
  writeFiles?: boolean;
}

export interface IssuedKey {
  kind: KeyKind;
  certificate: NcaCertificate;
  privateKey: KeyObject;
  /** The PKCS#12 file's bytes (password TEST_PKCS12_PASSWORD). */
  p12: Uint8Array;
  /** Paths relative to the CA folder, when written. */
  certFile?: string;
  p12File?: string;
}

export interface IndexEntry {
  serialNumber: string;
  kind: KeyKind | 'OCSP';
  subjectType: SubjectType;
  subject: string;
  iin?: string;
  bin?: string;
  staffId?: string;
  notBefore: string;
  notAfter: string;
  certFile?: string;
  p12File?: string;
}

export interface TestCaIndex {
  format: typeof INDEX_FORMAT;
  createdAt: string;
  ocspUrl: string;
  ca: { subject: string; serialNumber: string; notBefore: string; notAfter: string; sha256: string };
  issued: IndexEntry[];
}

// --- certificate building --------------------------------------------------------------------

type NameAttribute = readonly [oid: string, value: string, encoding: 'utf8' | 'printable'];

/** A Name with one attribute per RDN, in the given order (pkijs would put all into one RDN). */
function nameOf(attributes: readonly NameAttribute[]): pkijs.RelativeDistinguishedNames {
  const seq = new asn1js.Sequence({
    value: attributes.map(
      ([oid, value, encoding]) =>
        new asn1js.Set({
          value: [
            new asn1js.Sequence({
              value: [
                new asn1js.ObjectIdentifier({ value: oid }),
                encoding === 'utf8' ? new asn1js.Utf8String({ value }) : new asn1js.PrintableString({ value }),
              ],
            }),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER(false));
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

const KEY_USAGE_BIT: Readonly<Record<string, number>> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};

function keyUsageBits(names: readonly string[]): asn1js.BitString {
  const bits = names.map((n) => KEY_USAGE_BIT[n]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (highest % 8) });
}

function uri(value: string): pkijs.GeneralName {
  return new pkijs.GeneralName({ type: 6, value });
}

function keyId(publicKeyInfo: Uint8Array): Uint8Array {
  // RFC 5280 §4.2.1.2 suggests the SHA-1 of the key bits; any stable unique value is allowed.
  return new Uint8Array(createHash('sha1').update(publicKeyInfo).digest());
}

function serialNumber(): Uint8Array {
  const bytes = new Uint8Array(randomBytes(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and no leading zero byte to trim
  return bytes;
}

function time(date: Date): pkijs.Time {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value: date });
}

interface CertificateSpec {
  subject: readonly NameAttribute[];
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Absent for the self-signed root. */
  issuer?: { certificate: NcaCertificate; privateKey: KeyObject };
  /** Signing key of a self-signed certificate. */
  selfKey?: KeyObject;
  ca?: { pathLen: number };
  keyUsage: readonly string[];
  extKeyUsage?: readonly string[];
  policies?: readonly string[];
  ocspUrl?: string;
  ocspNoCheck?: boolean;
}

function buildCertificate(spec: CertificateSpec): NcaCertificate {
  const spki = spkiDer(spec.publicKey);
  const subject = nameOf(spec.subject);
  const signingKey = spec.issuer?.privateKey ?? spec.selfKey;
  if (!signingKey) throw new Error('a certificate needs an issuer or its own key');
  const issuerSpki = spec.issuer ? spec.issuer.certificate.publicKeyInfo : spki;
  const extensions: pkijs.Extension[] = [];
  if (spec.ca) {
    extensions.push(extension(EXT.basicConstraints, true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: spec.ca.pathLen }).toSchema()));
  }
  extensions.push(extension(EXT.keyUsage, true, keyUsageBits(spec.keyUsage)));
  if (spec.extKeyUsage) extensions.push(extension(EXT.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: [...spec.extKeyUsage] }).toSchema()));
  extensions.push(
    extension(EXT.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId(issuerSpki) }) }).toSchema()),
    extension(EXT.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyId(spki) })),
  );
  if (spec.policies) {
    const policies = spec.policies.map((p) => new pkijs.PolicyInformation({ policyIdentifier: p }));
    extensions.push(extension(EXT.certificatePolicies, false, new pkijs.CertificatePolicies({ certificatePolicies: policies }).toSchema()));
  }
  if (spec.ocspUrl) {
    const access = [new pkijs.AccessDescription({ accessMethod: ACCESS_METHOD.ocsp, accessLocation: uri(spec.ocspUrl) })];
    extensions.push(extension(EXT.authorityInfoAccess, false, new pkijs.InfoAccess({ accessDescriptions: access }).toSchema()));
  }
  if (spec.ocspNoCheck) extensions.push(extension(EXT.ocspNoCheck, false, new asn1js.Null()));

  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber() });
  cert.signature = sha256WithRsa();
  cert.issuer = spec.issuer ? spec.issuer.certificate.asn.subject : subject;
  cert.subject = subject;
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spki);
  cert.extensions = extensions;
  cert.signatureAlgorithm = sha256WithRsa();
  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: signSha256(signingKey, tbs) });
  return NcaCertificate.from(new Uint8Array(cert.toSchema(false).toBER(false)));
}

function personSubject(person: PersonName, organization?: Organization): NameAttribute[] {
  const attrs: NameAttribute[] = [
    [DN.commonName, `${person.surname} ${person.givenName}`, 'utf8'],
    [DN.surname, person.surname, 'utf8'],
    [DN.serialNumber, `IIN${person.iin}`, 'printable'],
    [DN.country, 'KZ', 'printable'],
  ];
  if (organization) attrs.push([DN.organization, organization.name, 'utf8'], [DN.organizationalUnit, `BIN${organization.bin}`, 'utf8']);
  if (person.patronymic) attrs.push([DN.givenName, person.patronymic, 'utf8']);
  return attrs;
}

const STAFF_ROLE_OID: Readonly<Record<StaffRole, string>> = {
  HEAD: NCA_SUBJECT.organizationHead,
  SIGNER: NCA_SUBJECT.organizationSigner,
  EMPLOYEE: NCA_SUBJECT.organizationEmployee,
};

/** Key usage, extended key usage and policy of an NCA AUTH or SIGN key. */
function profile(kind: KeyKind, subjectOids: readonly string[], organization: boolean): Pick<CertificateSpec, 'keyUsage' | 'extKeyUsage' | 'policies'> {
  if (kind === 'AUTH') {
    return {
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: [EKU.clientAuth, ...subjectOids],
      policies: [organization ? NCA_POLICY.legalEntityAuth : NCA_POLICY.individualAuth],
    };
  }
  return {
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: [EKU.emailProtection, ...subjectOids],
    policies: [organization ? NCA_POLICY.legalEntitySign : NCA_POLICY.individualSign],
  };
}

function writeSecret(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps the mode of an existing file
}

function writePublic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

// --- the CA ----------------------------------------------------------------------------------

export interface CreateTestCaOptions {
  /** Clock for validity periods; default now. */
  now?: Date;
  /** OCSP URL written into issued certificates; default DEFAULT_OCSP_URL. */
  ocspUrl?: string;
  /** Root CA common name; another name makes a distinct (e.g. untrusted) CA in tests. */
  commonName?: string;
}

export class TestCa {
  private constructor(
    readonly dir: string,
    readonly certificate: NcaCertificate,
    private readonly privateKey: KeyObject,
    readonly ocspCertificate: NcaCertificate,
    readonly ocspKey: KeyObject,
    readonly ocspUrl: string,
  ) {}

  /** Creates a new root and OCSP responder in `dir` (replacing any CA there) with an empty index. */
  static async create(dir: string, options: CreateTestCaOptions = {}): Promise<TestCa> {
    const folder = resolve(dir);
    const now = options.now ?? new Date();
    const ocspUrl = options.ocspUrl ?? DEFAULT_OCSP_URL;
    const root = await generateRsaKeyPair();
    const caCert = buildCertificate({
      subject: [
        [DN.country, 'KZ', 'printable'],
        [DN.commonName, options.commonName ?? CA_COMMON_NAME, 'utf8'],
      ],
      publicKey: root.publicKey,
      selfKey: root.privateKey,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 10 * 365 * DAY),
      ca: { pathLen: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
      policies: [NCA_POLICY.ca],
    });
    const responder = await generateRsaKeyPair();
    const ocspCert = buildCertificate({
      subject: [
        [DN.country, 'KZ', 'printable'],
        [DN.commonName, options.commonName === undefined ? OCSP_COMMON_NAME : `OCSP ${options.commonName}`, 'utf8'],
      ],
      publicKey: responder.publicKey,
      issuer: { certificate: caCert, privateKey: root.privateKey },
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 2 * 365 * DAY),
      keyUsage: ['digitalSignature'],
      extKeyUsage: [EKU.ocspSigning],
      ocspNoCheck: true,
    });
    writePublic(join(folder, 'ca.cer'), caCert.der);
    writePublic(join(folder, 'ca.pem'), toPem('CERTIFICATE', caCert.der));
    writeSecret(join(folder, 'ca.key.pem'), privateKeyPem(root.privateKey));
    writePublic(join(folder, 'ocsp.cer'), ocspCert.der);
    writeSecret(join(folder, 'ocsp.key.pem'), privateKeyPem(responder.privateKey));
    const ca = new TestCa(folder, caCert, root.privateKey, ocspCert, responder.privateKey, ocspUrl);
    const index: TestCaIndex = {
      format: INDEX_FORMAT,
      createdAt: now.toISOString(),
      ocspUrl,
      ca: {
        subject: caCert.parsed.subject,
        serialNumber: caCert.parsed.serialNumber,
        notBefore: caCert.parsed.notBefore,
        notAfter: caCert.parsed.notAfter,
        sha256: caCert.fingerprint,
      },
      issued: [ca.entry(ocspCert, 'OCSP', { certFile: 'ocsp.cer' })],
    };
    ca.writeIndex(index);
    return ca;
  }

  /** Opens a CA folder made by create(); throws when it is missing or incomplete. */
  static load(dir: string): TestCa {
    const folder = resolve(dir);
    const index = readIndex(folder);
    return new TestCa(
      folder,
      NcaCertificate.from(readFileSync(join(folder, 'ca.cer'))),
      readPrivateKey(readFileSync(join(folder, 'ca.key.pem'))),
      NcaCertificate.from(readFileSync(join(folder, 'ocsp.cer'))),
      readPrivateKey(readFileSync(join(folder, 'ocsp.key.pem'))),
      index.ocspUrl,
    );
  }

  index(): TestCaIndex {
    return readIndex(this.dir);
  }

  /** An individual's AUTH or SIGN key (subject type 1.2.398.3.3.4.1.1). */
  issuePerson(person: PersonName, kind: KeyKind, options: IssueOptions = {}): Promise<IssuedKey> {
    return this.issue(personSubject(person), profile(kind, [NCA_SUBJECT.individual], false), kind, join('persons', person.iin), {}, options);
  }

  /** A legal-entity employee's AUTH or SIGN key: O=<name>, OU=BIN<bin>, the role's OID. */
  issueStaff(member: StaffMember, organization: Organization, kind: KeyKind, options: IssueOptions = {}): Promise<IssuedKey> {
    const oids = [NCA_SUBJECT.organization, STAFF_ROLE_OID[member.role]];
    return this.issue(personSubject(member, organization), profile(kind, oids, true), kind, join('staff', member.staffId), { staffId: member.staffId }, options);
  }

  private async issue(
    subject: NameAttribute[],
    usage: Pick<CertificateSpec, 'keyUsage' | 'extKeyUsage' | 'policies'>,
    kind: KeyKind,
    folder: string,
    extra: { staffId?: string },
    options: IssueOptions,
  ): Promise<IssuedKey> {
    const now = Date.now();
    const keys = await generateRsaKeyPair();
    const certificate = buildCertificate({
      subject,
      publicKey: keys.publicKey,
      issuer: { certificate: this.certificate, privateKey: this.privateKey },
      notBefore: options.notBefore ?? new Date(now - DAY),
      notAfter: options.notAfter ?? new Date(now + 365 * DAY),
      ocspUrl: this.ocspUrl,
      ...usage,
    });
    const p12 = createPkcs12(keys.privateKey, certificate, {
      password: TEST_PKCS12_PASSWORD,
      friendlyName: certificate.parsed.serialNumber,
      chain: [this.certificate],
    });
    const base = kind === 'AUTH' ? 'AUTH_RSA256' : 'RSA256';
    const files =
      options.writeFiles === false ? {} : { certFile: join(folder, `${base}.cer`), p12File: join(folder, `${base}.p12`) };
    if (files.certFile !== undefined && files.p12File !== undefined) {
      writePublic(join(this.dir, files.certFile), certificate.der);
      writeSecret(join(this.dir, files.p12File), p12);
    }
    const index = this.index();
    index.issued.push(this.entry(certificate, kind, { ...extra, ...files }));
    this.writeIndex(index);
    return { kind, certificate, privateKey: keys.privateKey, p12, ...files };
  }

  /**
   * A CRL signed by the CA listing the given serials (for the CRL fallback). Real NCA CRLs are
   * published over HTTP; tests hand this one to CrlChecker through a CrlSource.
   */
  crl(revoked: readonly { serialNumber: string; revokedAt: Date }[], options: { thisUpdate?: Date; nextUpdate?: Date } = {}): Uint8Array {
    const thisUpdate = options.thisUpdate ?? new Date();
    const crl = new pkijs.CertificateRevocationList();
    crl.version = 1;
    crl.signature = sha256WithRsa();
    crl.issuer = this.certificate.asn.subject;
    crl.thisUpdate = time(thisUpdate);
    crl.nextUpdate = time(options.nextUpdate ?? new Date(thisUpdate.getTime() + DAY));
    if (revoked.length > 0) {
      crl.revokedCertificates = revoked.map(
        (r) =>
          new pkijs.RevokedCertificate({
            userCertificate: new asn1js.Integer({ valueHex: Buffer.from(r.serialNumber, 'hex') }),
            revocationDate: time(r.revokedAt),
          }),
      );
    }
    crl.signatureAlgorithm = sha256WithRsa();
    const tbs = new Uint8Array(crl.toSchema(true).valueBlock.value[0].toBER(false));
    crl.tbsView = tbs;
    crl.signatureValue = new asn1js.BitString({ valueHex: signSha256(this.privateKey, tbs) });
    return new Uint8Array(crl.toSchema(false).toBER(false));
  }

  private entry(cert: NcaCertificate, kind: IndexEntry['kind'], extra: Partial<IndexEntry>): IndexEntry {
    const p = cert.parsed;
    return {
      serialNumber: p.serialNumber,
      kind,
      subjectType: p.subjectType,
      subject: p.subject,
      ...(p.iin === undefined ? {} : { iin: p.iin }),
      ...(p.bin === undefined ? {} : { bin: p.bin }),
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      ...extra,
    };
  }

  private writeIndex(index: TestCaIndex): void {
    writePublic(join(this.dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  }
}

export class TestCaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestCaError';
  }
}

function readIndex(folder: string): TestCaIndex {
  const path = join(folder, 'index.json');
  if (!existsSync(path)) throw new TestCaError(`${folder} holds no test CA (no index.json); run: npm run --silent hpc -- pki init-test-ca`);
  const index = JSON.parse(readFileSync(path, 'utf8')) as TestCaIndex; // written by this module only
  if (index.format !== INDEX_FORMAT) throw new TestCaError(`${path} is not a test CA index (${INDEX_FORMAT})`);
  return index;
}

// --- the whole set-up, for the CLI -------------------------------------------------------------

/** People of the fixture who get keys: applicants and those who act for them. */
const KEY_HOLDER_NOTE = /^S\d+\s+(applicant|representative|guardian|trustee)\b/i;

/** The persons of a sandbox fixture (sandbox/fixture-format.md) who sign in or sign. */
export function keyHoldersOfFixture(json: unknown): PersonName[] {
  const fixture = parseFixture(json);
  const named = fixture.persons.filter((p) => p.persons !== undefined && p.persons !== null);
  const withNotes = named.some((p) => p.note !== undefined);
  const chosen = withNotes
    ? named.filter((p) => KEY_HOLDER_NOTE.test(p.note ?? '') || (p.representation ?? []).length > 0)
    : named;
  return chosen.flatMap((p) => {
    const rec = p.persons;
    if (!rec) return [];
    return [{ iin: p.iin, surname: rec.surname, givenName: rec.givenName, ...(rec.patronymic === undefined ? {} : { patronymic: rec.patronymic }) }];
  });
}

export interface InitTestCaOptions {
  /** CA folder; default DEFAULT_TEST_CA_DIR. */
  out?: string;
  /** Sandbox fixture whose applicants and representatives get keys; default sandbox/fixtures/demo.json. */
  fixture?: string;
  /** Persons to issue for instead of (or without) a fixture. */
  persons?: readonly PersonName[];
  staff?: readonly StaffMember[];
  provider?: Organization;
  ocspUrl?: string;
  /** Where the CA certificate is copied for the default trust store; null: nowhere. */
  trustDir?: string | null;
  now?: Date;
}

export interface InitTestCaResult {
  dir: string;
  caCertificate: string;
  trustStoreCopy?: string;
  ocspUrl: string;
  pkcs12Password: string;
  provider: Organization;
  persons: { iin: string; name: string; auth: string; sign: string }[];
  staff: { staffId: string; role: StaffRole; iin: string; name: string; auth: string; sign: string }[];
}

/** Creates a test CA with keys for the fixture's people and the staff (`hpc pki init-test-ca`). */
export async function initTestCa(options: InitTestCaOptions = {}): Promise<InitTestCaResult> {
  const out = resolve(options.out ?? DEFAULT_TEST_CA_DIR);
  const persons =
    options.persons ??
    keyHoldersOfFixture(JSON.parse(readFileSync(options.fixture ?? resolve(__dirname, '..', '..', 'sandbox', 'fixtures', 'demo.json'), 'utf8')));
  const staff = options.staff ?? TEST_STAFF;
  const provider = options.provider ?? TEST_PROVIDER;
  const ca = await TestCa.create(out, { now: options.now, ocspUrl: options.ocspUrl });
  const rel = (p: string | undefined): string => (p === undefined ? '' : join(out, p));
  const result: InitTestCaResult = {
    dir: out,
    caCertificate: join(out, 'ca.cer'),
    ocspUrl: ca.ocspUrl,
    pkcs12Password: TEST_PKCS12_PASSWORD,
    provider,
    persons: [],
    staff: [],
  };
  // One key at a time: key generation is CPU-bound and this is a background chore.
  for (const person of persons) {
    const auth = await ca.issuePerson(person, 'AUTH');
    const sign = await ca.issuePerson(person, 'SIGN');
    result.persons.push({ iin: person.iin, name: auth.certificate.parsed.commonName, auth: rel(auth.p12File), sign: rel(sign.p12File) });
  }
  for (const member of staff) {
    const auth = await ca.issueStaff(member, provider, 'AUTH');
    const sign = await ca.issueStaff(member, provider, 'SIGN');
    result.staff.push({
      staffId: member.staffId,
      role: member.role,
      iin: member.iin,
      name: auth.certificate.parsed.commonName,
      auth: rel(auth.p12File),
      sign: rel(sign.p12File),
    });
  }
  const trustDir = options.trustDir === undefined ? DEFAULT_TRUST_STORE_DIR : options.trustDir;
  if (trustDir !== null) {
    const target = join(resolve(trustDir), 'hpc-dev-test-ca.cer');
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(out, 'ca.cer'), target);
    result.trustStoreCopy = target;
  }
  return result;
}
