// A record of what crossed the wire during one test, so that a failure can show it:
// who sent which bytes to whom, escaped so that every newline and odd byte is visible.

import { showBytes } from '../../app/wire-text.js';

export interface WireEntry {
  at: number;
  from: string;
  to: string;
  bytes: Buffer;
}

const SHOWN_ENTRIES = 30;

export class Transcript {
  private readonly start = Date.now();
  readonly entries: WireEntry[] = [];

  record(from: string, to: string, data: Buffer | string): void {
    this.entries.push({ at: Date.now() - this.start, from, to, bytes: Buffer.from(data) });
  }

  /** The last entries, one line each: `+12ms  alice → server  "hi\n"`. */
  format(): string {
    if (this.entries.length === 0) return '  (nothing crossed the wire)';
    const skipped = Math.max(0, this.entries.length - SHOWN_ENTRIES);
    const rows = this.entries.slice(skipped).map((e) => {
      const arrow = `${e.from} → ${e.to}`;
      const data = e.bytes.length === 0 ? '(end of stream: FIN or close)' : showBytes(e.bytes);
      return `  +${String(e.at).padStart(4)}ms  ${arrow.padEnd(24)} ${data}`;
    });
    if (skipped > 0) rows.unshift(`  (${skipped} earlier entries not shown)`);
    return rows.join('\n');
  }
}
