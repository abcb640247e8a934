// PROTOCOL.md, "Transport and framing": lines, \r\n, chunking, UTF-8, the 4096-byte limit.
// Also "Chat and whisper text is stripped of control characters".

import { describe, expect, test } from 'vitest';
import { noTs, serverForFile, Session, settle } from './blackbox.js';

// Every client here comes from 127.0.0.1: the tests' connections, closing and opening, must not
// meet the per-address limit (tests/reference/limits.test.ts checks it).
const server = serverForFile(['--no-rate-limit', '--max-per-address', '0']);

describe('line framing', () => {
  test('\\r\\n line endings are accepted for the name, commands and chat; the \\r is dropped', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const alice = await s.greeted('alice');
    alice.write(`${s.name('alice')}\r\n`);
    const w = await alice.expectNext('welcome', 'welcome for a name ending in \\r\\n');
    expect(w.user).toBe(s.name('alice'));
    alice.write('hi there\r\n/users\r\n/whisper ' + s.name('bob') + ' psst\r\n');
    expect(noTs(await bob.expectNext('join', 'join of alice'))).toEqual({ type: 'join', user: s.name('alice') });
    expect(noTs(await bob.expectNext('chat', 'chat "hi there"'))).toEqual({ type: 'chat', from: s.name('alice'), text: 'hi there' });
    expect((await bob.expectNext('whisper', 'whisper "psst"')).text).toBe('psst');
    expect(s.mine((await alice.expectNext('users', 'users reply to /users\\r\\n')).users)).toEqual([s.name('alice'), s.name('bob')]);
    expect((await alice.expectNext('whisper', 'whisper confirmation')).text).toBe('psst');
  });

  test('a line split across writes, and one byte per write, arrives whole', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const alice = await s.greeted('alice');
    await alice.writePieces([s.name('alice').slice(0, 2), s.name('alice').slice(2), '\n']);
    await alice.expectNext('welcome', 'welcome for a name sent in three writes');
    await alice.writePieces(['hel', 'lo wo', 'rld\n']);
    await alice.writePieces([...'one byte at a time\n'].map((ch) => Buffer.from(ch)));
    await alice.writePieces([...'/users\n']);
    await bob.expectNext('join', 'join of alice');
    expect((await bob.expectNext('chat', 'chat "hello world"')).text).toBe('hello world');
    expect((await bob.expectNext('chat', 'chat "one byte at a time"')).text).toBe('one byte at a time');
    await alice.expectNext('users', 'users reply to /users sent one byte at a time');
  });

  test('many lines in one write are all processed, in order', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const alice = await s.greeted('alice');
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    alice.write(`${s.name('alice')}\n${lines.join('\n')}\n/users\n/help\n`);
    await alice.expectNext('welcome', 'welcome');
    await alice.expectNext('users', 'users reply');
    await alice.expectNext('info', 'info reply to /help');
    await bob.expectNext('join', 'join of alice');
    for (const line of lines) expect((await bob.expectNext('chat', `chat "${line}"`)).text).toBe(line);
  });

  test('a multi-byte UTF-8 character split across writes arrives intact (every split point)', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    const text = 'héllo € 😀 日本';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      await alice!.writePieces([bytes.subarray(0, cut), Buffer.concat([bytes.subarray(cut), Buffer.from('\n')])]);
    }
    await alice!.writePieces([...Buffer.from(text + '\n')].map((b) => Buffer.from([b])));
    for (let i = 1; i <= bytes.length; i++) expect((await bob!.waitFor((e) => e.type === 'chat', `chat #${i}`)).text).toBe(text);
  });

  test('invalid UTF-8 becomes U+FFFD and breaks nothing', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.write(Buffer.concat([Buffer.from('a'), Buffer.from([0xff, 0xfe]), Buffer.from('b'), Buffer.from([0xc3]), Buffer.from('c'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]));
    const chat = await bob!.expectNext('chat', 'the chat with invalid bytes');
    const text = chat.text as string;
    expect(text.startsWith('a\uFFFD')).toBe(true);
    expect(text.replace(/\uFFFD/g, '')).toBe('abc');
    expect(text).toContain('b\uFFFDc');
    // an invalid name: rejected, never a crash
    const c = await s.greeted('bytes');
    c.write(Buffer.concat([Buffer.from(s.name('x')), Buffer.from([0xff, 0xc0, 0x80]), Buffer.from('\n')]));
    expect((await c.expectNext('error', 'INVALID_NAME for a name with invalid bytes')).code).toBe('INVALID_NAME');
    await c.waitClosed();
    await settle(alice!, bob!);
  });
});

