// Renders a lesson's Markdown for the terminal. Kept apart from the viewer so that
// the check command can render every lesson the same way.

import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import wrapAnsi from 'wrap-ansi';

export function renderMarkdown(markdown: string, width: number): string {
  const marked = new Marked();
  // marked-terminal's types lag behind marked's extension type; the shape is right.
  marked.use(markedTerminal({ width, reflowText: true, tab: 2 }) as Parameters<Marked['use']>[0]);
  // marked-terminal 7.3 prints the text of a list item without its inline formatting
  // (`code` and **bold** show as typed): render those inline tokens ourselves.
  marked.use({
    renderer: {
      text(token) {
        // One line per item (soft line breaks become spaces); wrapListItems wraps it to the width.
        return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens).replace(/\n/g, ' ') : false;
      },
    },
  });
  return wrapListItems(marked.parse(markdown, { async: false }) as string, width);
}

// A list item's bullet and its indentation, e.g. '  * ' or '  12. '.
// Colour codes may come before the indentation and the bullet (a list inside a blockquote is
// grey and italic): they are kept, and only the visible part counts as the bullet's width.
const CODES = '(?:\\x1b\\[[0-9;]*m)*';
const LIST_ITEM = new RegExp(`^(${CODES})(\\s*)(${CODES})(\\*|\\d+\\.) `);

/** marked-terminal does not wrap list items: wrap each long one, its lines lined up after the bullet. */
function wrapListItems(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const item = LIST_ITEM.exec(line);
      if (!item) return line;
      const [whole, before = '', spaces = '', codes = '', bullet = ''] = item;
      const visible = spaces + bullet + ' ';
      const indent = ' '.repeat(visible.length);
      // The colour codes go with the text, so wrap-ansi carries them onto every line it makes.
      return wrapAnsi(before + codes + line.slice(whole.length), width - visible.length, { hard: true })
        .split('\n')
        .map((part, i) => (i === 0 ? visible : indent) + part)
        .join('\n');
    })
    .join('\n');
}

// Terminal escape sequences: CSI (colours, `\x1b[31m`) and OSC (hyperlinks, `\x1b]8;;URL\x07`).
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The text without escape sequences: for a pipe, a file, or a reader who set NO_COLOR. */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPES, '');
}
