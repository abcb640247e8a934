// Lesson 9: the student's three defences against one misbehaving client:
// writeBounded() (starter/server/write-bounded.ts), RateLimiter (rate-limiter.ts) and
// stripControl() (strip-control.ts). Each is first driven on its own (a socket whose peer
// reads nothing, a clock the suite controls, every control character one by one), then
// inside the reference server, where each test takes only the piece it is about, so that a
// failure points at one file.

import type { Socket } from 'node:net';
import { describe, test } from 'vitest';
import type { Client } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { failure } from './harness/teach.js';
import { DEADLINES, PATIENCE_MS } from './harness/wait.js';
import type { Received, TestClient } from './harness/test-client.js';
import { escapeText } from '../app/wire-text.js';

const { writeBounded } = await importMine<typeof import('../starter/server/write-bounded.js')>('server/write-bounded.ts');
const { RateLimiter } = await importMine<typeof import('../starter/server/rate-limiter.js')>('server/rate-limiter.ts');
const { stripControl } = await importMine<typeof import('../starter/server/strip-control.js')>('server/strip-control.ts');

const lesson = (heading: string) => `9 (npm run lesson 9), section "${heading}"`;
const SECTION = {
  queue: lesson('Where the bytes wait'),
  advice: lesson('The high-water mark is advice, not a limit'),
  bound: lesson('Bounding the send queue'),
  bucket: lesson('The token bucket'),
  rateLimited: lesson('RATE_LIMITED drops the line, not the client'),
  escapes: lesson('Bytes that give orders to a terminal'),
  c1: lesson('C1 controls: one character does what ESC does'),
  strip: lesson('Strip on the server, sanitise on the client'),
};

// ── writeBounded() with a socket whose peer reads nothing ────────────────────

/** Node's default high-water mark for a socket: above it, write() returns false. */
const HIGH_WATER_MARK = 16 * 1024;

/**
 * Stands in for a socket whose peer never reads: every byte written stays queued, and
 * write() answers the way a real socket's does (false once the queue reaches the mark).
 */
class StuckSocket {
  readonly written: string[] = [];
  readonly writableHighWaterMark = HIGH_WATER_MARK;
  destroyed = false;
  constructor(public writableLength = 0) {}
  /** The old name of writableLength. */
  get bufferSize(): number {
    return this.writableLength;
  }
  get writableNeedDrain(): boolean {
    return this.writableLength >= HIGH_WATER_MARK;
  }
  write(chunk: string | Buffer): boolean {
    this.written.push(String(chunk));
    this.writableLength += Buffer.byteLength(chunk);
    return this.writableLength < HIGH_WATER_MARK;
  }
  destroy(): void {
    this.destroyed = true; // not writeBounded's job (the caller drops), but harmless
  }
}

/** One call of the student's writeBounded(), described for a failure message. */
function callWriteBounded(socket: StuckSocket, line: string, maxQueuedBytes: number, see: string): { result: unknown; call: string } {
  const before = socket.writableLength;
  const call = `writeBounded(socket, ${describeLine(line)}, ${maxQueuedBytes}) with ${before} bytes already queued`;
  let result: unknown;
  try {
    result = writeBounded(socket as unknown as Socket, line, maxQueuedBytes);
  } catch (err) {
    throw failure({ problem: `${call} threw: ${(err as Error).message}`, expected: 'write the line, then compare socket.writableLength with maxQueuedBytes', see });
  }
  return { result, call };
}

function describeLine(line: string): string {
  const bytes = Buffer.byteLength(line);
  return bytes <= 60 ? JSON.stringify(line) : `a line of ${bytes} bytes`;
}

// ── RateLimiter with a clock the suite controls ───────────────────────────────

/** The suite's clock starts here; messages show times relative to it. */
const T0 = 1_700_000_000_000;

/** The student's RateLimiter, driven with explicit times; logs every call for failures. */
class LimiterUnderTest {
  private readonly limiter: InstanceType<typeof RateLimiter>;
  private readonly log: { text: string; times: number }[] = [];

  constructor(readonly burst: number, readonly perSecond: number) {
    this.note(`new RateLimiter(${burst}, ${perSecond}, now = 0 ms)`);
    this.limiter = new RateLimiter(burst, perSecond, T0);
  }

