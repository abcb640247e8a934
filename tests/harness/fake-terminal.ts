// A terminal in a test: readline sees a TTY (isTTY, columns) and works in terminal mode,
// and the test reads the screen's rows as a user would, instead of escape codes.

import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';

/**
 * A terminal, as readline sees one (isTTY, columns), that keeps what its screen shows: it plays
 * the text and the cursor moves it is sent (carriage return, newline, ESC [ ... G, A, B, C, D,
 * K, J), so a test reads rows, as a user would, instead of escape codes.
 */
export class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  readonly changes = new EventEmitter();
  private screen: string[] = [''];
  private row = 0;
  private col = 0;

  /** Every byte ever written to it, escape codes and all (what a terminal's log would keep). */
  written = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written += chunk.toString('utf8');
    this.play(chunk.toString('utf8'));
    this.changes.emit('change');
    done();
  }

  /** Every row, trailing blanks trimmed. */
  lines(): string[] {
    return this.screen.map((r) => r.trimEnd());
  }

  /** The row the cursor is on: where the user types. */
  cursorRow(): string {
    return (this.screen[this.row] ?? '').trimEnd();
  }

  /** The cursor's column, from 0: where the next key typed would show. */
  cursorColumn(): number {
    return this.col;
  }

  /** The row above the cursor's. */
  rowAbove(): string {
    return (this.screen[this.row - 1] ?? '').trimEnd();
  }

  private play(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const csi = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i, i + 12));
      if (csi) {
        this.move(csi[2]!, csi[1] === '' ? undefined : Number(csi[1]));
        i += csi[0].length - 1;
      } else if (text[i] === '\r') this.col = 0;
      else if (text[i] === '\n') this.goTo(this.row + 1, 0);
      else {
        const current = this.screen[this.row]!.padEnd(this.col);
        this.screen[this.row] = current.slice(0, this.col) + text[i] + current.slice(this.col + 1);
        this.col++;
      }
    }
  }

  private move(command: string, n: number | undefined): void {
    const line = this.screen[this.row]!;
    switch (command) {
      case 'G': return void (this.col = (n ?? 1) - 1);
      case 'A': return this.goTo(Math.max(0, this.row - (n ?? 1)), this.col);
      case 'B': return this.goTo(this.row + (n ?? 1), this.col);
      case 'C': return void (this.col += n ?? 1);
      case 'D': return void (this.col = Math.max(0, this.col - (n ?? 1)));
      case 'K': // 0: to the end of the row, 1: to its start, 2: all of it
        this.screen[this.row] = n === 2 ? '' : n === 1 ? ' '.repeat(this.col) + line.slice(this.col) : line.slice(0, this.col);
        return;
      case 'J': // from the cursor to the end of the screen
        this.screen[this.row] = line.slice(0, this.col);
        this.screen.length = this.row + 1;
        return;
    }
  }

  private goTo(row: number, col: number): void {
    while (this.screen.length <= row) this.screen.push('');
    this.row = row;
    this.col = col;
  }
}

