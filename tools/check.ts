// `npm run check`: the maintainers' proof that the course works. It checks that
//   1. everything typechecks;
//   2. every suite (lessons and the reference server's own) passes against solutions/;
//   3. every lesson's suite fails against the pristine starter/;
//   4. every typical mistake (tests/mistakes/) fails its lesson's suite, with the message it should;
//   5. every lesson renders and names files that exist in both trees; starter/ mirrors solutions/.
// It ends with one line, `N passed, M failed`, which CI reads. A lesson that needs a newer
// Node than this one, or a program that is not installed (lessons/index.js, `needs`,
// `needsProgram`), has its suites and mistakes not run: one
// line each says so, counted neither as passed nor as failed.
//
// `--no-mistakes` leaves out step 4 (CI proves the mistakes on one Node only, see .ci/run);
// `--mistakes-of N` runs only step 4, for lesson N's mistakes (repeat it for more lessons):
// what a maintainer strengthening one suite needs, in a minute instead of ten.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeFailure, parseFlags, UsageError } from '../app/cli.js';
import { findLesson, LESSONS, lessonFile, suiteFile, unmetNeed, type Lesson } from '../lessons/index.js';
import type { Mistake } from '../tests/mistakes/mistake.js';
import { renderMarkdown } from './render.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const VITEST = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const TSC = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

let passed = 0;
let failed = 0;
let notRun = 0;
/** The lessons whose code this Node can run; the others' checks are reported as not run. */
const RUNNABLE = LESSONS.filter((l) => !unmetNeed(l));
function reportNotRun(): void {
  for (const lesson of LESSONS.filter((l) => unmetNeed(l))) {
    notRun++;
    console.log(`- not run: lesson ${lesson.number}'s suite on solutions/ and starter/, and its typical mistakes. ${unmetNeed(lesson)}`);
  }
}
function report(ok: boolean, what: string, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✓' : '✗'} ${what}${!ok && detail ? '\n' + indent(detail) : ''}`);
}

interface Run {
  code: number;
  output: string;
}
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

interface VitestJson {
  testResults: { name: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}
/** Runs vitest on some files against one tree and returns its JSON report. */
async function vitest(files: string[], tree: string): Promise<{ report: VitestJson | undefined; output: string }> {
  const out = path.join(os.tmpdir(), `course-check-${process.pid}-${tree.replace(/\W/g, '')}.json`);
  rmSync(out, { force: true });
  const { output } = await run([VITEST, 'run', ...files, '--reporter=json', `--outputFile=${out}`], { COURSE_TREE: tree });
  const report = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as VitestJson) : undefined;
  rmSync(out, { force: true });
  return { report, output };
}

async function checkTypes(): Promise<void> {
  const { code, output } = await run([TSC, '-p', '.']);
  report(code === 0, 'typecheck (tsc)', output.trim());
}

async function checkSolutions(): Promise<void> {
  // The cluster's reference suite needs what lesson 19 needs (redis-server).
  const alsoNeeds = (l: Lesson) => (l.number === 19 ? ['tests/reference/cluster.test.ts'] : []);
  const skipped = LESSONS.filter((l) => unmetNeed(l)).flatMap((l) => [suiteFile(l), ...alsoNeeds(l)].map((file) => `--exclude=${file}`));
  const { report: json, output } = await vitest(skipped, 'solutions');
  if (!json) return report(false, 'every suite against solutions/', output.slice(-3000));
  for (const file of json.testResults) {
    for (const t of file.assertionResults) {
      report(t.status === 'passed', `solutions/: ${path.relative(ROOT, file.name)} › ${t.fullName}`, t.failureMessages.join('\n').slice(0, 2000));
    }
  }
}

async function checkStarterFails(): Promise<void> {
  const { report: json, output } = await vitest(RUNNABLE.map(suiteFile), 'starter');
  if (!json) return report(false, 'lesson suites against the pristine starter/', output.slice(-3000));
  for (const lesson of RUNNABLE) {
    const file = json.testResults.find((f) => f.name.replace(/\\/g, '/').endsWith('/' + suiteFile(lesson)));
    const passing = file?.assertionResults.filter((t) => t.status === 'passed').map((t) => t.fullName) ?? [];
    const total = file?.assertionResults.length ?? 0;
    report(
      total > 0 && passing.length === 0,
      `starter/: lesson ${lesson.number}'s suite fails on the pristine starter (${total} tests)`,
      total === 0 ? 'the suite ran no test' : `these pass without the student's work, so they check nothing (or starter/ was already solved: git checkout starter):\n${passing.join('\n')}`,
    );
  }
}

async function checkMistakes(lessons: Lesson[]): Promise<void> {
  const jobs: (() => Promise<void>)[] = [];
  for (const lesson of lessons) {
    const file = path.join(ROOT, 'tests', 'mistakes', `lesson${String(lesson.number).padStart(2, '0')}.ts`);
    if (!existsSync(file)) {
      report(false, `lesson ${lesson.number} has typical mistakes to prove its suite against`, `missing ${path.relative(ROOT, file)}`);
      continue;
    }
    const { mistakes } = (await import(pathToFileURL(file).href)) as { mistakes: Mistake[] };
    report(mistakes.length >= 4, `lesson ${lesson.number} has at least four typical mistakes (${mistakes.length})`);
    mistakes.forEach((mistake, i) => jobs.push(() => checkMistake(lesson, mistake, i)));
  }
  // Two at a time: each is a vitest run of its own, and this machine has two cores.
  const queue = [...jobs];
  await Promise.all([0, 1].map(async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  }));
}

