// Lesson 16: every client of the course opens its connection here: plain TCP as in
// lesson 1, or TLS when the target asks for it. Both give a socket with the API you
// know (write, 'data', end, 'close'), so the code that chats never knows which it got.
//
// Plain (lesson 1):                        TLS:
//   net.connect({ host, port })              tls.connect({ host, port, ca, servername })
//   'connect': connected                     'secureConnect': connected, and the server
//                                            has proved who it is
//   'error': refused, reset...               'error' also when that proof fails: the
//                                            connection is closed before a byte is sent

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
  return tls.connect({
    host,
    port,
    // `ca` replaces the authorities Node trusts: list the system's ones too, then ours.
    ca: trust.ca === undefined ? undefined : [...tls.rootCertificates, trust.ca],
    // The name the certificate must be for (and the one told to the server, SNI). Node
    // takes `host` when this is left out; an IP address is checked but never sent as SNI.
    servername: net.isIP(host) === 0 ? host : undefined,
    minVersion: 'TLSv1.2',
    // Never rejectUnauthorized: false. It would accept any certificate at all: anyone on
    // the path could then stand in for the server, and TLS would protect nothing.
  });
}
