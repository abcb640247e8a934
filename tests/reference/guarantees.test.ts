// PROTOCOL.md, "Guarantees": ordering, delivery to everyone exactly once, many clients at once,
// racing logins, half-close, slow readers, abrupt resets, hostile bytes.

import { describe, expect, test } from 'vitest';
import { DEADLINES } from '../harness/wait.js';
import { type Ev, noTs, serverForFile, serverForTest, Session, settle, SOON } from './blackbox.js';

// Every client here comes from 127.0.0.1, and some tests open 30 or more at once.
const server = serverForFile(['--no-rate-limit', '--max-clients', '300', '--max-per-address', '0']);

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('ordering', () => {
  test('per sender order: 500 numbered lines reach every other client in order', async () => {
    const s = new Session(server());
    const [alice, bob, carol] = await s.loginAll('alice', 'bob', 'carol');
    const lines = Array.from({ length: 500 }, (_, i) => `n${i}`);
    for (let k = 0; k < 500; k += 100) void alice!.write(lines.slice(k, k + 100).map((l) => l + '\n').join(''));
    for (const c of [bob!, carol!]) {
      const got = await c.waitCount((e) => e.type === 'chat' && e.from === s.name('alice'), 500, 'chats from alice');
      expect(got.map((e) => e.text)).toEqual(lines);
    }
    await settle(alice!, bob!, carol!);
    for (const c of [bob!, carol!]) expect(c.all.filter((e) => e.type === 'chat')).toHaveLength(500);
    expect(alice!.all.filter((e) => e.type === 'chat')).toHaveLength(0);
  });

  test('join reaches others before the first chat, even with the name and chats in one write', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    for (let round = 0; round < 10; round++) {
      const name = s.name(`alice${round}`);
      const c = await s.connect(name);
      // no waiting for hello: name and chat lines go in the very first write
      c.write(`${name}\nfirst ${round}\nsecond ${round}\n`);
      expect(noTs(await bob.expectNext('join', `join of ${name}`))).toEqual({ type: 'join', user: name });
      expect(noTs(await bob.expectNext('chat', `first chat of ${name}`))).toEqual({ type: 'chat', from: name, text: `first ${round}` });
      expect((await bob.expectNext('chat', `second chat of ${name}`)).text).toBe(`second ${round}`);
      await c.expectNext('hello', 'hello');
      await c.expectNext('welcome', 'welcome');
    }
  });

  test('leave comes after the last chat: lines then FIN, and lines then /quit, in one write', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    for (const [role, ending, reason] of [['alice', '', 'disconnect'], ['carol', '/quit\n', 'quit']] as const) {
      const c = await s.login(role);
      await bob.expectNext('join', `join of ${role}`);
      c.socket.end(`last 1\nlast 2\nlast 3\n${ending}`);
      for (const n of [1, 2, 3]) expect((await bob.expectNext('chat', `chat "last ${n}" of ${role}`)).text).toBe(`last ${n}`);
      expect(noTs(await bob.expectNext('leave', `leave of ${role} after its chats`))).toEqual({ type: 'leave', user: s.name(role), reason });
      await c.waitClosed();
    }
  });
});

describe('many clients', () => {
  test('200 simultaneous clients: every message reaches every other client exactly once, never its sender', async () => {
    const s = new Session(server());
    const n = 200;
    const roles = Array.from({ length: n }, (_, i) => `c${i}`);
    const clients = await Promise.all(roles.map((r) => s.login(r, 2 * SOON)));
    // everyone is online now: each says two things at once
    for (const [i, c] of clients.entries()) c.write(`from ${i} a\nfrom ${i} b\n`);
    const each = 2 * (n - 1);
    await Promise.all(clients.map((c) => c.waitCount((e) => e.type === 'chat', each, 'chats', 2 * SOON)));
    await Promise.all(clients.map((c) => c.barrier('the users reply to a barrier', 2 * SOON)));
    for (const [i, c] of clients.entries()) {
      const chats = c.all.filter((e) => e.type === 'chat');
      const from = chats.map((e) => `${e.from}|${e.text}`);
      expect(chats.filter((e) => e.from === c.label), `${c.label} got its own chats`).toEqual([]);
      expect(new Set(from).size, `${c.label} got a chat twice`).toBe(chats.length);
      expect(chats.length, `${c.label} chats`).toBe(each);
      // and each sender's pair arrives in order
      for (const [j, other] of clients.entries()) {
        if (j === i) continue;
        const texts = chats.filter((e) => e.from === other.label).map((e) => e.text);
        if (texts.join() !== `from ${j} a,from ${j} b`) throw new Error(`${c.label} got ${JSON.stringify(texts)} from ${other.label}`);
      }
    }
  }, DEADLINES.longTest);

  test('30 simultaneous logins with the same name (any case): exactly one welcome, 29 NAME_TAKEN; 5 rounds', async () => {
    const s = new Session(server());
    for (let round = 0; round < 5; round++) {
      const base = s.name(`dup${round}`);
      const variants = [base, base.toUpperCase(), base[0]!.toUpperCase() + base.slice(1)];
      const conns = await Promise.all(Array.from({ length: 30 }, (_, i) => s.greeted(`round ${round} #${i}`)));
      for (const [i, c] of conns.entries()) c.send(variants[i % 3]!);
      const first = await Promise.all(conns.map((c) => c.next('welcome or NAME_TAKEN')));
      const welcomes = first.filter((e) => e.type === 'welcome');
      const taken = first.filter((e) => e.type === 'error' && e.code === 'NAME_TAKEN');
      expect(welcomes, `round ${round}: ${JSON.stringify(first.map((e) => e.type + ':' + (e.code ?? e.user)))}`).toHaveLength(1);
      expect(taken).toHaveLength(29);
      expect((welcomes[0]!.user as string).toLowerCase()).toBe(base);
      await Promise.all(conns.filter((_, i) => first[i]!.type === 'error').map((c) => c.waitClosed('the server to close a NAME_TAKEN connection')));
      const winner = conns[first.findIndex((e) => e.type === 'welcome')]!;
      const { users } = await winner.barrier();
      expect(s.mine(users.users).filter((u) => u.toLowerCase() === base)).toHaveLength(1);
    }
  }, 20_000);
});

