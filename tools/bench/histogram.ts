// Latency figures without keeping every sample.

/** Percentile of a latency histogram with 0.1 ms buckets. */
export class Histogram {
  private readonly buckets = new Uint32Array(100_000); // up to 10 s
  count = 0;
  max = 0;
  add(ms: number): void {
    this.buckets[Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms * 10)))]++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    let seen = 0;
    const target = Math.ceil(this.count * p);
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= target) return i / 10;
    }
    return NaN;
  }
}
