// Text as a terminal draws it. A terminal cell holds a grapheme (what a reader calls one
// character: 'é' written as e + accent, 👍🏽 as thumb + skin tone, 👨‍👩‍👧 as three people joined
// by zero-width joiners), and a wide one (漢, most emoji) takes two cells. Counting code
// points or UTF-16 units instead cuts an emoji in half and pushes a frame's border out.
// Ink's own wrapping breaks long words between code points, so the chat wraps its text here.

import stringWidth from 'string-width';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The graphemes of `text`, in order. */
export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/** How many terminal columns `text` takes: per grapheme, East Asian wide and emoji count 2. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * `text` cut into rows of at most `width` columns: between words where it can (the spaces at
 * a break are dropped), inside a word longer than a row only between graphemes.
 */
export function wrapText(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const word of text.split(' ')) {
    const wide = textWidth(word);
    const gap = row === '' ? 0 : 1;
    if (used + gap + wide <= columns) {
      row += (gap ? ' ' : '') + word;
      used += gap + wide;
      continue;
    }
    if (wide <= columns) {
      // A word that fits a row starts the next one.
      rows.push(row);
      row = word;
      used = wide;
      continue;
    }
    // Longer than a row: it fills this row's rest, then as many rows as it needs.
    if (gap && used + gap < columns) {
      row += ' ';
      used += gap;
    }
    for (const g of graphemes(word)) {
      const w = textWidth(g);
      if (used + w > columns && row !== '') {
        rows.push(row);
        row = '';
        used = 0;
      }
      row += g;
      used += w;
    }
  }
  rows.push(row);
  return rows;
}

/** `text` cut to at most `width` columns, ending in '…' when something was cut. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let kept = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = textWidth(g);
    if (used + w > width - 1) break;
    kept += g;
    used += w;
  }
  return kept + '…';
}
