// Lesson 8: how connections end, and how a server ends.
//
// A TCP connection ends in one of three ways: the peer sends FIN ('end': it will send no
// more, but may still read), it vanishes (RST: 'error' with ECONNRESET, or EPIPE when we
// write), or we end it ourselves. Whatever happened, 'close' comes last, once; the wiring
// (app/server/server.ts) listens for it and tells the others that the user left.

import type { Socket } from 'node:net';
import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client } from '../../app/server/types.js';

/** Idle time after which the OS starts probing a silent peer to see whether it is still there. */
const KEEPALIVE_MS = 60_000;

/**
 * Attaches what the server does when a connection ends. `whenIdle` runs its callback once
 * every line the client sent has been answered (at once if none is pending).
 */
export function watchEnds(socket: Socket, client: Client, whenIdle: (then: () => void) => void): void {
  // An 'error' event without a listener is thrown, and nothing catches it: one client's reset
  // would kill the server for everyone. Nothing else to do here: 'close' follows.
  socket.on('error', () => {});
  // FIN: the client has sent its last line (`printf 'bob\n/users\n' | nc -N` does this) but
  // still reads. Answer everything first, then close our side: close() flushes, then sends FIN.
  socket.on('end', () => whenIdle(() => client.close()));
  // A peer whose cable was pulled sends nothing at all, not even a FIN or an RST. Keep-alive
  // probes let the OS find out, and then this socket gets 'error' and 'close' like any other.
  socket.setKeepAlive(true, KEEPALIVE_MS);
}

/**
 * Stops a server gracefully: no new connections, `shutdown` to everyone, every connection
 * closed. Resolves once the server has stopped. (Client.close cuts a connection that has
 * not flushed within a second, so a client that never reads cannot hold us up.)
 */
export async function shutdown(clients: Iterable<Client>, stopAccepting: () => Promise<void>): Promise<void> {
  // Called now, so that no one new gets in; awaited last, because it resolves only once
  // every connection has closed, and they close only after we tell them below.
  const stopped = stopAccepting();
  const line = encodeEvent({ type: 'shutdown', text: TEXTS.shutdown });
  // A copy: each connection leaves the live set as it closes.
  for (const client of [...clients]) {
    client.send(line); // first: nothing reaches a client once it is closed
    client.close();
  }
  await stopped;
}

/**
 * On Ctrl+C (SIGINT) or SIGTERM, runs `stop` and exits; exits anyway after `deadlineMs`,
 * and at once on a second signal, so a stuck shutdown never leaves a server half-alive.
 */
export function stopOnSignals(stop: () => Promise<void>, deadlineMs = 1900): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // the second Ctrl+C: the user has waited long enough
    stopping = true;
    console.log(`\n[SERVER] ${signal}: telling every client and shutting down...`);
    // unref: the deadline itself must not keep the process alive.
    setTimeout(() => process.exit(0), deadlineMs).unref();
    stop().then(
      () => {
        console.log('[SERVER] Stopped.');
        process.exit(0);
      },
      (err: Error) => {
        console.error(`[SERVER] Shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
