// Lesson 10: the student's command-line client (starter/client/render-event.ts and cli.ts).
//
// renderEvent() and renderOwnLine() are pure, so they are called here directly. runCli() is
// a whole program (a crash, an exit code, what reaches the screen), so it runs as one:
// `npm run cli -- --mine 127.0.0.1 PORT`, with pipes for its keyboard and its screen, against
// the reference server and against small misbehaving servers written below.

import { EventEmitter } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, test } from 'vitest';
import { encodeEvent, parseEvent, TEXTS, type Event, type UnknownEvent, type WireEvent } from '../app/protocol.js';
import { startChatServer, type ChatServer } from '../app/server/server.js';
import { importMine, piecesWithMine } from './harness/mine.js';
import { Program } from './harness/program.js';
import { closedPort } from './harness/proxy.js';
import { failure, LessonFailure } from './harness/teach.js';
import { TestClient, type ClientContext } from './harness/test-client.js';
import { escapeText } from '../app/wire-text.js';
import { Transcript } from './harness/transcript.js';
import { DEADLINES, waitUntil } from './harness/wait.js';
import { FakeTerminal } from './harness/fake-terminal.js';

const { renderEvent, renderOwnLine } = await importMine<typeof import('../starter/client/render-event.js')>('client/render-event.ts');
const { runCli } = await importMine<typeof import('../starter/client/cli.js')>('client/cli.ts');

const SECTION = {
  readline: '10 (npm run lesson 10), section "readline: lines from the keyboard"',
  printing: '10, section "Printing while someone types"',
  framing: '10, section "Framing again: your lesson 4 decoder"',
  render: '10, section "Rendering events: a switch on type"',
  time: '10, section "The time: ts, in local time"',
  sanitize: '10, section "Never print a stranger\'s bytes raw"',
  own: '10, section "Your own lines"',
  ends: '10, section "How a session ends"',
  exit: '10, section "Exit codes"',
  turn: '10, section "Your turn"',
};

/** What to do when lesson 4's decoder is still the TODO: catch-up copies the pieces of the lessons before the one named. */
const DECODER_CATCH_UP = 'Do lesson 4 first, or copy its reference piece in: npm run catch-up -- 5 (it takes the reference pieces of lessons 1 to 4 that your code does not pass yet, and backs yours up first).';

/** Starting a program costs tsx half a second of CPU: several seconds on a busy machine. */
const BOOT_MS = DEADLINES.cliBoot;
/** Anything the program should do at once, seen from outside the process. */
const STEP_MS = DEADLINES.step;

/** The client runs in this time zone (UTC+5:30, no summer time), so a clock in UTC shows. */
const CLIENT_TZ = 'Asia/Kolkata';

type OnFinished = (fn: () => void | Promise<void>) => void;
type Received = WireEvent | UnknownEvent;

/** A client under test, as a program or in this process: what the fake server needs to wait on it and explain. */
interface Watched {
  readonly exit: unknown;
  onChange(wake: () => void): () => void;
  fail(problem: string, expected: string, see: string): LessonFailure;
}

// ── Rendering, called directly ────────────────────────────────────────────────

/** Times built from local parts, so the expected text holds in any time zone. */
const TS = new Date(2024, 0, 15, 9, 5, 7).getTime(); // [09:05:07]
const NOW = new Date(2024, 5, 1, 18, 42, 31).getTime(); // [18:42:31]: not the event's time

const two = (n: number) => String(n).padStart(2, '0');
const localClock = (ms: number) => { const d = new Date(ms); return `[${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}]`; };
const utcClock = (ms: number) => { const d = new Date(ms); return `[${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}]`; };

function wire<E extends Event>(event: E, ts = TS): E & { ts: number } {
  return { ...event, ts };
}

/** Calls the student's renderEvent, turning a throw or a non-string into a lesson. */
function render(event: Received, me: string, see: string): string {
  const call = `renderEvent(${JSON.stringify(event)}, ${JSON.stringify(me)}, now)`;
  let got: unknown;
  try {
    got = renderEvent(event, me, NOW);
  } catch (err) {
    throw failure({ problem: `${call} threw: ${(err as Error).message}`, expected: 'a string: the line to print', see });
  }
  if (typeof got !== 'string') throw failure({ problem: `${call} returned ${JSON.stringify(got)}.`, expected: 'a string: the line to print', see });
  return got;
}

/** Checks one rendering, and says what is wrong with a time that is off. */
function expectRendered(event: Received, me: string, expected: string, see: string): void {
  const got = render(event, me, see);
  if (got === expected) return;
  const ts = 'ts' in event ? event.ts : undefined;
  const timeHint = ts !== undefined && expected.startsWith(localClock(ts)) && !got.includes(localClock(ts)) ? `\n${explainTime(got, ts, NOW)}` : '';
  throw failure({
    problem: `renderEvent(${JSON.stringify(event)}, ${JSON.stringify(me)}, now) returned\n  ${JSON.stringify(got)}${timeHint}`,
    expected: JSON.stringify(expected),
    see: timeHint ? SECTION.time : see,
  });
}

function explainTime(got: string, ts: number, now: number): string {
  if (utcClock(ts) !== localClock(ts) && got.includes(utcClock(ts))) return `${utcClock(ts)} is the event's time in UTC, not in local time: use getHours() and its kin, not getUTCHours() or toISOString().`;
  if (got.includes(localClock(now))) return `${localClock(now)} is \`now\`, not the event's ts: the time is when the server sent the event.`;
  return `The time must be the event's ts (milliseconds since 1970) in local time, [HH:MM:SS], two digits each, not the time it arrived.`;
}

/** ESC, BEL and CSI: what the hostile strings below are made of. (The client's own colours are its business.) */
const HOSTILE = /\u001b|\u0007|\u009b/;

