// Lesson 7: a mutex for async code.
// Read the lesson first: npm run lesson 7      Check your work: npm test -- lesson7

import type { MutexLike } from '../../app/server/types.js';

export class Mutex implements MutexLike {
  // TODO (lesson 7): remember whether the lock is held, and who is waiting for it.

  /** Runs `task` holding the lock and resolves (or rejects) with what the task gives back. */
  async runExclusive<T>(task: () => Promise<T> | T): Promise<T> {
    // TODO (lesson 7):
    //  1. If the lock is free, take it and run the task now, without waiting for a timer.
    //  2. If it is held, wait your turn: tasks run one at a time, in the order they asked (FIFO).
    //  3. However the task ends, even when it throws, release the lock: hand it straight to
    //     the first waiter (the lock must never look free while someone waits), or free it.
    //  Wake a waiter by resolving a promise it awaits, never by calling its task yourself:
    //  ten thousand waiters must not mean ten thousand nested calls.
    throw new Error('TODO (lesson 7): Mutex.runExclusive() is not written yet. Read the lesson: npm run lesson 7');
  }
}
