// Bytes shown as one line of text, for the wire tap: every newline, control character and
// stray byte visible, and a long chunk cut to the room there is.

import { escapeText } from '../app/wire-text.js';

/**
 * A chunk as one line: |text| with \n, \r, control characters and backslashes escaped,
 * bytes that are not valid UTF-8 (half a character, cut by TCP) as \xNN, and a long chunk
 * cut short with how many bytes were not shown.
 */
export function showChunk(bytes: Buffer, room: number): string {
  let text = '';
  let at = 0;
  while (at < bytes.length) {
    const length = characterLength(bytes, at);
    const piece = length === 0 ? `\\x${bytes[at].toString(16).padStart(2, '0')}` : escapeText(bytes.toString('utf8', at, at + length));
    if (text.length + piece.length > room) return `|${text}|… ${bytes.length - at} more B`;
    text += piece;
    at += length || 1;
  }
  return `|${text}|`;
}

/** The length of the valid UTF-8 character at `at`, or 0 when the byte there does not start one. */
function characterLength(bytes: Buffer, at: number): number {
  const first = bytes[at];
  const length = first < 0x80 ? 1 : first >= 0xc2 && first <= 0xdf ? 2 : first >= 0xe0 && first <= 0xef ? 3 : first >= 0xf0 && first <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  for (let i = 1; i < length; i++) if ((bytes[at + i] & 0xc0) !== 0x80) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF pass the checks above, and the
  // decoder turns them into U+FFFD; a real U+FFFD is the bytes EF BF BD.
  const replaced = bytes.toString('utf8', at, at + length).includes('\ufffd');
  return replaced && !(first === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd) ? 0 : length;
}
