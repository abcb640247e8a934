// Lesson 18: one write per turn.
// Read the lesson first: npm run lesson 18      Check your work: npm test -- lesson18

import { performance } from 'node:perf_hooks';
import type { Flushable, FlusherLike, OutboxLike, WriteOut } from '../../app/server/types.js';

/** Gathered text is written early past this size, so that what waits in memory stays bounded. */
const FLUSH_AT_CHARS = 64 * 1024;

/** One connection's outgoing lines, gathered during a turn and written out together. */
export class Outbox implements OutboxLike {
  constructor(
    private readonly write: WriteOut,
    private readonly flusher: FlusherLike,
  ) {
    // TODO (lesson 18): keep the gathered lines here (an array, and their length in
    // characters), joined only when written.
    throw new Error('TODO (lesson 18): Outbox is not written yet. Read the lesson: npm run lesson 18');
  }

  /** Gathers one line; it is written out by the end of the turn. */
  add(line: string): void {
    // TODO (lesson 18): the first line of a batch asks this.flusher for a flush; every
    // line is kept; once FLUSH_AT_CHARS characters are gathered, flush at once.
    throw new Error('TODO (lesson 18): Outbox.add() is not written yet. Read the lesson: npm run lesson 18');
  }

  /** Writes out what is gathered now, in one call to this.write, if anything. */
  flush(): void {
    // TODO (lesson 18): nothing gathered, nothing to do; otherwise join the lines, empty
    // the outbox, then write what it held.
    throw new Error('TODO (lesson 18): Outbox.flush() is not written yet. Read the lesson: npm run lesson 18');
  }
}

/** Runs the flushes: one pass over every outbox that asked, on the next turn of the loop. */
export class Flusher implements FlusherLike {
  /** Has `target` flushed in the next pass (once, however often it asks). */
  request(target: Flushable): void {
    // TODO (lesson 18): remember target (a Set keeps it once); schedule one pass with
    // setImmediate, unless one is scheduled already. After a pass, rest as long as it
    // took (performance.now() before and after): schedule the next with setTimeout.
    throw new Error('TODO (lesson 18): Flusher.request() is not written yet. Read the lesson: npm run lesson 18');
  }
}
