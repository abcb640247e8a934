// Lesson 4: the student's LineDecoder (starter/server/line-decoder.ts), first on its own
// (chunks in, lines out), then inside the reference server behind a proxy that re-cuts
// the stream; and the student's joinChat() (starter/client/connect.ts) when the server's
// bytes reach it one at a time.

import net from 'node:net';
import { describe, onTestFinished, test } from 'vitest';
import { LineTooLongError } from '../app/protocol.js';
import type { Joined } from '../starter/client/connect.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { mulberry32, startProxy, type Cutting } from './harness/proxy.js';
import { collapseRows, failure } from './harness/teach.js';
import { TestClient } from './harness/test-client.js';
import { escapeText, showBytes } from '../app/wire-text.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, within } from './harness/wait.js';

const { LineDecoder } = await importMine<typeof import('../starter/server/line-decoder.js')>('server/line-decoder.ts');
const { joinChat } = await importMine<typeof import('../starter/client/connect.js')>('client/connect.ts');

const LIMIT = 4096;

const SECTION = {
  stream: '4 (npm run lesson 4), section "A byte stream, not a message stream"',
  buffering: '4 (npm run lesson 4), section "Buffering: keep what has no newline yet"',
  cr: '4 (npm run lesson 4), section "Carriage returns: telnet and Windows"',
  utf8: '4 (npm run lesson 4), section "Characters cut in half"',
  bytes: '4 (npm run lesson 4), section "The limit: 4096 bytes, not characters"',
  early: '4 (npm run lesson 4), section "Too long: give up early"',
  luck: '4 (npm run lesson 4), section "Lesson 1 worked by luck"',
  glued: '4 (npm run lesson 4), section "What comes glued to the welcome"',
  fixing: '4 (npm run lesson 4), section "Fixing joinChat()"',
};

// ── Feeding the student's decoder, and showing what it did ────────────────────

interface Push {
  chunk: Buffer;
  /** Where the chunk starts in the stream. */
  offset: number;
  lines?: string[];
  threw?: unknown;
}

/** Feeds the chunks to one new LineDecoder, recording what each push() returned; stops at a throw. */
function feed(chunks: Buffer[]): Push[] {
  const decoder = new LineDecoder(LIMIT);
  const pushes: Push[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    try {
      pushes.push({ chunk, offset, lines: decoder.push(chunk) });
    } catch (threw) {
      pushes.push({ chunk, offset, threw });
      break;
    }
    offset += chunk.length;
  }
  return pushes;
}

const linesOf = (pushes: Push[]) => pushes.flatMap((p) => p.lines ?? []);
const thrown = (pushes: Push[]) => pushes.find((p) => 'threw' in p)?.threw;
const isTooLong = (err: unknown) => err instanceof LineTooLongError || (err as Error | undefined)?.name === 'LineTooLongError';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const hex = (data: Buffer) => [...data].map((b) => b.toString(16).padStart(2, '0')).join(' ');
/** The bytes of `text`, one chunk per byte: the worst cutting TCP can do. */
const oneByOne = (data: Buffer | string) => [...Buffer.from(data)].map((b) => Buffer.from([b]));

function showChunk(chunk: Buffer): string {
  return chunk.length <= 40 ? `"${showBytes(chunk)}"` : `"${showBytes(chunk.subarray(0, 24))}…" (${chunk.length} bytes)`;
}

function showLine(line: string): string {
  const visible = (text: string) => escapeText(text).replace(/\uFFFD/g, '\\uFFFD');
  return line.length <= 40 ? `"${visible(line)}"` : `"${visible(line.slice(0, 24))}…" (${Buffer.byteLength(line)} bytes)`;
}

const showLines = (lines: string[]) => `[${lines.map(showLine).join(', ')}]`;

function showError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Every push and its result, one per row; a long run keeps its first and last rows. */
function showPushes(pushes: Push[], planned: number, title = `new LineDecoder(${LIMIT}), fed ${planned === 1 ? 'one chunk' : `${planned} chunks`}:`): string {
  const rows = collapseRows(pushes.map((p) => `  push(${showChunk(p.chunk)}) → ${'threw' in p ? `threw ${showError(p.threw)}` : showLines(p.lines ?? [])}`), 'pushes');
  const rest = planned - pushes.length;
  if (rest > 0 && pushes.some((p) => 'threw' in p)) rows.push(`  (the ${rest === 1 ? 'last chunk was' : `other ${rest} chunks were`} never fed: push() threw)`);
  return `${title}\n${rows.join('\n')}`;
}

