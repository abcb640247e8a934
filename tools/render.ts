// Renders a lesson's Markdown for the terminal. Kept apart from the viewer so that
// the check command can render every lesson the same way.

import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';

export function renderMarkdown(markdown: string, width: number): string {
  const marked = new Marked();
  // marked-terminal's types lag behind marked's extension type; the shape is right.
  marked.use(markedTerminal({ width, reflowText: true, tab: 2 }) as Parameters<Marked['use']>[0]);
  // marked-terminal 7.3 prints the text of a list item without its inline formatting
  // (`code` and **bold** show as typed): render those inline tokens ourselves.
  marked.use({
    renderer: {
      text(token) {
        return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
      },
    },
  });
  return marked.parse(markdown, { async: false }) as string;
}
