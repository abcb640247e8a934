// Lesson 7: a mutex for async code.
//
// Python's threading.Lock keeps other *threads* out. Node runs your code on one thread, so
// nothing can interrupt a callback; but every `await` lets other callbacks run before we
// resume. This lock keeps other *async tasks* out for as long as one task holds it,
// awaits included.

import type { MutexLike } from '../../app/server/types.js';

export class Mutex implements MutexLike {
  private locked = false;
  // Tasks waiting for the lock, oldest first (FIFO); each entry wakes one of them up.
  private readonly waiters: Array<() => void> = [];

  /** Waits for the lock; resolves with the function that releases it. */
  async lock(): Promise<() => void> {
    if (this.locked) {
      await new Promise<void>((wake) => this.waiters.push(wake));
      // We were handed the lock: `locked` stayed true the whole time, so nobody who
      // arrived since could slip in between the release and this line.
    } else {
      this.locked = true;
    }
    let released = false;
    return () => {
      if (released) return; // a second call must not free the lock someone else now holds
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // hand over: resolving a promise only queues the waiter, no recursion
      else this.locked = false;
    };
  }

  /** Runs `task` holding the lock, and releases it however the task ends. */
  async runExclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const release = await this.lock();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
