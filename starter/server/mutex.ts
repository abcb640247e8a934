// Lesson 7: a mutex for async code.
// Read the lesson first: npm run lesson 7      Check your work: npm test -- lesson7

import type { MutexLike } from '../../app/server/types.js';

export class Mutex implements MutexLike {
  async runExclusive<T>(task: () => Promise<T> | T): Promise<T> {
    // TODO (lesson 7): run tasks one at a time, in the order they asked (FIFO), and
    // release the lock however the task ends, even when it throws.
    throw new Error('TODO (lesson 7): Mutex.runExclusive() is not written yet. Read the lesson: npm run lesson 7');
  }
}