/** What most likely went wrong, from how the lines differ. */
function diagnose(actual: string[], expected: string[]): string {
  const got = actual.join('\n');
  const want = expected.join('\n');
  if (got.includes('\uFFFD') && !want.includes('\uFFFD')) {
    return 'U+FFFD (\\uFFFD) is what UTF-8 decoding makes of bytes that are not a whole character: here, the halves of a character that was cut between two chunks. Decode whole lines only: split on the newline byte (0x0A) first, then decode.';
  }
  if (actual.some((l) => l.endsWith('\r')) && !expected.some((l) => l.endsWith('\r'))) {
    return "A '\\r' right before the '\\n' is part of the line ending (telnet and Windows end lines with \\r\\n): drop it.";
  }
  if (want.includes('\r') && !got.includes('\r')) {
    return "Only the '\\r' right before the '\\n' belongs to the line ending. A '\\r' anywhere else is part of the line: keep it.";
  }
  if (actual.length > expected.length) {
    return "Your decoder returned more lines than were sent: a chunk is not a line. Only a '\\n' ends a line.";
  }
  if (got.length < want.length) {
    return "Bytes went missing between two calls to push(): keep the bytes of the unfinished line (everything after a chunk's last '\\n') and put them in front of the next chunk.";
  }
  return '';
}

/** Fails, showing every push, unless the chunks come out as exactly `expected`. */
function expectLines(chunks: Buffer[], expected: string[], what: string, see: string): void {
  const pushes = feed(chunks);
  const threw = thrown(pushes);
  const actual = linesOf(pushes);
  if (threw === undefined && actual.length === expected.length && actual.every((l, i) => l === expected[i])) return;
  const why = threw === undefined ? diagnose(actual, expected) : isTooLong(threw) ? `It threw LineTooLongError, but no line here is over ${LIMIT} bytes.` : '';
  throw failure({
    problem: `${what}\n\n${showPushes(pushes, chunks.length)}\n\nAll the lines it returned: ${showLines(actual)}${why ? `\n\n${why}` : ''}`,
    expected: `the lines ${showLines(expected)}`,
    see,
  });
}

/** Fails unless push() throws a LineTooLongError on the last chunk (not before, not never). */
function expectTooLong(chunks: Buffer[], what: string, see: string, ifNever: string): void {
  const pushes = feed(chunks);
  const threw = thrown(pushes);
  const fail = (why: string) => failure({
    problem: `${what}\n\n${showPushes(pushes, chunks.length)}\n\n${why}`,
    expected: `push() throws new LineTooLongError(${LIMIT}) on the last chunk shown: that is when the line became too long`,
    see,
  });
  if (threw === undefined) throw fail(ifNever);
  if (!isTooLong(threw)) throw fail(`That is not a LineTooLongError. Throw new LineTooLongError(this.maxLineBytes) (from app/protocol.ts): the server answers LINE_TOO_LONG for it.`);
  if (pushes.length < chunks.length) {
    const held = chunks.slice(0, pushes.length).reduce((n, c) => n + c.length, 0);
    throw fail(`It threw after ${held} bytes, before the line was too long. A line may hold ${LIMIT} bytes; only the ${LIMIT + 1}th byte without a '\\n' (and not a '\\r') is one too many.`);
  }
}

const repeatChunks = (byte: string, size: number, count: number) => Array.from({ length: count }, () => Buffer.alloc(size, byte));

// ── The decoder on its own ────────────────────────────────────────────────────

