// When the server's connections hand what they have gathered to their sockets.
//
// One write per client per turn of the event loop is cheap while few clients have
// something to send. When thousands have (a burst of logins, where every `join` goes to
// everyone), a pass over them all costs thousands of system calls, and a new pass on
// every turn would leave no time for anything else. So after each pass the flusher
// rests for as long as that pass took: writing never takes more than half the server's
// time, and the busier it is, the more lines each write carries. With a few clients a
// pass takes microseconds and nothing waits.

import { performance } from 'node:perf_hooks';

export interface Flushable {
  /** Writes out what it has gathered. */
  flush(): void;
}

export class Flusher {
  private waiting = new Set<Flushable>();
  private scheduled = false;
  /** When the last pass may be followed by the next: its end plus its length. */
  private restUntil = 0;

  /** Has `target` flushed in the next pass (once, however often it asks). */
  request(target: Flushable): void {
    this.waiting.add(target);
    if (this.scheduled) return;
    this.scheduled = true;
    const rest = this.restUntil - performance.now();
    // Timers count whole milliseconds: a shorter rest is just the next turn of the loop.
    if (rest >= 1) setTimeout(this.pass, rest);
    else setImmediate(this.pass);
  }

  private readonly pass = () => {
    this.scheduled = false;
    const targets = this.waiting;
    this.waiting = new Set(); // what a flush asks for now belongs to the next pass
    const start = performance.now();
    for (const target of targets) target.flush();
    const end = performance.now();
    this.restUntil = end + (end - start);
  };
}
