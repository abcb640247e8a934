// PROTOCOL.md: every event type and its fields, usernames, and every command.

import { describe, expect, test } from 'vitest';
import { noTs, serverForFile, Session, settle, sorted } from './blackbox.js';

// Every client here comes from 127.0.0.1: the tests' connections, closing and opening, must not
// meet the per-address limit (tests/reference/limits.test.ts checks it).
const server = serverForFile(['--no-rate-limit', '--max-per-address', '0']);

describe('events', () => {
  test('hello carries proto 1 and a prompt; welcome names the user, lists users sorted (self included) and says the fixed text', async () => {
    const s = new Session(server());
    const [zed, amy] = await s.loginAll('zed', 'amy');
    expect(zed!.welcome!.users).toContain(s.name('zed'));
    const c = await s.connect('mid');
    const hello = await c.expectNext('hello', 'hello right after connecting');
    expect(hello.proto).toBe(1);
    expect(typeof hello.text).toBe('string');
    expect((hello.text as string).length).toBeGreaterThan(0);
    const name = s.name('mid');
    c.send(name);
    const w = await c.expectNext('welcome', `welcome for ${name}`);
    expect(w.user).toBe(name);
    expect(w.text).toBe(`Welcome, ${name}! Type /help for available commands.`);
    const users = w.users as string[];
    expect(users).toEqual(sorted(users));
    expect(s.mine(users)).toEqual(sorted([s.name('zed'), s.name('amy'), name]));
    // amy's welcome already listed zed, sorted
    expect(s.mine(amy!.welcome!.users)).toEqual(sorted([s.name('zed'), s.name('amy')]));
  });

  test('join goes to everyone else, not to the new user', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    expect(noTs(await alice!.expectNext('join', 'join of bob'))).toEqual({ type: 'join', user: s.name('bob') });
    const carol = await s.login('carol');
    expect(noTs(await alice!.expectNext('join', 'join of carol'))).toEqual({ type: 'join', user: s.name('carol') });
    expect(noTs(await bob!.expectNext('join', 'join of carol'))).toEqual({ type: 'join', user: s.name('carol') });
    await carol.expectNothingMore('a new user gets no join of itself');
  });

  test('chat goes to every accepted user except the sender, with from and text', async () => {
    const s = new Session(server());
    const [alice, bob, carol] = await s.loginAll('alice', 'bob', 'carol');
    await alice!.waitFor((e) => e.type === 'join' && e.user === s.name('carol'), 'join of carol');
    await bob!.waitFor((e) => e.type === 'join' && e.user === s.name('carol'), 'join of carol');
    const lurker = await s.greeted('lurker'); // connected, no username yet
    alice!.send('Hello everyone!');
    expect(noTs(await bob!.expectNext('chat', 'chat from alice'))).toEqual({ type: 'chat', from: s.name('alice'), text: 'Hello everyone!' });
    expect(noTs(await carol!.expectNext('chat', 'chat from alice'))).toEqual({ type: 'chat', from: s.name('alice'), text: 'Hello everyone!' });
    await alice!.expectNothingMore('the sender never gets its own chat');
    // A connection that has not logged in is not a user: it gets nothing. It cannot use the
    // /users barrier without logging in, so log it in; everything sent before is then in.
    lurker.send(s.name('lurker'));
    await lurker.expectNext('welcome', 'welcome (and nothing before it)');
  });

  test('leave with reason quit after /quit; bye "Goodbye!" then close', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    bob!.send('/quit');
    expect(noTs(await bob!.expectNext('bye', 'bye after /quit'))).toEqual({ type: 'bye', text: 'Goodbye!' });
    await bob!.waitClosed('the server to close the connection after bye');
    expect(bob!.queue).toEqual([]);
    await alice!.waitFor((e) => e.type === 'join', 'join of bob');
    expect(noTs(await alice!.expectNext('leave', 'leave of bob'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'quit' });
  });

  test('leave with reason disconnect when a user just closes the socket', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    bob!.socket.end();
    expect(noTs(await alice!.expectNext('leave', 'leave of bob'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'disconnect' });
    await bob!.waitClosed();
  });

  test('a user who leaves is gone from /users and the name is free again', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    bob!.send('/quit');
    await bob!.waitClosed();
    await alice!.waitFor((e) => e.type === 'leave', 'leave of bob');
    const { users } = await alice!.barrier();
    expect(s.mine(users.users)).toEqual([s.name('alice')]);
    const again = await s.login('bob');
    expect(s.mine(again.welcome!.users)).toEqual(sorted([s.name('alice'), s.name('bob')]));
  });
});

