// Lesson 9: a token bucket. The bucket holds up to `burst` tokens and refills at
// `perSecond`, continuously; each line costs one token. Short bursts pass; a flood
// runs dry and is then served at the refill rate. `now` is a parameter so that a
// test can drive the clock; the server passes nothing and gets Date.now().

import type { RateLimiterLike } from '../../app/server/types.js';

export class RateLimiter implements RateLimiterLike {
  /** Fractional: 0.6 of a token now and 0.6 later make a whole one. */
  private tokens: number;
  /** When the tokens were last counted, in milliseconds. */
  private last: number;

  constructor(private readonly burst: number, private readonly perSecond: number, now: number = Date.now()) {
    this.tokens = burst; // a new client may start with a burst
    this.last = now;
  }

  take(now: number = Date.now()): boolean {
    // Refill for the time that passed, but never above the bucket's size: a client that
    // was quiet for an hour gets one burst, not an hour's worth of lines.
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