describe('lesson 4: LineDecoder, chunks in, lines out', () => {
  test('a line that arrives one byte at a time comes out once, whole', () => {
    expectLines(oneByOne('hello world\n'), ['hello world'], 'TCP delivered "hello world\\n" one byte per chunk.', SECTION.buffering);
  });

  test('many lines in one chunk all come out, in order; the unfinished one waits for its end', () => {
    expectLines([bytes('alice\nhello\n/users\nhal'), bytes('f a li'), bytes('ne\nlast\n')], ['alice', 'hello', '/users', 'half a line', 'last'],
      'One chunk held three lines and the start of a fourth, whose end came two chunks later.', SECTION.buffering);
  });

  test('an empty line is a line too', () => {
    expectLines([bytes('\n\nabc\n'), bytes('\n')], ['', '', 'abc', ''], 'Empty lines (two newlines in a row) were sent.', SECTION.buffering);
  });

  test('\\r\\n endings lose their \\r, even when the \\n comes in the next chunk; a \\r inside a line stays', () => {
    expectLines([bytes('bob\r\n')], ['bob'], 'A telnet client sent "bob\\r\\n".', SECTION.cr);
    expectLines([bytes('hi there\r'), bytes('\n')], ['hi there'], 'The "\\r" and the "\\n" of one line ending came in two chunks.', SECTION.cr);
    expectLines([bytes('a\rb\r\n\r\n')], ['a\rb', ''], 'A line held a "\\r" in its middle, then an empty line followed ("\\r\\n" alone).', SECTION.cr);
  });

  test('a 2-, 3- or 4-byte character cut between chunks comes out whole', () => {
    for (const char of ['é', '€', '𝄞']) {
      const line = `x${char}y`;
      const data = bytes(`${line}\n`);
      for (let cut = 2; cut <= Buffer.byteLength(char); cut++) {
        expectLines([data.subarray(0, cut), data.subarray(cut)], [line], `"${line}" was cut in two after ${cut} bytes, in the middle of "${char}" (${hex(bytes(char))}).`, SECTION.utf8);
      }
      expectLines(oneByOne(data), [line], `"${line}\\n" came one byte per chunk, so "${char}" (${Buffer.byteLength(char)} bytes) was cut into single bytes.`, SECTION.utf8);
    }
  });

  test('invalid UTF-8 becomes U+FFFD, and the decoder carries on', () => {
    // 'a', two bytes that never start a character, 'b', a lead byte with nothing after it, 'c', half a '€'
    const junk = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3, 0x63, 0xe2, 0x82, 0x0a]);
    const pushes = feed([junk, bytes('ok\n')]);
    const threw = thrown(pushes);
    const lines = linesOf(pushes);
    const shape = lines[0]?.replace(/\uFFFD+/g, '\uFFFD');
    if (threw !== undefined || lines.length !== 2 || shape !== 'a\uFFFDb\uFFFDc\uFFFD' || lines[1] !== 'ok') {
      throw failure({
        problem: `A client sent bytes that are not valid UTF-8.\n\n${showPushes(pushes, 2)}\n\nAll the lines it returned: ${showLines(lines)}\n\nA stranger can send any bytes. Decoding must never throw: Buffer's toString('utf8') turns each bad sequence into U+FFFD and keeps the rest.`,
        expected: 'two lines: "a\\uFFFDb\\uFFFDc\\uFFFD" (one or more U+FFFD where the bad bytes were), then "ok"',
        see: SECTION.utf8,
      });
    }
  });
});

