// Lesson 4: turning a stream of bytes into lines.
//
// TCP delivers bytes in chunks of any size: half a line, ten lines, or one byte of a
// three-byte character. So we keep the bytes that have no '\n' yet, and split on the
// newline *byte* before decoding: 0x0A never appears inside a multi-byte UTF-8
// character, so a character split across chunks is whole again by the time we decode.

import { LineTooLongError, MAX_LINE_BYTES } from '../../app/protocol.js';
import type { LineDecoderLike } from '../../app/server/types.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineDecoder implements LineDecoderLike {
  /** The start of a line whose '\n' has not arrived yet, in the chunks it came in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const line = this.takeLine(chunk.subarray(start, newline));
      // The error carries the lines finished before this one: they still count.
      if (line.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes, lines);
      // Decoding only now, with the whole line, keeps split characters intact.
      // Bytes that are not valid UTF-8 become U+FFFD; toString() never throws.
      lines.push(line.toString('utf8'));
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      // Waiting for a '\n' that may never come would let one client fill our memory: give up
      // as soon as the line cannot fit. (One byte over may still be the '\r' of a '\r\n'.)
      const over = this.pendingBytes - this.maxLineBytes;
      if (over > 1 || (over === 1 && chunk[chunk.length - 1] !== CARRIAGE_RETURN)) throw new LineTooLongError(this.maxLineBytes, lines);
    }
    return lines;
  }

  /** The pending bytes and `tail` (the bytes before a '\n'): one whole line, without a final '\r'. */
  private takeLine(tail: Buffer): Buffer {
    const line = this.pendingBytes === 0 ? tail : Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    return line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
  }
}
