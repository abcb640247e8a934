// A record of what crossed the wire during one test, so that a failure can show it:
// who sent which bytes to whom, escaped so that every newline and odd byte is visible.

export interface WireEntry {
  at: number;
  from: string;
  to: string;
  bytes: Buffer;
}

const SHOWN_ENTRIES = 30;
const SHOWN_BYTES = 300;

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

/** Shows bytes as text with every control character escaped (\n, \u001b); invalid UTF-8 as \xNN. */
export function showBytes(bytes: Buffer): string {
  const cut = bytes.length > SHOWN_BYTES;
  const part = cut ? bytes.subarray(0, SHOWN_BYTES) : bytes;
  let text = '';
  const decoded = part.toString('utf8');
  if (Buffer.from(decoded, 'utf8').equals(part)) {
    text = escapeText(decoded);
  } else {
    for (const byte of part) text += byte >= 0x20 && byte < 0x7f ? escapeText(String.fromCharCode(byte)) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${text}${cut ? ` … (${bytes.length} bytes in all)` : ''}`;
}

export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => {
    switch (c) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      case '\\': return '\\\\';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
