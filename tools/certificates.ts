// Certificates for lesson 16, made with node-forge (plain JavaScript: no `openssl` command,
// so it works the same on Windows). A certificate authority (CA) signs a server certificate
// that names the addresses a client may reach the server by. `npm run certs` writes the
// course's own pair; the lesson 16 suite makes a few more, wrong on purpose.

import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const { pki } = forge;

/** A key pair, in PEM, with node-forge's view of it. */
export interface KeyPair {
  privatePem: string;
  publicKey: forge.pki.PublicKey;
  privateKey: forge.pki.PrivateKey;
}

/** An authority: its certificate (what clients trust) and its key (what signs). */
export interface Authority {
  certPem: string;
  cert: forge.pki.Certificate;
  key: KeyPair;
}

/** A server's certificate and the key it proves it holds, both in PEM. */
export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A fresh 2048-bit RSA key, made by Node's own crypto (fast), read into node-forge. */
export function newKey(): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privatePem, privateKey: forgeKey, publicKey: pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** Reads a key written earlier (ca-key.pem) back. */
export function keyFromPem(privatePem: string): KeyPair {
  const forgeKey = pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privatePem, privateKey: forgeKey, publicKey: pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** Reads an authority written earlier (ca.pem and ca-key.pem) back. */
export function authorityFromPem(certPem: string, keyPem: string): Authority {
  return { certPem, cert: pki.certificateFromPem(certPem), key: keyFromPem(keyPem) };
}

function serialNumber(): string {
  // Positive (a leading hex digit below 8) and random: two certificates never share one.
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

/** A self-signed certificate authority, valid for `days`. */
export function makeAuthority(commonName: string, key: KeyPair = newKey(), days = 3650): Authority {
  const cert = pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), cert, key };
}

export interface ServerCertificateOptions {
  /** The names and addresses clients may use: 'localhost', '127.0.0.1', '::1', '192.168.1.20'... */
  names: readonly string[];
  key?: KeyPair;
  /** Valid from `from` for `days` (an expired one: a `from` in the past). */
  from?: Date;
  days?: number;
}

/** A server certificate for `names`, signed by `authority`. */
export function makeServerCertificate(authority: Authority, { names, key = newKey(), from = new Date(Date.now() - DAY_MS), days = 825 }: ServerCertificateOptions): ServerCertificate {
  const cert = pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + days * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'chat server' }]);
  cert.setIssuer(authority.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Clients check the name they dialled against this list, never against commonName.
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(authority.key.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: key.privatePem };
}

/** What a certificate says, in short, for people: who it is for, who signed it, until when. */
export function describeCertificate(certPem: string): string {
  const cert = pki.certificateFromPem(certPem);
  const cn = (attrs: forge.pki.Certificate['subject']) => String(attrs.getField('CN')?.value ?? '?');
  const san = cert.getExtension('subjectAltName') as { altNames?: { ip?: string; value?: string }[] } | undefined;
  const names = san?.altNames?.map((n) => n.ip ?? n.value).join(', ');
  return `for ${names ?? cn(cert.subject)}, signed by "${cn(cert.issuer)}", valid until ${cert.validity.notAfter.toISOString().slice(0, 10)}`;
}
