// One client's connection, as the pieces see it (the Client interface): a name, a
// way to send, a way to close. Every send is batched with the others of the same tick,
// and a client that stops reading is dropped before its queue can grow without bound
// (PROTOCOL.md: maxQueuedBytes, leave reason `slow`).

import type { Socket } from 'node:net';
import { encodeEvent, type Event, type LeaveReason } from '../protocol.js';
import type { Client } from './types.js';

/** How long a closing connection may take to flush before it is cut. */
const CLOSE_GRACE_MS = 1000;

let nextId = 1;

export class Connection implements Client {
  readonly id = nextId++;
  name = '';
  /** What others are told in `leave` when this connection ends. */
  leaveReason: LeaveReason = 'disconnect';
  private closing = false;
  private corked = false;
  private goneCalled = false;

  constructor(
    readonly socket: Socket,
    /** Queues a line; false when the client is too slow to keep (lesson 9). */
    private readonly write: (socket: Socket, line: string) => boolean,
    /** Called once, as soon as this client is gone: closed by us, dropped, or hung up. */
    private readonly onGone: (client: Connection) => void,
  ) {
    socket.once('close', () => this.gone());
  }

  get closed(): boolean {
    return this.closing || this.socket.destroyed;
  }

  send(line: string): void {
    if (this.closed) return;
    // Everything sent in one tick goes out in one write (one syscall, one TCP segment
    // where it fits) instead of one per line: cork now, uncork when this tick ends.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    } else if (this.socket.writableLength >= this.socket.writableHighWaterMark) {
      // A flood of short lines in one tick would otherwise pile up in the cork and look like
      // a slow reader: hand what we have to the kernel now, and keep batching the rest.
      this.socket.uncork();
      this.socket.cork();
    }
    if (!this.write(this.socket, line)) this.drop('slow');
  }

  sendEvent(event: Event): void {
    this.send(encodeEvent(event));
  }

  close(reason?: LeaveReason): void {
    if (this.closed) return;
    if (reason) this.leaveReason = reason;
    this.closing = true;
    this.socket.end(); // flushes what is queued, then sends FIN
    this.gone();
    // A peer that never reads would keep the socket half-open forever: cut it after a grace period.
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** Cuts the connection at once, discarding what is queued. */
  drop(reason: LeaveReason): void {
    if (!this.socket.destroyed) {
      this.leaveReason = reason;
      this.closing = true;
      this.socket.destroy();
      // Usually called from inside a broadcast: let that loop finish before the registry changes.
      queueMicrotask(() => this.gone());
    }
  }

  private gone(): void {
    if (this.goneCalled) return;
    this.goneCalled = true;
    this.onGone(this);
  }
}
