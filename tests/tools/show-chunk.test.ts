// The wire tap's one line per chunk (tools/show-chunk.ts): every byte that matters is visible.

import { expect, test } from 'vitest';
import { showChunk } from '../../tools/show-chunk.js';

const show = (bytes: number[] | string, room = 200) => showChunk(Buffer.from(bytes as string), room);

test('line endings, control characters and backslashes are escaped; text stays text', () => {
  expect(show('alice\r\n')).toBe('|alice\\r\\n|');
  expect(show('a\tb\u001b[31m\\ café €')).toBe('|a\\tb\\u001b[31m\\\\ café €|');
  expect(show('')).toBe('||');
});

test('a character cut between chunks shows as its bytes, and the rest of the chunk as text', () => {
  expect(show([0x63, 0x61, 0x66, 0xc3])).toBe('|caf\\xc3|');
  expect(show([0xa9, 0x20, 0xc3, 0xa9, 0x0a])).toBe('|\\xa9 é\\n|');
});

test('bytes that are never valid UTF-8 show as \\xNN; a real U+FFFD stays', () => {
  expect(show([0xff, 0xc0, 0xaf, 0xe0, 0x80, 0x80, 0xed, 0xa0, 0x80, 0x41])).toBe('|\\xff\\xc0\\xaf\\xe0\\x80\\x80\\xed\\xa0\\x80A|');
  expect(show([0xef, 0xbf, 0xbd])).toBe('|\ufffd|');
  expect(show([0xf0, 0x9f, 0x98, 0x80])).toBe('|😀|');
});

test('a long chunk is cut to the room there is, saying how many bytes were left out', () => {
  expect(show('x'.repeat(100), 10)).toBe(`|${'x'.repeat(10)}|… 90 more B`);
  expect(show('\n'.repeat(10), 5)).toBe('|\\n\\n|… 8 more B');
});