describe('line length limit (4096 bytes)', () => {
  test('a line of exactly 4096 bytes is accepted (ASCII, and multi-byte counted in bytes)', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    const ascii = 'x'.repeat(4096);
    const multi = '€'.repeat(1365) + 'y'; // 1365 × 3 + 1 = 4096 bytes
    expect(Buffer.byteLength(multi)).toBe(4096);
    alice!.send(ascii);
    alice!.send(multi);
    expect((await bob!.expectNext('chat', 'the 4096-byte ASCII chat')).text).toBe(ascii);
    expect((await bob!.expectNext('chat', 'the 4096-byte multi-byte chat')).text).toBe(multi);
    await alice!.expectNothingMore('a 4096-byte line is no error');
  });

  test('a line of exactly 4096 bytes ending in \\r\\n is accepted (the line ending does not count)', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    const ascii = 'z'.repeat(4096);
    alice!.write(ascii + '\r\n');
    expect((await bob!.expectNext('chat', 'the 4096-byte chat ending in \\r\\n')).text).toBe(ascii);
    await alice!.expectNothingMore('a 4096-byte line with \\r\\n is no error');
  });

  test.each([
    ['4097 ASCII bytes', 'x'.repeat(4097)],
    ['1366 three-byte characters (4098 bytes, 1366 characters)', '€'.repeat(1366)],
  ])('%s → error LINE_TOO_LONG and close; others see leave', async (_why, line) => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.send('fine');
    await alice!.barrier('the users reply that shows "fine" was processed');
    alice!.send(line);
    const e = await alice!.expectNext('error', 'error LINE_TOO_LONG');
    expect(e.code).toBe('LINE_TOO_LONG');
    await alice!.waitClosed('the server to close the connection after LINE_TOO_LONG');
    expect((await bob!.expectNext('chat', 'the line before the long one')).text).toBe('fine');
    const leave = await bob!.expectNext('leave', 'leave of alice');
    expect(leave.user).toBe(s.name('alice'));
    await bob!.expectNothingMore('nothing of the long line reaches anyone');
  });

  test('complete lines that arrive in the same chunk before a too-long line are still processed', async () => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    // one write: a chat line, a command, then a line of 4097 bytes
    await alice!.write('before the long line\n/users\n' + 'x'.repeat(4097) + '\n');
    expect(s.mine((await alice!.expectNext('users', 'the users reply to the /users before the long line')).users)).toEqual([s.name('alice'), s.name('bob')]);
    expect((await alice!.expectNext('error', 'error LINE_TOO_LONG')).code).toBe('LINE_TOO_LONG');
    await alice!.waitClosed();
    expect((await bob!.expectNext('chat', 'the chat line sent just before the long line')).text).toBe('before the long line');
    expect((await bob!.expectNext('leave', 'leave of alice')).user).toBe(s.name('alice'));
  });

  test('a too-long username line → LINE_TOO_LONG and close', async () => {
    const s = new Session(server());
    const c = await s.greeted('long');
    c.send('n'.repeat(5000));
    expect((await c.expectNext('error', 'error LINE_TOO_LONG')).code).toBe('LINE_TOO_LONG');
    await c.waitClosed();
  });

  test('4097 bytes without a line ending: LINE_TOO_LONG and close at once, without waiting for a newline', async () => {
    const s = new Session(server());
    const alice = await s.login('alice');
    await alice.write('w'.repeat(4097));
    expect((await alice.expectNext('error', 'error LINE_TOO_LONG once 4097 bytes arrived')).code).toBe('LINE_TOO_LONG');
    await alice.waitClosed('the server to close the connection');
    // during the handshake too
    const c = await s.greeted('pre');
    await c.write('p'.repeat(4097));
    expect((await c.expectNext('error', 'error LINE_TOO_LONG once 4097 bytes of name arrived')).code).toBe('LINE_TOO_LONG');
    await c.waitClosed();
  });

  test('an endless line (1 MB in 16 KB chunks, no newline): LINE_TOO_LONG and close; the server stays well', async () => {
    const s = new Session(server());
    const bob = await s.login('bob');
    const alice = await s.login('alice');
    await bob.expectNext('join', 'join of alice');
    const rssBefore = await s.server.rssBytes();
    const chunk = Buffer.alloc(16 * 1024, 'e');
    const flood = (async () => {
      for (let sent = 0; sent < 1024 * 1024 && !alice.socket.destroyed; sent += chunk.length) await alice.write(chunk);
    })();
    const e = await alice.expectNext('error', 'error LINE_TOO_LONG during the flood');
    expect(e.code).toBe('LINE_TOO_LONG');
    await alice.waitClosed('the server to close the connection during the flood');
    await flood;
    const leave = await bob.expectNext('leave', 'leave of alice');
    expect(leave.user).toBe(s.name('alice'));
    await bob.expectNothingMore('nothing of the endless line reaches anyone');
    expect((await s.server.rssBytes()) - rssBefore, 'RSS growth of the server (bytes)').toBeLessThan(30 * 1024 * 1024);
  });
});

describe('control characters', () => {
  const cases: Array<[string, string, string]> = [
    ['ESC [2J (clear screen)', 'a\u001b[2Jb', 'a[2Jb'],
    ['an OSC title sequence ESC ] 0;title BEL', 'x\u001b]0;pwned\u0007y', 'x]0;pwnedy'],
    ['U+0085 (NEL, a C1 control)', 'one\u0085two', 'onetwo'],
    ['U+007F (DEL)', 'del\u007fete', 'delete'],
    ['NUL, tab, backspace, bell, U+009B (CSI)', 'n\u0000u\tl\bl\u0007\u009b31m!', 'null31m!'],
  ];

  test.each(cases)('%s is stripped from chat', async (_why, sent, shown) => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.send(sent);
    expect(noTs(await bob!.expectNext('chat', 'the sanitised chat'))).toEqual({ type: 'chat', from: s.name('alice'), text: shown });
  });

  test.each(cases)('%s is stripped from whisper, on both sides', async (_why, sent, shown) => {
    const s = new Session(server());
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    alice!.send(`/whisper ${s.name('bob')} ${sent}`);
    const expected = { type: 'whisper', from: s.name('alice'), to: s.name('bob'), text: shown };
    expect(noTs(await bob!.expectNext('whisper', 'the sanitised whisper'))).toEqual(expected);
    expect(noTs(await alice!.expectNext('whisper', 'the sanitised confirmation'))).toEqual(expected);
  });
});
