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
const LIST_ITEM = /^(\s*)(\*|\d+\.) /;

/** marked-terminal does not wrap list items: wrap each long one, its lines lined up after the bullet. */
function wrapListItems(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const item = LIST_ITEM.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
      if (!item) return line;
      // The bullet's prefix is plain text (no colour codes), so it can be cut off by length.
      const prefix = item[0];
      const indent = ' '.repeat(prefix.length);
      return wrapAnsi(line.slice(prefix.length), width - prefix.length, { hard: true })
        .split('\n')
        .map((part, i) => (i === 0 ? prefix : indent) + part)
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
