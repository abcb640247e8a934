// Lesson 9: a token bucket. The bucket holds up to `burst` tokens and refills at
// `perSecond`; each line costs one. Short bursts pass; a flood runs dry.

import type { RateLimiterLike } from '../../app/server/types.js';

export class RateLimiter implements RateLimiterLike {
  private tokens: number;
  private last: number;

  constructor(private readonly burst: number, private readonly perSecond: number, now: number = Date.now()) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number = Date.now()): boolean {
    // Refill for the time that passed, but never above the bucket's size.
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