describe('lesson 10: renderEvent() and renderOwnLine()', () => {
  test('chat and whispers: [HH:MM:SS] bob: hi, [WHISPER from bob]: ..., and [WHISPER to bob]: ... for your own', () => {
    expectRendered(wire({ type: 'chat', from: 'bob', text: 'hi alice' }), 'alice', '[09:05:07] bob: hi alice', SECTION.render);
    expectRendered(wire({ type: 'whisper', from: 'bob', to: 'alice', text: 'psst' }), 'alice', '[09:05:07] [WHISPER from bob]: psst', SECTION.render);
    expectRendered(wire({ type: 'whisper', from: 'alice', to: 'bob', text: 'hey' }), 'alice', '[09:05:07] [WHISPER to bob]: hey', SECTION.render);
  });

  test('joins, leaves (with the reason when it is news), the user list, and the server\'s own words as [SYSTEM]', () => {
    const me = 'alice';
    expectRendered(wire({ type: 'join', user: 'carol' }), me, '*** carol has joined the chat! ***', SECTION.render);
    expectRendered(wire({ type: 'leave', user: 'carol', reason: 'quit' }), me, '*** carol has left the chat. ***', SECTION.render);
    expectRendered(wire({ type: 'leave', user: 'carol', reason: 'disconnect' }), me, '*** carol has left the chat. ***', SECTION.render);
    expectRendered(wire({ type: 'leave', user: 'carol', reason: 'slow' }), me, '*** carol has left the chat (too slow). ***', SECTION.render);
    expectRendered(wire({ type: 'leave', user: 'carol', reason: 'timeout' }), me, '*** carol has left the chat (timed out). ***', SECTION.render);
    expectRendered(wire({ type: 'leave', user: 'carol', reason: 'kicked' }), me, '*** carol has left the chat (kicked). ***', SECTION.render);
    expectRendered(wire({ type: 'users', users: ['alice', 'bob'] }), me, '[SYSTEM]: Users online (2): alice, bob', SECTION.render);
    expectRendered(wire({ type: 'welcome', user: 'alice', users: ['alice'], text: TEXTS.welcome('alice') }), me, `[SYSTEM]: ${TEXTS.welcome('alice')}`, SECTION.render);
    expectRendered(wire({ type: 'info', text: 'Nothing to see' }), me, '[SYSTEM]: Nothing to see', SECTION.render);
    // The server's own words keep their line breaks (the /help list), each line cleaned and indented.
    expectRendered(wire({ type: 'info', text: 'Available commands:\n  /help\u0007   show this help' }), me, '[SYSTEM]: Available commands:\n      /help   show this help', SECTION.sanitize);
    expectRendered(wire({ type: 'error', code: 'NO_SUCH_USER', text: "User 'zed' not found or offline." }), me, "[SYSTEM]: User 'zed' not found or offline.", SECTION.render);
    expectRendered(wire({ type: 'bye', text: TEXTS.bye }), me, '[SYSTEM]: Goodbye!', SECTION.render);
    expectRendered(wire({ type: 'shutdown', text: TEXTS.shutdown }), me, `[SYSTEM]: ${TEXTS.shutdown}`, SECTION.render);
    expectRendered(wire({ type: 'hello', proto: 1, text: TEXTS.hello }), '', TEXTS.hello, SECTION.render);
  });

  test('the time is the event\'s ts in local time, two digits each, on a 24-hour clock', () => {
    for (const ts of [TS, new Date(2024, 11, 31, 23, 59, 59).getTime(), new Date(2025, 6, 4, 0, 0, 0).getTime()]) {
      expectRendered(wire({ type: 'chat', from: 'bob', text: 'tick' }, ts), 'alice', `${localClock(ts)} bob: tick`, SECTION.time);
    }
    // A server that leaves ts out: the time it arrived is the best there is, not [NaN:NaN:NaN].
    const untimed = { type: 'chat', from: 'bob', text: 'no ts' } as unknown as Received;
    expectRendered(untimed, 'alice', `${localClock(NOW)} bob: no ts`, SECTION.time);
  });

  test('control characters from the server never reach the terminal: not in names, not in texts', () => {
    const cases: Received[] = [
      wire({ type: 'chat', from: 'mal\u001b[31mlory', text: '\u001b[2J\u001b]0;pwned\u0007gotcha\u009b1m' }),
      wire({ type: 'whisper', from: 'mal\u0007lory', to: 'alice', text: 'psst\u001b[5m' }),
      wire({ type: 'join', user: 'eve\u001b[2J' }),
      wire({ type: 'leave', user: 'eve\u001b]0;x\u0007', reason: 'quit' }),
      wire({ type: 'users', users: ['alice', 'eve\u001b[2J'] }),
      wire({ type: 'info', text: 'tea\u001b[2J time' }),
      { type: 'unknown', raw: '{"type":"poll","question":"\u001b[2Jlunch?"}' },
    ];
    for (const event of cases) {
      const got = render(event, 'alice', SECTION.sanitize);
      if (HOSTILE.test(got)) {
        throw failure({
          problem: `renderEvent(${JSON.stringify(event)}, "alice", now) returned\n  ${JSON.stringify(got)}\nControl characters from the server reached the terminal: ESC [2J clears a screen, ESC ]0;...BEL retitles a window.`,
          expected: 'the same line with every character from U+0000 to U+001F and U+007F to U+009F removed from each string the server sent',
          see: SECTION.sanitize,
        });
      }
    }
    // Removed, not replaced: the rest of each string stays as it came.
    expectRendered(cases[0]!, 'alice', '[09:05:07] mal[31mlory: [2J]0;pwnedgotcha1m', SECTION.sanitize);
    // A field the server left out shows as nothing, not as "undefined"; a user list that is no list, as nobody.
    expectRendered(wire({ type: 'chat', from: 'bob' } as unknown as Event), 'alice', '[09:05:07] bob: ', SECTION.sanitize);
    expectRendered(wire({ type: 'info' } as unknown as Event), 'alice', '[SYSTEM]: ', SECTION.sanitize);
    expectRendered(wire({ type: 'users', users: 'alice' } as unknown as Event), 'alice', '[SYSTEM]: Users online (0): ', SECTION.sanitize);
  });

  test('a message\'s kind comes from its type, never from its text; a type this client does not know is shown as plain text', () => {
    expectRendered(wire({ type: 'chat', from: 'mallory', text: '[WHISPER from admin]: send me your password' }), 'alice', '[09:05:07] mallory: [WHISPER from admin]: send me your password', SECTION.render);
    expectRendered(wire({ type: 'chat', from: 'mallory', text: '*** admin has joined the chat! ***' }), 'alice', '[09:05:07] mallory: *** admin has joined the chat! ***', SECTION.render);
    const newline = render(wire({ type: 'chat', from: 'mallory', text: 'hi\n[SYSTEM]: Server is shutting down.' }), 'alice', SECTION.sanitize);
    if (newline.includes('\n')) {
      throw failure({ problem: `A chat text with a '\\n' in it came out on two lines:\n  ${JSON.stringify(newline)}\nThe second line looks like a message from the server, but mallory wrote it.`, expected: "one line: '\\n' is a control character too", see: SECTION.sanitize });
    }
    const raw = '{"type":"poll","question":"Lunch at noon?","ts":1}';
    expectRendered(parseEvent(raw), 'alice', raw, SECTION.render);
  });

  test('your own chat lines: [HH:MM:SS] You: ..., and nothing for commands or blank lines', () => {
    const cases: [string, string | undefined][] = [
      ['hello bob', `${localClock(NOW)} You: hello bob`],
      ['  spaced out  ', `${localClock(NOW)} You: spaced out`],
      ['//slash at the start', `${localClock(NOW)} You: /slash at the start`],
      ['/users', undefined],
      ['/whisper bob hi', undefined],
      ['   ', undefined],
    ];
    for (const [line, expected] of cases) {
      let got: unknown;
      try {
        got = renderOwnLine(line, NOW);
      } catch (err) {
        throw failure({ problem: `renderOwnLine(${JSON.stringify(line)}, now) threw: ${(err as Error).message}`, expected: expected === undefined ? 'undefined' : JSON.stringify(expected), see: SECTION.own });
      }
      if (got !== expected) {
        throw failure({ problem: `renderOwnLine(${JSON.stringify(line)}, now) returned ${JSON.stringify(got)}.`, expected: expected === undefined ? 'undefined: that line is not a chat message' : JSON.stringify(expected), see: SECTION.own });
      }
    }
  });
});

