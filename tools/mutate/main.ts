// `npm run mutate -- lessonN [lessonM ...]`: mutation testing of a lesson's suite. StrykerJS
// changes the lesson's solutions/ file(s) one small edit at a time (a mutant: `===` made
// `!==`, a line removed, a string emptied), runs that lesson's suite against each (with the
// suite of any other lesson that edits the same file, and those more-suites.ts lists for
// it), and this prints what survived, as a diff, and the score. A survivor is either
// explained in equivalent.ts (it changes nothing a suite could see, or cannot be provoked
// portably) or a bug a student could write that the suite misses.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { FriendlyError, parseFlags, runMain, UsageError } from '../../app/cli.js';
import { ROOT } from '../../app/server/pieces.js';
import { findLesson, LESSONS, suiteFile, type Lesson } from '../../lessons/index.js';
import { EQUIVALENT, type Equivalent } from './equivalent.js';
import { MORE_SUITES } from './more-suites.js';

const USAGE = `Usage: npm run mutate -- LESSON... [--concurrency N] [--file FILE [--lines A-B]] [--all-mutants]
  LESSON          lesson1, 1 or all (every lesson, one after another, then a table)
  --concurrency   how many suites run at once (default: the number of cores)
  --file          only this one of the lesson's files (e.g. client/tui/input-line.tsx):
                  a lesson too large for one sitting, measured a file at a time
  --lines         with --file: only the mutants on these lines (e.g. 72,88-95 or
                  --lines 72 --lines 88-95), to measure again a few survivors in minutes
  --all-mutants   also list the killed mutants, not only the survivors`;

interface Score {
  lesson: Lesson;
  total: number;
  killed: number;
  survivors: number;
  /** Survivors listed in equivalent.ts. */
  explained: number;
  seconds: number;
}

