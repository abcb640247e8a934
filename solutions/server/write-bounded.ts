// Lesson 9: backpressure. socket.write() never blocks: when the peer does not read, the
// bytes wait in the kernel's buffers, then in Node's memory (socket.writableLength), and
// write() starts returning false. A server that ignores that keeps queueing for a client
// that will never read, until memory runs out. So we bound the queue, as IRC servers do
// ("SendQ exceeded"), and let the caller drop a client that passes the bound.

import type { Socket } from 'node:net';

/**
 * Queues one line for the socket. Returns false when more than `maxQueuedBytes` are now
 * waiting to be sent: the client is too slow, and the caller drops it.
 */
export function writeBounded(socket: Socket, line: string, maxQueuedBytes: number): boolean {
  // Ignore what write() returns: false only means "at the high-water mark" (16 KiB on
  // Node 20 and Windows, 64 KiB elsewhere from Node 22), a burst any healthy client
  // absorbs. The bound that matters is what is queued in all, this line included.
  socket.write(line);
  return socket.writableLength <= maxQueuedBytes;
}