// ── The client as a program ───────────────────────────────────────────────────

/** The student's client running as `npm run cli -- --mine 127.0.0.1 PORT`, seen from outside. */
class CliProcess extends Program {
  /** What was typed, as the user would see it. */
  private readonly typed: string[] = [];
  /** stdout before this index was already matched by a wait. */
  private cursor = 0;

  constructor(
    readonly port: number,
    onFinished: OnFinished,
    /** The wire, where the suite can see it. */
    readonly transcript?: Transcript,
  ) {
    super(['app/client/cli-main.ts', '--mine', '127.0.0.1', String(port)], { env: { TZ: CLIENT_TZ }, stdin: true });
    onFinished(() => this.stop());
  }

  /** Types a line and presses Enter. */
  type(line: string): void {
    this.typed.push(`${line}⏎`);
    this.proc.stdin!.write(line + '\n');
  }

  /** Ends the input, as Ctrl+D does on a terminal. */
  endInput(): void {
    this.typed.push('Ctrl+D');
    this.proc.stdin!.end();
  }

  /** Waits until the output, after what earlier waits matched, matches `pattern`. */
  waitFor(pattern: RegExp, what: string, see: string, ms = STEP_MS): Promise<RegExpExecArray> {
    const search = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
    return waitUntil(
      () => {
        search.lastIndex = this.cursor;
        const match = search.exec(this.stdout);
        if (match) {
          this.cursor = match.index + match[0].length;
          return match;
        }
        if (this.exit) throw this.fail(`Your client ${this.ending()} before printing ${what}.`, what, see);
        return undefined;
      },
      (wake) => this.onChange(wake),
      () => this.fail(`Within ${ms} ms, your client did not print ${what}.`, what, see),
      ms,
    );
  }

  /** Waits for the program to end; returns its exit code. */
  async waitExit(what: string, see: string, ms = STEP_MS): Promise<number | null> {
    await waitUntil(
      () => this.exit,
      (wake) => this.onChange(wake),
      () => this.fail(`Your client was still running ${ms} ms after ${what}.`, 'the program ends: runCli() resolves its promise with the exit code once the connection has closed (npm run cli waits for that promise)', see),
      ms,
    );
    if (this.crashed()) throw this.fail(`Your client crashed after ${what}.`, 'no exception: every failure of the connection is expected, and told in one [CLIENT] line', see);
    return this.exit!.code;
  }

  /** Once the program has ended: each text was printed as a line of its own, and nothing else went wrong on the way. */
  expectLines(texts: string[], see: string): void {
    const lines = this.stdout.split('\n').map((l) => l.replace(/\r$/, ''));
    for (const text of texts) {
      if (!lines.includes(text)) {
        throw this.fail(`Your client printed ${JSON.stringify(text)}, but not as a line of its own: something was printed before or after it on the same line.`, `${JSON.stringify(text)} alone on its line: write each line with '\\n' at its end, and no prompt in a pipe`, see);
      }
    }
    if (this.stdout.includes('\u001b')) {
      throw this.fail('Your client wrote escape codes into a pipe (shown above as \\u001b): cursor moves and line clearing are for a terminal.', 'in a pipe (keyboard.terminal false), only the lines: no readline.cursorTo, clearLine or moveCursor', SECTION.printing);
    }
    if (lines.includes('undefined')) {
      throw this.fail('Your client printed "undefined": it showed renderOwnLine()\'s answer for a line that is not chat.', 'nothing printed for a command or a blank line (renderOwnLine() gives undefined)', SECTION.own);
    }
    if (lines.filter((l) => l === '[CLIENT] Disconnecting...').length > 1) {
      throw this.fail('Your client printed "[CLIENT] Disconnecting..." twice: it left twice (closing readline emits \'close\', whose handler quits again).', 'one /quit, one "Disconnecting...": once quitting, quitting again does nothing', SECTION.ends);
    }
  }

  /** The session ended without the user leaving: nothing may say it was the user's doing. */
  expectNoQuit(see: string): void {
    if (this.stdout.includes('[CLIENT] Disconnecting...')) {
      throw this.fail('Nobody typed /quit or pressed Ctrl+D, yet your client printed "[CLIENT] Disconnecting...": when the session ended, closing readline emitted \'close\', and its handler quit.', 'after the connection has closed, the end of the input changes nothing (the session is already finished)', see);
    }
  }

  fail(problem: string, expected: string, see: string): LessonFailure {
    const hints = this.diagnose();
    const parts = [problem, ...hints.map((h) => `\n${h.text}`), '', this.screen()].join('\n');
    return failure({ problem: parts, expected, see: hints.find((h) => h.see)?.see ?? see, transcript: this.transcript });
  }

  private crashed(): boolean {
    return /^\s+at /m.test(this.stderr) || /Unhandled 'error' event/.test(this.stderr);
  }


  /** What the screen and the keyboard show, every odd character made visible. */
  private screen(): string {
    const block = (text: string) => {
      const lines = text.replace(/\n$/, '').split('\n');
      if (text === '') return ['    | (nothing)'];
      const shown = lines.slice(-30).map((l) => `    | ${escapeText(l)}`);
      return lines.length > 30 ? [`    | (${lines.length - 30} earlier lines not shown)`, ...shown] : shown;
    };
    return [
      `Your client (npm run cli -- --mine 127.0.0.1 ${this.port}, in time zone ${CLIENT_TZ}):`,
      `  typed: ${this.typed.length === 0 ? '(nothing)' : this.typed.join('  ')}`,
      '  printed:',
      ...block(this.stdout),
      ...(this.stderr === '' ? [] : ['  on stderr:', ...block(this.stderr)]),
      `  ${this.exit ? `it ${this.ending()}` : 'it is still running'}`,
    ].join('\n');
  }

