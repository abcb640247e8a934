// The student's progress, kept on their own machine as it happens: every run of a lesson
// suite against starter/ (recorder.ts, a vitest reporter) writes its result here, so that
// `npm run progress` and a share answer at once instead of running every suite again.
//
//   .progress.json        per lesson: tests passed, tests run, when     (written by test runs)
//   .progress-share.json  the board to tell after every run, if asked   (written by --share --auto)
//
// Two files, each with one writer, so that a test run and a share never undo each other.
// Both are git-ignored. COURSE_PROGRESS_DIR moves them (the tools' own tests use it).

import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../app/server/pieces.js';
import { LESSONS, type Lesson } from '../../lessons/index.js';
import type { ProgressReport } from './report.js';

export interface LessonResult {
  passed: number;
  /** Tests that ran; 0 when the suite could not run at all. */
  total: number;
  /** When the run ended (ms since the epoch). */
  at: number;
  /** Why the suite could not run (a syntax error in a piece, say), if it could not. */
  error?: string;
}

/** Lesson number → its latest result. */
export type Results = Record<string, LessonResult>;

export interface ShareSettings {
  host: string;
  port: number;
  name: string;
  /** The outcome of the latest automatic share, for `npm run progress` to show. */
  last?: { at: number; ok: boolean; message: string };
}

export function progressDir(): string {
  return process.env.COURSE_PROGRESS_DIR ?? ROOT;
}
const resultsFile = () => path.join(progressDir(), '.progress.json');
const shareFile = () => path.join(progressDir(), '.progress-share.json');

export function readResults(): Results {
  const data = readJson(resultsFile());
  const results: Results = {};
  for (const lesson of LESSONS) {
    const r = data?.[lesson.number];
    if (r && Number.isInteger(r.passed) && Number.isInteger(r.total) && Number.isFinite(r.at)) {
      results[lesson.number] = { passed: r.passed, total: r.total, at: r.at, ...(typeof r.error === 'string' ? { error: r.error } : {}) };
    }
  }
  return results;
}

/** Merges the lessons of one run into the record: lessons that did not run keep their last result. */
export function recordResults(run: Results): Results {
  const results = { ...readResults(), ...run };
  writeJson(resultsFile(), results);
  return results;
}

export function readShare(): ShareSettings | undefined {
  const s = readJson(shareFile());
  if (!s || typeof s.host !== 'string' || !Number.isInteger(s.port) || typeof s.name !== 'string') return undefined;
  return s as ShareSettings;
}

export function writeShare(settings: ShareSettings | undefined): void {
  writeJson(shareFile(), settings ?? null);
}

export function passes(result: LessonResult | undefined): boolean {
  return result !== undefined && result.total > 0 && result.passed === result.total && !result.error;
}

/** True when a file the lesson asks the student to edit changed after its suite last ran. */
export function editedSince(lesson: Lesson, result: LessonResult): boolean {
  return lesson.edits.some((file) => {
    try {
      return statSync(path.join(ROOT, 'starter', file)).mtimeMs > result.at;
    } catch {
      return false;
    }
  });
}

/** What the board is told: every lesson that passes, and the first one that does not yet. */
export function toReport(results: Results, name: string): ProgressReport {
  const next = LESSONS.find((l) => !passes(results[l.number]));
  const r = next && results[next.number];
  return {
    name,
    passed: LESSONS.filter((l) => passes(results[l.number])).map((l) => l.number),
    total: LESSONS.length,
    next: next && { lesson: next.number, passed: r?.passed ?? 0, tests: Math.max(r?.total ?? 0, r?.passed ?? 0) },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readJson(file: string): any {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // missing or damaged: start afresh rather than fail a test run
  }
}

/** Written to a temporary file, then renamed: a reader never sees half a file. */
export function writeJson(file: string, data: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(data, null, 1) + '\n');
  renameSync(temp, file);
}
