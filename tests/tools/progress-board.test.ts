// The instructor's board (tools/progress/board.ts) and a student's share (share.ts), as the
// room uses them: real processes on real TCP, port 0. The board listens on a port of its own,
// so it must tell what it counts and whom it has not heard from, survive whatever anyone
// sends it, keep its reports across a restart, and refuse to start twice on one port.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startChat } from '../harness/chat.js';
import { Program } from '../harness/program.js';
import { PATIENCE_MS, waitUntil } from '../harness/wait.js';
import { LESSONS } from '../../lessons/index.js';
import { renderBoard, type Student } from '../../tools/progress/board.js';
import { parseProgressFlags } from '../../tools/progress/flags.js';
import { BOARD_GREETING, parseReport } from '../../tools/progress/report.js';
import { sendReport } from '../../tools/progress/share.js';

/** A program's start includes loading TypeScript: more than a reply from a running one. */
const START_MS = Math.max(8000, PATIENCE_MS * 2);
const MIN = 60_000;

const running: Program[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'course-board-'));
  folders.push(dir);
  return dir;
}

function progress(...args: string[]): Program {
  const program = new Program(['tools/progress/main.ts', ...args]);
  running.push(program);
  return program;
}

/** Waits until the program has printed something matching `pattern` `times` times. */
function printed(program: Program, pattern: RegExp, what: string, ms = PATIENCE_MS, times = 1): Promise<RegExpMatchArray> {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  return waitUntil(
    () => {
      const all = [...program.output.matchAll(global)];
      return all.length >= times ? all[times - 1] : undefined;
    },
    (wake) => program.onChange(wake),
    () => new Error(`Waited ${ms} ms for the board to show ${what}; it ${program.exit ? program.ending() : 'still runs'} and printed:\n${program.output.slice(-1500)}`),
    ms,
  );
}

async function startBoard(file: string, ...args: string[]): Promise<{ board: Program; port: number }> {
  const board = progress('--board', '--host', '127.0.0.1', '--port', '0', '--file', file, ...args);
  const [, port] = await printed(board, /Listening on 127\.0\.0\.1:(\d+)/, 'the address it listens on', START_MS);
  return { board, port: Number(port) };
}

const report = (text: string) => parseReport(text)!;

/** Connects as anything could, sends `bytes`, and resolves with all the board answered. */
function call(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.end(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

describe('the board on its own port', () => {
  // One board for the room's ordinary day; the restart test starts its own.
  let board: Program;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'course-board-'));
    ({ board, port } = await startBoard(path.join(dir, 'board.json'), '--lessons', '1-6'));
    running.splice(running.indexOf(board), 1); // it outlives each test, not the describe
  }, START_MS * 2);
  afterAll(async () => {
    await board.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('counts only the lessons the instructor chose, and says what each student works on', async () => {
    await sendReport('127.0.0.1', port, report('progress 1,2,7 of 11 name=alice next=3:4/17'));
    const [row] = await printed(board, /^alice .*$/m, "alice's row");
    expect(row, 'lesson 7 is not on the agenda (--lessons 1-6): alice has done 2 of 6').toMatch(/\s2\/6\s+1-2\s+3: 4\/17\s+<1m ago$/);
    await sendReport('127.0.0.1', port, report('progress 1,2,3,4,5,6 of 11 name=bob next=7:0/9'));
    const [bob] = await printed(board, /^bob .*$/m, "bob's row");
    expect(bob).toMatch(/\s6\/6\s+1-6\s+all done\s/);
    expect(board.output).toMatch(/Progress board: 2 students, lessons 1-6/);
  });

  test('turns away whatever is not a report, one line each, and carries on', async () => {
    expect(await call(port, 'hello\n')).toBe(`${BOARD_GREETING}\nrefused that is not a progress report with a name\n`);
    expect(await call(port, 'progress 1 of 11\n'), 'a report without a name cannot be filed').toMatch(/^refused /m);
    expect(await call(port, 'progress 1 of 11 name=\u001b[2Jeve\n')).toMatch(/^refused /m);
    expect(await call(port, Buffer.alloc(100_000, 'x')), 'an endless line is refused, not buffered').toMatch(/^refused /m);
    expect(await call(port, Buffer.from([0xff, 0xfe, 0x0a]))).toMatch(/^refused /m);
    await printed(board, /ignored a line from .* that is not a progress report/, 'the ignored lines', PATIENCE_MS, 5);
    await sendReport('127.0.0.1', port, report('progress 1 of 11 name=carol'));
    await printed(board, /^carol /m, "carol's row, after all that");
    expect(board.output, 'nothing anyone sent may reach the terminal raw').not.toContain('\u001b[2J');
    expect(board.exit).toBeUndefined();
  });

  test('a second board on the same port does not start, and says why in one line', async () => {
    const second = progress('--board', '--host', '127.0.0.1', '--port', String(port), '--file', path.join(folder(), 'b.json'));
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.stderr.trim()).toBe(`[PROGRESS] Port ${port} is taken on this machine: is a board already running? Stop it first, or start this one with --port ${port + 10} and give students that address.`);
  });

  test('keeps its reports across a restart, even a crash', async () => {
    const file = path.join(folder(), 'board.json');
    const first = await startBoard(file);
    await sendReport('127.0.0.1', first.port, report('progress 1,2,3 of 11 name=dave next=4:1/17'));
    await printed(first.board, /^dave /m, "dave's row");
    await first.board.stop(); // SIGKILL: no chance to save on the way out

    const second = await startBoard(file);
    // Out of every lesson the board knows, whatever the report said.
    await printed(second.board, new RegExp(`^dave .*\\s3/${LESSONS.length}\\s+1-3\\s+4: 1/17`, 'm'), "dave's row, kept from before the restart");
    expect(second.board.output).toContain('Kept 1 student from');
    expect(JSON.parse(readFileSync(file, 'utf8')).students).toHaveLength(1);
  });
});

