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
  // TODO (lesson 8): survive 'error' (ECONNRESET, EPIPE); on 'end' (the client's FIN),
  // answer what it sent, then close our side.
  throw new Error('TODO (lesson 8): watchEnds() is not written yet. Read the lesson: npm run lesson 8');
}

/** Stops accepting, sends `shutdown` to every client, closes them all; resolves once stopped. */
export async function shutdown(clients: Iterable<Client>, stopAccepting: () => Promise<void>): Promise<void> {
  // TODO (lesson 8)
  throw new Error('TODO (lesson 8): shutdown() is not written yet. Read the lesson: npm run lesson 8');
}

/** On SIGINT or SIGTERM: run `stop`, then exit; exit anyway within 2 seconds. */
export function stopOnSignals(stop: () => Promise<void>): void {
  // TODO (lesson 8)
  throw new Error('TODO (lesson 8): stopOnSignals() is not written yet. Read the lesson: npm run lesson 8');
}