describe('usernames', () => {
  test.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['21 characters', 'abcdefghijklmnopqrstu'],
    ['a space inside', 'bad name'],
    ['punctuation', 'bob!'],
    ['a dot', 'bob.smith'],
    ['a non-ASCII letter', 'émile'],
    ['reserved system', 'system'],
    ['reserved SERVER', 'SERVER'],
    ['reserved You', 'You'],
    ['reserved sYsTeM', 'sYsTeM'],
  ])('%s → error INVALID_NAME and close', async (_why, name) => {
    const s = new Session(server());
    const c = await s.greeted('bad');
    c.send(name);
    const e = await c.expectNext('error', `error INVALID_NAME for ${JSON.stringify(name)}`);
    expect(e.code).toBe('INVALID_NAME');
    expect(typeof e.text).toBe('string');
    await c.waitClosed('the server to close the connection after INVALID_NAME');
    expect(c.queue).toEqual([]);
  });

  test('valid names: 1 character, 20 characters, the whole alphabet A-Z a-z 0-9 _ -', async () => {
    const s = new Session(server());
    const twenty = `${s.prefix}Ab_9-zZ012345678`;
    expect(twenty).toHaveLength(20);
    // 'Q' is used by this test only, so no other test on this server holds it
    for (const name of [twenty, `${s.prefix}-_`, `${s.prefix}XYZ_xyz-09`, 'Q']) {
      const c = await s.greeted(name);
      c.send(name);
      const w = await c.expectNext('welcome', `welcome for the valid name ${name}`);
      expect(w.user).toBe(name);
      expect(w.users).toContain(name);
      c.send('/quit');
      await c.expectNext('bye', 'bye');
      await c.waitClosed();
    }
  });

  test('leading and trailing white space around the name is trimmed', async () => {
    const s = new Session(server());
    const c = await s.greeted('carol');
    c.send(`   ${s.name('carol')} \t `);
    const w = await c.expectNext('welcome', 'welcome for the trimmed name');
    expect(w.user).toBe(s.name('carol'));
    expect(w.text).toBe(`Welcome, ${s.name('carol')}! Type /help for available commands.`);
  });

  test('NAME_TAKEN for a name online in any case, and the connection closes', async () => {
    const s = new Session(server());
    const alice = await s.login('alice');
    for (const variant of [s.name('alice'), s.name('alice').toUpperCase(), s.name('ALiCe').replace(s.prefix, s.prefix.toUpperCase())]) {
      const c = await s.greeted(`second ${variant}`);
      c.send(variant);
      const e = await c.expectNext('error', `error NAME_TAKEN for ${variant}`);
      expect(e.code).toBe('NAME_TAKEN');
      await c.waitClosed('the server to close the connection after NAME_TAKEN');
    }
    await alice.expectNothingMore('rejected names never join');
  });
});

