// Lesson 4: turning a stream of bytes into lines.
// Read the lesson first: npm run lesson 4      Check your work: npm test -- lesson4

import { LineTooLongError, MAX_LINE_BYTES } from '../../app/protocol.js';
import type { LineDecoderLike } from '../../app/server/types.js';

export class LineDecoder implements LineDecoderLike {
  constructor(private readonly maxLineBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer): string[] {
    // TODO (lesson 4): keep the bytes of an unfinished line between calls; return every
    // complete line (without '\n' or a '\r' before it), decoded as UTF-8. Throw
    // LineTooLongError as soon as more than maxLineBytes arrive without a '\n'.
    throw new Error('TODO (lesson 4): LineDecoder.push() is not written yet. Read the lesson: npm run lesson 4');
  }
}
