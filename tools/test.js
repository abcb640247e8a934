// `npm test -- lesson3` (or `npm test -- 3`): runs lesson 3's hidden suite against your
// code in starter/. `npm test` alone runs every lesson's suite. Any other argument goes
// to vitest as it is (e.g. --watch to re-run on every save).
//
// Vitest's own file filter matches substrings, so `lesson1` would also pick lesson10:
// this script turns the lesson into its one suite file first.
//
// Plain JavaScript, like the lesson list and app/cli.js it reads: students run it after
// every change, and starting the TypeScript loader would add a third of a second.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FriendlyError, runMain } from '../app/cli.js';
import { findLesson, LESSONS, suiteFile, unmetNeed } from '../lessons/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

runMain('TEST', async () => {
  /** @type {string[]} */
  const files = [];
  /** @type {string[]} */
  const passThrough = [];
  /** @type {import('../lessons/index.js').Lesson[]} */
  const asked = [];
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith('-')) {
      passThrough.push(arg);
      continue;
    }
    const lesson = findLesson(arg);
    if (lesson) asked.push(lesson);
    else if (/^(lesson)?\d+$/i.test(arg)) throw new FriendlyError(`There is no lesson ${arg.replace(/\D/g, '')}. Lessons: ${LESSONS.map((l) => l.number).join(', ')}.`);
    else passThrough.push(arg);
  }
  // A lesson that needs a newer Node (lessons/index.js, `needs`) is not run here: one line says so.
  /** @type {string[]} */
  const unmet = [];
  for (const lesson of asked.length > 0 ? asked : LESSONS) {
    const need = unmetNeed(lesson);
    if (need) unmet.push(need);
    else files.push(suiteFile(lesson));
  }
  for (const need of unmet) console.error(need);
  if (files.length === 0) {
    process.exitCode = 1;
    return;
  }

  const watch = passThrough.includes('--watch') || passThrough.includes('-w');
  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, watch ? 'watch' : 'run', ...files, ...passThrough.filter((a) => a !== '--watch' && a !== '-w')], {
    stdio: 'inherit',
    // From Node 22 on, Node keeps vitest's compiled code between runs (about 0.1 s saved);
    // Node 20 ignores the variable.
    env: { COURSE_TREE: 'starter', NODE_COMPILE_CACHE: path.join(ROOT, 'node_modules', '.cache', 'node-compile-cache'), ...process.env },
  });
  process.exitCode = unmet.length > 0 ? 1 : (result.status ?? 1);
});
