// `npm run bench:startup -- [LESSON] [--runs N]`: how long a student waits, on this machine,
// for the two commands they type most: `npm run lesson N` (from the render cache, and its
// first render) and `npm test -- lessonN` (on the pristine starter it fails: that is expected,
// only its time counts). Each runs through npm exactly as a student types it.

import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FriendlyError, parseFlags, runMain, UsageError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { findLesson } from '../lessons/index.js';

const WINDOWS = process.platform === 'win32';
const NPM = WINDOWS ? 'npm.cmd' : 'npm';
const TTY = process.stdout.isTTY === true;
// Where tools/lesson.js keeps its rendered lessons.
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'sockets-course');

interface Case {
  label: string;
  args: string[];
  /** Runs before each timed run, untimed. */
  prepare?: () => void;
}

runMain('BENCH', async () => {
  const { values, positionals } = parseFlags({ args: process.argv.slice(2), allowPositionals: true, options: { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return console.log('Usage: npm run bench:startup -- [LESSON] [--runs N]   (default: lesson 1, 5 runs)');
  const lesson = findLesson(positionals[0] ?? '1');
  if (!lesson || positionals.length > 1) throw new UsageError(`Give one lesson number; got '${positionals.join(' ')}'.`);
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new UsageError(`--runs wants a whole number from 1 to 50; got '${values.runs}'.`);

  const n = lesson.number;
  const forgetRendering = () => {
    for (const file of safeList(CACHE)) if (file.startsWith(`lesson-${n}-`)) rmSync(path.join(CACHE, file), { force: true });
  };
  const cases: Case[] = [
    { label: 'npm --version (npm itself, for scale)', args: ['--version'] },
    { label: `npm run lesson ${n} (cached)`, args: ['run', 'lesson', String(n)] },
    { label: `npm run lesson ${n} (first render)`, args: ['run', 'lesson', String(n)], prepare: forgetRendering },
    { label: `npm test -- lesson${n} (fails on the pristine starter)`, args: ['test', '--', `lesson${n}`] },
  ];

  console.log(`Start-up times on this machine: Node ${process.version}, ${process.platform} ${process.arch}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}.`);
  console.log(`Each command ${runs} times after one untimed warm-up run, output discarded.\n`);
  const rows: string[] = [];
  for (const c of cases) {
    c.prepare?.();
    await time(c.args); // warm-up: fills the OS file cache (and the lesson cache, for "cached")
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      c.prepare?.();
      times.push(await time(c.args));
      if (TTY) process.stdout.write(`\r${c.label}: ${times.map((t) => Math.round(t)).join(' ')} ms`);
    }
    if (TTY) process.stdout.write('\r\x1b[2K');
    const sorted = [...times].sort((a, b) => a - b);
    rows.push(`${c.label.padEnd(52)} ${ms(sorted[Math.floor((sorted.length - 1) / 2)])}  ${ms(sorted[0])}  ${ms(sorted[sorted.length - 1])}`);
  }
  console.log(`${'command'.padEnd(52)} ${'median'.padStart(8)}  ${'min'.padStart(8)}  ${'max'.padStart(8)}`);
  console.log(rows.join('\n'));
});

/** Wall-clock milliseconds from spawning the command to its exit, its exit code ignored. */
function time(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // npm on Windows is a .cmd script, which only a shell can start.
    const child = spawn(NPM, args, { cwd: ROOT, stdio: 'ignore', shell: WINDOWS });
    child.on('error', (err) => reject(new FriendlyError(`Could not start ${NPM}: ${err.message}`)));
    child.on('exit', () => resolve(performance.now() - started));
  });
}

function ms(value: number): string {
  return `${Math.round(value)} ms`.padStart(8);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
