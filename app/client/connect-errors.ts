// Why a client could not connect, in one line a person understands. Node reports a failed
// TLS check with OpenSSL's codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE...): lesson 16 explains
// the three that matter, and this is where they become words.

import type { Target } from '../../solutions/client/open-connection.js';

/** A certificate no authority we trust has signed (not the course's, or --ca forgotten). */
const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/** What OpenSSL says when the bytes that came back are not TLS at all: a plain server. */
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|UNKNOWN_PROTOCOL/;

/** The line for a connection that closed before the server said hello: often a TLS port. */
export const CLOSED_BEFORE_HELLO = 'The server closed the connection without saying hello. If it speaks TLS, connect with --tls (and --ca certs/ca.pem).';

/** One line: why the connection to `target` failed (or broke before we were in). */
export function explainConnectError(err: NodeJS.ErrnoException | undefined, target: Target): string {
  const where = `${target.host}:${target.port}`;
  const code = err?.code ?? '';
  if (!err) return 'The server closed the connection.';
  if (code === 'ECONNREFUSED') return 'Connection refused. Is the server running?';
  if (UNKNOWN_AUTHORITY.has(code)) {
    const hint = target.tls?.ca === undefined ? 'Trust the course\'s authority with --ca certs/ca.pem.' : 'It is not the authority given with --ca: ask for the ca.pem that signed the server\'s certificate.';
    return `Not a server we trust: its certificate is signed by an unknown authority (${code}). ${hint}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const listed = (err as { cert?: { subjectaltname?: string } }).cert?.subjectaltname?.replace(/(DNS|IP Address):/g, '') ?? 'other names';
    return `Wrong name: the server's certificate is not for ${target.host}, it is for ${listed} (${code}). Connect by one of those, or make one for it: npm run certs -- --name ${target.host}`;
  }
  if (code === 'CERT_HAS_EXPIRED') {
    const until = (err as { cert?: { valid_to?: string } }).cert?.valid_to;
    return `Expired: the server's certificate was valid until ${until ?? 'a date that has passed'} (${code}). The server needs a new one: npm run certs`;
  }
  if (code === 'CERT_NOT_YET_VALID') return `Not yet valid: the server's certificate starts later (${code}). Is this computer's clock right?`;
  if (NOT_TLS.test(code)) return `${where} does not speak TLS: it answered in plain text (${code}). Connect without --tls.`;
  if (target.tls && code === 'ECONNRESET') return `${where} hung up during the TLS handshake (ECONNRESET): does it speak TLS on this port?`;
  return `Could not reach ${where}: ${err.message.split('\n')[0]}`;
}
