/**
 * Private keys for the development PKI: RSA signing with node:crypto, and PKCS#12 files (the key
 * container NCALayer opens) through node-forge, the one library here that writes and reads them.
 * Nothing in this file is used to verify anything: verification lives in verifier.ts.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { NcaCertificate } from './certificate';
import { bytesEqual } from './der';
import { ALG } from './oids';

/** sha256WithRSAEncryption with the NULL parameters RFC 4055 asks for. */
export function sha256WithRsa(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: ALG.sha256WithRsa, algorithmParams: new asn1js.Null() });
}

export function signSha256(key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeSign('sha256', data, key));
}

/** A fresh RSA key pair (async: key generation runs off the event loop). */
export function generateRsaKeyPair(bits = 2048): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ privateKey, publicKey }),
    );
  });
}

export function spkiDer(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function readPrivateKey(pem: string | Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(pem), format: 'pem' });
}

// --- PKCS#12 -------------------------------------------------------------------------------

const binary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');

function forgeCertificate(cert: NcaCertificate): forge.pki.Certificate {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(binary(cert.der))));
}

function forgeCertificateDer(cert: forge.pki.Certificate): Uint8Array {
  return new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
}

export interface Pkcs12Options {
  password: string;
  /** Shown by NCALayer and keytool as the key's alias. */
  friendlyName?: string;
  /** CA certificates to include after the key's own certificate. */
  chain?: readonly NcaCertificate[];
}

/**
 * A PKCS#12 file with the key and its certificate (then the chain), encrypted with the password.
 * 3DES and 2048 PBKDF iterations, the profile every Java KeyStore (NCALayer is Java) reads;
 * acceptable for development keys only, which is all this writes.
 */
export function createPkcs12(privateKey: KeyObject, certificate: NcaCertificate, options: Pkcs12Options): Uint8Array {
  const key = forge.pki.privateKeyFromPem(privateKeyPem(privateKey));
  const certs = [certificate, ...(options.chain ?? [])].map(forgeCertificate);
  const asn = forge.pkcs12.toPkcs12Asn1(key, certs, options.password, {
    algorithm: '3des',
    count: 2048,
    generateLocalKeyId: true,
    ...(options.friendlyName === undefined ? {} : { friendlyName: options.friendlyName }),
  });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary'));
}

export class Pkcs12Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

export interface KeyAndCertificate {
  privateKey: KeyObject;
  certificate: NcaCertificate;
  /** Other certificates in the file (the CA chain). */
  chain: NcaCertificate[];
}

/** Opens a PKCS#12 file: the private key, the certificate of that key, and any others. */
export function readPkcs12(p12: Uint8Array, password: string): KeyAndCertificate {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(binary(p12))), false, password);
  } catch (err) {
    throw new Pkcs12Error(`cannot open the PKCS#12 file (wrong password?): ${err instanceof Error ? err.message : String(err)}`);
  }
  const keyBags = [
    ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const keyBag = keyBags.find((b) => b.key !== undefined && b.key !== null);
  if (!keyBag?.key) throw new Pkcs12Error('the PKCS#12 file holds no RSA private key');
  const privateKey = readPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const certBags = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const certs = certBags.flatMap((b) => (b.cert ? [NcaCertificate.from(forgeCertificateDer(b.cert))] : []));
  // The key's certificate is the one with the key's public key, whatever its position.
  const publicKey = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const own = certs.find((c) => bytesEqual(c.publicKeyInfo, publicKey));
  if (!own) throw new Pkcs12Error('the PKCS#12 file has no certificate for its private key');
  return { privateKey, certificate: own, chain: certs.filter((c) => c !== own) };
}