  /** The usual reasons, recognised from what the program printed. */
  private diagnose(): { text: string; see?: string }[] {
    const hints: { text: string; see?: string }[] = [];
    const lines = this.stdout.split('\n');
    const everything = this.stdout + this.stderr;
    if (/TODO \(lesson 10\)/.test(everything)) hints.push({ text: 'Your runCli() or renderEvent() is still the TODO stub.', see: SECTION.turn });
    if (/TODO \(lesson 4\)/.test(everything)) {
      hints.push({ text: `Your client reads lines with your LineDecoder from lesson 4 (starter/server/line-decoder.ts), and that is not written yet. ${DECODER_CATCH_UP}`, see: SECTION.framing });
    }
    if (lines.some((l) => isKnownEventJson(l.trim()))) {
      hints.push({ text: 'Your client printed the raw JSON line instead of rendering it: parseEvent(line), then print renderEvent(event, me).', see: SECTION.render });
    } else if (lines.some((l) => /"type"|"ts"|^\{"/.test(l) && !isJsonObject(l.trim()))) {
      hints.push({ text: "Your client printed pieces of JSON: it treats one 'data' event as one event. A chunk may hold several lines, or part of one: feed every chunk to one LineDecoder and handle each line it returns.", see: SECTION.framing });
    }
    if (/Unhandled 'error' event/.test(this.stderr)) {
      hints.push({ text: "Your client crashed on an 'error' event that nothing listened for. A refused connection and a reset (ECONNRESET) both arrive as 'error': keep socket.on('error', ...) for the whole session, not only while connecting.", see: SECTION.ends });
    } else if (this.crashed() && !/TODO \(lesson/.test(this.stderr)) {
      hints.push({ text: 'Your client crashed: an exception escaped (its stack trace is on stderr below).' });
    }
    return hints;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

function isKnownEventJson(text: string): boolean {
  return isJsonObject(text) && parseEvent(text).type !== 'unknown';
}

/** A pattern that matches `text` exactly. */
function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
/** A pattern for a line that starts with its time: `[HH:MM:SS] ` then `text`. */
function timed(text: string): RegExp {
  return new RegExp(`\\[\\d\\d:\\d\\d:\\d\\d\\] ${literal(text).source}`);
}

const QUESTION = /Enter your username:/;

/**
 * The reference server for one test, and a relay in front of it for the student's client,
 * so that the transcript shows that client's bytes too. (The harness's startChat and
 * startProxy register their clean-up with the file's current test, which is not this one
 * when tests run side by side.)
 */
async function startReference(onFinished: OnFinished, see: string): Promise<{ server: ChatServer; port: number; ctx: ClientContext; login(name: string): Promise<TestClient> }> {
  const ctx: ClientContext = { transcript: new Transcript(), logs: [], see, serverLabel: 'server' };
  const server = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null, features: [], log: (m) => ctx.logs.push(m) }, await piecesWithMine());
  const clients: TestClient[] = [];
  const relayed = new Set<net.Socket>();
  const relay = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    const pipe = (from: net.Socket, to: net.Socket, fromLabel: string, toLabel: string) => {
      relayed.add(from);
      from.on('error', () => {});
      from.on('data', (chunk: Buffer) => {
        ctx.transcript.record(fromLabel, toLabel, chunk);
        to.write(chunk);
      });
      from.on('end', () => {
        ctx.transcript.record(fromLabel, toLabel, '');
        to.end();
      });
      from.on('close', () => to.destroy());
    };
    pipe(client, upstream, 'your client', 'server');
    pipe(upstream, client, 'server', 'your client');
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  onFinished(async () => {
    for (const client of clients) client.close();
    for (const socket of relayed) socket.destroy();
    relay.close();
    await server.shutdown();
  });
  async function login(name: string): Promise<TestClient> {
    const client = await TestClient.connect(server.port, name, ctx);
    clients.push(client);
    await client.next({ type: 'hello' }, `the hello for ${name}`);
    client.send(name);
    await client.next({ type: 'welcome' }, `the welcome of ${name}`);
    return client;
  }
  return { server, port: (relay.address() as net.AddressInfo).port, ctx, login };
}

/** Starts the student's client and logs it in as alice. */
async function loggedIn(port: number, onFinished: OnFinished, transcript?: Transcript): Promise<CliProcess> {
  const cli = new CliProcess(port, onFinished, transcript);
  await cli.waitFor(QUESTION, 'the question for a username (the hello\'s text: "... Enter your username:")', SECTION.readline, BOOT_MS);
  cli.type('alice');
  await cli.waitFor(literal('[SYSTEM]: Welcome, alice!'), 'the welcome: "[SYSTEM]: Welcome, alice! ..."', SECTION.render);
  return cli;
}

// ── A server that is not the reference ────────────────────────────────────────

/** One connection to a server written here: it sends what a test tells it, as the test tells it. */
class FakePeer {
  private pending = '';
  private readonly lines: string[] = [];
  /** True once the client has sent FIN: no line comes after it. */
  private ended = false;
  private readonly changes = new EventEmitter();

  constructor(
    readonly socket: net.Socket,
    private readonly transcript: Transcript,
  ) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('end', () => {
      transcript.record('your client', 'server', '');
      this.ended = true;
      this.changes.emit('change');
    });
    socket.on('data', (chunk: Buffer) => {
      transcript.record('your client', 'server', chunk);
      this.pending += chunk.toString('utf8');
      for (let nl = this.pending.indexOf('\n'); nl !== -1; nl = this.pending.indexOf('\n')) {
        this.lines.push(this.pending.slice(0, nl).replace(/\r$/, ''));
        this.pending = this.pending.slice(nl + 1);
      }
      this.changes.emit('change');
    });
  }

  /** Sends the text in one write: one TCP segment. */
  send(text: string): Promise<void> {
    this.transcript.record('server', 'your client', text);
    return new Promise((done) => this.socket.write(text, () => done()));
  }

  /** Sends the text one byte per write, each in a segment of its own. */
  async sendByteByByte(text: string): Promise<void> {
    this.transcript.record('server, byte by byte', 'your client', text);
    for (const byte of Buffer.from(text)) {
      await new Promise<void>((done) => this.socket.write(Buffer.of(byte), () => done()));
      await new Promise((done) => setImmediate(done));
    }
  }

  /** Waits for the next line from the client. */
  nextLine(what: string, cli: Watched, see: string): Promise<string> {
    return waitUntil(
      () => {
        const next = this.lines.shift();
        if (next === undefined && this.ended) throw cli.fail(`The server was waiting for ${what}, but your client closed its side of the connection (FIN) instead.`, `${what}, as one line ending in '\\n'`, see);
        return next;
      },
      (wake) => {
        this.changes.on('change', wake);
        return () => this.changes.off('change', wake);
      },
      () => cli.fail(`The server waited ${STEP_MS} ms for ${what} from your client; it never came.`, `${what}, as one line ending in '\\n'`, see),
      STEP_MS,
    );
  }

  /** Waits for the client's FIN, with no line before it. */
  finWithoutLine(what: string, cli: Watched, see: string): Promise<true> {
    return waitUntil(
      () => {
        const sent = this.lines[0];
        if (sent !== undefined) throw cli.fail(`${what}, your client sent ${JSON.stringify(sent)}: the server takes the first line for the username.`, 'no line at all: with no name yet there is nobody to say /quit for; socket.end() hangs up', see);
        return this.ended || undefined;
      },
      (wake) => {
        this.changes.on('change', wake);
        return () => this.changes.off('change', wake);
      },
      () => cli.fail(`${what}, the server waited ${STEP_MS} ms for your client to close its side (FIN); it never did.`, 'socket.end(): hang up at once', see),
      STEP_MS,
    );
  }

  /** Sends FIN after the last bytes: the server is done, without a word of goodbye. */
  end(): void {
    this.transcript.record('server', 'your client', '');
    this.socket.end();
  }

  /** Cuts the connection with RST, as a crashed server or a dropped network does. */
  reset(): void {
    this.transcript.record('server', 'your client', '');
    this.socket.resetAndDestroy();
  }
}

/** A TCP server written here; `accepted()` hands over the client's connection. */
async function startFakeServer(onFinished: OnFinished): Promise<{ port: number; transcript: Transcript; accepted(cli: Watched): Promise<FakePeer> }> {
  const transcript = new Transcript();
  const peers: FakePeer[] = [];
  const arrivals = new EventEmitter();
  const server = net.createServer((socket) => {
    peers.push(new FakePeer(socket, transcript));
    arrivals.emit('peer');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onFinished(() => {
    for (const peer of peers) peer.socket.destroy();
    server.close();
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    transcript,
    accepted: (cli) =>
      waitUntil(
        () => {
          if (peers[0]) return peers[0];
          if (cli.exit) throw cli.fail('Your client ended before it connected.', 'net.connect({ host, port }) with the host and port it was given', SECTION.readline);
          return undefined;
        },
        (wake) => {
          arrivals.on('peer', wake);
          const unwatch = cli.onChange(wake);
          return () => {
            arrivals.off('peer', wake);
            unwatch();
          };
        },
        () => cli.fail(`Your client did not connect within ${BOOT_MS} ms.`, 'net.connect({ host, port }) with the host and port it was given', SECTION.readline),
        BOOT_MS,
      ),
  };
}

/** The line a server sends for an event, stamped with `ts`. */
const line = (event: Event, ts = Date.now()) => encodeEvent(event, ts);

/** A fake server, the student's client connected to it, hello answered with the name alice. */
async function fakeSession(onFinished: OnFinished): Promise<{ cli: CliProcess; peer: FakePeer }> {
  const fake = await startFakeServer(onFinished);
  const cli = new CliProcess(fake.port, onFinished, fake.transcript);
  const peer = await fake.accepted(cli);
  await peer.send(line({ type: 'hello', proto: 1, text: TEXTS.hello }));
  await cli.waitFor(QUESTION, 'the question for a username (the hello\'s text: "... Enter your username:")', SECTION.readline);
  cli.type('alice');
  const name = await peer.nextLine('the username', cli, SECTION.readline);
  if (name !== 'alice') throw cli.fail(`Your client sent the username as ${JSON.stringify(name)}.`, '"alice": the line typed, as typed', SECTION.readline);
  return { cli, peer };
}

// Each test runs a program of its own, and each program starts tsx: they run side by side.
describe.concurrent('lesson 10: runCli(), run as `npm run cli -- --mine`', { timeout: DEADLINES.longTest }, () => {
  test('against the reference server: your name, others\' chat with its time, your own lines, whispers both ways, joins, leaves, /users, errors; /quit ends with exit code 0', async ({ onTestFinished }) => {
    const { port, ctx, login } = await startReference(onTestFinished, SECTION.render);
    const bob = await login('bob');
    const cli = new CliProcess(port, onTestFinished, ctx.transcript);
    await cli.waitFor(QUESTION, 'the question for a username (the hello\'s text: "... Enter your username:")', SECTION.readline, BOOT_MS);
    cli.type('alice');
    await cli.waitFor(literal('[SYSTEM]: Welcome, alice!'), 'the welcome: "[SYSTEM]: Welcome, alice! ..."', SECTION.render);
    await bob.next({ type: 'join', user: 'alice' }, 'the join of alice (your client)');

    bob.send('hi alice');
    await cli.waitFor(timed('bob: hi alice'), 'bob\'s chat: "[HH:MM:SS] bob: hi alice"', SECTION.render);

    cli.type('hello bob');
    await bob.next({ type: 'chat', from: 'alice', text: 'hello bob' }, 'the chat line your client sent for "hello bob"');
    await cli.waitFor(timed('You: hello bob'), 'your own line: "[HH:MM:SS] You: hello bob" (the server does not echo it back to you)', SECTION.own);

    bob.send('/whisper alice psst');
    await cli.waitFor(timed('[WHISPER from bob]: psst'), 'bob\'s whisper: "[HH:MM:SS] [WHISPER from bob]: psst"', SECTION.render);
    cli.type('/whisper bob hey');
    await cli.waitFor(timed('[WHISPER to bob]: hey'), 'the confirmation of your whisper: "[HH:MM:SS] [WHISPER to bob]: hey"', SECTION.render);

    const carol = await login('carol');
    await cli.waitFor(literal('*** carol has joined the chat! ***'), '"*** carol has joined the chat! ***"', SECTION.render);
    carol.send('/quit');
    await cli.waitFor(literal('*** carol has left the chat. ***'), '"*** carol has left the chat. ***"', SECTION.render);

    cli.type('/users');
    await cli.waitFor(literal('[SYSTEM]: Users online (2): alice, bob'), 'the reply to /users: "[SYSTEM]: Users online (2): alice, bob"', SECTION.render);
    cli.type('/nope');
    await cli.waitFor(literal('[SYSTEM]: Unknown command: /nope.'), 'the error\'s text: "[SYSTEM]: Unknown command: /nope. ..."', SECTION.render);

    cli.type('/quit');
    await cli.waitFor(literal('[CLIENT] Disconnecting...'), '"[CLIENT] Disconnecting..." right after /quit', SECTION.ends);
    await bob.next({ type: 'leave', user: 'alice', reason: 'quit' }, 'the leave of alice (reason quit) after she typed /quit');
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected." once the server has closed the connection', SECTION.ends);
    const code = await cli.waitExit('the server closed the connection after /quit', SECTION.exit);
    if (code !== 0) throw cli.fail(`After /quit and the server's goodbye, your client exited with code ${code}.`, 'exit code 0: the user asked to leave, and did', SECTION.exit);
    if (/ You: alice$/m.test(cli.stdout)) throw cli.fail('Your client showed the username it sent as a chat line of yours ("You: alice").', 'nothing printed for the first line typed: it is the username, not chat', SECTION.own);
    cli.expectLines([`[CLIENT] Connected to 127.0.0.1:${port}.`, TEXTS.hello, '*** carol has joined the chat! ***', '[SYSTEM]: Users online (2): alice, bob', '[CLIENT] Disconnecting...', '[CLIENT] Disconnected.'], SECTION.printing);
  });

  test('a name the server refuses: its error\'s text, then "[CLIENT] Disconnected.", exit code 1', async ({ onTestFinished }) => {
    const { port, ctx, login } = await startReference(onTestFinished, SECTION.ends);
    await login('bob');
    const cli = new CliProcess(port, onTestFinished, ctx.transcript);
    await cli.waitFor(QUESTION, 'the question for a username (the hello\'s text: "... Enter your username:")', SECTION.readline, BOOT_MS);
    cli.type('BOB');
    await cli.waitFor(literal("[SYSTEM]: Username 'BOB' is already taken."), 'the refusal\'s text: "[SYSTEM]: Username \'BOB\' is already taken." (bob is online; names are unique in any case)', SECTION.render);
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected.": the server refused the name and closed on purpose (NAME_TAKEN is one of the CLOSING_ERRORS), so this is no lost connection', SECTION.ends);
    const code = await cli.waitExit('the server refused the name and closed', SECTION.exit);
    if (code !== 1) throw cli.fail(`After the server refused the name, your client exited with code ${code}.`, 'exit code 1: the session failed, and a script must be able to tell', SECTION.exit);
  });

  test('Ctrl+D at the username question hangs up (FIN) without sending a line; "[CLIENT] Disconnected.", exit code 0', async ({ onTestFinished }) => {
    const fake = await startFakeServer(onTestFinished);
    const cli = new CliProcess(fake.port, onTestFinished, fake.transcript);
    const peer = await fake.accepted(cli);
    await peer.send(line({ type: 'hello', proto: 1, text: TEXTS.hello }));
    await cli.waitFor(QUESTION, 'the question for a username (the hello\'s text: "... Enter your username:")', SECTION.readline);
    cli.endInput();
    await cli.waitFor(literal('[CLIENT] Disconnecting...'), '"[CLIENT] Disconnecting..." when the input ends (Ctrl+D: readline emits \'close\')', SECTION.ends);
    await peer.finWithoutLine('When the input ended before any name', cli, SECTION.ends);
    peer.end();
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected." once the server has closed too', SECTION.ends);
    const code = await cli.waitExit('the user hung up before giving a name', SECTION.exit);
    if (code !== 0) throw cli.fail(`After Ctrl+D at the question, your client exited with code ${code}.`, 'exit code 0: the user chose to leave', SECTION.exit);
  });

  test('"/quit" inside a chat line is chat; " /QUIT now" leaves; a server that never closes after it is hung up on: "[CLIENT] Disconnected.", exit code 0', async ({ onTestFinished }) => {
    const { cli, peer } = await fakeSession(onTestFinished);
    await peer.send(line({ type: 'welcome', user: 'alice', users: ['alice'], text: TEXTS.welcome('alice') }));
    await cli.waitFor(literal('[SYSTEM]: Welcome, alice!'), 'the welcome', SECTION.render);
    cli.type('type /quit to leave');
    const chat = await peer.nextLine('the chat line "type /quit to leave"', cli, SECTION.ends);
    if (chat !== 'type /quit to leave') throw cli.fail(`For the chat line "type /quit to leave", your client sent ${JSON.stringify(chat)}.`, '"type /quit to leave": only a line that starts with /quit is the command', SECTION.ends);
    await cli.waitFor(timed('You: type /quit to leave'), 'your own line: "[HH:MM:SS] You: type /quit to leave": it is chat, since only a line that starts with /quit is the command', SECTION.own);
    cli.type(' /QUIT now');
    await cli.waitFor(literal('[CLIENT] Disconnecting...'), '"[CLIENT] Disconnecting..." after " /QUIT now": a command is the line\'s first word, in any case, once the line is trimmed, and words may follow it', SECTION.ends);
    const quit = await peer.nextLine('the /quit command', cli, SECTION.ends);
    if (quit.trim().toLowerCase() !== '/quit now') throw cli.fail(`For " /QUIT now", your client sent ${JSON.stringify(quit)}.`, 'the line as typed, "/QUIT now" (spaces around it do not matter)', SECTION.ends);
    // This server never answers and never closes: the client must hang up by itself.
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected." after the grace period: a server that never closes after /quit is hung up on (setTimeout(() => socket.destroy(), 2000).unref())', SECTION.ends, STEP_MS + 2000);
    const code = await cli.waitExit('the client hung up after /quit', SECTION.exit);
    if (code !== 0) throw cli.fail(`After /quit and hanging up, your client exited with code ${code}.`, 'exit code 0: the user asked to leave, and did', SECTION.exit);
  });

  test('a line longer than 4096 bytes: a [CLIENT] line that says so, then "Connection to the server was lost.", exit code 1, no crash', async ({ onTestFinished }) => {
    const { cli, peer } = await fakeSession(onTestFinished);
    await peer.send('x'.repeat(5000));
    await cli.waitFor(/\[CLIENT\] .*4096/, 'a [CLIENT] line that says why it hangs up (the decoder\'s error names the limit: 4096 bytes)', SECTION.framing);
    await cli.waitFor(literal('[CLIENT] Connection to the server was lost.'), '"[CLIENT] Connection to the server was lost." once it has hung up', SECTION.ends);
    const code = await cli.waitExit('it hung up on a line too long', SECTION.exit);
    if (code !== 1) throw cli.fail(`After hanging up on a line too long, your client exited with code ${code}.`, 'exit code 1', SECTION.exit);
  });

  test('the server shuts down: its shutdown text, then "[CLIENT] Disconnected.", exit code 0', async ({ onTestFinished }) => {
    const { server, port, ctx } = await startReference(onTestFinished, SECTION.ends);
    const cli = await loggedIn(port, onTestFinished, ctx.transcript);
    const stopped = server.shutdown();
    await cli.waitFor(literal(`[SYSTEM]: ${TEXTS.shutdown}`), `the shutdown: "[SYSTEM]: ${TEXTS.shutdown}"`, SECTION.render);
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected." once the server has closed the connection', SECTION.ends);
    const code = await cli.waitExit('the server shut down', SECTION.exit);
    if (code !== 0) throw cli.fail(`After the server announced its shutdown and closed, your client exited with code ${code}.`, 'exit code 0: the server said goodbye; nothing failed', SECTION.exit);
    await stopped;
  });

  test('nobody listening: "Connection refused. Is the server running?" and exit code 1, without a stack trace', async ({ onTestFinished }) => {
    const cli = new CliProcess(await closedPort(), onTestFinished);
    await cli.waitFor(/Connection refused\. Is the server running\?/, '"[CLIENT] Connection refused. Is the server running?"', SECTION.ends, BOOT_MS);
    const code = await cli.waitExit('the connection was refused', SECTION.exit);
    if (code !== 1) throw cli.fail(`With nobody listening, your client exited with code ${code}.`, 'exit code 1: the program could not do its job', SECTION.exit);
  });

  test('events glued in one chunk and events cut byte by byte (UTF-8 too) all show, each with its ts in local time; Ctrl+D sends /quit', async ({ onTestFinished }) => {
    const { cli, peer } = await fakeSession(onTestFinished);
    // What a real server sends in one tick often leaves in one segment.
    await peer.send(
      line({ type: 'welcome', user: 'alice', users: ['alice', 'carol'], text: TEXTS.welcome('alice') }) +
        line({ type: 'join', user: 'dave' }) +
        line({ type: 'chat', from: 'carol', text: 'first!' }),
    );
    await cli.waitFor(literal('[SYSTEM]: Welcome, alice!'), 'the welcome, which came in one chunk with a join and a chat', SECTION.framing);
    await cli.waitFor(literal('*** dave has joined the chat! ***'), 'the join that came in the same chunk as the welcome', SECTION.framing);
    await cli.waitFor(timed('carol: first!'), 'the chat that came in the same chunk as the welcome', SECTION.framing);

    const said = Date.UTC(2024, 0, 15, 8, 5, 9); // 13:35:09 in Kolkata
    await peer.sendByteByByte(line({ type: 'chat', from: 'carol', text: 'see you at lunch' }, said) + line({ type: 'whisper', from: 'carol', to: 'alice', text: 'café ☕ ok?' }));
    const shown = await cli.waitFor(timed('carol: see you at lunch'), 'the chat that came one byte at a time: "[HH:MM:SS] carol: see you at lunch"', SECTION.framing);
    const inKolkata = `[${new Intl.DateTimeFormat('en-GB', { timeZone: CLIENT_TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(said)}]`;
    if (!shown[0].startsWith(inKolkata)) {
      const inUtc = `[${new Date(said).toISOString().slice(11, 19)}]`;
      const why = shown[0].startsWith(inUtc)
        ? `${inUtc} is the event's time in UTC, not in local time: use getHours() and its kin, not getUTCHours() or toISOString().`
        : 'That is not the time in the event: show its ts, not the moment the event arrived.';
      throw cli.fail(`The chat stamped ts ${said} (${new Date(said).toISOString()}) showed as ${JSON.stringify(shown[0])}.\n${why}`,
        `"${inKolkata} carol: see you at lunch": the event's ts in the client's time zone (${CLIENT_TZ}, UTC+5:30)`, SECTION.time);
    }
    await cli.waitFor(timed('[WHISPER from carol]: café ☕ ok?'), 'the whisper that came one byte at a time, its é and ☕ cut between bytes: "[HH:MM:SS] [WHISPER from carol]: café ☕ ok?"', SECTION.framing);

    cli.endInput();
    await cli.waitFor(literal('[CLIENT] Disconnecting...'), '"[CLIENT] Disconnecting..." when the input ends (Ctrl+D: readline emits \'close\')', SECTION.readline);
    const quit = await peer.nextLine('/quit (sent when the input ends, as if it had been typed)', cli, SECTION.readline);
    if (quit !== '/quit') throw cli.fail(`When the input ended, your client sent ${JSON.stringify(quit)}.`, '"/quit"', SECTION.readline);
    await peer.send(line({ type: 'bye', text: TEXTS.bye }));
    peer.end();
    await cli.waitFor(literal('[CLIENT] Disconnected.'), '"[CLIENT] Disconnected." once the server has said bye and closed', SECTION.ends);
    const code = await cli.waitExit('the server said bye and closed', SECTION.exit);
    if (code !== 0) throw cli.fail(`After Ctrl+D and the server's goodbye, your client exited with code ${code}.`, 'exit code 0: the user asked to leave, and did', SECTION.exit);
  });

  test('a hostile server: its control characters never reach the screen, an unknown event shows as plain text, and a close with no goodbye is "Connection to the server was lost." with exit code 1', async ({ onTestFinished }) => {
    const { cli, peer } = await fakeSession(onTestFinished);
    await peer.send(line({ type: 'welcome', user: 'alice', users: ['alice'], text: TEXTS.welcome('alice') }));
    await cli.waitFor(literal('[SYSTEM]: Welcome, alice!'), 'the welcome', SECTION.render);

    await peer.send(line({ type: 'chat', from: 'mal\u001b[31mlory', text: '\u001b[2J\u001b]0;pwned\u0007gotcha\u009b1m' }));
    await cli.waitFor(/gotcha/, 'mallory\'s chat line (its text ends in "gotcha")', SECTION.sanitize);
    const poll = '{"type":"poll","question":"Lunch at noon?","ts":1}';
    await peer.send(poll + '\n');
    await cli.waitFor(literal(poll), `the unknown event, as plain text: ${poll}`, SECTION.render);
    if (HOSTILE.test(cli.stdout)) {
      throw cli.fail('Control characters from the server reached the screen (shown above as \\u001b, \\u0007, \\u009b): ESC [2J clears a terminal, ESC ]0;...BEL retitles its window, and the red that ESC [31m starts would stay on.',
        'renderEvent() removes every control character from each string the server sent, names included', SECTION.sanitize);
    }

    // An error that does not close the connection is no goodbye either.
    await peer.send(line({ type: 'error', code: 'NO_SUCH_USER', text: "User 'zed' not found or offline." }));
    await cli.waitFor(literal("[SYSTEM]: User 'zed' not found or offline."), 'the error\'s text', SECTION.render);
    peer.end();
    await cli.waitFor(literal('[CLIENT] Connection to the server was lost.'), '"[CLIENT] Connection to the server was lost." (the server closed without a bye or a shutdown; its last error, NO_SUCH_USER, does not close a connection)', SECTION.ends);
    const code = await cli.waitExit('the connection was lost', SECTION.exit);
    if (code !== 1) throw cli.fail(`After losing the connection, your client exited with code ${code}.`, 'exit code 1: the session failed; a script calling your client must be able to tell', SECTION.exit);
    cli.expectNoQuit(SECTION.ends);
  });

  test('the server resets the connection mid-chat (ECONNRESET): "Connection to the server was lost.", exit code 1, no crash', async ({ onTestFinished }) => {
    const { cli, peer } = await fakeSession(onTestFinished);
    await peer.send(line({ type: 'welcome', user: 'alice', users: ['alice', 'bob'], text: TEXTS.welcome('alice') }) + line({ type: 'chat', from: 'bob', text: 'are you there?' }));
    await cli.waitFor(timed('bob: are you there?'), 'bob\'s chat', SECTION.render);
    peer.reset();
    await cli.waitFor(literal('[CLIENT] Connection to the server was lost.'), '"[CLIENT] Connection to the server was lost." after the reset', SECTION.ends);
    const code = await cli.waitExit('the connection was reset', SECTION.exit);
    if (code !== 1) throw cli.fail(`After the reset, your client exited with code ${code}.`, 'exit code 1', SECTION.exit);
    cli.expectNoQuit(SECTION.ends);
  });
});

// ── The client on a terminal, run in this process ─────────────────────────────

/** The student's runCli() in this process, its output a FakeTerminal: readline works in terminal mode. */
class TerminalCli implements Watched {
  readonly terminal = new FakeTerminal();
  private readonly keyboard = new PassThrough();
  private readonly typed: string[] = [];
  exit: { code: number } | undefined;
  private threw: Error | undefined;

  constructor(
    readonly port: number,
    private readonly transcript: Transcript,
    onFinished: OnFinished,
  ) {
    new Promise<number>((resolve) => resolve(runCli({ host: '127.0.0.1', port, input: this.keyboard, output: this.terminal })))
      .then(
        (code) => void (this.exit = { code }),
        (err: Error) => {
          this.threw = err;
          this.exit = { code: NaN };
        },
      )
      .finally(() => this.terminal.changes.emit('change'));
    onFinished(() => void this.keyboard.end());
  }

  /** Presses keys: `keys` as the terminal sends them, `shown` as the failure tells them. */
  press(keys: string, shown: string): void {
    this.typed.push(shown);
    this.keyboard.write(keys);
  }

  onChange(wake: () => void): () => void {
    this.terminal.changes.on('change', wake);
    return () => this.terminal.changes.off('change', wake);
  }

  /** Waits until the screen shows what `check` looks for. */
  until(check: () => boolean, what: string, expected: string, see: string): Promise<true> {
    return waitUntil(
      () => check() || undefined,
      (wake) => this.onChange(wake),
      () => this.fail(`Within ${STEP_MS} ms, your client's screen did not show ${what}.`, expected, see),
      STEP_MS,
    );
  }

  fail(problem: string, expected: string, see: string): LessonFailure {
    const rows = this.terminal.lines();
    const screen = [
      `Your client's runCli(), on a terminal (readline in terminal mode, keyboard.terminal true):`,
      `  keys pressed: ${this.typed.length === 0 ? '(none)' : this.typed.join('  ')}`,
      '  the screen (> marks the row of the cursor):',
      ...rows.map((r, i) => `  ${r === this.terminal.cursorRow() && i === rows.lastIndexOf(r) ? '>' : ' '} | ${escapeText(r)}`),
      this.threw ? `  runCli() threw: ${this.threw.message}` : this.exit ? `  runCli() resolved with ${this.exit.code}` : '  runCli() is still running',
    ].join('\n');
    // A stub that throws is the lesson's TODO (or lesson 4's decoder, which the client reads with).
    const todo = this.threw?.message.includes('TODO (lesson 4)') ? SECTION.framing : this.threw?.message.includes('TODO (lesson 10)') ? SECTION.turn : undefined;
    return failure({ problem: `${problem}\n\n${screen}`, expected, see: todo ?? see, transcript: this.transcript });
  }
}

describe('lesson 10: runCli() on a terminal', { timeout: DEADLINES.longTest }, () => {
  test('the question is a prompt; a message that arrives while you type prints above your half-typed line; your own line replaces its echo', async ({ onTestFinished }) => {
    const fake = await startFakeServer(onTestFinished);
    const cli = new TerminalCli(fake.port, fake.transcript, onTestFinished);
    const peer = await fake.accepted(cli);
    await peer.send(line({ type: 'hello', proto: 1, text: TEXTS.hello }));
    await cli.until(() => cli.terminal.lines().some((r) => r.startsWith(TEXTS.hello)), 'the question for a username', `the hello's text as the prompt: "${TEXTS.hello} "`, SECTION.readline);
    cli.press('alice\r', 'alice⏎');
    await peer.nextLine('the username', cli, SECTION.readline);
    const asked = new RegExp(`^${literal(TEXTS.hello).source} alice$`);
    await cli.until(() => cli.terminal.lines().some((r) => asked.test(r)), 'the name typed on the question\'s row', `"${TEXTS.hello} alice": on a terminal the question is readline's prompt (keyboard.setPrompt(question + ' '), keyboard.prompt()), so the name is typed on its row`, SECTION.readline);

    await peer.send(line({ type: 'welcome', user: 'alice', users: ['alice', 'bob'], text: TEXTS.welcome('alice') }));
    await cli.until(() => cli.terminal.cursorRow() === '>', 'the prompt "> " under the welcome', 'the prompt "> " on the last row: after the name, keyboard.setPrompt(\'> \'), and show() draws it again after each line (keyboard.prompt(true))', SECTION.printing);
    // Longer than bob's message will be: a row not cleared first would show its end.
    const half = 'see you at the usual place, at fi';
    cli.press(half, half);
    await cli.until(() => cli.terminal.cursorRow() === `> ${half}`, 'what was typed', `"> ${half}" on the last row`, SECTION.readline);

    await peer.send(line({ type: 'chat', from: 'bob', text: 'lunch?' }));
    const lunch = timedRow('bob: lunch?');
    await cli.until(
      () => lunch.test(cli.terminal.rowAbove()) && cli.terminal.cursorRow() === `> ${half}`,
      'bob\'s message above the half-typed line',
      `"[HH:MM:SS] bob: lunch?" on a row of its own, and under it "> ${half}" drawn again: go to the start of the row (readline.cursorTo), clear it (readline.clearLine), write the message, then keyboard.prompt(true)`,
      SECTION.printing,
    );
    // One key per write, as a person types them: readline puts a chunk of several at the end of the line.
    cli.press('v', 'v');
    cli.press('e\r', 'e⏎');
    const sent = await peer.nextLine('the line typed', cli, SECTION.printing);
    if (sent !== `${half}ve`) throw cli.fail(`After bob's message, typing "ve" and Enter sent ${JSON.stringify(sent)}.`, `"${half}ve": keyboard.prompt(true) keeps the cursor where it was; prompt() without true moves it to the start of the line`, SECTION.printing);
    const own = timedRow(`You: ${half}ve`);
    await cli.until(
      () => cli.terminal.lines().some((r) => own.test(r)) && !cli.terminal.lines().includes(`> ${half}ve`) && lunch.test(cli.terminal.lines()[cli.terminal.lines().findIndex((r) => own.test(r)) - 1] ?? ''),
      'your own line in place of its echo',
      `"[HH:MM:SS] You: ${half}ve" right under bob's message, where readline echoed "> ${half}ve": readline.moveCursor(output, 0, -1), then show() it`,
      SECTION.own,
    );

    cli.press('/quit\r', '/quit⏎');
    await peer.nextLine('/quit', cli, SECTION.ends);
    await peer.send(line({ type: 'bye', text: TEXTS.bye }));
    peer.end();
    await cli.until(() => cli.exit !== undefined, 'the end of the session', 'runCli() resolves once the server has said bye and closed', SECTION.exit);
    const rows = cli.terminal.lines().filter((r) => r !== '');
    if (rows.at(-1) !== '[CLIENT] Disconnected.') throw cli.fail(`After /quit, the bye and the close, the last row of the screen is ${JSON.stringify(rows.at(-1))}.`, '"[CLIENT] Disconnected." last, with no prompt drawn after it: /quit closes readline (keyboard.close()), and once the input is closed, show() only writes', SECTION.printing);
    if (cli.exit?.code !== 0) throw cli.fail(`After /quit and the server's bye, runCli() resolved with ${cli.exit?.code}.`, '0', SECTION.exit);
  });

  test('Ctrl+D while still connecting, and nobody listening: still "Connection refused. Is the server running?", exit code 1', async ({ onTestFinished }) => {
    // The user gave up at once (or a script's input was empty): quitting, yet never connected.
    const cli = new TerminalCli(await closedPort(), new Transcript(), onTestFinished);
    cli.press('\x04', 'Ctrl+D');
    await cli.until(() => cli.exit !== undefined, 'the end of the session', 'runCli() resolves once the refused connection has closed', SECTION.ends);
    if (!cli.terminal.lines().some((r) => r.includes('Connection refused. Is the server running?')) || cli.exit?.code !== 1) {
      throw cli.fail(
        `Ctrl+D was pressed before the connection was refused, and runCli() resolved with ${cli.exit?.code}.`,
        '"[CLIENT] Connection refused. Is the server running?" and exit code 1: a connection that never happened failed, whatever the user typed meanwhile (in \'close\', ask first whether it ever connected, then whether you were quitting)',
        SECTION.ends,
      );
    }
  });
});

/** A whole row that is `text` after its time. */
function timedRow(text: string): RegExp {
  return new RegExp(`^${timed(text).source}$`);
}
