// Lesson 8: how connections end, and how a server ends.
//
// A TCP connection can end three ways: the peer sends FIN ('end': it will send no more,
// but may still read), it vanishes (RST: 'error' with ECONNRESET, or EPIPE when we write),
// or we end it. 'close' always comes last, once, whatever happened.

import type { Socket } from 'node:net';
import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client } from '../../app/server/types.js';

/**
 * Attaches what the server does when a connection ends. `whenIdle` runs its callback once
 * every line the client sent has been answered (at once if none is pending).
 */
export function watchEnds(socket: Socket, client: Client, whenIdle: (then: () => void) => void): void {
  // An 'error' event without a listener is thrown: one client's reset would kill the server
  // for everyone. There is nothing to do here: 'close' follows, and the wiring handles that.
  socket.on('error', () => {});
  // FIN: the client has sent its last line (`printf 'bob\n/users\n' | nc -N` does this).
  // It still waits for the replies, so answer everything first, then close our side.
  socket.on('end', () => whenIdle(() => client.close()));
}

/**
 * Stops a server gracefully: no new connections, `shutdown` to everyone, every connection
 * closed. Resolves once the server has stopped. (Client.close cuts a connection that has
 * not flushed within a second, so a client that never reads cannot hold us up.)
 */
export async function shutdown(clients: Iterable<Client>, stopAccepting: () => Promise<void>): Promise<void> {
  const stopped = stopAccepting(); // resolves only once every connection is gone, so not awaited yet
  const line = encodeEvent({ type: 'shutdown', text: TEXTS.shutdown });
  for (const client of [...clients]) {
    client.send(line);
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
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n[SERVER] ${signal}: telling every client and shutting down...`);
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
