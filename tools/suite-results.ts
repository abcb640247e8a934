// Runs lesson suites in one vitest run and says, per lesson, how many tests pass.
// One run for all of them: vitest's start-up is paid once, and the suites share its workers.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { FriendlyError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { LESSONS, suiteFile, unmetNeed, type Lesson } from '../lessons/index.js';

const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

export interface SuiteResult {
  lesson: Lesson;
  passed: number;
  total: number;
  /** Why the suite could not run at all (a syntax error in a piece, say), if it could not. */
  error: string | undefined;
}

interface VitestJson {
  testResults: { name: string; message?: string; assertionResults: { status: string }[] }[];
}

/** The code the suites grade: the student's starter/ unless COURSE_TREE says otherwise (as for npm test). */
export const TREE = process.env.COURSE_TREE ?? 'starter';

export async function runLessonSuites(lessons: readonly Lesson[] = LESSONS): Promise<SuiteResult[]> {
  // A lesson that needs a newer Node is not run; its result says why.
  const runnable = lessons.filter((lesson) => !unmetNeed(lesson));
  const notRun = (lesson: Lesson): SuiteResult => ({ lesson, passed: 0, total: 0, error: unmetNeed(lesson) });
  if (runnable.length === 0) return lessons.map(notRun);
  const out = path.join(os.tmpdir(), `course-progress-${process.pid}.json`);
  rmSync(out, { force: true });
  const args = [VITEST, 'run', ...runnable.map(suiteFile), '--reporter=json', `--outputFile=${out}`];
  const output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, COURSE_TREE: TREE, FORCE_COLOR: '0' } });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', () => resolve(text));
  });
  if (!existsSync(out)) throw new FriendlyError(`The suites did not run. Vitest said:\n${output.trim().slice(-2000)}`);
  const json = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  rmSync(out, { force: true });

  return lessons.map((lesson) => {
    if (unmetNeed(lesson)) return notRun(lesson);
    // By the end of the path, in forward slashes: vitest's own spelling of a Windows path
    // (slashes, the drive letter's case) need not match path.resolve()'s.
    const file = json.testResults.find((f) => f.name.replace(/\\/g, '/').endsWith(`/${suiteFile(lesson)}`));
    const tests = file?.assertionResults ?? [];
    const error = tests.length === 0 ? summary(file?.message) || 'the suite ran no test' : undefined;
    return { lesson, passed: tests.filter((t) => t.status === 'passed').length, total: tests.length, error };
  });
}

/** Passes when every test of its suite does. */
export function passes(result: SuiteResult): boolean {
  return result.total > 0 && result.passed === result.total;
}

/** The gist of why a suite could not run: its first lines, without colours and frames. */
function summary(message = ''): string {
  const lines = message
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.replace(/[\u2500-\u257f[\]]/g, '').trim())
    .filter((l) => l !== '');
  return lines.slice(0, 3).join(' ').slice(0, 160);
}
