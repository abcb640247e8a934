// Lesson 16: the same listen() as lesson 2, over TLS.
//
// Plain TCP (lesson 2):                        TLS:
//   net.createServer(options, onConnection)      tls.createServer({ ...options, cert, key })
//   'connection': a socket, ready to use         'secureConnection': a socket, once the
//                                                 TLS handshake is done (the same socket API)
//                                                'tlsClientError': a handshake that failed
// Every other piece keeps working unchanged: a TLSSocket is a net.Socket that encrypts
// what you write and decrypts what you read.

import tls from 'node:tls';
import type { Listening, ListenTls } from '../../app/server/types.js';

export const listenTls: ListenTls = (options, onConnection, onHandshakeFailed) =>
  new Promise<Listening>((resolve, reject) => {
    const server = tls.createServer({
      cert: options.cert,
      key: options.key,
      minVersion: 'TLSv1.2', // older versions have known breaks
      // Before 'secureConnection' no piece has the socket, so lesson 5's timeout cannot close
      // it: a client that connects and never says a TLS word is closed by this one.
      handshakeTimeout: options.handshakeTimeoutMs,
      // A client that hangs up in the middle of the handshake has given up (it did not trust
      // our certificate): no half-open wait for it. Lesson 8's half-close is for the chat.
      allowHalfOpen: false,
      noDelay: true,
    });

    // Not 'connection': that one comes first, with the raw TCP socket that carries ciphertext.
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      socket.allowHalfOpen = true; // as lesson 2's server: a FIN after the last line still gets its replies
      onConnection(socket);
    });
    // A plain client, a client that does not trust us, a handshake too slow: one line, and
    // the socket is ours to close (with this listener, Node leaves it open).
    server.on('tlsClientError', (err, socket) => {
      onHandshakeFailed(err, socket);
      socket.destroy();
    });

    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${options.port} is already in use. Is another server running? Pick another port with --port (0 picks a free one).` : err.message;
      reject(new Error(`Could not listen on ${options.host}:${options.port}: ${why}`, { cause: err }));
    });

    server.once('listening', () => {
      const { address, port } = server.address() as import('node:net').AddressInfo;
      resolve({ host: address, port, close: () => new Promise<void>((done) => server.close(() => done())) });
    });

    server.listen({ host: options.host, port: options.port, backlog: 4096 });
  });