describe('lesson 4: LineDecoder, the 4096-byte limit', () => {
  test('a line of exactly 4096 bytes is fine: ASCII or multi-byte, whole or in pieces', () => {
    const ascii = 'x'.repeat(LIMIT);
    const euros = '€'.repeat(1365) + 'y'; // 1365 × 3 + 1 = 4096 bytes
    expectLines([bytes(`${ascii}\n`)], [ascii], `A line of ${LIMIT} ASCII bytes was sent.`, SECTION.bytes);
    expectLines([bytes(ascii), bytes('\n')], [ascii], `${LIMIT} bytes came first, their '\\n' in the next chunk: ${LIMIT} bytes pending is still allowed.`, SECTION.early);
    expectLines([bytes(`${euros}\n`)], [euros], `A line of 1365 "€" (3 bytes each) and a "y" was sent: 1366 characters, ${LIMIT} bytes.`, SECTION.bytes);
    expectLines(oneByOne(`${euros}\n`), [euros], `The same ${LIMIT}-byte line of "€" came one byte per chunk.`, SECTION.bytes);
  });

  test('4096 bytes and a \\r\\n are fine, even with the \\n in the next chunk', () => {
    const line = 'z'.repeat(LIMIT);
    expectLines([bytes(`${line}\r\n`)], [line], `${LIMIT} bytes and "\\r\\n" were sent: the line ending does not count.`, SECTION.cr);
    expectLines([bytes(`${line}\r`), bytes('\n')], [line],
      `${LIMIT} bytes and a "\\r" came first, the "\\n" in the next chunk. ${LIMIT + 1} bytes are pending, but the last is a "\\r" that may start the line ending: it is too early to give up.`, SECTION.early);
  });

  test('a line of 4097 bytes is too long: counted in bytes, not characters', () => {
    const never = `It returned the line instead. Every line longer than ${LIMIT} bytes (line ending not counted) must throw LineTooLongError.`;
    expectTooLong([bytes(`${'x'.repeat(LIMIT + 1)}\n`)], `A line of ${LIMIT + 1} ASCII bytes was sent.`, SECTION.bytes, never);
    expectTooLong([bytes(`${'x'.repeat(LIMIT + 1)}\r\n`)], `A line of ${LIMIT + 1} bytes, then "\\r\\n", was sent.`, SECTION.bytes, never);
    const characters = `Counted in characters (JavaScript's string length) it looks short enough; the limit is counted in bytes, not characters: use the Buffer's length, or Buffer.byteLength(text).`;
    expectTooLong([bytes(`${'€'.repeat(1366)}\n`)], `A line of 1366 "€" was sent: 1366 characters, but ${1366 * 3} bytes.`, SECTION.bytes, `It returned the line. ${characters}`);
    expectTooLong([bytes(`${'é'.repeat(2048)}x\n`)], `A line of 2048 "é" and an "x" was sent: 2049 characters, but ${LIMIT + 1} bytes.`, SECTION.bytes, `It returned the line. ${characters}`);
  });

  test('a line that never ends: it throws as soon as 4097 bytes are pending, so memory stays bounded', () => {
    const memory = `A client that never sends '\\n' would make your decoder hold everything it sends. Throw LineTooLongError as soon as more than ${LIMIT} bytes are pending without a '\\n': do not wait for a newline that may never come.`;
    expectTooLong([bytes('w'.repeat(LIMIT + 1))], `${LIMIT + 1} bytes without a '\\n' came in one chunk.`, SECTION.early, `It did not throw. ${memory}`);
    expectTooLong(oneByOne('w'.repeat(LIMIT + 1)), `${LIMIT + 1} bytes without a '\\n' came one byte per chunk.`, SECTION.early, `It did not throw. ${memory}`);
    expectTooLong([bytes(`${'w'.repeat(LIMIT)}\r`), bytes('w')], `${LIMIT} bytes and a "\\r" came (fine so far), then one more byte that is not the "\\n".`, SECTION.early, `It did not throw. ${memory}`);
    for (const byte of ['e', '\r']) {
      const flood = repeatChunks(byte, 16 * 1024, 64);
      const pushes = feed(flood);
      if (!isTooLong(thrown(pushes)) || pushes.length > 1) {
        const held = pushes.filter((p) => !('threw' in p)).length * 16;
        throw failure({
          problem: `A client sent 1 MB of ${JSON.stringify(byte)} in 64 chunks of 16 KB, and never a '\\n'.\n\n${showPushes(pushes, flood.length)}\n\n${thrown(pushes) === undefined ? `Your decoder never threw: it now holds 1 MB, and would hold a gigabyte just as well. ${memory}` : `Your decoder held ${held} KB before it threw ${showError(thrown(pushes))}. ${memory}`}`,
          expected: `push() throws LineTooLongError on the first chunk: 16 KB is already more than ${LIMIT} bytes`,
          see: SECTION.early,
        });
      }
    }
  });
});

describe('lesson 4: LineDecoder, what a too-long line leaves behind', () => {
  test('the lines finished before a too-long one, in the same chunk, still count', () => {
    const cases: [Buffer, string][] = [
      [bytes(`hi\n/users\n${'x'.repeat(LIMIT + 1)}\n`), `One chunk held "hi\\n/users\\n", then a line of ${LIMIT + 1} bytes and its '\\n'.`],
      [bytes(`hi\n/users\n${'w'.repeat(LIMIT + 1)}`), `One chunk held "hi\\n/users\\n", then ${LIMIT + 1} bytes and no '\\n'.`],
    ];
    for (const [chunk, what] of cases) {
      const pushes = feed([chunk]);
      const threw = thrown(pushes);
      const before = isTooLong(threw) ? (threw as LineTooLongError).linesBefore ?? [] : [];
      if (before.length === 2 && before[0] === 'hi' && before[1] === '/users') continue;
      throw failure({
        problem: `${what}\n\n${showPushes(pushes, 1)}\n\n${isTooLong(threw) ? `Its linesBefore was ${showLines(before)}.` : 'That is not a LineTooLongError (the tests above say when to throw one).'} The lines "hi" and "/users" were complete before the long line began, and the user is owed an answer to them. Throw new LineTooLongError(this.maxLineBytes, lines), with the lines this push() had finished: the server handles them first, then refuses the long one.`,
        expected: 'push() throws a LineTooLongError whose linesBefore is ["hi", "/users"]',
        see: SECTION.early,
      });
    }
  });
});

// ── Random cuts: the same lines however the stream is cut ─────────────────────

const SAMPLE_LINES = [
  'alice', 'hello world', '', 'héllo wörld', 'price: 5 €', 'clef 𝄞 and hwair 𐍈', '日本語のテキスト', 'a\rb',
  '  spaces  ', '/whisper bob ça va?', 'x'.repeat(LIMIT), '€'.repeat(1365) + 'y', '{"type":"chat"}', 'Ω≈ç√∫',
];

