// PROTOCOL.md limits: SERVER_FULL (--max-clients, --max-per-address), TIMEOUT
// (--handshake-timeout-ms), RATE_LIMITED (--rate-limit), each on a server of its own started
// with that flag.

import net from 'node:net';
import { describe, test } from 'vitest';
import { type Client, noTs, type ServerProc, serverForTest, Session, SOON } from './blackbox.js';

/** Connects until the server admits the connection (hello) instead of SERVER_FULL. */
async function admitted(s: Session, label: string, ms: number): Promise<Client> {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const c = await s.connect(`${label} (attempt ${attempts})`);
    const e = await c.next('hello or SERVER_FULL');
    if (e.type === 'hello') return c;
    if (e.code !== 'SERVER_FULL') throw new Error(`expected hello or SERVER_FULL, got ${JSON.stringify(e)}`);
    await c.waitClosed();
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms (${attempts} attempts) for a free slot after a user left`);
  }
}

describe('--max-clients', () => {
  test.concurrent('the 4th connection of 3 gets error SERVER_FULL instead of hello and is closed; after one leaves, a new one gets in', async ({ expect, onTestFinished }) => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--max-clients', '3'], onTestFinished), onTestFinished);
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    const mid = await s.greeted('mid-handshake'); // a connection that has not logged in counts too
    for (const label of ['fourth', 'fifth']) {
      const extra = await s.connect(label);
      const e = await extra.next('error SERVER_FULL (instead of hello)');
      expect(e.type).toBe('error');
      expect(e.code).toBe('SERVER_FULL');
      expect(typeof e.text).toBe('string');
      await extra.waitClosed('the server to close the rejected connection');
      expect(extra.queue).toEqual([]);
    }
    await alice!.expectNothingMore('rejected connections never join');
    bob!.send('/quit');
    await bob!.waitClosed();
    expect((await alice!.expectNext('leave', 'leave of bob')).reason).toBe('quit');
    const newcomer = await admitted(s, 'newcomer', 2000);
    newcomer.send(s.name('newcomer'));
    expect((await newcomer.expectNext('welcome', 'welcome for the newcomer')).user).toBe(s.name('newcomer'));
    expect((await alice!.expectNext('join', 'join of the newcomer')).user).toBe(s.name('newcomer'));
    // full again
    const sixth = await s.connect('sixth');
    expect((await sixth.next('error SERVER_FULL')).code).toBe('SERVER_FULL');
    await sixth.waitClosed();
    // the one mid-handshake can still log in
    mid.send(s.name('mid'));
    expect((await mid.expectNext('welcome', 'welcome')).user).toBe(s.name('mid'));
  });
});

/** The second loopback address, where the system has one: Linux and Windows do, macOS only with an alias. */
const SECOND_LOOPBACK = '127.0.0.2';
function secondLoopbackWorks(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, SECOND_LOOPBACK, () => probe.close(() => resolve(true)));
  });
}
const NO_SECOND_LOOPBACK = `${SECOND_LOOPBACK} is not a loopback address on this system (macOS has only 127.0.0.1 unless you run "sudo ifconfig lo0 alias ${SECOND_LOOPBACK}"), so the part of this test that connects from a second address did not run.`;

/** Waits until the server has written `text` to its stderr (its log). */
function logged(server: ServerProc, text: string, ms = SOON): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!server.stderr().includes(text)) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`waited ${ms} ms for the server to log ${JSON.stringify(text)}; its stderr: ${JSON.stringify(server.stderr())}`));
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      server.proc.stderr!.off('data', check);
    };
    server.proc.stderr!.on('data', check);
    check();
  });
}

/** The connection must get SERVER_FULL instead of hello, with a text about the address, and be closed. */
async function refusedPerAddress(c: Client, expect: import('vitest').ExpectStatic): Promise<void> {
  const e = await c.next('error SERVER_FULL (instead of hello)');
  expect(e.type).toBe('error');
  expect(e.code).toBe('SERVER_FULL');
  expect(e.text, 'the text says the limit is per address').toMatch(/address/i);
  await c.waitClosed('the server to close the refused connection');
  expect(c.queue).toEqual([]);
}

describe('--max-per-address', () => {
  test.concurrent('by default 10: ten connections from one address that never log in get hello, the 11th gets SERVER_FULL and the log says so; another address still gets in; once one closes, a new one gets in', async ({ expect, onTestFinished, annotate }) => {
    const server = await serverForTest(['--no-rate-limit'], onTestFinished);
    const s = new Session(server, onTestFinished);
    const idle = await Promise.all(Array.from({ length: 10 }, (_, i) => s.greeted(`idle ${i + 1}`)));
    for (const label of ['11th', '12th']) await refusedPerAddress(await s.connect(label), expect);
    await logged(server, 'Refusing connections from 127.0.0.1: it has 10 open (--max-per-address 10).');
    expect(server.stderr().match(/Refusing connections from/g), 'one log line for an address at its limit, not one per refusal').toHaveLength(1);

    if (await secondLoopbackWorks()) {
      const other = await s.connect(`from ${SECOND_LOOPBACK}`, SECOND_LOOPBACK);
      await other.expectNext('hello', `hello: ${SECOND_LOOPBACK} has a count of its own`);
      other.send(s.name('other'));
      expect((await other.expectNext('welcome', 'welcome')).user).toBe(s.name('other'));
    } else {
      console.warn(NO_SECOND_LOOPBACK); // shown by every reporter; the annotation stays with the test's result
      await annotate(NO_SECOND_LOOPBACK, 'notice');
    }

    idle[0]!.destroy();
    const newcomer = await admitted(s, 'newcomer', 2000);
    newcomer.send(s.name('newcomer'));
    expect((await newcomer.expectNext('welcome', 'welcome for the newcomer')).user).toBe(s.name('newcomer'));
  });

  test.concurrent('2: logged-in users and connections mid-handshake count alike; /quit, a hang-up and a reset each free a slot', async ({ expect, onTestFinished }) => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--max-per-address', '2'], onTestFinished), onTestFinished);
    const alice = await s.login('alice');
    let other = await s.greeted('mid-handshake');
    await refusedPerAddress(await s.connect('third'), expect);
    const endings: [string, (c: Client) => void][] = [
      ['/quit', (c) => c.send('/quit')],
      ['a hang-up', (c) => c.socket.end()],
      ['a reset', (c) => c.socket.resetAndDestroy()],
    ];
    for (const [how, end] of endings) {
      end(other);
      other = await admitted(s, `after ${how}`, 2000);
      await refusedPerAddress(await s.connect(`one more after ${how}`), expect);
    }
    await alice.expectNothingMore('refused connections never join');
  });

  test.concurrent('0: no limit per address; 15 connections from one address all get hello', async ({ onTestFinished }) => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--max-per-address', '0'], onTestFinished), onTestFinished);
    await Promise.all(Array.from({ length: 15 }, (_, i) => s.greeted(`connection ${i + 1}`)));
  });
});

describe('--handshake-timeout-ms', () => {
  test.concurrent('no username within 300 ms → error TIMEOUT and close; a user who logged in in time stays', async ({ expect, onTestFinished }) => {
    const s = new Session(await serverForTest(['--no-rate-limit', '--handshake-timeout-ms', '300'], onTestFinished), onTestFinished);
    const alice = await s.login('alice');
    const silent = await s.connect('silent');
    const started = Date.now();
    await silent.expectNext('hello', 'hello');
    const typing = await s.greeted('typing');
    await typing.write('half-a-na'); // a name without its newline is no name
    const e = await silent.expectNext('error', 'error TIMEOUT', 300 + SOON);
    const elapsed = Date.now() - started;
    expect(e.code).toBe('TIMEOUT');
    expect(typeof e.text).toBe('string');
    expect(elapsed, 'TIMEOUT came too early').toBeGreaterThanOrEqual(250);
    await silent.waitClosed('the server to close the connection after TIMEOUT');
    expect((await typing.expectNext('error', 'error TIMEOUT for a name without newline', 300 + SOON)).code).toBe('TIMEOUT');
    await typing.waitClosed();
    // alice connected before both and is past her handshake: still there, nothing happened to her
    await alice.expectNothingMore('a logged-in user is not timed out, and timed-out connections never joined');
  });
});

describe('--rate-limit', () => {
  test.concurrent('5/1: a burst of 10 lines → the first 5 delivered in order, then 5 RATE_LIMITED; the name line does not count; the connection stays open', async ({ expect, onTestFinished }) => {
    const s = new Session(await serverForTest(['--rate-limit', '5/1'], onTestFinished), onTestFinished);
    const bob = await s.login('bob');
    const alice = await s.greeted('alice');
    const lines = Array.from({ length: 10 }, (_, i) => `msg ${i + 1}`);
    // the username and the burst in one write: the username is not counted
    alice.write(`${s.name('alice')}\n${lines.join('\n')}\n`);
    await alice.expectNext('welcome', 'welcome');
    for (let i = 0; i < 5; i++) {
      const err = await alice.expectNext('error', `RATE_LIMITED for line ${i + 6}`);
      expect(err.code).toBe('RATE_LIMITED');
    }
    expect(noTs(await bob.expectNext('join', 'join of alice'))).toEqual({ type: 'join', user: s.name('alice') });
    for (let i = 0; i < 5; i++) expect(noTs(await bob.expectNext('chat', `chat "${lines[i]}"`))).toEqual({ type: 'chat', from: s.name('alice'), text: lines[i] });
    await bob.expectNothingMore('lines over the limit are dropped');
    expect(alice.closed).toBe(false);
    // Once a token is back (1 per second), alice is heard again: ask every 100 ms, with a deadline.
    const poll = setInterval(() => alice.send('/users'), 100);
    try {
      const users = await alice.waitFor((e) => e.type === 'users' || (e.type === 'error' && e.code !== 'RATE_LIMITED'), 'a users reply once the bucket refilled', 3000);
      expect(users.type).toBe('users');
    } finally {
      clearInterval(poll);
    }
    expect(alice.closed).toBe(false);
  });

  test.concurrent('RATE_LIMITED counts commands too and never closes', async ({ expect, onTestFinished }) => {
    const s = new Session(await serverForTest(['--rate-limit', '2/1'], onTestFinished), onTestFinished);
    const alice = await s.login('alice');
    alice.write('/help\n/users\n/help\n/users\n');
    await alice.expectNext('info', 'info for the first /help');
    await alice.expectNext('users', 'users for the first /users');
    expect((await alice.expectNext('error', 'RATE_LIMITED for the second /help')).code).toBe('RATE_LIMITED');
    expect((await alice.expectNext('error', 'RATE_LIMITED for the second /users')).code).toBe('RATE_LIMITED');
    expect(alice.closed).toBe(false);
  });
});