runMain('MUTATE', async () => {
  const { values, positionals } = parseFlags({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { concurrency: { type: 'string' }, file: { type: 'string' }, lines: { type: 'string', multiple: true }, 'all-mutants': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return console.log(USAGE);
  if (positionals.length === 0) throw new UsageError('Name a lesson to mutate, e.g. npm run mutate -- lesson1.');
  const lessons = positionals.flatMap((p) => {
    if (p === 'all') return LESSONS;
    const lesson = findLesson(p);
    if (!lesson) throw new UsageError(`No lesson '${p}': give a number like 1 or lesson1, or all.`);
    return [lesson];
  });
  const lines = lineRanges(values.lines ?? []);
  if (lines.length > 0 && (values.file === undefined || lessons.length > 1)) throw new UsageError('--lines needs --file and one lesson: the lines of which file?');
  const concurrency = Number(values.concurrency ?? os.availableParallelism());
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency wants a whole number from 1 up; got '${values.concurrency}'.`);

  // StrykerJS 10 needs Node 22 (the course's own floor is 22.13); on 20 say so in one line.
  if (Number(process.versions.node.split('.')[0]) < 22) {
    throw new FriendlyError(`Mutation testing needs Node 22 or later (StrykerJS 10); this is Node ${process.versions.node}.`);
  }
  const scores: (Score | { lesson: Lesson; failed: string })[] = [];
  for (const lesson of lessons) {
    // One lesson that cannot run (its suite fails on solutions/, say) must not cost the others.
    const edits = values.file === undefined ? lesson.edits : lesson.edits.filter((f) => f === values.file);
    if (edits.length === 0) throw new UsageError(`Lesson ${lesson.number} edits ${lesson.edits.join(', ')}; --file names one of them, not '${values.file}'.`);
    scores.push(await mutateLesson(lesson, edits, lines, concurrency, values['all-mutants'] === true).catch((err: Error) => ({ lesson, failed: err.message })));
  }
  if (scores.length > 1) printTable(scores);
  const failed = scores.filter((s) => 'failed' in s);
  if (failed.length > 0) throw new FriendlyError(failed.map((s) => s.failed).join('\n'));
});

/** `--lines 72,88-95` as [[72, 72], [88, 95]]: the lines to mutate, each range from..to. */
function lineRanges(given: string[]): [number, number][] {
  return given.flatMap((list) => list.split(',')).map((range) => {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(range);
    const [from, to] = [Number(match?.[1]), Number(match?.[2] ?? match?.[1])];
    if (!match || from < 1 || to < from) throw new UsageError(`--lines wants line numbers or ranges like 72 or 88-95 (from 1, the smaller first); got '${range}'.`);
    return [from, to];
  });
}

async function mutateLesson(lesson: Lesson, edits: string[], lines: [number, number][], concurrency: number, showKilled: boolean): Promise<Score> {
  const files = edits.map((f) => `solutions/${f}`);
  // Stryker's own syntax for a part of a file, "path:from-to": a mutant must lie wholly inside.
  const mutate = lines.length === 0 ? files : lines.map(([from, to]) => `${files[0]}:${from}-${to}`);
  // A file two lessons edit (client/connect.ts: lessons 1 and 4) is graded by both suites, and
  // by any other suite more-suites.ts lists for it: a mutant any of them kills is caught.
  const lessonSuites = LESSONS.filter((l) => l.edits.some((f) => edits.includes(f))).map(suiteFile);
  const suites = [...new Set([...lessonSuites, ...edits.flatMap((f) => MORE_SUITES[f] ?? [])])];
  // A suite that runs the code in a child process (tests/harness/program.ts) hides from
  // Stryker which tests reach which mutant; per-test coverage would call those mutants
  // "not covered". Without it, every mutant runs the whole suite (until its first failure):
  // see tools/mutate/child-mutant.ts.
  const inChildren = suites.some((suite) => readFileSync(path.join(ROOT, suite), 'utf8').includes('harness/program'));
  console.log(`\nLesson ${lesson.number}: mutating ${mutate.join(', ')}; each mutant runs ${suites.join(' and ')}${inChildren ? ' (whole: it runs code in child processes)' : ''}.`);

  // Stryker's workers inherit these: the suites grade solutions/ (Stryker's sandbox copy of
  // it, with the mutants in), and tools/mutate/vitest.config.ts runs only these suites.
  process.env.COURSE_TREE = 'solutions';
  process.env.MUTATE_SUITES = suites.join(',');
  process.env.MUTATE_FILES = edits.join(',');
  process.env.MUTATE_ALL_TESTS = inChildren ? '1' : '0';
  const options: PartialStrykerOptions = {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'tools/mutate/vitest.config.ts', related: false },
    mutate,
    coverageAnalysis: inChildren ? 'off' : 'perTest',
    concurrency,
    reporters: [process.stdout.isTTY ? 'progress' : 'dots'],
    // MUTATE_LOG=debug shows what Stryker does. (The type is a const enum in Stryker's types.)
    logLevel: (process.env.MUTATE_LOG ?? 'warn') as PartialStrykerOptions['logLevel'],
    // Suites wait up to COURSE_PATIENCE_MS for what never comes; a mutant gets that and more.
    timeoutMS: 10_000,
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
    // Only what the suites need goes into the sandbox.
    ignorePatterns: ['/lessons/*.md', '/course.md', '/.mistake-*', '/.backup'],
  };
  const started = Date.now();
  const { Stryker } = await import('@stryker-mutator/core');
  const results = await new Stryker(options).runMutationTest().catch((err: Error) => {
    // Stryker has logged the details (a suite that fails on solutions/, for one).
    throw new FriendlyError(`Stryker stopped on lesson ${lesson.number}: ${err.message}`);
  });
  const seconds = (Date.now() - started) / 1000;
  return report(lesson, results, seconds, showKilled);
}

function report(lesson: Lesson, results: MutantResult[], seconds: number, showKilled: boolean): Score {
  const counted = results.filter((r) => r.status !== 'CompileError' && r.status !== 'Ignored');
  const isKilled = (r: MutantResult) => r.status === 'Killed' || r.status === 'Timeout';
  const killed = counted.filter(isKilled);
  const survivors = counted.filter((r) => !isKilled(r)).sort((a, b) => a.fileName.localeCompare(b.fileName) || a.location.start.line - b.location.start.line);
  const byStatus = new Map<string, number>();
  for (const r of counted) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);

  const source = new Map<string, string>();
  const textOf = (file: string) => source.get(file) ?? (source.set(file, readFileSync(file, 'utf8')), source.get(file)!);
  let explained = 0;
  console.log('');
  for (const r of showKilled ? [...killed, ...survivors] : survivors) {
    const file = path.relative(ROOT, r.fileName).replace(/\\/g, '/');
    const match = isKilled(r) ? undefined : findEquivalent(lesson, file, r, textOf(r.fileName));
    if (match) explained++;
    const mark = isKilled(r) ? '✓ killed' : match ? `≈ ${match.kind}` : `✗ ${r.status === 'NoCoverage' ? 'not covered' : r.status === 'Survived' ? 'survived' : r.status}`;
    console.log(`${mark}: ${file}:${r.location.start.line} ${r.mutatorName}${isKilled(r) && r.killedBy?.length ? ` (by "${r.killedBy[0]}")` : ''}`);
    console.log(diff(textOf(r.fileName), r));
    if (match) console.log(`    why: ${match.why}`);
  }
  const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);
  const statuses = [...byStatus].map(([s, n]) => `${n} ${s}`).join(', ');
  console.log(`Lesson ${lesson.number}: ${counted.length} mutants (${statuses}) in ${seconds.toFixed(0)} s.`);
  console.log(`Score: ${pct(killed.length, counted.length)} killed; ${pct(killed.length, counted.length - explained)} with the ${explained} explained survivors left out. Unexplained survivors: ${survivors.length - explained}.`);
  return { lesson, total: counted.length, killed: killed.length, survivors: survivors.length, explained, seconds };
}

/** The listed equivalent mutant this survivor is, if any. */
function findEquivalent(lesson: Lesson, file: string, r: MutantResult, text: string): Equivalent | undefined {
  const original = squeeze(spanOf(text, r));
  return EQUIVALENT.find(
    (e) =>
      e.lesson === lesson.number &&
      `solutions/${e.file}` === file &&
      e.mutator === r.mutatorName &&
      squeeze(e.original) === original &&
      squeeze(e.replacement) === squeeze(r.replacement ?? '') &&
      (e.line === undefined || lineOf(text, r).includes(e.line)) &&
      (e.after === undefined || text.slice(0, offset(text, r.location.start)).endsWith(e.after)),
  );
}

/** The mutated span's original text (Stryker reports lines from 1 and columns from 1). */
function spanOf(text: string, r: MutantResult): string {
  return text.slice(offset(text, r.location.start), offset(text, r.location.end));
}

function lineOf(text: string, r: MutantResult): string {
  return text.split('\n')[r.location.start.line - 1] ?? '';
}

function offset(text: string, { line, column }: { line: number; column: number }): number {
  const lines = text.split('\n');
  return lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
}

/** The changed lines before and after, as a small unified diff (long spans shortened). */
function diff(text: string, r: MutantResult): string {
  const start = offset(text, r.location.start);
  const end = offset(text, r.location.end);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end);
  const before = text.slice(lineStart, lineEnd).split('\n');
  const after = (text.slice(lineStart, start) + (r.replacement ?? '') + text.slice(end, lineEnd)).split('\n');
  const shorten = (lines: string[]) => (lines.length > 6 ? [...lines.slice(0, 3), '      …', ...lines.slice(-2)] : lines);
  return [...shorten(before).map((l) => `    - ${l}`), ...shorten(after).map((l) => `    + ${l}`)].join('\n');
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function printTable(scores: (Score | { lesson: Lesson; failed: string })[]): void {
  console.log('\n| lesson | mutants | killed | survived | explained | score | without the explained | time |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of scores) {
    if ('failed' in s) {
      console.log(`| ${s.lesson.number} | did not run: ${s.failed.split('\n')[0]} |||||||`);
      continue;
    }
    const pct = (whole: number) => (whole === 0 ? 'n/a' : `${((100 * s.killed) / whole).toFixed(1)}%`);
    console.log(`| ${s.lesson.number} | ${s.total} | ${s.killed} | ${s.survivors} | ${s.explained} | ${pct(s.total)} | ${pct(s.total - s.explained)} | ${s.seconds.toFixed(0)} s |`);
  }
}
