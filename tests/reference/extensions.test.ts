// PROTOCOL.md, "Extensions": hello.features and --features, the compatibility rule (a
// version 1 client on a server with every feature on), each feature on its own, and the
// presence limit from the command line. The other reference suites run --features none.

import { describe, expect, test } from 'vitest';
import { sqliteAvailable } from '../../app/server/sqlite.js';
import { noTs, serverForFile, serverForTest, Session, spawnServerProcess, waitExit, within, type Ev } from './blackbox.js';

/** An event without ts and without the fields the extensions add. */
function v1(e: Ev): Record<string, unknown> {
  const { room: _r, count: _c, statuses: _s, features: _f, ...rest } = noTs(e);
  return rest;
}

test('by default the server runs every feature (history and auth where node:sqlite is), and its banner says so', async () => {
  // startServer() adds --features none when no --features is given; this one asks for nothing
  // but a database that is not the project's own.
  const history = sqliteAvailable();
  const proc = spawnServerProcess(['--port', '0', '--no-rate-limit', ...(history ? ['--db', ':memory:'] : [])]);
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  try {
    await within(new Promise<void>((resolve) => {
      const check = () => /Press Ctrl\+C/.test(out) && resolve(); // the end of the banner
      proc.stdout!.on('data', check);
    }), 15_000, 'the banner of a server started without --features');
    expect(out).toMatch(history ? /Extensions: rooms, status, history, auth, files\n\s*History: in memory/ : /Extensions: rooms, status, files\n\s*History and auth need Node 22\.13 or newer/);
  } finally {
    proc.kill('SIGKILL');
  }
});

describe('every feature on', () => {
  const server = serverForFile(['--no-rate-limit', '--features', 'rooms,status']);

  test('hello lists the features; welcome is in the lobby with statuses', async () => {
    const s = new Session(server());
    const c = await s.connect('first');
    const hello = await c.expectNext('hello', 'hello');
    expect(hello.features).toEqual(['rooms', 'status']);
    c.send(s.name('first'));
    const welcome = await c.expectNext('welcome', 'welcome');
    expect(welcome.room).toBe('lobby');
    expect(typeof welcome.statuses).toBe('object');
  });

  test('compatibility: a version 1 client in the lobby sees version 1 events, plus fields it ignores', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    expect(v1(await alice!.expectNext('join', 'join of bob'))).toEqual({ type: 'join', user: s.name('bob') });
    bob!.send('hi all');
    expect(v1(await alice!.expectNext('chat', 'chat from bob'))).toEqual({ type: 'chat', from: s.name('bob'), text: 'hi all' });
    alice!.send(`/whisper ${s.name('bob')} psst`);
    expect(noTs(await bob!.expectNext('whisper', 'the whisper'))).toEqual({ type: 'whisper', from: s.name('alice'), to: s.name('bob'), text: 'psst' });
    const { users } = await alice!.barrier();
    expect(s.mine(users.users)).toEqual([s.name('alice'), s.name('bob')]);
    bob!.send('/quit');
    expect(v1(await alice!.expectNext('leave', 'leave of bob'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'quit' });
  });

  test('a user in another room is out of a version 1 client\'s sight, except by whisper', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    bob!.send('/join side');
    expect(noTs(await alice!.expectNext('leave', 'bob leaving the lobby'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'moved', room: 'lobby' });
    bob!.send('nobody in the lobby hears this');
    bob!.send(`/whisper ${s.name('alice')} but you hear this`);
    await alice!.expectNext('whisper', 'the whisper across rooms');
    await alice!.expectNothingMore('bob\'s chat stays in side');
  });
});

describe('--features none: version 1 exactly', () => {
  const server = serverForFile(['--no-rate-limit', '--features', 'none']);

  test('hello.features is [], no extension fields, every extension command is UNKNOWN_COMMAND', async () => {
    const s = new Session(server());
    const c = await s.connect('solo');
    expect((await c.expectNext('hello', 'hello')).features).toEqual([]);
    c.send(s.name('solo'));
    const welcome = await c.expectNext('welcome', 'welcome');
    expect(Object.keys(welcome).sort()).toEqual(['text', 'ts', 'type', 'user', 'users']);
    for (const line of ['/join games', '/rooms', '/away', '/busy', '/back']) {
      c.send(line);
      expect((await c.expectNext('error', `the answer to ${line}`)).code).toBe('UNKNOWN_COMMAND');
    }
    const { users } = await c.barrier();
    expect(Object.keys(users).sort()).toEqual(['ts', 'type', 'users']);
  });
});

describe('one feature at a time', () => {
  test('--features status: statuses but no room; /join is unknown', async () => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--features', 'status']));
    const [alice, bob] = await s.loginAll('alice', 'bob');
    alice!.send('/away out');
    expect(noTs(await bob!.expectNext('status', 'alice\'s status'))).toEqual({ type: 'status', user: s.name('alice'), status: 'away', note: 'out' });
    const { users } = await bob!.barrier();
    expect(users.room).toBeUndefined();
    expect(users.statuses).toEqual({ [s.name('alice')]: { status: 'away', note: 'out' } });
    bob!.send('/join games');
    expect((await bob!.expectNext('error', 'the answer to /join')).code).toBe('UNKNOWN_COMMAND');
  });

  test('--features rooms: rooms but no statuses; /away is unknown', async () => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--features', 'rooms']));
    const alice = await s.login('alice');
    expect(alice.welcome!.room).toBe('lobby');
    expect(alice.welcome!.statuses).toBeUndefined();
    alice.send('/away');
    expect((await alice.expectNext('error', 'the answer to /away')).code).toBe('UNKNOWN_COMMAND');
  });
});

test('--presence-limit 2: the third login is not announced, and lists carry count', async () => {
  const s = new Session(await serverForTest(['--no-rate-limit', '--features', 'rooms', '--presence-limit', '2']));
  const [alice] = await s.loginAll('alice', 'bob');
  await alice!.expectNext('join', 'join of bob (2: within the limit)');
  const carol = await s.login('carol');
  expect(carol.welcome!.count).toBe(3);
  expect(carol.welcome!.users).toEqual([s.name('alice'), s.name('bob')]);
  await alice!.expectNothingMore('a lobby of 3 is past the limit of 2: no join');
});

/** Runs the server with `flags` and returns what it printed on stderr, once it has exited. */
async function refusal(flags: string[]): Promise<{ code: number | null; stderr: string }> {
  const proc = spawnServerProcess(['--port', '0', ...flags]);
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  proc.stdout!.resume();
  try {
    const { code } = await waitExit(proc, 15_000, `the server started with ${flags.join(' ')} to refuse and exit`);
    return { code, stderr };
  } finally {
    proc.kill('SIGKILL');
  }
}

test('history flags are one clear line, no stack: what history needs, or --db without history', async () => {
  if (!sqliteAvailable()) {
    for (const flags of [['--features', 'rooms,history'], ['--db', 'x.db']]) {
      const { code, stderr } = await refusal(flags);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`[SERVER] History and auth need Node 22.13 or newer (node:sqlite); this is Node ${process.versions.node}.`);
    }
    return;
  }
  const { code, stderr } = await refusal(['--features', 'rooms', '--db', 'x.db']);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')[0]).toBe('[SERVER] --db names the database of history and auth, but --features rooms leaves both out.');
});
