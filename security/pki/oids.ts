/**
 * Object identifiers used by Kazakhstan's National Certification Authority (NCA RK) and by the
 * X.509 / CMS / OCSP standards this module reads. NCA values follow ../shared/rules/CONTEXT.md
 * ("EDS (NCA RK)") and the public NCA test certificates in ../shared/testdata/nca/.
 */

/** Subject distinguished-name attributes, in the order NCA writes them. */
export const DN = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  stateOrProvince: '2.5.4.8',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  givenName: '2.5.4.42',
  email: '1.2.840.113549.1.9.1',
} as const;

/** Short names used when a distinguished name is printed (the names NCALayer and openssl show). */
export const DN_SHORT_NAMES: Readonly<Record<string, string>> = {
  [DN.commonName]: 'CN',
  [DN.surname]: 'SURNAME',
  [DN.serialNumber]: 'SERIALNUMBER',
  [DN.country]: 'C',
  [DN.locality]: 'L',
  [DN.stateOrProvince]: 'ST',
  [DN.organization]: 'O',
  [DN.organizationalUnit]: 'OU',
  [DN.givenName]: 'GIVENNAME',
  [DN.email]: 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

/** Extensions this module understands; any other critical extension makes a certificate unusable. */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  ...Object.values(EXT),
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '1.2.398.3.3.5', // NCA private extension found in GOST 2015 test certificates (non-critical)
]);

export const ACCESS_METHOD = {
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** Extended key usage: the NCA "AUTH" key carries clientAuth, the "SIGN" key emailProtection. */
export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** NCA subject-type OIDs, carried in the extended key usage (and sometimes the policies). */
export const NCA_SUBJECT = {
  individual: '1.2.398.3.3.4.1.1',
  organization: '1.2.398.3.3.4.1.2',
  organizationHead: '1.2.398.3.3.4.1.2.1',
  organizationSigner: '1.2.398.3.3.4.1.2.2',
  organizationEmployee: '1.2.398.3.3.4.1.2.5',
} as const;

/**
 * NCA certificate policies (`1.2.398.3.3.2.x`): .1 legal entity SIGN, .2 legal entity AUTH,
 * .3 individual SIGN, .4 individual AUTH (as in the NCA test certificates); CA certificates use
 * `1.2.398.3.3.1.1`.
 */
export const NCA_POLICY = {
  legalEntitySign: '1.2.398.3.3.2.1',
  legalEntityAuth: '1.2.398.3.3.2.2',
  individualSign: '1.2.398.3.3.2.3',
  individualAuth: '1.2.398.3.3.2.4',
  ca: '1.2.398.3.3.1.1',
} as const;

export const ALG = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  /** GOST 34.310-2004 public key and signature (NCA). */
  gost2004Key: '1.2.398.3.10.1.1.1.1',
  gost2004Signature: '1.2.398.3.10.1.1.1.2',
  /** GOST 34.10-2015, 512-bit key, and its signature with GOST 34.11-2015 (NCA). */
  gost2015Key512: '1.2.398.3.10.1.1.2.2',
  gost2015Signature512: '1.2.398.3.10.1.1.2.3.2',
} as const;

/** True for every algorithm OID in NCA's GOST arc (keys, signatures, digests). */
export function isGostOid(oid: string): boolean {
  return oid.startsWith('1.2.398.3.10.') || oid.startsWith('1.2.643.');
}

export const CMS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export const OCSP = {
  basic: '1.3.6.1.5.5.7.48.1.1',
} as const;