describe('lesson 4: LineDecoder, random cuts', () => {
  test('however the bytes are cut, the same lines come out (random cuts from a printed seed)', () => {
    const seed = Number(process.env.COURSE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = mulberry32(seed);
    // Every other line ends in \r\n, as if from telnet.
    const encoded = SAMPLE_LINES.map((l, i) => bytes(l + (i % 2 === 1 ? '\r\n' : '\n')));
    const stream = Buffer.concat(encoded);
    const startOf = (line: number) => encoded.slice(0, line).reduce((n, b) => n + b.length, 0);
    for (let round = 0; round < 12; round++) {
      const largest = [2, 5, 16, 64, 300, 5000][round % 6];
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(random() * largest);
        chunks.push(stream.subarray(at, at + size));
        at += size;
      }
      const pushes = feed(chunks);
      const lines = linesOf(pushes);
      const threw = thrown(pushes);
      const wrong = SAMPLE_LINES.findIndex((l, i) => lines[i] !== l);
      if (threw === undefined && wrong === -1 && lines.length === SAMPLE_LINES.length) continue;
      // The first line that came out wrong, or the one it was working on when it threw.
      const at = wrong === -1 || wrong > lines.length ? lines.length : wrong;
      const [from, to] = [startOf(at), startOf(at + 1)];
      const carried = pushes.filter((p) => (p.offset < to && p.offset + p.chunk.length > from) || ('threw' in p && at === lines.length));
      const returned = at < lines.length ? showLine(lines[at]!) : threw !== undefined ? 'nothing: push() threw first' : 'no such line';
      const why = at < lines.length ? diagnose([lines[at]!], [SAMPLE_LINES[at] ?? '']) : '';
      throw failure({
        problem: [
          `${SAMPLE_LINES.length} lines (${stream.length} bytes) were cut at random into ${chunks.length} chunks of 1 to ${largest} bytes (seed ${seed}, round ${round + 1}).`,
          `Line ${at + 1} should be ${at < SAMPLE_LINES.length ? showLine(SAMPLE_LINES[at]!) : '(none: all lines were out)'}; your decoder returned ${returned}.`,
          showPushes(carried, carried.length, `The ${carried.length} pushes that carried line ${at + 1}:`),
          ...(why ? [why] : []),
          `Replay exactly these cuts: COURSE_SEED=${seed} npm test -- lesson4`,
        ].join('\n\n'),
        expected: `the same ${SAMPLE_LINES.length} lines, in order, however the stream is cut`,
        see: SECTION.stream,
      });
    }
  });
});

// ── Inside the server: your decoder behind a proxy that re-cuts the stream ────

/** The reference server with your LineDecoder, and alice connected through a cutting proxy. */
async function aliceThroughProxy(toServer: Cutting): Promise<{ chat: Chat; bob: TestClient; alice: TestClient; seed: number }> {
  const chat = await startChat({ mine: ['LineDecoder'], see: SECTION.stream });
  const bob = await chat.login('bob');
  // The proxy's own record would repeat what alice's client records: give it a scratch one.
  const proxy = await startProxy({ targetPort: chat.port, transcript: new Transcript(), clientLabel: 'alice', serverLabel: 'server', toServer });
  const alice = await TestClient.connect(proxy.port, 'alice', chat);
  await alice.next({ type: 'hello' }, "the server's hello");
  return { chat, bob, alice, seed: proxy.seed };
}

/** Waits for bob's next chat and fails, showing the wire, unless it reads `text`. */
async function expectChat(bob: TestClient, text: string, note: string): Promise<void> {
  const event = await bob.next({ type: 'chat' }, `the chat line ${showLine(text)} from alice`);
  if (event.type === 'chat' && event.from === 'alice' && event.text === text) return;
  const why = event.type === 'chat' ? diagnose([event.text], [text]) : '';
  throw bob.fail(`bob received ${JSON.stringify(event)}, but alice sent ${showLine(text)}. ${note}${why ? `\n\n${why}` : ''}`, `a chat from alice with the text ${showLine(text)}`);
}

