// What the server prints while it runs: a line per connection, login, leave and refusal
// (the activity log an instructor watches), and a readable line when a piece throws.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './pieces.js';

/** Receives one activity line, without a timestamp; absent when the server runs quiet. */
export type ActivityLog = (line: string) => void;

/** An activity log that prints each line to stdout behind the local time, `[14:03:07]`. */
export function printActivity(line: string): void {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  console.log(`[${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}] ${line}`);
}

/**
 * A thrown value as one readable message: the error's own line, then where it was thrown in
 * the code under test (`tree`: the student's starter/ unless COURSE_TREE says otherwise), at
 * most three frames with paths from the project root. Never a stack through the course's
 * wiring, its tests, the reference solutions or Node itself: those say nothing to the person
 * whose code threw.
 */
export function describeThrown(err: unknown, tree = process.env.COURSE_TREE ?? 'starter'): string {
  if (!(err instanceof Error)) return String(err);
  const frames = (err.stack ?? '')
    .split('\n')
    .map((line) => /^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line))
    .filter((m) => m !== null)
    .map(([, fn, where, line, column]) => ({ fn, file: relativeFile(where), line, column }))
    .filter((f) => f.file.split('/')[0] === tree)
    .slice(0, 3);
  // "in" rather than V8's "at": vitest would read "at ..." lines as a stack and print those files.
  return [`${err.name}: ${err.message}`, ...frames.map((f) => `  in ${f.fn ? `${f.fn}, ` : ''}${f.file}:${f.line}:${f.column}`)].join('\n');
}

/** A stack frame's file (a path or a file: URL) relative to the project, with forward slashes. */
function relativeFile(where: string): string {
  const file = where.startsWith('file:') ? fileURLToPath(where) : where;
  return path.relative(ROOT, file).replace(/\\/g, '/');
}
