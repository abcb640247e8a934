// A typical student mistake, written as a small change to the reference solution.
// The check command applies each change to a copy of the file, runs the lesson's suite
// on it, and proves that the suite fails and says something that points the right way.

export interface Mistake {
  /** What the student did, in a few words. */
  name: string;
  /** The piece's file, as under starter/ and solutions/. */
  file: string;
  /** Text replacements applied to the solution file; each `from` must occur exactly once. */
  change: { from: string; to: string }[];
  /** A phrase the suite's failure output must contain. */
  says: string;
}