describe('half-close', () => {
  test("a client that sends 'NAME\\n/users\\n' then FIN still gets welcome and users, then the server closes", async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const name = s.name('alice');
    const c = await s.connect(name);
    c.socket.end(`${name}\n/users\n`);
    await c.expectNext('hello', 'hello');
    expect((await c.expectNext('welcome', 'welcome after the FIN')).user).toBe(name);
    expect(s.mine((await c.expectNext('users', 'users after the FIN')).users)).toEqual([name, s.name('bob')]);
    await c.waitClosed('the server to close the half-closed connection');
    expect((await bob.expectNext('join', 'join of alice')).user).toBe(name);
    expect(noTs(await bob.expectNext('leave', 'leave of alice'))).toEqual({ type: 'leave', user: name, reason: 'disconnect' });
  });
});

describe('abrupt resets', () => {
  test('a reset during the handshake breaks nothing; a reset after login gives others leave disconnect', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const before = await s.connect('reset before hello');
    before.socket.resetAndDestroy();
    const mid = await s.greeted('reset mid-name');
    await mid.write('half-a-na');
    mid.socket.resetAndDestroy();
    const alice = await s.login('alice');
    await bob.expectNext('join', 'join of alice');
    alice.send('about to vanish');
    expect((await bob.expectNext('chat', 'the last chat of alice')).text).toBe('about to vanish');
    alice.socket.resetAndDestroy();
    expect(noTs(await bob.expectNext('leave', 'leave of alice after the reset'))).toEqual({ type: 'leave', user: s.name('alice'), reason: 'disconnect' });
    await bob.expectNothingMore('resets during the handshake are no users');
    expect(s.server.alive()).toBe(true);
  });

  test('20 connections that send a name and reset at once: each join seen is followed by leave disconnect', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const names = Array.from({ length: 20 }, (_, i) => s.name(`r${i}`));
    await Promise.all(
      names.map(async (name) => {
        const c = await s.connect(name);
        await c.write(`${name}\nhello from ${name}\n`);
        c.socket.resetAndDestroy();
      }),
    );
    // wait until the server has let go of all of them, then settle bob
    const deadline = Date.now() + SOON;
    for (;;) {
      const { users } = await bob.barrier();
      const left = s.mine(users.users).filter((u) => u !== s.name('bob'));
      if (left.length === 0) break;
      if (Date.now() > deadline) throw new Error(`waited ${SOON} ms for the server to drop the reset connections; still listed: ${left}`);
    }
    const seen = bob.all.filter((e) => (e.type === 'join' || e.type === 'leave' || e.type === 'chat') && names.includes((e.user ?? e.from) as string));
    for (const name of names) {
      const mine = seen.filter((e) => (e.user ?? e.from) === name);
      if (mine.length === 0) continue; // reset before the name was read: never a user
      expect(mine[0]!.type, `${name}: ${JSON.stringify(mine)}`).toBe('join');
      expect(mine.at(-1)!.type, `${name}: ${JSON.stringify(mine)}`).toBe('leave');
      expect(mine.at(-1)!.reason).toBe('disconnect');
      expect(mine.filter((e) => e.type === 'join')).toHaveLength(1);
      expect(mine.filter((e) => e.type === 'leave')).toHaveLength(1);
    }
  });
});