describe('commands', () => {
  test('/help answers info listing the commands; /HELP too (command names are case-insensitive)', async () => {
    const s = new Session(server());
    const alice = await s.login('alice');
    for (const cmd of ['/help', '/HELP', '/Help']) {
      alice.send(cmd);
      const info = await alice.expectNext('info', `info in reply to ${cmd}`);
      for (const name of ['/help', '/users', '/whisper', '/quit']) expect(info.text).toContain(name);
    }
  });

  test('/users answers users, sorted; /USERS too', async () => {
    const s = new Session(server());
    const [carol, alice, bob] = await s.loginAll('carol', 'alice', 'bob');
    void carol;
    void bob;
    for (const cmd of ['/users', '/USERS', '/uSeRs']) {
      alice!.send(cmd);
      const e = await alice!.waitFor((x) => x.type === 'users', `users in reply to ${cmd}`);
      expect(Object.keys(noTs(e)).sort()).toEqual(['type', 'users']);
      expect(e.users).toEqual(sorted(e.users as string[]));
      expect(s.mine(e.users)).toEqual([s.name('alice'), s.name('bob'), s.name('carol')]);
    }
  });

  test('/whisper goes to the recipient and back to the sender, nobody else; user matched in any case', async () => {
    const s = new Session(server());
    const [alice, bob, carol] = await s.loginAll('alice', 'bob', 'carol');
    await alice!.waitFor((e) => e.user === s.name('carol'), 'join of carol');
    await bob!.waitFor((e) => e.user === s.name('carol'), 'join of carol');
    const expected = { type: 'whisper', from: s.name('alice'), to: s.name('bob'), text: 'psst, meet me  at noon' };
    alice!.send(`/whisper ${s.name('bob').toUpperCase()} psst, meet me  at noon`);
    expect(noTs(await bob!.expectNext('whisper', 'the whisper from alice'))).toEqual(expected);
    expect(noTs(await alice!.expectNext('whisper', 'the confirmation of her whisper'))).toEqual(expected);
    await settle(alice!);
    await carol!.expectNothingMore('a whisper goes only to its two sides');
    // /WHISPER works too
    bob!.send(`/WHISPER ${s.name('alice')} back`);
    expect((await alice!.expectNext('whisper', 'the whisper from bob')).text).toBe('back');
  });

  test.each([
    ['no arguments', () => '/whisper', 'USAGE'],
    ['no message', (s: Session) => `/whisper ${s.name('bob')}`, 'USAGE'],
    ['only spaces as the message', (s: Session) => `/whisper ${s.name('bob')}     `, 'USAGE'],
    ['to yourself', (s: Session) => `/whisper ${s.name('alice')} hi me`, 'USAGE'],
    ['to yourself in another case', (s: Session) => `/whisper ${s.name('alice').toUpperCase()} hi me`, 'USAGE'],
    ['to nobody online', (s: Session) => `/whisper ${s.name('nobody')} hello?`, 'NO_SUCH_USER'],
  ])('/whisper %s → error %s; the connection stays usable', async (_why, line, code) => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.send(line(s));
    const e = await alice!.expectNext('error', `error ${code}`);
    expect(e.code).toBe(code);
    expect(typeof e.text).toBe('string');
    await settle(alice!);
    await bob!.expectNothingMore('a failed whisper reaches nobody');
    alice!.send('still here');
    expect((await bob!.expectNext('chat', 'a chat after the error')).text).toBe('still here');
  });

  test('/quit and /QUIT: bye, close, others get leave quit', async () => {
    const s = new Session(server());
    const [alice, bob, carol] = await s.loginAll('alice', 'bob', 'carol');
    await alice!.waitFor((e) => e.user === s.name('carol'), 'join of carol');
    await bob!.expectNext('join', 'join of carol');
    bob!.send('/QUIT');
    expect(noTs(await bob!.expectNext('bye', 'bye'))).toEqual({ type: 'bye', text: 'Goodbye!' });
    await bob!.waitClosed();
    expect(noTs(await alice!.expectNext('leave', 'leave of bob'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'quit' });
    expect(noTs(await carol!.expectNext('leave', 'leave of bob'))).toEqual({ type: 'leave', user: s.name('bob'), reason: 'quit' });
  });

  test('lines after /quit in the same write are not processed', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    bob!.write('before\n/quit\nafter\n');
    await bob!.expectNext('bye', 'bye');
    await bob!.waitClosed();
    expect((await alice!.expectNext('chat', 'the chat before /quit')).text).toBe('before');
    expect((await alice!.expectNext('leave', 'leave of bob')).reason).toBe('quit');
    await alice!.expectNothingMore('nothing of bob after his leave');
  });

  test('unknown command → UNKNOWN_COMMAND, the connection stays usable', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    for (const cmd of ['/dance', '/', '/ help', '/helpme', '/users2']) {
      alice!.send(cmd);
      const e = await alice!.expectNext('error', `error UNKNOWN_COMMAND for ${cmd}`);
      expect(e.code).toBe('UNKNOWN_COMMAND');
    }
    const { users } = await alice!.barrier();
    expect(s.mine(users.users)).toEqual([s.name('alice'), s.name('bob')]);
    await bob!.expectNothingMore('unknown commands are not chat');
  });

  test('//text sends the chat message /text', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.send('//shrug');
    alice!.send('//');
    alice!.send('  //users  ');
    expect(noTs(await bob!.expectNext('chat', 'chat "/shrug"'))).toEqual({ type: 'chat', from: s.name('alice'), text: '/shrug' });
    expect((await bob!.expectNext('chat', 'chat "/"')).text).toBe('/');
    expect((await bob!.expectNext('chat', 'chat "/users"')).text).toBe('/users');
    await alice!.expectNothingMore('// is chat, not a command');
  });

  test('empty and white-space-only lines are ignored; chat text is trimmed', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.write('\n   \n\t\n \t \r\n');
    alice!.send('   hello   world  ');
    alice!.send('\t tabbed \t');
    expect((await bob!.expectNext('chat', 'the trimmed chat')).text).toBe('hello   world');
    expect((await bob!.expectNext('chat', 'the second trimmed chat')).text).toBe('tabbed');
    await settle(alice!);
    await bob!.expectNothingMore('empty lines are not chat');
    await alice!.expectNothingMore('empty lines get no reply');
  });
});
