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
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline !== -1) {
      const piece = chunk.subarray(start, newline);
      const bytes = this.pendingBytes > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(this.decode(bytes));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      // Past the limit, the line can no longer end in time: give up now instead of buffering
      // without bound. (One byte over is still fine if it is the '\r' of a '\r\n'.)
      const overBy = this.pendingBytes - this.maxLineBytes;
      if (overBy > 1 || (overBy === 1 && chunk[chunk.length - 1] !== CARRIAGE_RETURN)) {
        throw new LineTooLongError(this.maxLineBytes);
      }
    }
    return lines;
  }

  private decode(bytes: Buffer): string {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    if (end > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
    // Invalid UTF-8 becomes U+FFFD here; it never throws.
    return bytes.toString('utf8', 0, end);
  }
}
