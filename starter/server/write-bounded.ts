// Lesson 9: backpressure.
// Read the lesson first: npm run lesson 9      Check your work: npm test -- lesson9

import type { Socket } from 'node:net';

/**
 * Queues one line for the socket. Returns false when more than `maxQueuedBytes` are now
 * waiting to be sent: the client is too slow, and the caller drops it.
 */
export function writeBounded(socket: Socket, line: string, maxQueuedBytes: number): boolean {
  // TODO (lesson 9): write the line, then look at socket.writableLength: how many bytes
  // are queued in Node's memory for this socket. Exactly maxQueuedBytes is still fine.
  throw new Error('TODO (lesson 9): writeBounded() is not written yet. Read the lesson: npm run lesson 9');
}
