// Lesson 9: a token bucket.
// Read the lesson first: npm run lesson 9      Check your work: npm test -- lesson9

import type { RateLimiterLike } from '../../app/server/types.js';

export class RateLimiter implements RateLimiterLike {
  // TODO (lesson 9): keep how many tokens are in the bucket (a new bucket is full) and
  // when you last counted them. Take the time from `now` (never call Date.now() yourself):
  // the server passes nothing and gets the real clock; the tests pass a clock of their own.
  constructor(private readonly burst: number, private readonly perSecond: number, now: number = Date.now()) {}

  take(now: number = Date.now()): boolean {
    // TODO (lesson 9): hold up to `burst` tokens, refill `perSecond` per second, one per line.
    throw new Error('TODO (lesson 9): RateLimiter.take() is not written yet. Read the lesson: npm run lesson 9');
  }
}
