// Lesson 4: turning a stream of bytes into lines.
// Read the lesson first: npm run lesson 4      Check your work: npm test -- lesson4

import { LineTooLongError, MAX_LINE_BYTES } from '../../app/protocol.js';
import type { LineDecoderLike } from '../../app/server/types.js';

export class LineDecoder implements LineDecoderLike {
  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer): string[] {
    // TODO (lesson 4): return every line this chunk completes, in order.
    //  1. Keep the bytes of an unfinished line between calls: its '\n' may come later.
    //  2. Split on the newline byte (0x0A) first, then decode each whole line as UTF-8,
    //     so that a character cut in two by TCP is whole again.
    //  3. Drop a '\r' right before the '\n'. A '\r' anywhere else stays.
    //  4. A line may hold this.maxLineBytes bytes (not characters), line ending not counted.
    //     Throw new LineTooLongError(this.maxLineBytes, lines) for a longer one, and as soon
    //     as more than that is pending without a '\n' (one byte more is fine while it is a
    //     '\r': its '\n' may be in the next chunk). Never wait for a newline that may not come.
    //     `lines`: the lines this call finished before the long one. They still count.
    throw new Error('TODO (lesson 4): LineDecoder.push() is not written yet. Read the lesson: npm run lesson 4');
  }
}