describe('lesson 4: your LineDecoder inside the server', () => {
  test('a client whose bytes reach the server one at a time is understood', async () => {
    const { bob, alice } = await aliceThroughProxy('byte-by-byte');
    const note = 'A proxy handed every byte of alice\'s to the server as a chunk of its own, as a slow network can.';
    alice.sendRaw('alice\r\nhéllo wörld 𝄞\n/users\n');
    const welcome = await alice.next({ type: 'welcome' }, 'the welcome for the name "alice\\r\\n"');
    if (welcome.type === 'welcome' && welcome.user !== 'alice') {
      throw alice.fail(`The server welcomed ${JSON.stringify(welcome.user)}: your decoder turned a piece of the line "alice\\r\\n" into a line of its own. ${note}`, 'a welcome for "alice"');
    }
    await bob.next({ type: 'join', user: 'alice' }, 'the join of alice');
    await expectChat(bob, 'héllo wörld 𝄞', note);
    await alice.next({ type: 'users' }, 'the reply to "/users", sent one byte at a time');
  });

  test('a burst of lines cut at random (seed printed) arrives line for line', async () => {
    const { bob, alice, seed } = await aliceThroughProxy('random');
    const note = `A proxy cut alice's bytes at random (seed ${seed}). Replay exactly these cuts: COURSE_SEED=${seed} npm test -- lesson4`;
    const lines = SAMPLE_LINES.filter((l) => l.trim() !== '' && !l.startsWith('/') && !l.includes('\r') && l.length < 1000);
    alice.sendRaw(['alice', ...lines, '€'.repeat(1365) + 'y', ''].join('\n'));
    await bob.next({ type: 'join', user: 'alice' }, 'the join of alice');
    for (const line of [...lines, '€'.repeat(1365) + 'y']) await expectChat(bob, line.trim(), note);
  });

  test('a line with no end gets LINE_TOO_LONG at once, after the line before it is delivered', async () => {
    const chat = await startChat({ mine: ['LineDecoder'], see: SECTION.early });
    const [bob, alice] = await chat.loginAll(['bob', 'alice']);
    alice!.sendRaw(`see you\n${'y'.repeat(5000)}`);
    await expectChat(bob!, 'see you', 'alice sent it in the same chunk as the too-long line that followed: a LineTooLongError must carry it in linesBefore.');
    const error = await alice!.next({ type: 'error' }, `the error LINE_TOO_LONG: she sent 5000 bytes and no '\\n', and the server must not wait for one`);
    if (error.type === 'error' && error.code !== 'LINE_TOO_LONG') {
      throw alice!.fail(`The server answered with the error ${error.code}.`, 'the error LINE_TOO_LONG');
    }
    await alice!.waitClosed('after LINE_TOO_LONG');
    await bob!.next({ type: 'leave', user: 'alice' }, 'the leave of alice, closed for her too-long line');
  });
});

// ── Your joinChat() when the server's bytes arrive one at a time ──────────────

/** The reference server, reached through a proxy that hands the server's bytes to your client one by one. */
async function serverCutByteByByte(): Promise<{ chat: Chat; port: number }> {
  const chat = await startChat({ mine: [], see: SECTION.luck });
  const proxy = await startProxy({ targetPort: chat.port, transcript: chat.transcript, clientLabel: 'your client', serverLabel: 'server', toClient: 'byte-by-byte' });
  return { chat, port: proxy.port };
}

const CUT_NOTE = "Every byte the server sent reached your client as a 'data' event of its own (a proxy cut them, as a slow network can).";
const LUCK_NOTE = "A client that treats one 'data' event as one message takes a piece of the hello for the whole hello; so does one that makes a new decoder for each chunk, which forgets the start of every line. Feed every chunk to one LineDecoder, created once per connection, and act on the whole lines it returns.";

/** The rejection's message, and why a client that reads chunks as messages gets one. */
function explainRejection(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.includes('TODO') ? message : `${message}\n\n${CUT_NOTE} ${LUCK_NOTE}`;
}

/** Runs your joinChat with a deadline; says how it settled. */
async function settle(chat: Chat, name: string, port: number): Promise<{ resolved: Joined } | { rejected: unknown }> {
  let promise: Promise<Joined>;
  try {
    promise = joinChat({ host: '127.0.0.1', port, name });
  } catch (err) {
    throw failure({ problem: `joinChat() threw instead of returning a promise: ${showError(err)}`, see: SECTION.luck, transcript: chat.transcript });
  }
  return within(
    promise.then((resolved) => ({ resolved }), (rejected: unknown) => ({ rejected })),
    PATIENCE_MS,
    () => failure({
      problem: `joinChat({ name: '${name}' }) did not settle within ${PATIENCE_MS} ms. ${CUT_NOTE}\n\nDid every chunk go to the same LineDecoder? One that makes a new decoder for each chunk forgets the start of every line, so the whole hello never comes out.`,
      expected: 'the promise settles once the whole answer to the name has arrived',
      see: SECTION.luck,
      transcript: chat.transcript,
    }),
  );
}

