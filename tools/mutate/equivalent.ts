// Mutants that no suite can kill because they do not change what the code does: each with
// the reason. `npm run mutate` marks a survivor that matches one as equivalent and leaves it
// out of the second score. A mutant is matched by its lesson, file, mutator, the original
// text of the span it changes and its replacement (white space squeezed); `line`, when
// given, is a piece of the source line it must be on, to tell two equal spans apart.

export interface Equivalent {
  lesson: number;
  /** As under solutions/. */
  file: string;
  /** Stryker's mutator name, e.g. 'ConditionalExpression'. */
  mutator: string;
  original: string;
  replacement: string;
  line?: string;
  /** Why no behaviour changes. */
  why: string;
}

export const EQUIVALENT: Equivalent[] = [];
