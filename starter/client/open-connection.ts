// Lesson 16: every client of the course opens its connection here: plain TCP as in
// lesson 1, or TLS when the target asks for it. Both give a socket with the API you
// know (write, 'data', end, 'close'), so the code that chats never knows which it got.
// Read the lesson first: npm run lesson 16      Check your work: npm test -- lesson16

import net from 'node:net';
import tls from 'node:tls';

export interface Target {
  host: string;
  port: number;
  /** Speak TLS (absent: plain TCP). */
  tls?: TlsTrust;
}

/** Whom a TLS client trusts: the system's authorities, and `ca` too when given. */
export interface TlsTrust {
  /** An extra authority's certificate, PEM (the course's certs/ca.pem). */
  ca?: string;
}

/** Opens a connection to a chat server: the socket, at once, as net.connect() gives it. */
export function openConnection(target: Target): net.Socket {
  if (target.tls) return connectTls(target.host, target.port, target.tls);
  return net.connect({ host: target.host, port: target.port });
}

/** The event that says a socket from openConnection() is ready to use. */
export function readyEvent(socket: net.Socket): 'connect' | 'secureConnect' {
  return socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect';
}

/** A TLS connection that accepts the server only if its certificate is valid and for `host`. */
export function connectTls(host: string, port: number, trust: TlsTrust): tls.TLSSocket {
  // TODO (lesson 16): return tls.connect({ host, port, ca, servername, minVersion: 'TLSv1.2' }).
  //  - ca: trust.ca adds an authority. Node's `ca` REPLACES the ones it trusts, so give the
  //    system's and ours: [...tls.rootCertificates, trust.ca] (undefined when there is no trust.ca).
  //  - servername: the name the certificate must be for: host, unless host is an IP address
  //    (net.isIP(host) !== 0), which Node checks by itself and must not send as a name.
  //  - never rejectUnauthorized: false, never a checkServerIdentity that says yes to all:
  //    npm run lesson 16 "the classic mistake" shows what that lets in.
  throw new Error(`TODO (lesson 16): connectTls() is not written yet, so no TLS connection to ${host}:${port}. Read the lesson: npm run lesson 16`);
}