describe('lesson 4: your joinChat() reads lines, not chunks', () => {
  test('it still logs in when the server\'s bytes arrive one at a time', async () => {
    const { chat, port } = await serverCutByteByByte();
    const outcome = await settle(chat, 'alice', port);
    if ('rejected' in outcome) {
      throw failure({ problem: `joinChat() rejected with: ${explainRejection(outcome.rejected)}`, expected: 'it resolves with the welcome, however the bytes are cut', see: SECTION.luck, transcript: chat.transcript });
    }
    const { socket, welcome } = outcome.resolved;
    if (socket instanceof net.Socket) socket.destroy();
    if (welcome?.type !== 'welcome' || welcome.user !== 'alice') {
      throw failure({ problem: `joinChat() resolved, but its welcome was ${JSON.stringify(welcome)}. ${CUT_NOTE}`, expected: 'the parsed welcome event: { type: "welcome", user: "alice", ... }', see: SECTION.luck, transcript: chat.transcript });
    }
  });

  test('a name that is taken still rejects with the server\'s own words', async () => {
    const { chat, port } = await serverCutByteByByte();
    await chat.login('alice');
    const outcome = await settle(chat, 'alice', port);
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: `joinChat() resolved although the name alice was taken. ${CUT_NOTE}`, expected: 'a rejection with the text of the server\'s error event', see: SECTION.luck, transcript: chat.transcript });
    }
    const message = outcome.rejected instanceof Error ? outcome.rejected.message : String(outcome.rejected);
    if (!message.includes('already taken')) {
      throw failure({ problem: `joinChat() rejected with: ${explainRejection(outcome.rejected)}`, expected: 'the text of the server\'s error event: "Username \'alice\' is already taken."', see: SECTION.luck, transcript: chat.transcript });
    }
  });

  test('a server that sends an endless line: joinChat() rejects with the LineTooLongError and closes its connection', async () => {
    // No chat server: one that answers a connection with more than the limit and no newline.
    const sent = LIMIT + 100;
    const sockets: net.Socket[] = [];
    let closedByClient!: () => void;
    const closed = new Promise<void>((done) => (closedByClient = done));
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.on('close', closedByClient);
      socket.write('x'.repeat(sent));
    });
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as net.AddressInfo;
    const said = `A server answered joinChat() with ${sent} bytes of "x" and no newline.`;

    let promise: Promise<Joined>;
    try {
      promise = joinChat({ host: '127.0.0.1', port, name: 'alice' });
    } catch (err) {
      throw failure({ problem: `joinChat() threw instead of returning a promise: ${showError(err)}`, see: SECTION.fixing });
    }
    const outcome = await within(promise.then((resolved) => ({ resolved }), (rejected: unknown) => ({ rejected })), PATIENCE_MS, () =>
      failure({ problem: `${said} joinChat() did not settle within ${PATIENCE_MS} ms.`, expected: "decoder.push() throws a LineTooLongError: catch it in your 'data' listener, destroy the socket and reject with it (an error thrown inside an event listener reaches no caller, and crashes the program)", see: SECTION.fixing }),
    );
    const tooLong = new LineTooLongError(LIMIT).message;
    if ('resolved' in outcome || !(outcome.rejected instanceof Error) || outcome.rejected.message !== tooLong) {
      if ('resolved' in outcome) outcome.resolved.socket?.destroy();
      const how = 'resolved' in outcome ? 'resolved' : `rejected with: ${showError(outcome.rejected)}`;
      throw failure({ problem: `${said} joinChat() ${how}.`, expected: `a rejection with the LineTooLongError that decoder.push() threw ("${tooLong}")`, see: SECTION.fixing });
    }
    await within(closed, PATIENCE_MS, () =>
      failure({ problem: `${said} joinChat() rejected, but the server never saw the connection close (${PATIENCE_MS} ms).`, expected: 'socket.destroy() before rejecting: the caller gets no socket from a rejection, so nobody else can close it', see: SECTION.fixing }),
    );
  });
});

// ── What comes glued to the welcome ───────────────────────────────────────────

const GLUED = {
  chat: '{"type":"chat","from":"bob","text":"just in time","ts":1764096903000}',
  chat2: '{"type":"chat","from":"carol","text":"me too","ts":1764096903500}',
  joinStart: '{"type":"join","user":"ca',
  joinEnd: 'rol","ts":1764096904000}',
};

/**
 * A server that answers the name with its welcome, a chat line and half a join in ONE write
 * (with history on, the next event nearly always shares the welcome's chunk), and sends the
 * join's end only when `finish()` is called.
 */
