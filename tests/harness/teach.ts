// Failures that teach: what happened, what was expected, where the wire shows it,
// and which lesson section explains the idea.

import type { Transcript } from './transcript.js';

export interface Lead {
  /** The lesson section that explains what went wrong, e.g. '3.4 Broadcast to everyone but the sender'. */
  see: string;
}

export class LessonFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonFailure';
    this.stack = `${this.name}: ${message}`; // our own frames would only hide the message
  }
}

export function failure(parts: {
  problem: string;
  expected?: string;
  see: string;
  transcript?: Transcript;
  logs?: string[];
}): LessonFailure {
  const lines = [parts.problem];
  if (parts.expected) lines.push('', `Expected: ${parts.expected}`);
  if (parts.logs && parts.logs.length > 0) {
    lines.push('', 'The server logged (a piece that threw shows here):', ...parts.logs.slice(-3).map((l) => '  ' + firstLines(l)));
  }
  if (parts.transcript) lines.push('', 'What crossed the wire:', parts.transcript.format());
  lines.push('', `Read again: lesson ${parts.see}`);
  return new LessonFailure(lines.join('\n'));
}

/** A failure with the wire and the server's log of one chat (or anything that records both). */
export function fail(chat: { transcript: Transcript; logs: string[] }, parts: { problem: string; expected: string; see: string }): LessonFailure {
  return failure({ ...parts, transcript: chat.transcript, logs: chat.logs });
}

/**
 * A long list of rows (every call a test made, every chunk it pushed) keeps its first 8 and
 * last 3, with one row that says how many were left out: the news must stay on the screen.
 */
export function collapseRows(rows: string[], what: string): string[] {
  if (rows.length <= 12) return rows;
  return [...rows.slice(0, 8), `  … ${rows.length - 11} more ${what} …`, ...rows.slice(-3)];
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 4).join('\n    ');
}
