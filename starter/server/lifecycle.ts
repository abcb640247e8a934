// Lesson 8: how connections end, and how a server ends.
// Read the lesson first: npm run lesson 8      Check your work: npm test -- lesson8

import type { Socket } from 'node:net';
import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client } from '../../app/server/types.js';

/**
 * Attaches what the server does when a connection ends. `whenIdle` runs its callback once
 * every line the client sent has been answered (at once if none is pending).
 */
export function watchEnds(socket: Socket, client: Client, whenIdle: (then: () => void) => void): void {
  // TODO (lesson 8):
  //  1. Listen for 'error' (ECONNRESET, EPIPE). Without a listener, one client's reset
  //     crashes the whole server. 'close' always follows; the wiring handles that.
  //  2. On 'end' (the client's FIN), the client still reads: once every line it sent is
  //     answered (whenIdle), close our side with client.close().
  //  3. Turn on TCP keep-alive (socket.setKeepAlive), so that a peer that vanished without
  //     a word is found out in the end.
  throw new Error('TODO (lesson 8): watchEnds() is not written yet. Read the lesson: npm run lesson 8');
}

/** Stops accepting, sends `shutdown` to every client, closes them all; resolves once stopped. */
export async function shutdown(clients: Iterable<Client>, stopAccepting: () => Promise<void>): Promise<void> {
  // TODO (lesson 8):
  //  1. Stop accepting new connections: stopAccepting(). It resolves only once every
  //     connection has closed, so think about when to await it.
  //  2. Send every client encodeEvent({ type: 'shutdown', text: TEXTS.shutdown }), then close it.
  //  3. Resolve once the server has stopped.
  throw new Error('TODO (lesson 8): shutdown() is not written yet. Read the lesson: npm run lesson 8');
}

/** On SIGINT or SIGTERM: run `stop`, then exit; exit anyway after `deadlineMs` (under 2 seconds). */
export function stopOnSignals(stop: () => Promise<void>, deadlineMs = 1900): void {
  // TODO (lesson 8):
  //  1. Listen for both signals with process.on(). On the first one, call stop().
  //  2. Exit with process.exit(0) when stop() resolves, or when deadlineMs have passed,
  //     whichever comes first.
  //  3. A second signal while stopping exits at once.
  throw new Error('TODO (lesson 8): stopOnSignals() is not written yet. Read the lesson: npm run lesson 8');
}