describe('sharing', () => {
  test("the chat server's address instead of the board's: a sentence that says so", async () => {
    const chat = await startChat({ mine: [], see: 'course.md, "The progress board"' });
    await expect(sendReport('127.0.0.1', chat.port, report('progress 1 of 11 name=alice'))).rejects.toThrow(/^127\.0\.0\.1:\d+ is the chat server, not the board\. The board listens on a port of its own/);
  });

  test('a board that is not there: one line, exit code 1, no stack', async () => {
    // A port just closed may be taken again by a server of a suite running beside this one
    // (a chat server, a redis-server) on a busy machine: then another port, up to three.
    let share: ReturnType<typeof progress> | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const closed = await new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as net.AddressInfo;
          server.close(() => resolve(port));
        });
      });
      share = progress('--share', `127.0.0.1:${closed}`, '--name', 'alice');
      await share.exited;
      if (/Nothing listens/.test(share.stderr)) break;
    }
    expect((await share!.exited).code).toBe(1);
    expect(share!.stderr.trim()).toMatch(/^\[PROGRESS\] Nothing listens at 127\.0\.0\.1:\d+\. Is the board running [^\n]*$/);
  });

  test('a mistyped command is one line with exit code 2', async () => {
    const program = progress('--share', 'h:5052');
    expect((await program.exited).code).toBe(2);
    expect(program.stderr).toBe('[PROGRESS] --share needs your name, so the instructor knows whose progress it is: --share HOST:PORT --name alice\nRun with --help to see the options.\n');
  });

  test.for([
    [['--share', 'h:99999', '--name', 'a'], 'A port is a whole number'],
    [['--share', 'h', '--name', 'bad name'], '--name wants a chat name'],
    [['--board', '--lessons', '98-99'], 'There is no lesson 98'],
    [['--board', '--lessons', '3-'], '--lessons wants lesson numbers'],
    [['--board', '--silent-after', '0'], '--silent-after wants minutes'],
    [['--board', '--name', 'teacher'], '--board shows the room'],
    [['--port', '5052'], '--port goes with --board'],
    [['--auto'], '--auto goes with --share'],
  ])('mistyped: %j', ([args, message]) => {
    expect(() => parseProgressFlags(args as string[])).toThrow(message as string);
  });

  test('what the flags mean: the board on all addresses at 5052, a share to port 5052 unless given', () => {
    expect(parseProgressFlags(['--board', '--lessons', '1-4,7'])).toMatchObject({ mode: 'board', host: '0.0.0.0', port: 5052, lessons: [1, 2, 3, 4, 7], silentAfterMs: 15 * MIN });
    expect(parseProgressFlags(['--share', '10.0.0.5', '--name', 'alice', '--auto'])).toEqual({ mode: 'share', rerun: false, host: '10.0.0.5', port: 5052, name: 'alice', auto: true });
    expect(parseProgressFlags(['--share', '10.0.0.5:6000', '--name', 'alice'])).toMatchObject({ port: 6000, auto: false });
  });
});

describe('the board as text', () => {
  const now = 1_800_000_000_000;
  const student = (text: string, minutesAgo: number): Student => ({ student: parseReport(text)!.name!, report: parseReport(text)!, heardAt: now - minutesAgo * MIN });
  const view = (students: Student[]) => renderBoard({ students, lessons: [1, 2, 3, 4], now, silentAfterMs: 15 * MIN, where: '192.168.1.20:5052', status: '' });

  test('when each student was last heard from, and who has gone silent', () => {
    const text = view([student('progress 1 of 11 name=alice next=2:3/6', 2), student('progress none of 11 name=bob next=1:0/5', 40), student('progress 1,2 of 11 name=carol next=3:0/17', 130)]);
    expect(text).toMatch(/^alice .* 2m ago$/m);
    expect(text).toMatch(/^bob .* silent 40m$/m);
    expect(text).toMatch(/^carol .* silent 2h$/m);
    expect(text).toContain('Silent for 15+ min: bob, carol');
  });

  test('fits an 80-column terminal, with the longest names and lesson lists', () => {
    const text = view([student('progress 1,3,5,7,9,11 of 11 name=Carol_with_a_long_nm next=2:1234/9999', 600)]);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(79);
    expect(text).toContain('npm run progress -- --share 192.168.1.20:5052 --name THEIR_NAME');
  });
});