/** A tiny seeded generator, so that "random" bytes are the same on every run. */
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('hostile bytes', () => {
  test('random binary as the first bytes: an error and close, never a crash', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    for (const seed of [1, 2, 3]) {
      const c = await s.connect(`binary ${seed}`);
      await c.write(bytes(64 * 1024, seed));
      await c.waitClosed('the server to close a connection that sent binary garbage');
      const errors = c.all.filter((e) => e.type === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(['INVALID_NAME', 'LINE_TOO_LONG']).toContain(errors.at(-1)!.code);
    }
    await bob.expectNothingMore('garbage never joins');
  });

  test('random binary from a logged-in user: whatever is delivered carries no control characters; the server carries on', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    // printable-free garbage in lines shorter than the limit
    const junk = bytes(32 * 1024, 42);
    for (let i = 0; i < junk.length; i++) if (i % 200 === 199 || i === junk.length - 1) junk[i] = 0x0a;
    await alice!.write(junk);
    alice!.send('after the junk');
    const last = await bob!.waitFor((e) => e.type === 'chat' && e.text === 'after the junk', 'the chat after the junk');
    expect(last.from).toBe(s.name('alice'));
    await settle(alice!, bob!);
    for (const e of bob!.all.filter((x) => x.type === 'chat')) {
      expect(CONTROL.test(e.text as string), `control character in ${JSON.stringify(e.text)}`).toBe(false);
    }
  });

  test('NUL bytes are stripped from chat; a huge line gets LINE_TOO_LONG; another client is still answered', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.write('\u0000\u0000nul\u0000 bytes\u0000\n');
    expect(noTs(await bob!.expectNext('chat', 'the chat without NULs'))).toEqual({ type: 'chat', from: s.name('alice'), text: 'nul bytes' });
    await alice!.barrier();
    await alice!.write(Buffer.alloc(256 * 1024, 0));
    expect((await alice!.expectNext('error', 'LINE_TOO_LONG for 256 KB of NULs')).code).toBe('LINE_TOO_LONG');
    await alice!.waitClosed();
    expect((await bob!.expectNext('leave', 'leave of alice')).user).toBe(s.name('alice'));
    const { users } = await bob!.barrier();
    expect(s.mine(users.users)).toEqual([s.name('bob')]);
    expect(s.server.alive()).toBe(true);
  });
});

describe('a reader that never reads', () => {
  test('is dropped with leave slow; everyone else gets every message; server memory stays bounded', async () => {
    const srv = await serverForTest(['--no-rate-limit']); // the default bound: 1 MiB queued per client
    const s = new Session(srv);
    const [alice, bob, slow] = await s.loginAll('alice', 'bob', 'slow');
    await alice!.waitFor((e) => e.type === 'join' && e.user === s.name('slow'), 'join of slow');
    await bob!.expectNext('join', 'join of slow');
    slow!.socket.pause(); // never reads again
    const rssBefore = await srv.rssBytes();
    let peak = rssBefore;
    // ~4 KB lines, 100 KB per write. The kernel's socket buffers on loopback absorb several MB
    // before the server's own queue for slow even starts to grow, so alice keeps talking until
    // the server drops slow (at least 3 MB, at most 40 MB).
    const filler = 'x'.repeat(3995);
    const lines: string[] = [];
    const leaveSlow = (e: Ev) => e.type === 'leave' && e.user === s.name('slow');
    let sentBytes = 0;
    while (sentBytes < 3 * 1024 * 1024 || !(bob!.all.some(leaveSlow) || alice!.all.some(leaveSlow))) {
      if (sentBytes > 40 * 1024 * 1024) throw new Error(`slow was not dropped after alice sent ${sentBytes} bytes of chat while slow read nothing (bob ${bob!.closed ? 'closed' : 'open'})`);
      const batch = Array.from({ length: 25 }, (_, i) => `${String(lines.length + i).padStart(5, '0')} ${filler}`);
      lines.push(...batch);
      const data = batch.map((l) => l + '\n').join('');
      sentBytes += data.length;
      await alice!.write(data);
      peak = Math.max(peak, await srv.rssBytes());
      // keep bob (who reads) at most one batch behind, so that on a loaded machine it is never
      // bob who falls a megabyte behind: only slow does
      await bob!.waitCount((e) => e.type === 'chat', lines.length - batch.length, `chats from alice (one batch behind)`, 2 * SOON);
    }
    const got = await bob!.waitCount((e) => e.type === 'chat', lines.length, 'chats from alice', 3 * SOON);
    expect(got.length).toBe(lines.length);
    if (got.some((e, i) => e.text !== lines[i])) throw new Error('bob got alice\'s chats out of order or changed');
    const leave = await bob!.waitFor(leaveSlow, 'leave of slow');
    expect(noTs(leave)).toEqual({ type: 'leave', user: s.name('slow'), reason: 'slow' });
    expect((await alice!.waitFor(leaveSlow, 'leave of slow')).reason).toBe('slow');
    peak = Math.max(peak, await srv.rssBytes());
    expect(peak - rssBefore, `server RSS grew from ${rssBefore} to ${peak} bytes while alice sent ${sentBytes} bytes`).toBeLessThan(50 * 1024 * 1024);
    // and the server still answers
    const { users } = await bob!.barrier();
    expect(s.mine(users.users)).toEqual([s.name('alice'), s.name('bob')]);
  }, DEADLINES.longTest);
});
