// `npm run server` (app/server/main.ts) as students and instructors use it: `--mine` says
// before listening which lessons are still TODO and what would run; a file that cannot load
// is one line with file:line:column; flag mistakes are one line; the activity log shows
// connections, logins, refusals and leaves, and `--quiet` silences it.

import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FriendlyError, UsageError } from '../../app/cli.js';
import { describeThrown } from '../../app/server/log.js';
import { parseServerFlags } from '../../app/server/options.js';
import { importFromTree, ROOT, SERVER_LESSONS } from '../../app/server/pieces.js';
import { Program } from '../harness/program.js';
import { TestClient, type ClientContext } from '../harness/test-client.js';
import { Transcript } from '../harness/transcript.js';
import { PATIENCE_MS, waitUntil } from '../harness/wait.js';
import { runCommand, STACK_LINE } from './run-command.js';

// A tree like a student's: the reference pieces, with lesson 3's and lesson 7's mutex still
// the starter's stubs, and lesson 5's file broken by a typo. Gitignored, like check's variants.
const TREE = `.mistake-tools-${process.pid}`;
const stub = (lesson: number, what: string) => `throw new Error('TODO (lesson ${lesson}): ${what} is not written yet. Read the lesson: npm run lesson ${lesson}');`;

beforeAll(() => {
  const dir = path.join(ROOT, TREE);
  cpSync(path.join(ROOT, 'solutions'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'server/registry.ts'), `export class Registry {\n  add(): void {\n    ${stub(3, 'Registry.add()')}\n  }\n}\n`);
  writeFileSync(path.join(dir, 'server/mutex.ts'), `export class Mutex {\n  runExclusive(): never {\n    ${stub(7, 'Mutex.runExclusive()')}\n  }\n}\n`);
  writeFileSync(path.join(dir, 'server/handshake.ts'), `export function admit() {}\n\nexport function handshake(client {\n}\n`);
});
afterAll(() => rmSync(path.join(ROOT, TREE), { recursive: true, force: true }));

const server = (args: string[]) => runCommand(['app/server/main.ts', '--port', '0', ...args], { COURSE_TREE: TREE });

describe('npm run server -- --mine, on a checkout with TODO pieces', () => {
  test.concurrent('--mine: which lessons are TODO, in which files, and the --mine list that runs; nothing listens', async () => {
    const { code, stdout, stderr } = await server(['--mine']);
    expect(stderr).toContain(
      [
        '[SERVER] Your lesson 3 piece is not written yet:',
        `  ${TREE}/server/registry.ts still throws its TODO`,
        'The lessons you have written run with: npm run server -- --mine 2,4,5,6,7,8,9',
      ].join('\n'),
    );
    expect(stdout).not.toContain('Listening');
    expect(code).toBe(1);
  });

  test.concurrent('--mine 7 with the mutex still TODO: it runs, the banner says the reference takes its place', async () => {
    const program = new Program(['app/server/main.ts', '--port', '0', '--mine', '7'], { env: { COURSE_TREE: TREE } });
    try {
      const banner = await waitUntil(
        () => (/^={10,}\n[\s\S]*\n={10,}\n/m.exec(program.stdout) ?? undefined)?.[0],
        (wake) => program.onChange(wake),
        () => new Error(`The server never printed its whole banner. It printed:\n${program.output}`),
        PATIENCE_MS * 4,
      );
      expect(banner).toContain('Chat server (your lesson 7 pieces from');
      expect(banner).toContain(`  ${TREE}/server/mutex.ts still throws its TODO: the reference runs in its place\n`);
      expect(banner).toMatch(/Process ID: \d+\./); // lesson 8 signals this very server by it
    } finally {
      await program.stop();
    }
  });

  test.concurrent('--mine 99: one line naming the lessons that exist, exit code 2', async () => {
    const { code, stderr } = await server(['--mine', '99']);
    expect(stderr).toMatch(new RegExp(`^\\[SERVER\\] --mine 99: there is no lesson 99\\. Lessons with a server piece: ${SERVER_LESSONS.join(', ')}\\.$`, 'm'));
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code).toBe(2);
  });

  test.concurrent('a syntax error in a student\'s file: one line with file:line:column, not the build tool\'s stack', async () => {
    // Lesson 5's file is written (no TODO left) but does not parse.
    const { code, stderr } = await server(['--mine', '5']);
    expect(stderr.trim()).toBe(`[SERVER] ${TREE}/server/handshake.ts:3:33: Expected ")" but found "{" (the file cannot be loaded: fix this first)`);
    expect(code).toBe(1);
  });

  test('the same file loaded by a suite (vitest parses it, not tsx): the same one line', async () => {
    const loading = importFromTree(TREE, 'server/handshake.ts');
    await expect(loading).rejects.toThrow(FriendlyError);
    await expect(loading).rejects.toThrow(new RegExp(`^${TREE}/server/handshake\\.ts:3:3\\d: .+ \\(the file cannot be loaded: fix this first\\)$`));
  });

  test.for([
    [['--mine', '2,10'], `--mine 2,10: lesson 10 (The command-line client) writes no server piece. Lessons with a server piece: ${SERVER_LESSONS.join(', ')}.`],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--slow-name-check-ms', 'soon'], "--slow-name-check-ms wants a whole number from 0 to 60000; got 'soon'."],
    [['--redis', '127.0.0.1:6379'], "--redis wants a Redis URL, like redis://127.0.0.1:6379; got '127.0.0.1:6379'."],
    [['--lease-ms', '5000'], '--lease-ms is the lease of a name in Redis: it goes with --redis URL.'],
    [['--redis', 'redis://127.0.0.1:6379', '--features', 'rooms,history', '--db', 'x.db'], '--db names a SQLite file, but with --redis history and registered names live in Redis: leave --db out.'],
    [['--redis', 'redis://127.0.0.1:6379', '--db', 'x.db'], '--db names a SQLite file, but with --redis history and registered names live in Redis: leave --db out.'],
  ] as const)('npm run server -- %j: a UsageError, one line', ([args, says]) => {
    expect(() => parseServerFlags([...args])).toThrow(new UsageError(says));
  });

  test('--mine and --slow-name-check-ms, read right', () => {
    expect(parseServerFlags(['--mine', '3,2', '--slow-name-check-ms', '400'])).toMatchObject({ mineLessons: [2, 3], mine: ['listen', 'Registry'], slowNameCheckMs: 400, quiet: false });
    expect(parseServerFlags(['--quiet', '--mine'])).toMatchObject({ mineLessons: SERVER_LESSONS, quiet: true, slowNameCheckMs: 0 });
  });

  test('--redis: every feature by default, history and auth in Redis on any Node; the lease as given', () => {
    const features = ['rooms', 'status', 'history', 'auth', 'files'];
    expect(parseServerFlags(['--redis', 'redis://127.0.0.1:6379', '--lease-ms', '2000'])).toMatchObject({ redis: 'redis://127.0.0.1:6379', leaseMs: 2000, features });
    expect(parseServerFlags([])).toMatchObject({ redis: '', leaseMs: 10_000 });
  });
});

