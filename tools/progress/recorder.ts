// A vitest reporter (vitest.config.ts) that keeps the student's progress as it happens: after
// every run against starter/, each lesson suite that ran in full is written to .progress.json
// (record.ts). If the student asked for it (--share ... --auto), the new progress then goes
// to the board (auto-share.ts), silently and within a few milliseconds. Nothing here may fail
// a test run: every error is swallowed.

import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';
import { LESSONS, suiteFile } from '../../lessons/index.js';
import { autoShare } from './auto-share.js';
import { readShare, recordResults, type Results } from './record.js';

export default class ProgressRecorder implements Reporter {
  async onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    // Only the student's own code counts: not solutions/, not the check's mistake variants.
    if (reason === 'interrupted' || (process.env.COURSE_TREE ?? 'starter') !== 'starter') return;
    try {
      const run = lessonResults(modules);
      if (Object.keys(run).length === 0) return;
      recordResults(run);
      // The summary is already printed (reporters run side by side); this delays only the exit.
      if (readShare()) await autoShare();
    } catch {
      // A full disk or a read-only checkout must not turn a passing run into a failing one.
    }
  }
}

export function lessonResults(modules: ReadonlyArray<TestModule>): Results {
  const run: Results = {};
  for (const module of modules) {
    // By the end of the path, in forward slashes: Windows paths differ in slashes and case.
    const id = module.moduleId.replace(/\\/g, '/');
    const lesson = LESSONS.find((l) => id.endsWith(`/${suiteFile(l)}`));
    if (!lesson) continue;
    const states = [...module.children.allTests()].map((t) => t.result().state);
    // A run narrowed with -t skips tests: it says nothing about the lesson as a whole.
    if (states.some((s) => s !== 'passed' && s !== 'failed')) continue;
    const passed = states.filter((s) => s === 'passed').length;
    run[lesson.number] = { passed, total: states.length, at: Date.now(), ...(states.length === 0 ? { error: 'the suite could not run' } : {}) };
  }
  return run;
}
