// marked-terminal ships no types, and @types/marked-terminal pulls in an old marked:
// this is the one function the course uses.
declare module 'marked-terminal' {
  import type { MarkedExtension } from 'marked';
  export function markedTerminal(options?: Record<string, unknown>, highlightOptions?: Record<string, unknown>): MarkedExtension;
}