  /** take() at `ms` milliseconds after the start. */
  take(ms: number): boolean {
    let result: unknown;
    try {
      result = this.limiter.take(T0 + ms);
    } catch (err) {
      this.note(`take(now = ${ms} ms) → threw`);
      throw this.fail(`take(now = ${ms} ms) threw: ${(err as Error).message}`, 'true or false, never a throw');
    }
    this.note(`take(now = ${ms} ms) → ${String(result)}`);
    if (typeof result !== 'boolean') throw this.fail(`take(now = ${ms} ms) returned ${String(result)}.`, 'a boolean: true when a token was taken, false when the bucket is empty');
    return result;
  }

  /** take() `count` times at the same instant; returns how many said true. */
  takeMany(ms: number, count: number): number {
    let passed = 0;
    for (let i = 0; i < count; i++) if (this.take(ms)) passed++;
    return passed;
  }

  /** Empties a new bucket at 0 ms: exactly `burst` lines pass, the next one is refused. */
  empty(): void {
    const passed = this.takeMany(0, this.burst);
    if (passed !== this.burst) {
      throw this.fail(
        `A new RateLimiter(${this.burst}, ${this.perSecond}) let ${passed} of ${this.burst} lines through at once.`,
        `all ${this.burst}: a new bucket is full, so a client may start with a burst of ${this.burst} lines`,
      );
    }
    if (this.take(0)) {
      throw this.fail(
        `A new RateLimiter(${this.burst}, ${this.perSecond}) let ${this.burst} lines through at 0 ms, and then one more at the same instant.`,
        `false: ${this.burst} tokens pay for ${this.burst} lines; with no time passed, nothing has refilled`,
      );
    }
  }

  fail(problem: string, expected: string): Error {
    const calls = this.log.map((l) => `  ${l.text}${l.times > 1 ? `   (×${l.times})` : ''}`).join('\n');
    return failure({ problem: `${problem}\n\nWhat the test did, with its own clock (now, in ms since the start):\n${calls}`, expected, see: SECTION.bucket });
  }

  private note(text: string): void {
    const last = this.log[this.log.length - 1];
    if (last?.text === text) last.times++;
    else this.log.push({ text, times: 1 });
  }
}

// ── stripControl() ───────────────────────────────────────────────────────────

/** Every code point PROTOCOL.md calls a control character, with the family it belongs to. */
const CONTROLS: { from: number; to: number; family: string }[] = [
  { from: 0x00, to: 0x1f, family: 'C0 controls: NUL, BEL, backspace, tab, newline, carriage return, ESC, ...' },
  { from: 0x7f, to: 0x7f, family: 'DEL' },
  { from: 0x80, to: 0x9f, family: 'C1 controls: U+009B is CSI, the same as ESC [ on terminals that honour C1' },
];

