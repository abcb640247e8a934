// Lesson 9: backpressure. socket.write() never blocks: when the peer does not read, Node
// keeps the bytes in memory (socket.writableLength) and write() starts returning false.
// A server that ignores that keeps queueing for a client that will never read, until
// memory runs out. So we bound the queue, as IRC servers do ("SendQ exceeded").

import type { Socket } from 'node:net';

/**
 * Queues one line for the socket. Returns false when more than `maxQueuedBytes` are now
 * waiting to be sent: the client is too slow, and the caller drops it.
 */
export function writeBounded(socket: Socket, line: string, maxQueuedBytes: number): boolean {
  // write() returning false only means "above the high-water mark (16 KiB)": a burst any
  // healthy client absorbs. The bound that matters is what is queued in all.
  socket.write(line);
  return socket.writableLength <= maxQueuedBytes;
}
