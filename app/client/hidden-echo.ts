// A password typed into readline must not show (lesson 15). readline echoes every key it
// reads to its output; this stream stands between readline and the terminal and drops
// that echo while `hidden` is set, as `sudo` and `ssh` do when they ask for a password.
//
//   keyboard ──> readline ──echo──> HiddenEcho ──(unless hidden)──> terminal
//   the program's own lines ─────────────────────────────────────> terminal

import { Writable } from 'node:stream';

type Terminal = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export class HiddenEcho extends Writable {
  /** While true, nothing readline writes reaches the terminal. */
  hidden = false;
  /** readline asks whether its output is a terminal, and how wide: the terminal's answers. */
  readonly isTTY: boolean;

  constructor(private readonly terminal: Terminal) {
    super();
    this.isTTY = terminal.isTTY === true;
    // readline redraws on a resize of its output: pass the terminal's on.
    if (this.isTTY && 'on' in terminal) terminal.on('resize', () => this.emit('resize'));
  }

  get columns(): number | undefined {
    return this.terminal.columns;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    if (!this.hidden) this.terminal.write(chunk);
    done();
  }
}