async function gluingServer(transcript: Transcript): Promise<{ port: number; finish: () => void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    const send = (text: string) => {
      transcript.record('server', 'your client', text);
      socket.write(text);
    };
    send('{"type":"hello","proto":1,"text":"Welcome to the chat server! Enter your username:","ts":1764096896000}\n');
    socket.once('data', (name) => {
      transcript.record('your client', 'server', name);
      const welcome = '{"type":"welcome","user":"alice","users":["alice","bob"],"text":"Welcome, alice! Type /help for available commands.","ts":1764096902000}';
      send(`${welcome}\n${GLUED.chat}\n${GLUED.chat2}\n${GLUED.joinStart}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    finish: () => {
      for (const s of sockets) {
        transcript.record('server', 'your client', `${GLUED.joinEnd}\n`);
        s.write(`${GLUED.joinEnd}\n`);
      }
    },
  };
}

describe('lesson 4: what came with the welcome is handed over, not dropped', () => {
  test('the events after the welcome in its chunk come back as `after`, and `decoder` finishes the line cut in half', async () => {
    const transcript = new Transcript();
    const server = await gluingServer(transcript);
    const outcome = await within(
      joinChat({ host: '127.0.0.1', port: server.port, name: 'alice' }).then((resolved) => ({ resolved }), (rejected: unknown) => ({ rejected })),
      PATIENCE_MS,
      () => failure({ problem: `joinChat() did not settle within ${PATIENCE_MS} ms.`, expected: 'it resolves once the welcome line is complete', see: SECTION.glued, transcript }),
    );
    if ('rejected' in outcome) {
      throw failure({ problem: `joinChat() rejected with: ${showError(outcome.rejected)}`, expected: 'it resolves with the welcome; the lines after it in the same chunk are no reason to fail', see: SECTION.glued, transcript });
    }
    const { socket, after, decoder } = outcome.resolved;
    onTestFinished(() => void socket?.destroy());
    const glued = [GLUED.chat, GLUED.chat2].map((line) => JSON.parse(line) as unknown);
    if (JSON.stringify(after) !== JSON.stringify(glued)) {
      const lost = glued.filter((event) => !(after ?? []).some((e) => JSON.stringify(e) === JSON.stringify(event))).map((e) => `${(e as { from: string }).from}'s`);
      throw failure({
        problem: `The server's answer to the name was ONE chunk: the welcome, bob's chat line, carol's chat line, and the first half of a join. joinChat() resolved with after = ${JSON.stringify(after)}, ${lost.length > 0 ? `so ${lost.join(' and ')} line${lost.length > 1 ? 's were' : ' was'} lost: the caller never sees it` : 'which is not those two lines, in order'}. After the welcome come zero, one or many lines: hand over every one of them.`,
        expected: `after: the chat events parsed from the two lines after the welcome, in order: [${GLUED.chat}, ${GLUED.chat2}] (lines.slice(i + 1), where i is the welcome's index)`,
        see: SECTION.glued,
        transcript,
      });
    }
    if (!decoder || typeof decoder.push !== 'function') {
      throw failure({
        problem: `joinChat() resolved without its decoder (decoder = ${String(decoder)}). The same chunk ended with ${JSON.stringify(GLUED.joinStart)}: the start of the next line, kept inside your decoder. Without it, the caller cannot finish that line.`,
        expected: 'resolve({ socket, welcome, after, decoder }) with the one LineDecoder of this connection',
        see: SECTION.glued,
        transcript,
      });
    }
    // The caller reads on as the lesson says: every later chunk into the decoder it was given.
    const later: string[] = [];
    const arrived = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        later.push(...decoder.push(chunk));
        if (later.length > 0) resolve();
      });
    });
    server.finish();
    await within(arrived, PATIENCE_MS, () => failure({
      problem: `The server sent the rest of the join (${JSON.stringify(GLUED.joinEnd + '\n')}); fed to the decoder joinChat() handed over, it gave no line within ${PATIENCE_MS} ms.`,
      expected: `the line ${GLUED.joinStart}${GLUED.joinEnd}: the decoder kept its first half`,
      see: SECTION.glued,
      transcript,
    }));
    if (later[0] !== GLUED.joinStart + GLUED.joinEnd) {
      throw failure({
        problem: `Fed the rest of the join, the decoder joinChat() handed over returned ${JSON.stringify(later)}: it no longer held the line's first half, ${JSON.stringify(GLUED.joinStart)}. Was it a new decoder, or one that had already thrown its pending bytes away?`,
        expected: JSON.stringify([GLUED.joinStart + GLUED.joinEnd]),
        see: SECTION.glued,
        transcript,
      });
    }
  });
});
