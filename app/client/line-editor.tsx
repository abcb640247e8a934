// An editable line for the chat's input (lesson 11): which keys Ink reports, what each one
// does to the text and its cursor, and how the line is drawn. Pure functions, so that a
// reducer can apply keys one after another and never lose one.
//
// Ink calls useInput once per read from the terminal, and one read may hold several keys:
// a paste, fast typing over ssh, tmux's `send-keys hello Enter` all arrive as 'hello\r'.
// keysOf() splits such a read into the keys it holds, in order.
//
// The keys are readline's, as in bash: Ctrl+A/E start/end, Ctrl+B/F left/right, Ctrl+U
// deletes to the start, Ctrl+K to the end, Ctrl+W the word before the cursor, Ctrl+D the
// character under it. Ink reports the Backspace key of most terminals (which sends DEL,
// 0x7F) and the Delete key alike, so both delete backwards; Ctrl+D deletes forwards.

import { Text, type Key } from 'ink';
import { graphemes, textWidth } from './terminal-text.js';

/** The text being typed, and the cursor: an index into the text, always between graphemes. */
export interface EditedLine {
  text: string;
  cursor: number;
}

export type EditKey =
  | { type: 'insert'; text: string }
  | { type: 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'kill-start' | 'kill-end' | 'kill-word' };

/**
 * A key for the input line: an edit, or one of the keys the input line itself decides.
 * A tab that came in one read with other text (`pasted`) may be a paste's tab, or a Tab
 * typed fast after a name: it completes if it can, and is a space otherwise.
 */
export type LineKey = EditKey | { type: 'enter' | 'up' | 'down' } | { type: 'tab'; pasted?: boolean };

export const EMPTY_LINE: EditedLine = { text: '', cursor: 0 };

/** A line holding `text`, with the cursor at its end. */
export function lineOf(text: string): EditedLine {
  return { text, cursor: text.length };
}

/** Ctrl + a letter (as Ink names it) and the key it is. Ctrl+C and Ctrl+L belong to the screen. */
const CTRL: Record<string, LineKey['type']> = {
  a: 'home', e: 'end', b: 'left', f: 'right', d: 'delete', h: 'backspace', u: 'kill-start', k: 'kill-end', w: 'kill-word',
};

/** The keys in one call of Ink's useInput, in the order they were typed. */
export function keysOf(input: string, key: Key): LineKey[] {
  const one = (type: LineKey['type']): LineKey[] => [{ type } as LineKey];
  if (key.return) return one('enter');
  if (key.upArrow) return one('up');
  if (key.downArrow) return one('down');
  if (key.leftArrow) return one('left');
  if (key.rightArrow) return one('right');
  if (key.home) return one('home');
  if (key.end) return one('end');
  if (key.tab) return key.shift ? [] : one('tab');
  if (key.backspace || key.delete) return one(key.meta ? 'kill-word' : 'backspace');
  if (key.ctrl) return CTRL[input] ? one(CTRL[input]) : [];
  if (key.meta || key.escape || key.pageUp || key.pageDown) return [];
  return keysInText(input);
}

/** The control characters a read may hold besides text. */
const IN_TEXT: Record<string, LineKey['type']> = {
  '\r': 'enter', '\n': 'enter', '\x7f': 'backspace', '\b': 'backspace', '\x15': 'kill-start', '\x17': 'kill-word', '\x0b': 'kill-end', '\x01': 'home', '\x05': 'end',
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A read of several characters: text, with the keys it holds (a pasted line break is Enter). */
function keysInText(input: string): LineKey[] {
  const keys: LineKey[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') keys.push({ type: 'insert', text });
    text = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (!CONTROL.test(c)) text += c;
    else if (c === '\t') {
      flush();
      keys.push({ type: 'tab', pasted: true });
    }
    else if (IN_TEXT[c]) {
      flush();
      keys.push({ type: IN_TEXT[c] } as LineKey);
      if (c === '\r' && input[i + 1] === '\n') i++; // Windows' line break is one Enter
    }
  }
  flush();
  return keys;
}

/** The line after one edit. */
export function editLine(line: EditedLine, key: EditKey): EditedLine {
  const { text, cursor } = line;
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  switch (key.type) {
    case 'insert':
      return { text: before + key.text + after, cursor: cursor + key.text.length };
    case 'left':
      return { text, cursor: cursor - lastGrapheme(before).length };
    case 'right':
      return { text, cursor: cursor + (graphemes(after)[0] ?? '').length };
    case 'home':
      return { text, cursor: 0 };
    case 'end':
      return { text, cursor: text.length };
    case 'backspace': {
      const start = cursor - lastGrapheme(before).length;
      return { text: text.slice(0, start) + after, cursor: start };
    }
    case 'delete':
      return { text: before + after.slice((graphemes(after)[0] ?? '').length), cursor };
    case 'kill-start':
      return { text: after, cursor: 0 };
    case 'kill-end':
      return { text: before, cursor };
    case 'kill-word': {
      // As bash's Ctrl+W: the spaces before the cursor, then the word before them.
      const start = before.replace(/\S*\s*$/u, '').length;
      return { text: text.slice(0, start) + after, cursor: start };
    }
  }
}

function lastGrapheme(text: string): string {
  return graphemes(text).at(-1) ?? '';
}

/**
 * Where the secret part of a line starts (lesson 15): all of it when a password is being
 * typed, what follows `/register ` otherwise, and -1 when the line holds no secret.
 */
export function secretStart(text: string, password = false): number {
  if (password) return 0;
  const register = /^\s*\/register\s/i.exec(text);
  return register ? register[0].length : -1;
}

/** The line as it may be shown: every character from `from` on a bullet (the cursor stays put). */
export function masked(line: EditedLine, from: number): EditedLine {
  if (from < 0 || from >= line.text.length) return line;
  return { text: line.text.slice(0, from) + '•'.repeat(line.text.length - from), cursor: line.cursor };
}

/**
 * The line in `width` columns, the cursor as an inverted cell. A line too long to fit
 * scrolls sideways so that the cursor stays in sight.
 */
export function LineView({ line, width, placeholder }: { line: EditedLine; width: number; placeholder: string }) {
  const columns = Math.max(2, width);
  if (line.text === '') {
    const [first = ' ', ...rest] = graphemes(placeholder);
    return (
      <Text>
        <Text inverse>{first}</Text>
        <Text dimColor>{fit(rest, columns - textWidth(first))}</Text>
      </Text>
    );
  }
  const before = graphemes(line.text.slice(0, line.cursor));
  const [under = ' ', ...after] = graphemes(line.text.slice(line.cursor));
  // Keep as much before the cursor as fits with the cursor's cell, then fill with what follows.
  let room = columns - textWidth(under);
  let start = before.length;
  while (start > 0 && textWidth(before[start - 1]!) <= room) room -= textWidth(before[--start]!);
  return (
    <Text>
      {before.slice(start).join('')}
      <Text inverse>{under}</Text>
      {fit(after, room)}
    </Text>
  );
}

/** As many of the graphemes as fit in `width` columns. */
function fit(parts: string[], width: number): string {
  let shown = '';
  for (const g of parts) {
    width -= textWidth(g);
    if (width < 0) break;
    shown += g;
  }
  return shown;
}
