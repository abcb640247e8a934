// One client's connection, as the pieces see it (the Client interface): a name, a
// way to send, a way to close. Sends are gathered in an Outbox and written out by the
// server's Flusher (lesson 18: one write for many lines), and a client that stops reading
// is dropped before its queue can grow without bound (PROTOCOL.md: maxQueuedBytes, leave
// `slow`).

import type { Socket } from 'node:net';
import { encodeEvent, type Event, type LeaveReason } from '../protocol.js';
import type { Client, OutboxLike, WriteOut } from './types.js';

/** How long a closing connection may take to flush before it is cut. */
const CLOSE_GRACE_MS = 1000;

let nextId = 1;

export class Connection implements Client {
  readonly id = nextId++;
  /** Read once, at the start: a socket that has closed no longer reports it. */
  readonly address: string;
  name = '';
  /** What others are told in `leave` when this connection ends. */
  leaveReason: LeaveReason = 'disconnect';
  private closing = false;
  private goneCalled = false;
  /** Lines sent but not yet handed to the socket (lesson 18). */
  private readonly outbox: OutboxLike;
  /** Lesson 17: the socket became a file's data connection; the relay owns it now. */
  private handedOver = false;
  /** What the extensions add to each event sent to this client (app/server/extensions.ts). */
  extensions: { extend(client: Client, event: Event): Event } | undefined;
  /** Set by the wiring while it answers this client's own line: sees each line sent to it. */
  onReply: ((line: string) => void) | undefined;

  constructor(
    readonly socket: Socket,
    /** Makes this connection's outbox, which writes what it gathers with the function given. */
    outbox: (write: WriteOut) => OutboxLike,
    /** Queues a line; false when the client is too slow to keep (lesson 9). */
    write: (socket: Socket, line: string) => boolean,
    /** Called once, as soon as this client is gone: closed by us, dropped, or hung up. */
    private readonly onGone: (client: Connection) => void,
  ) {
    this.address = socket.remoteAddress ?? '';
    this.outbox = outbox((data) => {
      if (!socket.destroyed && !write(socket, data)) this.drop('slow'); // lesson 9
    });
    socket.once('close', () => this.gone());
  }

  get closed(): boolean {
    return this.closing || this.handedOver || this.socket.destroyed;
  }

  /** Gives the socket to the file relay: to the chat's pieces this connection is closed from now on. */
  handOver(): void {
    this.handedOver = true;
  }

  get isDataConnection(): boolean {
    return this.handedOver;
  }

  send(line: string): void {
    if (this.closed) return;
    this.onReply?.(line);
    // Lines are gathered and written together: one write (one system call, one TCP
    // segment where it fits) for however many lines came meanwhile, not one per line.
    this.outbox.add(line);
  }

  sendEvent(event: Event): void {
    this.send(encodeEvent(this.extensions ? this.extensions.extend(this, event) : event));
  }

  close(reason?: LeaveReason): void {
    if (this.closed) return;
    if (reason) this.leaveReason = reason;
    try {
      this.outbox.flush(); // every whole line goes before the FIN
    } finally {
      // Closed even when a flush throws (the caller hears of the error).
      this.closing = true;
      this.socket.end(); // sends what is queued, then FIN
      this.gone();
      // A peer that never reads would keep the socket half-open forever: cut it after a grace period.
      setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
    }
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
