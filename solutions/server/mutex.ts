// Lesson 7: a mutex for async code.
//
// Python's threading.Lock stops other *threads*. Node has one thread, so nothing can
// interrupt a callback, but an `await` lets every other callback run before we resume.
// This lock stops other *async tasks* from entering between our check and our act.

import type { MutexLike } from '../../app/server/types.js';

export class Mutex implements MutexLike {
  private locked = false;
  // Waiters in arrival order (FIFO), each the `resolve` of the promise it awaits.
  private readonly waiters: Array<() => void> = [];

  /** Waits for the lock; resolves with the function that releases it. */
  async lock(): Promise<() => void> {
    if (this.locked) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      // The releaser handed the lock straight to us: `locked` stayed true, so no one
      // could slip in between its release and our wake-up.
    } else {
      this.locked = true;
    }
    let released = false;
    return () => {
      if (released) return; // releasing twice must not free the lock for someone else
      released = true;
      const next = this.waiters.shift();
      if (next) next();
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
