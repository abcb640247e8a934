// PROTOCOL.md limits: SERVER_FULL (--max-clients), TIMEOUT (--handshake-timeout-ms),
// RATE_LIMITED (--rate-limit), each on a server of its own started with that flag.

import { describe, test } from 'vitest';
import { type Client, noTs, serverForTest, Session, SOON } from './blackbox.js';

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
