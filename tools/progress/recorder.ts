// A vitest reporter (vitest.config.ts) that keeps the student's progress as it happens: after
// every run against starter/, each lesson suite that ran in full is written to .progress.json
// (record.ts). If the student asked for it (--share ... --auto), the new progress then goes
// to the board (auto-share.ts) without the run waiting for it: the attempt starts here and
// usually ends while vitest shuts down; if vitest exits first, a detached process takes over.
// Nothing here may fail a test run or slow it down: every error is swallowed.

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';
import { ROOT } from '../../app/server/pieces.js';
import { LESSONS, suiteFile } from '../../lessons/index.js';
import { autoShare } from './auto-share.js';
import { readShare, recordResults, type Results } from './record.js';

export default class ProgressRecorder implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): void {
    // Only the student's own code counts: not solutions/, not the check's mistake variants.
    if (reason === 'interrupted' || (process.env.COURSE_TREE ?? 'starter') !== 'starter') return;
    try {
      const run = lessonResults(modules);
      if (Object.keys(run).length === 0) return;
      recordResults(run);
      if (readShare()) shareSoon();
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

let sharing = false;
let handedOver = false;

function shareSoon(): void {
  sharing = true;
  autoShare(true).finally(() => (sharing = false));
  if (handedOver) return;
  handedOver = true;
  // Still waiting for the board as the process ends: a separate process sends it instead.
  process.on('exit', () => {
    if (!sharing) return;
    spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools', 'progress', 'auto-share.ts')], {
      cwd: ROOT,
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    }).unref();
  });
}