function isControl(code: number): boolean {
  return CONTROLS.some((f) => code >= f.from && code <= f.to);
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** [0x00, 0x01, 0x02, 0x1c] → 'U+0000–U+0002, U+001C' */
function ranges(codes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length; ) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j++;
    parts.push(i === j ? hex(codes[i]!) : `${hex(codes[i]!)}–${hex(codes[j]!)}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function callStrip(text: string): unknown {
  try {
    return stripControl(text);
  } catch (err) {
    throw failure({ problem: `stripControl("${escapeText(text)}") threw: ${(err as Error).message}`, expected: 'the text, without its control characters', see: SECTION.strip });
  }
}

/** A string as a student writes it in code, every control character escaped. */
function quote(text: unknown): string {
  return typeof text === 'string' ? `"${escapeText(text)}"` : String(text);
}

// ── The chat server ──────────────────────────────────────────────────────────

/** Logs the users in one after another and waits until each has seen the later ones join. */
async function loginSettled(chat: Chat, names: string[]): Promise<TestClient[]> {
  const users: TestClient[] = [];
  for (const name of names) {
    const user = await chat.login(name).catch((err: Error) => {
      const heardNothing = !chat.transcript.entries.some((e) => e.from === chat.serverLabel && e.to === name && e.bytes.length > 0);
      if (chat.logs.length === 0 && !heardNothing) throw err;
      throw failure({
        problem:
          chat.logs.length > 0
            ? `The suite could not even log ${name} in: your code threw (as the server logged it, below).${chat.logs.some((l) => l.includes('writeBounded')) ? ' The server sends every event through writeBounded(), the hello too.' : ''}`
            : `The server sent ${name} nothing at all, not even the hello. It sends every event through writeBounded(): yours never wrote to the socket.`,
        expected: `hello, then welcome for ${name}: writeBounded() calls socket.write(line) every time`,
        see: chat.logs.length > 0 ? chat.see : SECTION.queue,
        transcript: chat.transcript,
        logs: chat.logs,
      });
    });
    user.socket.setNoDelay(true); // a short line then a barrier: no 40 ms Nagle delay
    users.push(user);
  }
  for (const [i, user] of users.entries()) {
    for (const later of names.slice(i + 1)) await user.next({ type: 'join', user: later }, `the join of ${later}`);
  }
  return users;
}

/** The server's own socket for a logged-in user: what the server queues for that user. */
function serverSideSocket(chat: Chat, name: string): Socket {
  const client = chat.server.ctx.registry.find(name) as (Client & { socket?: Socket }) | undefined;
  if (!client?.socket) throw new Error(`the suite could not find the server's socket for ${name}`);
  return client.socket;
}

/** Waits for `lines[from..to)` as chat events from `sender`, in order; fails if one is missing or changed. */
async function expectChatsInOrder(chat: Chat, reader: TestClient, sender: string, lines: string[], from: number, to: number, see: string): Promise<void> {
  for (let i = from; i < to; i++) {
    let event: Received;
    try {
      event = await reader.next({ type: 'chat', from: sender }, `${sender}'s chat line number ${i + 1} (of ${lines.length} so far)`);
    } catch (err) {
      if (!reader.closed) throw err;
      throw failure({
        problem: `${reader.label} reads everything he is sent, yet the server closed his connection after ${i} of ${sender}'s ${lines.length} lines. A reader that keeps up must never be dropped.`,
        expected: `${reader.label} stays connected and gets every line; only a client that stops reading is dropped`,
        see,
        transcript: chat.transcript,
        logs: chat.logs,
      });
    }
    if (event.type === 'chat' && event.text !== lines[i]) {
      throw failure({
        problem: `${reader.label}'s chat line number ${i + 1} from ${sender} was ${describeLine(event.text)} starting "${event.text.slice(0, 12)}", not the line ${sender} sent as number ${i + 1} ("${lines[i]!.slice(0, 12)}…"). Lines were lost or reordered.`,
        expected: `every one of ${sender}'s lines, in the order sent`,
        see,
        transcript: chat.transcript,
      });
    }
  }
}

function leaveOf(user: string): (e: Received) => boolean {
  return (e) => e.type === 'leave' && e.user === user;
}

/** Bytes in a way people read them: 4.5 MiB, 128 KiB. */
function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

describe('lesson 9: writeBounded() on its own, with a socket whose peer reads nothing', () => {
  test('under the bound it writes the line, once and unchanged, and returns true', () => {
    const socket = new StuckSocket();
    const line = '{"type":"chat","from":"bob","text":"hi"}\n';
    const { result, call } = callWriteBounded(socket, line, 1024 * 1024, SECTION.queue);
    if (socket.written.length === 0) {
      throw failure({
        problem: `${call} returned ${String(result)}, but never called socket.write(): the line was never sent. Nobody would ever hear anything.`,
        expected: 'socket.write(line) first; then look at socket.writableLength to decide what to return',
        see: SECTION.queue,
      });
    }
    if (socket.written.join('') !== line) {
      throw failure({ problem: `${call} wrote ${socket.written.map(quote).join(' then ')}.`, expected: `the line exactly as given, once: ${quote(line)}`, see: SECTION.queue });
    }
    if (result !== true) {
      throw failure({
        problem: `${call} returned ${String(result)}, with ${socket.writableLength} bytes now queued and a bound of 1 MiB.`,
        expected: 'true: the queue is far under maxQueuedBytes, so this client is fine',
        see: SECTION.bound,
      });
    }
  });

  test('a queue of exactly maxQueuedBytes is still fine; one byte more is too slow', () => {
    const atBound = callWriteBounded(new StuckSocket(990), 'ten bytes\n', 1000, SECTION.bound);
    if (atBound.result !== true) {
      throw failure({
        problem: `${atBound.call} returned ${String(atBound.result)}: with the line, exactly 1000 bytes are queued, which is the bound, not past it.`,
        expected: 'true: only MORE than maxQueuedBytes is too slow (writableLength <= maxQueuedBytes is fine)',
        see: SECTION.bound,
      });
    }
    const past = callWriteBounded(new StuckSocket(991), 'ten bytes\n', 1000, SECTION.bound);
    if (past.result !== false) {
      throw failure({
        problem: `${past.call} returned ${String(past.result)}, yet 1001 bytes are now queued for a client that reads nothing, and the bound is 1000. The caller drops a client only when writeBounded() returns false: this one would be kept, and its queue would grow without end.`,
        expected: 'false as soon as socket.writableLength is more than maxQueuedBytes (look at it after writing)',
        see: SECTION.bound,
      });
    }
  });

  test('write() returning false is not the bound: a 100 KB burst under a 1 MiB bound is fine', () => {
    const socket = new StuckSocket();
    const line = `{"type":"chat","from":"bob","text":"${'x'.repeat(3950)}"}\n`;
    for (let i = 1; i <= 25; i++) {
      const { result, call } = callWriteBounded(socket, line, 1024 * 1024, SECTION.advice);
      if (result === true) continue;
      const overMark = socket.writableLength >= HIGH_WATER_MARK;
      throw failure({
        problem:
          `Line ${i} of a burst of 25: ${call} returned ${String(result)}, with ${socket.writableLength} bytes queued, far under the bound of 1 MiB.` +
          (overMark
            ? ` socket.write() had just returned false: the queue reached the high-water mark (16 KiB for this test's socket; socket.writableHighWaterMark says a real socket's). That is Node's advice to slow down, not the bound: a client that reads fine passes it in any burst, and the server would drop it.`
            : ''),
        expected: 'true for every line: false only once socket.writableLength is more than maxQueuedBytes, whatever write() returned',
        see: SECTION.advice,
      });
    }
    if (socket.written.length !== 25) {
      throw failure({ problem: `After 25 calls of writeBounded(), socket.write() had been called ${socket.written.length} times.`, expected: 'one write per line: 25', see: SECTION.queue });
    }
  });
});

describe('lesson 9: RateLimiter on its own, with a clock the suite controls', () => {
  test('a new bucket is full: a burst of 20 passes at once, the 21st line is refused (and 5, then the 6th, for a bucket of 5)', () => {
    new LimiterUnderTest(20, 10).empty();
    new LimiterUnderTest(5, 2).empty();
  });

  test('it refills 10 per second: one more line every 100 ms, never two', () => {
    const bucket = new LimiterUnderTest(20, 10);
    bucket.empty();
    for (let ms = 100; ms <= 1000; ms += 100) {
      if (!bucket.take(ms)) {
        throw bucket.fail(
          `The bucket was emptied at 0 ms; at ${ms} ms take() still returned false: no token came back.`,
          `true: at 10 tokens per second, one token (one line) comes back every 100 ms. Refill by (now - last) / 1000 * perSecond each time take() is called`,
        );
      }
      if (bucket.take(ms)) {
        throw bucket.fail(
          `At ${ms} ms, two lines passed within the same instant; only one token had come back since ${ms - 100} ms.`,
          'false for the second line: 100 ms at 10 per second is one token',
        );
      }
    }
    const slower = new LimiterUnderTest(5, 2);
    slower.empty();
    if (!slower.take(500) || slower.take(500)) {
      throw slower.fail('With 2 tokens per second, the bucket emptied at 0 ms did not give back exactly one line at 500 ms.', 'one line at 500 ms (true), then false: the refill rate is perSecond, whatever its value');
    }
  });

  test('fractions of a token add up: 60 ms and 60 ms more make one line', () => {
    const bucket = new LimiterUnderTest(20, 10);
    bucket.empty();
    if (bucket.take(60)) {
      throw bucket.fail('At 60 ms take() let a line through, but only 0.6 of a token had come back.', 'false: a line costs a whole token');
    }
    if (!bucket.take(120)) {
      throw bucket.fail(
        'At 60 ms, 0.6 of a token had come back; at 120 ms another 0.6: together more than one. Yet take() returned false: it lost the fraction at 60 ms (rounding down, or moving `last` forward without keeping the 0.6).',
        'true at 120 ms: keep the tokens as a fractional number, and round nothing',
      );
    }
    if (bucket.take(120)) {
      throw bucket.fail('At 120 ms two lines passed, but only 1.2 tokens had come back since 0 ms.', 'false for the second line');
    }
  });

  test('after a long quiet spell the bucket holds at most its size: 20 lines pass, the 21st is refused', () => {
    const bucket = new LimiterUnderTest(20, 10);
    bucket.empty();
    const hour = 3_600_000;
    const passed = bucket.takeMany(hour, 20);
    if (passed !== 20) {
      throw bucket.fail(`After an hour of quiet, only ${passed} of 20 lines passed at once.`, 'all 20: after a long pause the bucket is full again');
    }
    if (bucket.take(hour)) {
      throw bucket.fail(
        'After an hour of quiet, 21 lines passed at once: the bucket held more than its size. An hour at 10 per second is 36 000 tokens, so a quiet client could save up a flood.',
        'false for the 21st line: the bucket holds at most `burst` tokens. Cap the refill: Math.min(burst, tokens + refill)',
      );
    }
  });
});

describe('lesson 9: stripControl() on its own', () => {
  test('it removes every control character: U+0000–U+001F, U+007F and U+0080–U+009F', () => {
    const kept: number[] = [];
    const mangled: string[] = [];
    for (const { from, to } of CONTROLS) {
      for (let code = from; code <= to; code++) {
        const c = String.fromCharCode(code);
        const out = callStrip(`a${c}b`);
        if (out === 'ab') continue;
        if (typeof out === 'string' && out.includes(c)) kept.push(code);
        else mangled.push(`stripControl(${quote(`a${c}b`)}) returned ${quote(out)}`);
      }
    }
    if (kept.length > 0) {
      const families = CONTROLS.filter((f) => kept.some((code) => code >= f.from && code <= f.to)).map((f) => `  ${ranges(kept.filter((code) => code >= f.from && code <= f.to))}  (${f.family})`);
      const c1 = kept.some((code) => code >= 0x80) ? ' C1 controls are control characters too, even though they are not below U+0020: a regex that stops at \\u001f lets them through.' : '';
      throw failure({
        problem: `stripControl() kept ${kept.length} control characters, e.g. stripControl(${quote(`a${String.fromCharCode(kept[0]!)}b`)}) returned it unchanged. Kept:\n${families.join('\n')}\n${c1}`,
        expected: 'every one removed: a character class like [\\u0000-\\u001f\\u007f-\\u009f], with the g flag so that every occurrence goes',
        see: kept.some((code) => code >= 0x80) ? SECTION.c1 : SECTION.escapes,
      });
    }
    if (mangled.length > 0) {
      throw failure({ problem: `stripControl() changed more than the control character: ${mangled.slice(0, 3).join('; ')}.`, expected: '"ab": only the control character goes', see: SECTION.strip });
    }
  });

  test('an escape sequence loses its ESC and BEL; the visible rest stays: "\\u001b[2J" becomes "[2J"', () => {
    const cases: [string, string][] = [
      ['\u001b[2J', '[2J'],
      ['\u001b]0;pwned\u0007', ']0;pwned'],
      ['\u001b[1mbold\u001b[0m and \u009b31mred', '[1mbold[0m and 31mred'],
      ['one\u0000two\u0007three\u007ffour\u0008five', 'onetwothreefourfive'],
    ];
    for (const [input, expected] of cases) {
      const out = callStrip(input);
      if (out !== expected) {
        const controls = (text: string) => [...text].filter((c) => isControl(c.codePointAt(0)!)).length;
        const onlyFirst = typeof out === 'string' && controls(input) > 1 && controls(out) === controls(input) - 1;
        throw failure({
          problem: `stripControl(${quote(input)}) returned ${quote(out)}.${onlyFirst ? ' Only the first control character went: without the g flag, replace() replaces the first match only.' : ''}`,
          expected: `${quote(expected)}: the control characters removed, every visible character kept, in order`,
          see: SECTION.escapes,
        });
      }
    }
  });

  test('it keeps every other character: accents, Chinese, emoji, U+00A0, all of printable ASCII', () => {
    let ascii = '';
    for (let code = 0x20; code <= 0x7e; code++) ascii += String.fromCharCode(code);
    const samples = [
      ascii,
      'héllo wörld, naïve café, Ærøskøbing',
      '聊天室里有人吗？',
      'thumbs up 👍🏽 and a grin 😀',
      'no\u00a0break and ÿ (U+00A0 and U+00FF sit right after the C1 range)',
      '  spaces  inside  ',
    ];
    for (const text of samples) {
      const out = callStrip(text);
      if (out !== text) {
        const split = typeof out === 'string' && /[\ud800-\udfff]/.test(out.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
        throw failure({
          problem: `stripControl(${quote(text)}) returned ${quote(out)}.${split ? ' It cut an emoji in half: outside the BMP a character is two UTF-16 code units (a surrogate pair), and neither half is a control character.' : ''}`,
          expected: 'the same text: only U+0000–U+001F, U+007F and U+0080–U+009F are control characters; everything else is someone\'s language',
          see: SECTION.strip,
        });
      }
    }
  });
});

describe('lesson 9: your pieces inside the chat server', () => {
  test('a client that never reads is dropped (leave slow) once its queue passes the bound; bob, who reads, gets every line in order', async () => {
    // A small bound keeps this quick; still twice what one read of alice's lines (64 KiB)
    // makes the server queue for bob in one go, so bob, who keeps up, stays under it.
    const bound = 128 * 1024;
    const chat = await startChat({ mine: ['writeBounded'], see: SECTION.bound, options: { maxQueuedBytes: bound } });
    const [alice, bob] = await loginSettled(chat, ['alice', 'bob']);
    const slow = await chat.connect('slow');
    slow.socket.pause(); // from now on slow reads nothing, not even its welcome
    slow.send('slow');
    await alice!.next({ type: 'join', user: 'slow' }, 'the join of slow');
    await bob!.next({ type: 'join', user: 'slow' }, 'the join of slow');
    const slowQueue = serverSideSocket(chat, 'slow');

    // The kernel's buffers take the first part (megabytes, on Linux) before the server's
    // own queue grows at all, so alice keeps talking, 64 KB at a time, until slow is
    // dropped; bob (who reads) is kept at most one batch behind.
    const filler = 'x'.repeat(3990);
    const lines: string[] = [];
    let bobHas = 0; // lines bob is known to have, in order
    const started = Date.now();
    let sentBytes = 0;
    while (!bob!.events.some(leaveOf('slow'))) {
      if (!slowQueue.destroyed && slowQueue.writableLength > bound) {
        throw failure({
          problem: `slow has read nothing since it logged in, and alice has sent ${size(sentBytes)} of chat. The kernel's socket buffers took the first of it; now the server holds ${slowQueue.writableLength} bytes for slow in its own memory (socket.writableLength), more than maxQueuedBytes (${bound}), and your writeBounded() still returns true. So the queue just grows: a client that never reads would take all the server's memory.`,
          expected: 'writeBounded() returns false once socket.writableLength is more than maxQueuedBytes; the server then drops slow and tells the others: leave, reason slow',
          see: SECTION.bound,
          logs: chat.logs,
        });
      }
      if (sentBytes > 32 * 1024 * 1024 || Date.now() - started > 5 * PATIENCE_MS) {
        throw failure({
          problem: `slow has read nothing, alice has sent ${size(sentBytes)} of chat in ${Date.now() - started} ms, and slow was never dropped.`,
          expected: `{ type: "leave", user: "slow", reason: "slow" } to bob and alice, once more than ${bound} bytes wait for slow`,
          see: SECTION.bound,
          transcript: chat.transcript,
          logs: chat.logs,
        });
      }
      const batch = Array.from({ length: 16 }, (_, i) => `${String(lines.length + i).padStart(5, '0')} ${filler}`);
      lines.push(...batch);
      const data = batch.map((l) => l + '\n').join('');
      sentBytes += data.length;
      alice!.sendRaw(data);
      await expectChatsInOrder(chat, bob!, 'alice', lines, bobHas, lines.length - batch.length, SECTION.bound);
      bobHas = lines.length - batch.length;
    }
    await expectChatsInOrder(chat, bob!, 'alice', lines, bobHas, lines.length, SECTION.bound);

    const leave = bob!.events.find(leaveOf('slow'));
    if (leave?.type !== 'leave' || leave.reason !== 'slow') {
      throw failure({ problem: `bob was told ${JSON.stringify(leave)}.`, expected: '{ type: "leave", user: "slow", reason: "slow" }: the server says why slow went', see: SECTION.bound, transcript: chat.transcript });
    }
    await alice!.next(leaveOf('slow'), 'the leave of slow (alice is told too)');
    if (!slowQueue.destroyed) {
      throw failure({ problem: 'Everyone was told that slow left, yet the server\'s socket for slow is still open, holding its queue.', expected: 'the socket destroyed, its queue freed', see: SECTION.bound });
    }
    bob!.send('/users');
    const users = await bob!.next({ type: 'users' }, 'the reply to /users after slow was dropped');
    if (users.type !== 'users' || JSON.stringify(users.users) !== '["alice","bob"]') {
      throw failure({ problem: `After slow was dropped, /users listed ${JSON.stringify(users)}.`, expected: '["alice","bob"]: everyone else carries on', see: SECTION.bound, transcript: chat.transcript });
    }
  }, DEADLINES.test);

  test('a burst of 1000 lines to a client who reads is no reason to drop him (default bound: 1 MiB)', async () => {
    const chat = await startChat({ mine: ['writeBounded'], see: SECTION.advice });
    const [alice, bob] = await loginSettled(chat, ['alice', 'bob']);
    // Short lines: each becomes a chat event about 1.6 times as long, so one read of alice's
    // burst (64 KiB) makes the server queue about 100 KB for bob in one go: past the
    // high-water mark on every Node version (16 KiB on Node 20 and Windows, else 64 KiB).
    const lines = Array.from({ length: 1000 }, (_, i) => `${String(i + 1).padStart(4, '0')} ${'y'.repeat(85)}`);
    alice!.sendRaw(lines.map((l) => l + '\n').join('')); // one write: 90 KB
    try {
      await expectChatsInOrder(chat, bob!, 'alice', lines, 0, lines.length, SECTION.advice);
    } catch (err) {
      if (!bob!.closed) throw err;
      throw failure({
        problem: `alice sent 1000 short lines in one write (90 KB, which the server turns into about 150 KB of chat events for bob); bob was reading all along, yet the server dropped him${alice!.events.some((e) => e.type === 'leave' && e.reason === 'slow') ? ' (alice got leave, reason slow)' : ''} after ${countChats(bob!)} lines. Your writeBounded() returned false during a burst. Probably it passed on what socket.write() returned: write() returns false as soon as the queue reaches the high-water mark (socket.writableHighWaterMark: 16 KiB on Node 20 and on Windows, 64 KiB elsewhere from Node 22 on), which any burst passes while the client is reading fine.`,
        expected: 'false only once socket.writableLength is more than maxQueuedBytes (1 MiB here); a burst is not a slow client',
        see: SECTION.advice,
        transcript: chat.transcript,
        logs: chat.logs,
      });
    }
    const more = await alice!.sync('the reply to /users (a barrier) after the burst');
    const leaves = more.filter((e) => e.type === 'leave');
    if (leaves.length > 0) {
      throw failure({ problem: `After the burst, alice was told ${JSON.stringify(leaves)}.`, expected: 'nobody leaves: everyone here reads', see: SECTION.advice, transcript: chat.transcript });
    }
  });

  test('a burst past the limit (5, refilled 5 per second): 5 lines go through in order, 3 get RATE_LIMITED, the connection stays and is heard again', async () => {
    const chat = await startChat({ mine: ['RateLimiter'], see: SECTION.rateLimited, options: { rateLimit: { burst: 5, perSecond: 5 } } });
    const [alice, bob] = await loginSettled(chat, ['alice', 'bob']);
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`);
    alice!.sendRaw(lines.map((l) => l + '\n').join('')); // one write: all 8 arrive at once

    for (let i = 6; i <= 8; i++) {
      try {
        await alice!.next({ type: 'error', code: 'RATE_LIMITED' }, `the RATE_LIMITED error for line ${i}`);
      } catch {
        const limited = alice!.events.filter((e) => e.type === 'error' && e.code === 'RATE_LIMITED').length;
        throw failure({
          problem: alice!.closed
            ? `alice sent 8 lines at once and the server closed her connection${chat.logs.length > 0 ? ': your RateLimiter threw (the error is below)' : ''}. Being over the limit costs a line, never the connection.`
            : `With a limit of 5 lines (burst 5), alice sent 8 lines at once and got ${limited} RATE_LIMITED error(s).`,
          expected: 'the first 5 lines pass (take() returns true 5 times: the bucket starts full), lines 6, 7 and 8 each get error RATE_LIMITED',
          see: alice!.closed ? SECTION.rateLimited : SECTION.bucket,
          transcript: chat.transcript,
          logs: chat.logs,
        });
      }
    }
    const chats = (await bob!.sync('the reply to /users (a barrier) after alice\'s 8 lines')).filter((e) => e.type === 'chat');
    const texts = chats.map((e) => (e.type === 'chat' ? e.text : ''));
    if (JSON.stringify(texts) !== JSON.stringify(lines.slice(0, 5))) {
      throw failure({
        problem: `alice sent "line 1" to "line 8" at once, with a limit of burst 5; bob got ${JSON.stringify(texts)}.`,
        expected: `${JSON.stringify(lines.slice(0, 5))}: the first 5, in order; the rest dropped`,
        see: SECTION.bucket,
        transcript: chat.transcript,
      });
    }

    // A token comes back every 200 ms: ask every 50 ms until the server answers again.
    const ask = setInterval(() => alice!.closed || alice!.send('/users'), 50);
    try {
      await alice!.next({ type: 'users' }, 'a reply to /users once a token is back (5 per second: one every 200 ms)');
    } catch {
      throw failure({
        problem: alice!.closed
          ? 'After the RATE_LIMITED errors, the server closed alice\'s connection.'
          : 'After the burst, alice asked /users every 50 ms for 2 seconds and was refused every time: her bucket never refilled. (At 5 per second, each 50 ms brings a quarter of a token: the quarters must add up.)',
        expected: 'the connection stays open, and after 200 ms (one token at 5 per second) the server answers /users again',
        see: alice!.closed ? SECTION.rateLimited : SECTION.bucket,
        transcript: chat.transcript,
        logs: chat.logs,
      });
    } finally {
      clearInterval(ask);
    }
  });

  test('control characters never reach other users, in chat or in a whisper; the visible rest does', async () => {
    const chat = await startChat({ mine: ['stripControl'], see: SECTION.strip });
    const [alice, bob, carol] = await loginSettled(chat, ['alice', 'bob', 'carol']);
    const hostile = [
      ['\u001b[2Jclear \u001b]0;pwned\u0007title \u009b31mred\u0000nul\u007fdel\rcr café 😀', '[2Jclear ]0;pwnedtitle 31mrednuldelcr café 😀'],
      ['\u001b[1mpsst\u001b[0m \u0007secret\u009d', '[1mpsst[0m secret'],
    ] as const;
    const [[said, sayExpected], [whispered, whisperExpected]] = hostile;

    const check = async (reader: TestClient, match: (e: Received) => boolean, sent: string, expected: string, what: string) => {
      const event = await reader.next((e) => match(e) || leaveOf('alice')(e), what);
      if (event.type === 'leave') {
        throw failure({
          problem: `alice sent ${quote(sent)} and the server closed her connection${chat.logs.length > 0 ? ': your stripControl() threw (the error is below)' : ''}.`,
          expected: `${what}, with the text ${quote(expected)}`,
          see: SECTION.strip,
          transcript: chat.transcript,
          logs: chat.logs,
        });
      }
      const text = event.type === 'chat' || event.type === 'whisper' ? event.text : '';
      if (text !== expected) {
        const left = [...new Set([...text].map((c) => c.codePointAt(0)!).filter(isControl))];
        throw failure({
          problem: `alice sent ${quote(sent)}; ${reader.label} got the text ${quote(text)}.${left.length > 0 ? ` ${left.map(hex).join(', ')} reached ${reader.label}'s terminal.` : ''}`,
          expected: `${quote(expected)}: every control character removed, the visible rest kept`,
          see: left.some((code) => code >= 0x80) ? SECTION.c1 : SECTION.escapes,
          transcript: chat.transcript,
        });
      }
    };

    alice!.send(said);
    for (const reader of [bob!, carol!]) await check(reader, (e) => e.type === 'chat' && e.from === 'alice', said, sayExpected, `alice's chat line (to ${reader.label})`);
    alice!.send(`/whisper bob ${whispered}`);
    await check(bob!, (e) => e.type === 'whisper' && e.from === 'alice', whispered, whisperExpected, 'alice\'s whisper');
    await check(alice!, (e) => e.type === 'whisper' && e.to === 'bob', whispered, whisperExpected, 'the copy of her whisper (alice\'s confirmation)');
  });
});

function countChats(client: TestClient): number {
  return client.events.filter((e) => e.type === 'chat').length;
}