async function checkMistake(lesson: Lesson, mistake: Mistake, index: number): Promise<void> {
  const what = `lesson ${lesson.number} catches a typical mistake: ${mistake.name}`;
  // The variant is a copy of solutions/ one folder below the root, like starter/, so that
  // its relative imports resolve; then the one file is changed.
  const tree = `.mistake-${lesson.number}-${index}`;
  const dir = path.join(ROOT, tree);
  removeFolder(dir);
  cpSync(path.join(ROOT, 'solutions'), dir, { recursive: true });
  try {
    let source = readText(path.join(ROOT, 'solutions', mistake.file));
    for (const { from, to } of mistake.change) {
      const count = source.split(from).length - 1;
      if (count !== 1) return report(false, what, `the change expects ${JSON.stringify(from)} once in solutions/${mistake.file}, found it ${count} times`);
      source = source.replace(from, () => to);
    }
    writeFileSync(path.join(dir, mistake.file), source);
    const { report: json, output } = await vitest([suiteFile(lesson)], tree);
    const failures = json?.testResults.flatMap((f) => f.assertionResults.flatMap((t) => t.failureMessages)) ?? [];
    if (failures.length === 0) return report(false, what, 'the suite passed: it does not catch this mistake');
    report(failures.some((m) => m.includes(mistake.says)) || output.includes(mistake.says), what, `the suite failed, but never said ${JSON.stringify(mistake.says)}. It said:\n${failures.join('\n').slice(0, 1500)}`);
  } finally {
    removeFolder(dir);
  }
}

/** A text file with \n line endings, whatever the checkout made of them (Windows: \r\n). */
function readText(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
}

/** Removes a folder; on Windows a file a finished process held open can take a moment to let go. */
function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

function checkLessons(): void {
  for (const lesson of LESSONS) {
    const file = path.join(ROOT, lessonFile(lesson));
    if (!existsSync(file)) {
      report(false, `lesson ${lesson.number} renders`, `missing ${lessonFile(lesson)}`);
      continue;
    }
    const rendered = renderMarkdown(readText(file), 80);
    report(rendered.trim().length > 500, `lesson ${lesson.number} renders (${rendered.split('\n').length} lines)`);
    // A workshop laptop's terminal is often 80 columns: tables, code and diagrams must fit.
    const wide = stripAnsi(rendered).split('\n').filter((l) => [...l].length > 80);
    report(wide.length === 0, `lesson ${lesson.number} fits an 80-column terminal`, `${wide.length} lines are wider, e.g.:\n${wide.slice(0, 5).join('\n')}`);
    const missing = lesson.edits.flatMap((f) => ['starter', 'solutions'].map((t) => `${t}/${f}`)).filter((f) => !existsSync(path.join(ROOT, f)));
    report(missing.length === 0, `lesson ${lesson.number}'s files exist in starter/ and solutions/`, missing.join('\n'));
    report(lesson.hints.length > 0 && existsSync(path.join(ROOT, suiteFile(lesson))), `lesson ${lesson.number} has hints and a suite`);
  }
  const list = (tree: string) => listFiles(path.join(ROOT, tree)).sort().join('\n');
  report(list('starter') === list('solutions'), 'starter/ and solutions/ hold the same files', `starter/:\n${list('starter')}\nsolutions/:\n${list('solutions')}`);
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function indent(text: string): string {
  return text.split('\n').map((l) => '    ' + l).join('\n');
}

const USAGE = `Usage: npm run check [-- --no-mistakes | --mistakes-of N ...]
  (nothing)        everything: typecheck, suites on solutions/ and starter/, typical mistakes, lessons
  --no-mistakes    all but the typical mistakes
  --mistakes-of N  only lesson N's typical mistakes (repeat for more lessons)`;

/** The flags, or undefined once a usage line or a flag mistake has been printed. */
function readFlags(): { mistakesOf: Lesson[] | undefined; noMistakes: boolean } | undefined {
  try {
    const { values } = parseFlags({
      args: process.argv.slice(2),
      options: { 'no-mistakes': { type: 'boolean' }, 'mistakes-of': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return undefined;
    }
    const mistakesOf = values['mistakes-of']?.map((n) => {
      const lesson = findLesson(n);
      if (!lesson) throw new UsageError(`No lesson '${n}': --mistakes-of takes a number like 18.`);
      return lesson;
    });
    return { mistakesOf, noMistakes: values['no-mistakes'] === true };
  } catch (err) {
    console.error(describeFailure(err));
    process.exitCode = 2;
    return undefined;
  }
}

const flags = readFlags();
if (flags) {
  const started = Date.now();
  if (flags.mistakesOf) {
    const lessons = flags.mistakesOf.filter((l) => !unmetNeed(l));
    for (const lesson of flags.mistakesOf.filter((l) => unmetNeed(l))) console.log(`- not run: lesson ${lesson.number}'s typical mistakes. ${unmetNeed(lesson)}`);
    console.log(`Checking the typical mistakes of lesson ${flags.mistakesOf.map((l) => l.number).join(', ')}.\n`);
    await checkMistakes(lessons);
  } else {
    console.log('Checking the course: typecheck, suites against solutions/ and starter/, typical mistakes, lessons.\n');
    checkLessons();
    await checkTypes();
    await checkSolutions();
    await checkStarterFails();
    // The typical mistakes prove the suites, whatever Node runs them, and take most of the
    // time: CI proves them on one Node and runs the rest on every Node (.ci/run).
    if (flags.noMistakes) console.log('- not run: the typical mistakes (--no-mistakes).');
    else await checkMistakes(RUNNABLE);
    reportNotRun();
  }
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (notRun > 0) console.log(`${notRun} lesson(s) not run: this machine cannot run them (see the lines above).`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
