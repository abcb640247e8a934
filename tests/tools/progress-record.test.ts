// The student's progress, recorded as each test run ends (tools/progress/recorder.ts and
// record.ts), and sent to the board after every run once they asked for it (--auto): the
// real vitest, run as the student runs it, on a real lesson suite, to a board on port 0.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { TestModule } from 'vitest/node';
import { ROOT } from '../../app/server/pieces.js';
import { LESSONS } from '../../lessons/index.js';
import { closedPort } from '../harness/proxy.js';
import { PATIENCE_MS } from '../harness/wait.js';
import { editedSince, readResults, readShare, recordResults, toReport, writeShare } from '../../tools/progress/record.js';
import { lessonResults } from '../../tools/progress/recorder.js';
import { BOARD_GREETING } from '../../tools/progress/report.js';

const VITEST = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
/** A whole vitest run, start-up included. */
const RUN_MS = Math.max(20_000, PATIENCE_MS * 5);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'course-progress-'));
  process.env.COURSE_PROGRESS_DIR = dir;
});
afterEach(() => {
  delete process.env.COURSE_PROGRESS_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe('the record', () => {
  test('a run updates the lessons it ran and keeps the others', () => {
    recordResults({ 1: { passed: 5, total: 5, at: 1000 }, 2: { passed: 1, total: 6, at: 1000 } });
    recordResults({ 2: { passed: 6, total: 6, at: 2000 } });
    expect(readResults()).toEqual({ 1: { passed: 5, total: 5, at: 1000 }, 2: { passed: 6, total: 6, at: 2000 } });
    expect(toReport(readResults(), 'alice')).toEqual({ name: 'alice', passed: [1, 2], total: LESSONS.length, next: { lesson: 3, passed: 0, tests: 0 } });
  });

  test('a damaged or hand-edited file is ignored, never a failure', () => {
    writeFileSync(path.join(dir, '.progress.json'), '{"1": {"passed": "5"}, "2": ');
    expect(readResults()).toEqual({});
    writeFileSync(path.join(dir, '.progress.json'), '{"1": {"passed": 5, "total": 5, "at": 1}, "99": {"passed": 1, "total": 1, "at": 1}}');
    expect(readResults()).toEqual({ 1: { passed: 5, total: 5, at: 1 } });
  });

  test('a suite that could not run, or ran only in part, is told apart', () => {
    const module = (file: string, states: string[]) =>
      ({ moduleId: file, children: { allTests: () => states.map((state) => ({ result: () => ({ state }) })) } }) as unknown as TestModule;
    const run = lessonResults([
      module(`${ROOT}/tests/lesson01.test.ts`, ['passed', 'failed', 'passed']),
      module('C:\\course\\tests\\lesson02.test.ts', ['passed']),
      module(`${ROOT}/tests/lesson03.test.ts`, ['passed', 'skipped']),
      module(`${ROOT}/tests/lesson04.test.ts`, []),
      module(`${ROOT}/tests/tools/progress-record.test.ts`, ['passed']),
    ]);
    expect(run[1]).toMatchObject({ passed: 2, total: 3 });
    expect(run[2], 'a Windows path').toMatchObject({ passed: 1, total: 1 });
    expect(run[3], 'a run narrowed with -t says nothing about the lesson').toBeUndefined();
    expect(run[4]).toMatchObject({ passed: 0, total: 0, error: 'the suite could not run' });
    expect(Object.keys(run)).toEqual(['1', '2', '4']);
  });

  test('a lesson whose files changed after its run is marked', () => {
    expect(editedSince(LESSONS[0], { passed: 5, total: 5, at: 0 })).toBe(true);
    expect(editedSince(LESSONS[0], { passed: 5, total: 5, at: Date.now() + 60_000 })).toBe(false);
  });
});

/** A board as small as the exchange allows: greets, takes one line, says ok. */
async function fakeBoard(): Promise<{ port: number; reports: string[]; close(): Promise<void> }> {
  const reports: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write(BOARD_GREETING + '\n');
    let text = '';
    socket.on('data', (d) => {
      text += d;
      if (text.includes('\n')) {
        reports.push(text.slice(0, text.indexOf('\n')));
        socket.end('ok\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, reports, close: () => new Promise((r) => server.close(() => r())) };
}

/** `npm test -- lesson1` as tools/test.js runs it: vitest with the project's config, on starter/. */
function runLesson1(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, 'run', 'tests/lesson01.test.ts'], {
      cwd: ROOT,
      // The share's wait, 50 ms on a student's laptop, stretched to the suites' patience: this
      // machine may be loaded, and the test is about what arrives, not how fast.
      env: { ...process.env, COURSE_TREE: 'starter', COURSE_PROGRESS_DIR: dir, COURSE_SHARE_WAIT_MS: String(PATIENCE_MS), FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test(
  'every test run is recorded; with --auto it reaches the board, and a board that is down changes nothing',
  async () => {
    const board = await fakeBoard();
    writeShare({ host: '127.0.0.1', port: board.port, name: 'alice' });
    const first = await runLesson1();
    const lesson1 = readResults()[1];
    expect(lesson1, `the run was not recorded; vitest printed:\n${first.output.slice(-1500)}`).toBeDefined();
    const failed = Number(/Tests\s+(\d+) failed/.exec(first.output.replace(/\x1b\[[0-9;]*m/g, ''))?.[1] ?? 0);
    expect(lesson1.total - lesson1.passed, 'the record says what vitest said').toBe(failed);

    expect(readShare()?.last, 'the outcome, noted for npm run progress').toMatchObject({ ok: true });
    expect(board.reports).toEqual([`progress ${lesson1.passed === lesson1.total ? '1' : 'none'} of ${LESSONS.length} name=alice next=${lesson1.passed === lesson1.total ? `2:0/0` : `1:${lesson1.passed}/${lesson1.total}`}`]);

    await board.close();
    writeShare({ host: '127.0.0.1', port: await closedPort(), name: 'alice' });
    const second = await runLesson1();
    expect(second.code, 'the same run with the board gone ends the same way').toBe(first.code);
    expect(second.output, 'and says nothing about it').not.toMatch(/board|progress|Nothing listens/i);
    expect(readShare()?.last).toMatchObject({ ok: false, message: expect.stringContaining('Nothing listens at') });
  },
  RUN_MS * 3,
);

test('npm run progress answers from the record, without running a suite; --no-auto forgets the board', async () => {
  const { Program } = await import('../harness/program.js');
  recordResults({ 1: { passed: 5, total: 5, at: Date.now() + 60_000 }, 2: { passed: 3, total: 5, at: Date.now() + 60_000 } });
  writeShare({ host: '127.0.0.1', port: 5052, name: 'alice', last: { at: Date.now(), ok: false, message: 'Nothing listens at 127.0.0.1:5052.' } });
  const recorded = readResults();
  const progress = new Program(['tools/progress/main.ts'], { env: { COURSE_PROGRESS_DIR: dir } });
  expect((await progress.exited).code).toBe(0);
  expect(progress.stdout).toMatch(/^ {3}1 {2}Sockets and connect\(\) +✓ {2}5\/5 tests/m);
  expect(progress.stdout).toMatch(/^ {3}2 .* ✗ {2}3\/5 tests/m);
  expect(progress.stdout).toMatch(/^ {3}3 .* · {2}not run yet$/m);
  expect(progress.stdout).toContain(`1/${LESSONS.length} lessons`);
  expect(progress.stdout).toContain('Next: npm test -- lesson2');
  expect(progress.stdout).toContain('Every test run is sent to the board at 127.0.0.1:5052 as alice. Last: ');
  expect(progress.stdout).toContain('not sent: Nothing listens at 127.0.0.1:5052.');
  expect(readResults(), 'no suite may run: a run would have rewritten the record').toEqual(recorded);

  const off = new Program(['tools/progress/main.ts', '--no-auto'], { env: { COURSE_PROGRESS_DIR: dir } });
  expect((await off.exited).code).toBe(0);
  expect(readShare()).toBeUndefined();
}, RUN_MS);
