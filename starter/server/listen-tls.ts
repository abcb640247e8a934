// Lesson 16: the same listen() as lesson 2, over TLS.
// Read the lesson first: npm run lesson 16      Check your work: npm test -- lesson16

import tls from 'node:tls';
import type { Listening, ListenTls } from '../../app/server/types.js';

export const listenTls: ListenTls = (options, onConnection, onHandshakeFailed) =>
  new Promise<Listening>((resolve, reject) => {
    // TODO (lesson 16): your lesson 2 listen(), with tls.createServer instead of net.createServer.
    //  1. tls.createServer({ cert, key, minVersion: 'TLSv1.2', handshakeTimeout, allowHalfOpen: false })
    //     with cert and key from options and handshakeTimeout: options.handshakeTimeoutMs
    //     (a connection that never finishes the TLS handshake must still be closed in time).
    //  2. 'secureConnection' (not 'connection'!) gives each socket once its handshake is
    //     done: set socket.allowHalfOpen = true (lesson 8), then pass it to onConnection.
    //  3. 'tlsClientError' gives (err, socket) for each handshake that failed or timed out:
    //     pass them to onHandshakeFailed, which logs one line, then socket.destroy().
    //  4. 'error' rejects with a message a person understands; 'listening' resolves with
    //     { host, port, close } as in lesson 2; then server.listen({ host, port }).
    reject(new Error(`TODO (lesson 16): listenTls() is not written yet, so nothing listens with TLS on ${options.host}:${options.port}. Read the lesson: npm run lesson 16`));
  });
