// `npm test -- lesson3` (or `3`, or `lesson 3`): runs lesson 3's hidden suite against your
// code in starter/. `npm test` alone runs every lesson's suite; `--watch` re-runs on save.
//
// Vitest's own file filter matches substrings, so `lesson1` would also pick lesson10:
// this script turns the lesson into its one suite file first. It takes only what students
// type; anything else is one line saying what works, never vitest's stack trace.
//
// Plain JavaScript, like the lesson list and app/cli.js it reads: students run it after
// every change, and starting the TypeScript loader would add a third of a second.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, runMain, UsageError } from '../app/cli.js';
import { findLesson, LESSONS, suiteFile, unmetNeed } from '../lessons/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: npm test -- [LESSON...] [--watch]
  LESSON        3, lesson3 or "lesson 3"; several are fine. None: every lesson.
  --watch, -w   run the suite again every time you save
  --help        show this help`;

const WHAT_WORKS = 'npm test takes lessons (3, lesson3, "lesson 3") and --watch (-w).';

runMain('TEST', async () => {
  let parsed;
  try {
    parsed = parseFlags({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { watch: { type: 'boolean', short: 'w' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(`${/** @type {Error} */ (err).message} ${WHAT_WORKS}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return console.log(USAGE);

  const asked = lessonWords(positionals).map((word) => {
    const lesson = findLesson(word);
    if (lesson) return lesson;
    const numbers = LESSONS.map((l) => l.number);
    if (/^(lesson)?\d+$/i.test(word)) {
      throw new UsageError(`There is no lesson ${Number(word.replace(/\D/g, ''))}: the lessons are ${numbers[0]} to ${numbers[numbers.length - 1]}.`);
    }
    throw new UsageError(`'${word}' is not a lesson. ${WHAT_WORKS}`);
  });
  // A lesson that needs a newer Node (lessons/index.js, `needs`) is not run here: one line says so.
  const chosen = asked.length > 0 ? asked : LESSONS;
  const unmet = chosen.map((lesson) => unmetNeed(lesson)).filter((need) => need !== undefined);
  for (const need of unmet) console.error(need);
  const files = chosen.filter((lesson) => !unmetNeed(lesson)).map(suiteFile);
  if (files.length === 0) {
    process.exitCode = 1;
    return;
  }

  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, values.watch ? 'watch' : 'run', ...files], {
    stdio: 'inherit',
    // From Node 22 on, Node keeps vitest's compiled code between runs (about 0.1 s saved);
    // Node 20 ignores the variable. Output into a pipe or a file gets no colour codes.
    env: {
      COURSE_TREE: 'starter',
      NODE_COMPILE_CACHE: path.join(ROOT, 'node_modules', '.cache', 'node-compile-cache'),
      ...(process.stdout.isTTY ? {} : { NO_COLOR: '1' }),
      ...process.env,
    },
  });
  process.exitCode = unmet.length > 0 ? 1 : (result.status ?? 1);
});

/**
 * The words that name lessons, with `lesson 3` (two words, as people type it) made one.
 * @param {string[]} args
 */
function lessonWords(args) {
  const words = args.flatMap((arg) => arg.split(/\s+/)).filter((word) => word !== '');
  /** @type {string[]} */
  const joined = [];
  for (let i = 0; i < words.length; i++) {
    if (/^lesson$/i.test(words[i]) && /^\d+$/.test(words[i + 1] ?? '')) joined.push(words[i] + words[++i]);
    else joined.push(words[i]);
  }
  return joined;
}