describe('the server\'s activity log', () => {
  const context = (): ClientContext => ({ transcript: new Transcript(), see: '(the server log)', logs: [], serverLabel: 'server' });

  /** Starts the reference server, runs a short session against it, and returns what it printed. */
  async function session(flags: string[]): Promise<string> {
    const program = new Program(['app/server/main.ts', '--port', '0', '--max-clients', '2', ...flags], { env: { COURSE_TREE: 'solutions' } });
    try {
      const printed = (pattern: RegExp, what: string, ms = PATIENCE_MS) =>
        waitUntil(() => pattern.exec(program.stdout) ?? undefined, (wake) => program.onChange(wake), () => new Error(`The server never printed ${what}. It printed:\n${program.output}`), ms);
      // Starting takes a while (tsx compiles on the way in), more so beside other tests.
      const port = Number((await printed(/Listening on [\d.]+:(\d+)/, 'its banner', PATIENCE_MS * 4))[1]);
      const ctx = context();
      const quiet = flags.includes('--quiet');
      // Each step waits for the log line of the one before (quiet: for the client's side only),
      // so that the count of open connections is known when the next one comes.
      const logged = (pattern: RegExp, what: string) => (quiet ? Promise.resolve() : printed(pattern, what));
      const second = await TestClient.connect(port, 'second', ctx);
      const alice = await TestClient.connect(port, 'alice', ctx);
      alice.send('alice');
      await alice.next({ type: 'welcome' }, 'the welcome');
      const third = await TestClient.connect(port, 'third', ctx);
      await third.waitClosed('the close after SERVER_FULL (two connections are open, the most allowed)');
      await logged(/SERVER_FULL\n/, 'the refusal of the third connection');
      second.end();
      await second.waitClosed('the close of a client that left before logging in');
      await logged(/closed before logging in\n/, 'that the second connection closed');
      const taken = await TestClient.connect(port, 'ALICE', ctx);
      taken.send('ALICE');
      await taken.waitClosed('the close after NAME_TAKEN');
      await logged(/NAME_TAKEN\n/, 'the refusal of the name ALICE');
      alice.send('/quit');
      await alice.waitClosed('the close after /quit');
      await logged(/left \(quit\)\n/, 'that alice left');
      return program.stdout;
    } finally {
      await program.stop();
    }
  }

  test.concurrent('one line per connection, login, refusal and leave, each behind the local time', async () => {
    const stdout = await session([]);
    const log = stdout.split('\n').filter((l) => l.startsWith('['));
    for (const line of log) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] #\d+ /);
    const events = log.map((l) => l.replace(/^\[[\d:]+\] #\d+ /, '').replace(/127\.0\.0\.1:\d+/, 'ADDRESS'));
    expect(events).toEqual([
      'connected from ADDRESS',
      'connected from ADDRESS',
      'logged in as alice (1 online)',
      'connected from ADDRESS',
      'refused: SERVER_FULL',
      'closed before logging in',
      'connected from ADDRESS',
      'refused as "ALICE": NAME_TAKEN',
      'alice left (quit)',
    ]);
  });

  test.concurrent('--quiet: the banner, and not one line more', async () => {
    const stdout = await session(['--quiet']);
    expect(stdout).toMatch(/Listening on/);
    expect(stdout).not.toMatch(/^\[\d\d:\d\d:\d\d\]/m);
  });

  test('a piece that threw is logged as its message and where in the student\'s code, never a stack through tests/ or solutions/', () => {
    const err = new Error('TODO (lesson 3): Registry.find() is not written yet.');
    err.stack = [
      `Error: ${err.message}`,
      `    at todo (${path.join(ROOT, 'starter/server/registry.ts')}:6:32)`,
      `    at Registry.find (${path.join(ROOT, 'starter/server/registry.ts')}:29:11)`,
      `    at ${path.join(ROOT, 'solutions/server/claim-name.ts')}:11:22`,
      `    at processQueue (file://${path.join(ROOT, 'app/server/server.ts')}:92:20)`,
      `    at Mutex.loginLock.runExclusive (${path.join(ROOT, 'tests/lesson07.test.ts')}:430:14)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(describeThrown(err, 'starter')).toBe(
      [`Error: ${err.message}`, '  in todo, starter/server/registry.ts:6:32', '  in Registry.find, starter/server/registry.ts:29:11'].join('\n'),
    );
  });
});
