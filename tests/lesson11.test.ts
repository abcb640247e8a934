// Lesson 11: the student's chat hook (starter/client/tui/use-chat.ts) and screen
// (chat-screen.tsx, with input-line.tsx), rendered with ink-testing-library against the
// reference server.
//
// Each file is graded on its own. The hook runs inside a probe: a component that draws
// nothing but records every state the hook returns. The screen runs on top of the
// reference hook, in a fake 80×24 terminal, and is read frame by frame. Every wait polls
// the last frame (or the last state) until what it waits for shows, with a deadline.

import chalk from 'chalk';
import stringWidth from 'string-width';
import { render as inkRender, Text } from 'ink';
import { render } from 'ink-testing-library';
import net from 'node:net';
import { act, createElement as h, useEffect } from 'react';
import { afterAll, beforeAll, describe, onTestFinished, test } from 'vitest';
import { importFromTree } from '../app/server/pieces.js';
import type { Chat as ChatState, ChatOptions, Message, Status } from '../starter/client/tui/use-chat.js';
import type { UnknownEvent, WireEvent } from '../app/protocol.js';
import type { InputState } from '../starter/client/tui/input-line.js';
import type { LineKey } from '../app/client/line-editor.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { closedPort, startProxy } from './harness/proxy.js';
import { failure } from './harness/teach.js';
import type { TestClient } from './harness/test-client.js';
import { escapeText } from '../app/wire-text.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, waitUntil } from './harness/wait.js';

type HookModule = typeof import('../starter/client/tui/use-chat.js');
type ScreenModule = typeof import('../starter/client/tui/chat-screen.js');
const { useChat, chatReducer, initialState } = await importMine<HookModule>('client/tui/use-chat.ts');
const { ChatScreen } = await importMine<ScreenModule>('client/tui/chat-screen.tsx');
// The input line's reducer and completeName() are pure: their cases are tried on their own too.
const { inputReducer, INITIAL_INPUT, completeName } = await importMine<typeof import('../starter/client/tui/input-line.js')>('client/tui/input-line.tsx');
// The screen is drawn on top of the reference hook, so that only the screen is graded there.
const reference = await importFromTree<HookModule>('solutions', 'client/tui/use-chat.ts');
// The hook reads lines with the student's own lesson 4 decoder: a hook failure says so when that is still the TODO.
const { LineDecoder } = await importMine<typeof import('../starter/server/line-decoder.js')>('server/line-decoder.ts');
const decoderMissing = (() => {
  try {
    new LineDecoder().push(Buffer.from('x\n'));
    return false;
  } catch (err) {
    return /TODO \(lesson 4\)/.test((err as Error).message);
  }
})();
/** What to do when lesson 4's decoder is still the TODO: catch-up copies the pieces of the lessons before the one named. */
const DECODER_CATCH_UP = 'Do lesson 4 first, or copy its reference piece in: npm run catch-up -- 5 (it takes the reference pieces of lessons 1 to 4 that your code does not pass yet, and backs yours up first).';

const lesson = (heading: string) => `11 (npm run lesson 11), section "${heading}"`;
const SECTION = {
  ink: lesson('Ink: Box, Text and flexbox'),
  split: lesson('A hook for the state, a component for the screen'),
  reducer: lesson('State from events: a reducer'),
  effects: lesson('Effects and cleanup: a socket\'s lifetime'),
  reconnect: lesson('When the server goes away: reconnect with backoff'),
  colour: lesson('Colour by kind, never by text'),
  sanitise: lesson('A stranger\'s text must not drive your terminal'),
  size: lesson('Fitting the terminal: size and resizing'),
  keys: lesson('Keys: Enter, history and Tab completion'),
  leaving: lesson('Leaving cleanly: /quit and Ctrl+C'),
  early: lesson('Typing before the welcome: a queue'),
  together: lesson('Keys that arrive together: the input is a reducer'),
  columns: lesson('Columns, not characters: emoji and wide text'),
  wrapped: lesson('Long messages: rows are cut, never squeezed'),
  narrow: lesson('A narrow window'),
  status: lesson('What the status bar and the user list say'),
};

const KEY = {
  enter: '\r', up: '\u001b[A', down: '\u001b[B', left: '\u001b[D', right: '\u001b[C', tab: '\t', backspace: '\u007f',
  ctrlA: '\u0001', ctrlC: '\u0003', ctrlE: '\u0005', ctrlL: '\u000c', ctrlU: '\u0015', ctrlW: '\u0017',
} as const;

// Colours show in a frame only when chalk (which Ink draws with) believes the terminal has
// them: basic colours for this file, as a real terminal would.
let chalkLevel: typeof chalk.level;
beforeAll(() => {
  chalkLevel = chalk.level;
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = chalkLevel;
});

// ── Frames ───────────────────────────────────────────────────────────────────

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;:]*m/g;

/** A frame as a person reads it: the colours taken out. */
function plain(frame: string): string {
  return frame.replace(SGR, '');
}

/** Columns, as a terminal draws them: by grapheme, a wide character or an emoji as two. */
function widthOf(line: string): number {
  return stringWidth(plain(line));
}

/** A frame for a failure message: no colour, every other control character escaped. */
function picture(frame: string | undefined, size?: { columns: number; rows: number }): string {
  if (frame === undefined || frame === '') return '  (the screen drew nothing)';
  const lines = plain(frame).split('\n').map((l) => `    ${escapeText(l)}`);
  return `${size ? `  (terminal ${size.columns}×${size.rows}; the frame is ${lines.length} lines)\n` : ''}${lines.join('\n')}`;
}

/** The text's style where `needle` starts in a frame line: e.g. 'fg=35 bold', or 'plain'. */
function styleAt(line: string, needle: string): string {
  const target = plain(line).indexOf(needle);
  const style = new Map<string, string>();
  // eslint-disable-next-line no-control-regex
  const sgr = /\u001b\[([0-9;:]*)m/y;
  for (let i = 0, seen = 0; i < line.length; ) {
    sgr.lastIndex = i;
    const match = sgr.exec(line);
    if (match) {
      applySgr(style, match[1]!);
      i = sgr.lastIndex;
    } else if (seen === target) {
      break;
    } else {
      seen++;
      i++;
    }
  }
  return [...style].map(([k, v]) => (v === 'on' ? k : `${k}=${v}`)).sort().join(' ') || 'plain';
}

const TOGGLES: Record<number, [string, boolean]> = {
  1: ['bold', true], 2: ['dim', true], 3: ['italic', true], 4: ['underline', true], 7: ['inverse', true], 9: ['strike', true],
  23: ['italic', false], 24: ['underline', false], 27: ['inverse', false], 29: ['strike', false],
};

function applySgr(style: Map<string, string>, params: string): void {
  const codes = params === '' ? [0] : params.split(/[;:]/).map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) style.clear();
    else if (code === 22) {
      style.delete('bold');
      style.delete('dim');
    } else if (TOGGLES[code]) {
      const [name, on] = TOGGLES[code];
      if (on) style.set(name, 'on');
      else style.delete(name);
    } else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) style.set('fg', String(code));
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) style.set('bg', String(code));
    else if (code === 38 || code === 48) {
      const take = codes[i + 1] === 5 ? 2 : 4;
      style.set(code === 38 ? 'fg' : 'bg', codes.slice(i + 1, i + 1 + take).join(';'));
      i += take;
    } else if (code === 39) style.delete('fg');
    else if (code === 49) style.delete('bg');
  }
}

/** Runs a keystroke inside React's act(): its state updates and effects are done when it returns. */
async function inAct(work: () => void): Promise<void> {
  const flags = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  flags.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    await act(async () => work());
  } finally {
    // Off again: the socket's updates come outside act(), and that is how it should be.
    flags.IS_REACT_ACT_ENVIRONMENT = false;
  }
}

/** Calls `check` every few milliseconds until it returns a value; fails after `ms`. */
function poll<T>(check: () => T | undefined, onTimeout: () => Error, ms = PATIENCE_MS): Promise<T> {
  return waitUntil(
    check,
    (wake) => {
      const timer = setInterval(wake, 5);
      return () => clearInterval(timer);
    },
    onTimeout,
    ms,
  );
}

// ── The screen, on the reference hook, in a fake terminal ────────────────────

interface Screen {
  /** The last frame, colours and all. */
  frame(): string;
  waitFor(what: string, test: (text: string) => boolean, expected: string, see: string, ms?: number): Promise<string>;
  /** Types text, waits until the input line shows it, and remembers that line. */
  type(text: string, see: string): Promise<void>;
  press(key: keyof typeof KEY): Promise<void>;
  /** Writes each chunk to the terminal's input at once, in one tick, as a paste or tmux does. */
  write(...chunks: string[]): Promise<void>;
  /** The frame line that shows what is being typed. */
  inputLine(): string;
  resize(columns: number, rows: number): Promise<void>;
  size: { columns: number; rows: number };
  exited(): boolean;
  fail(problem: string, expected: string, see: string): Error;
}

async function openScreen(chat: Chat, name: string, port?: number): Promise<Screen> {
  const target = port ?? (await startProxy({ targetPort: chat.port, transcript: chat.transcript, clientLabel: `your screen (${name})`, serverLabel: 'server' })).port;
  let exited = false;
  function App() {
    const state = reference.useChat({ host: '127.0.0.1', port: target, name, retryMs: 50, maxRetryMs: 200 });
    useEffect(() => () => void (exited = true), []);
    return h(ChatScreen, { chat: state });
  }
  // A terminal of 80×24 from the first frame on (ink-testing-library's has 100 columns, no rows).
  const size = { columns: 80, rows: 24 };
  const ink = render(h(Text, null, ''));
  Object.defineProperty(ink.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { get: () => size.rows, configurable: true });
  ink.rerender(h(App));
  onTestFinished(() => ink.unmount());

  let inputRow = -1;
  const frame = () => ink.lastFrame() ?? '';
  const screen: Screen = {
    frame,
    size,
    exited: () => exited,
    fail(problem, expected, see) {
      return failure({ problem: `${problem}\n\nYour screen's last frame:\n${picture(frame(), size)}`, expected, see, transcript: chat.transcript });
    },
    waitFor(what, check, expected, see, ms = PATIENCE_MS) {
      return poll(
        () => (check(plain(frame())) ? plain(frame()) : undefined),
        () => screen.fail(`The screen did not show ${what} within ${ms} ms.`, expected, see),
        ms,
      );
    },
    async type(text, see) {
      await inAct(() => ink.stdin.write(text));
      const shown = await screen.waitFor(
        `"${text}" in the input line after the suite typed it`,
        (t) => t.includes(text),
        'what you type shows in the input line: <LineView line={state.line} ... /> in your InputLine',
        see,
      );
      inputRow = lastIndexWhere(shown.split('\n'), (line) => line.includes(text));
    },
    async press(key) {
      await inAct(() => ink.stdin.write(KEY[key]));
    },
    async write(...chunks) {
      await inAct(() => {
        for (const chunk of chunks) ink.stdin.write(chunk);
      });
    },
    inputLine: () => plain(frame()).split('\n')[inputRow] ?? '',
    async resize(columns, rows) {
      size.columns = columns;
      size.rows = rows;
      await inAct(() => ink.stdout.emit('resize'));
    },
  };
  await screen.waitFor(
    `the welcome ("Welcome, ${name}!")`,
    (t) => {
      if (t.includes('TODO (lesson 11)')) throw screen.fail('Your screen still draws its TODO.', 'the chat: chat.messages, chat.users, an input line and a status bar (see "Your turn")', SECTION.ink);
      return t.includes(`Welcome, ${name}!`);
    },
    `the welcome's text in the message list once the server has accepted ${name}`,
    SECTION.ink,
  );
  return screen;
}

/** The frame line where `needle` shows, the lowest one (the message list grows at the bottom). */
function lineWith(frame: string, needle: string): string | undefined {
  const lines = frame.split('\n');
  return lines[lastIndexWhere(lines, (line) => plain(line).includes(needle))];
}

function lastIndexWhere<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Logs the names in, each having seen the later ones join, so that no join is still on its way. */
async function everyone(chat: Chat, ...names: string[]): Promise<TestClient[]> {
  const clients: TestClient[] = [];
  for (const name of names) {
    const client = await chat.login(name);
    client.socket.setNoDelay(true);
    for (const earlier of clients) await earlier.next({ type: 'join', user: name }, `the join of ${name}`);
    clients.push(client);
  }
  return clients;
}

// ── The hook, in a probe that records every state it returns ─────────────────

interface Probe {
  /** The port the hook connects to. */
  port: number;
  latest(): ChatState | undefined;
  /** Every status the hook reported, in order, without repeats. */
  statuses: Status[];
  until<T>(what: string, check: (chat: ChatState) => T | undefined, expected: string, see: string, ms?: number): Promise<T>;
  fail(problem: string, expected: string, see: string): Error;
  unmount(): void;
  /** Renders the component again with these options changed, as a parent with new props would. */
  change(options: Partial<ChatOptions>): void;
}

async function probeHook(chat: Chat | undefined, options: Partial<ChatOptions> & { name: string; port?: number }): Promise<Probe> {
  const port = options.port ?? (await startProxy({ targetPort: chat!.port, transcript: chat!.transcript, clientLabel: `your hook (${options.name})`, serverLabel: 'server' })).port;
  let settings: ChatOptions = { host: '127.0.0.1', retryMs: 20, maxRetryMs: 80, ...options, port };
  let latest: ChatState | undefined;
  let renders = 0;
  const statuses: Status[] = [];
  function Probe() {
    const state = useChat(settings);
    latest = state;
    renders++;
    if (state && JSON.stringify(state.status) !== JSON.stringify(statuses.at(-1))) statuses.push(state.status);
    return h(Text, null, `status: ${state?.status?.state}`);
  }
  const ink = render(h(Probe));
  let unmounted = false;
  const unmount = () => {
    if (!unmounted) ink.unmount();
    unmounted = true;
  };
  onTestFinished(unmount);

  const probe: Probe = {
    port,
    latest: () => latest,
    statuses,
    fail(problem, expected, see) {
      const frame = ink.lastFrame() ?? '';
      const drawn = frame.startsWith('status:') ? '' : `\n\nThe probe component could not draw; Ink showed:\n${picture(frame)}`;
      const decoder = decoderMissing ? `\n\nYour hook reads lines with your LineDecoder from lesson 4 (starter/server/line-decoder.ts), and that is not written yet: it throws on every chunk. ${DECODER_CATCH_UP}` : '';
      return failure({ problem: `${problem}${drawn}${decoder}\n\nThe statuses your hook went through: ${statuses.length > 12 ? `(${statuses.length - 12} earlier) … ` : ''}${statuses.slice(-12).map(showStatus).join(' → ') || '(none)'}\nIts messages: ${showMessages(latest?.messages)}`, expected, see, transcript: chat?.transcript });
    },
    until(what, check, expected, see, ms = PATIENCE_MS) {
      return poll(
        () => {
          // A hook that connects on every render never settles: say so at once. It draws
          // without end, or (on a busy machine, fewer draws) goes back to connecting again and again.
          const restarts = statuses.filter((st) => st?.state === 'connecting').length;
          if ((renders > 300 && latest?.status?.state !== 'connected') || restarts > 5) {
            throw probe.fail(`Your hook made its component draw ${renders} times, and went back to connecting ${restarts} times, while waiting for ${what}: it starts over on every render.`, 'the socket opened once, in useEffect(..., [host, port, name, ...]), not in the body of the hook or in an effect without dependencies', SECTION.effects);
          }
          return latest ? check(latest) : undefined;
        },
        () => probe.fail(`Your hook did not get to ${what} within ${ms} ms.`, expected, see),
        ms,
      );
    },
    unmount,
    change(changed) {
      settings = { ...settings, ...changed };
      ink.rerender(h(Probe));
    },
  };
  return probe;
}

function showStatus(status: Status | undefined): string {
  if (!status) return 'undefined';
  const { state, ...rest } = status as Status & Record<string, unknown>;
  return Object.keys(rest).length === 0 ? String(state) : `${String(state)} ${JSON.stringify(rest)}`;
}

function showMessages(messages: Message[] | undefined): string {
  if (!Array.isArray(messages)) return String(messages);
  if (messages.length === 0) return '(none)';
  const shown = messages.slice(-12).map((m) => `\n  ${m.kind}${m.from ? ` from ${m.from}` : ''}${m.to ? ` to ${m.to}` : ''}: ${JSON.stringify(m.text)}`);
  return `${messages.length > 12 ? `\n  (${messages.length - 12} earlier not shown)` : ''}${shown.join('')}`;
}

const connected = (chat: ChatState) => (chat.status?.state === 'connected' ? chat : undefined);

/** Waits until the hook is connected, and fails at once if it gave up instead. */
function untilConnected(probe: Probe, what: string, see: string): Promise<ChatState> {
  return probe.until(
    what,
    (chat) => {
      if (chat.status?.state === 'closed') throw probe.fail(`Your hook gave up while waiting for ${what}: its status is closed (${JSON.stringify(chat.status.reason)}).`, 'status { state: \'connected\' } once the welcome arrives', see);
      return connected(chat);
    },
    'status { state: \'connected\' } once the server\'s welcome has arrived',
    see,
  );
}

function findMessage(chat: ChatState, test: (m: Message) => boolean): Message | undefined {
  return Array.isArray(chat.messages) ? chat.messages.find(test) : undefined;
}

// ── A server that does not strip control characters ─────────────────────────

/** A fake server that logs anyone in and then sends `events`: what a hostile or older server may do. */
async function hostileServer(transcript: Transcript, events: Record<string, unknown>[]): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const send = (event: Record<string, unknown>) => {
      const line = JSON.stringify({ ...event, ts: Date.now() }) + '\n';
      transcript.record('hostile server', 'your screen', line);
      socket.write(line);
    };
    send({ type: 'hello', proto: 1, text: 'Enter your username:' });
    socket.once('data', (chunk) => {
      transcript.record('your screen', 'hostile server', chunk);
      for (const event of events) send(event);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

// ── A server that holds its welcome back ─────────────────────────────────────

interface GatedServer {
  port: number;
  /** Every line the client sent, the name first. */
  lines: string[];
  /** Sends the welcome: until then the client is connected but not logged in. */
  release(): void;
}

/** A fake server that reads the name and then waits to be told before it welcomes anyone. */
async function gatedServer(transcript: Transcript): Promise<GatedServer> {
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  let welcome = () => {};
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const send = (event: Record<string, unknown>) => {
      const line = JSON.stringify({ ...event, ts: Date.now() }) + '\n';
      transcript.record('slow server', 'your hook', line);
      socket.write(line);
    };
    let pending = '';
    socket.on('data', (chunk) => {
      transcript.record('your hook', 'slow server', chunk);
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (lines.length === 1) welcome = () => send({ type: 'welcome', user: line, users: [line], text: `Welcome, ${line}! Type /help for available commands.` });
      }
    });
    send({ type: 'hello', proto: 1, text: 'Enter your username:' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, lines, release: () => welcome() };
}

// ── The hook ─────────────────────────────────────────────────────────────────

describe('lesson 11: useChat(), the state of the chat', () => {
  test('logs in once and reports connected, with who is online', async () => {
    const chat = await startChat({ mine: [], see: SECTION.split });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice' });
    const state = await untilConnected(probe, 'the status connected', SECTION.split);
    await bob!.next({ type: 'join', user: 'alice' }, 'the join of alice (your hook)');
    const users = Array.isArray(state.users) ? state.users : [];
    if (!users.includes('alice') || !users.includes('bob')) {
      throw probe.fail(`Connected, but the hook's users are ${JSON.stringify(state.users)}.`, 'users: ["alice", "bob"], from the welcome\'s users', SECTION.reducer);
    }
    if (state.name !== 'alice' || state.address !== `127.0.0.1:${probe.port}` || (state as { encrypted?: boolean }).encrypted === true) {
      throw probe.fail(`The hook's name is ${JSON.stringify(state.name)}, its address ${JSON.stringify(state.address)} and encrypted ${JSON.stringify((state as { encrypted?: boolean }).encrypted)}.`, `name: 'alice' and address: '127.0.0.1:${probe.port}' (host:port), for the status bar, and not encrypted: true on a plain connection (that is lesson 16's TLS)`, SECTION.split);
    }
    // A message makes the component draw again: the connection must not care.
    bob!.send('one more render');
    await probe.until('bob\'s chat line', (c) => findMessage(c, (m) => m.text === 'one more render'), 'the chat line as a message', SECTION.reducer);
    const comings = (await bob!.sync()).filter((e) => e.type === 'join' || e.type === 'leave');
    if (comings.length > 0) {
      throw probe.fail(`After the component drew again, bob saw ${comings.map((e) => JSON.stringify(e)).join(', ')}: your hook dropped its connection and logged in again.`, 'one connection for as long as the component lives, opened in useEffect(..., [host, port, name, retryMs, maxRetryMs]), so that a render does not run it again', SECTION.effects);
    }
  });

  test('turns each event into a message of the right kind, and keeps the user list', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reducer });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice' });
    await untilConnected(probe, 'the status connected', SECTION.reducer);
    await probe.until('a message with the welcome\'s text', (c) => findMessage(c, (m) => m.text?.includes('Welcome, alice!')), 'a message (kind info) with the welcome\'s text', SECTION.reducer);

    const expectMessage = (what: string, match: Partial<Message>, expected: string) =>
      probe.until(what, (c) => findMessage(c, (m) => Object.entries(match).every(([k, v]) => m[k as keyof Message] === v)), expected, SECTION.reducer);

    bob!.send('hi alice');
    await expectMessage('the chat bob sent', { kind: 'chat', from: 'bob', text: 'hi alice' }, "{ kind: 'chat', from: 'bob', text: 'hi alice' } for the event chat");
    bob!.send('/whisper alice just for you');
    await expectMessage('the whisper bob sent', { kind: 'whisper', from: 'bob', to: 'alice', text: 'just for you' }, "{ kind: 'whisper', from: 'bob', to: 'alice', text: 'just for you' } for the event whisper");

    const carol = await chat.login('carol');
    await probe.until('carol in its users after her join', (c) => (c.users?.includes('carol') ? true : undefined), 'users to include carol once the event join arrives', SECTION.reducer);
    await probe.until('a message about carol joining', (c) => findMessage(c, (m) => m.kind === 'system' && m.text.includes('carol')), "a message of kind 'system' that names carol", SECTION.reducer);
    carol.send('/quit');
    await probe.until('carol gone from its users after her leave', (c) => (Array.isArray(c.users) && !c.users.includes('carol') ? true : undefined), 'users without carol once the event leave arrives', SECTION.reducer);
    await probe.until('a second message about carol (her leave)', (c) => ((c.messages ?? []).filter((m) => m.kind === 'system' && m.text.includes('carol')).length >= 2 ? true : undefined), "a message of kind 'system' for the leave too", SECTION.reducer);

    probe.latest()!.send('/nosuchcommand');
    await expectMessage('the server\'s error', { kind: 'error', text: 'Unknown command: /nosuchcommand. Type /help for the list.' }, "{ kind: 'error', text: <the error's text> } for the event error");
    probe.latest()!.send('/help');
    await probe.until('the /help text', (c) => findMessage(c, (m) => m.kind === 'info' && m.text.includes('/whisper')), "messages of kind 'info' with the text of the event info", SECTION.reducer);
  });

  test('shows its own chat lines (the server does not echo them), but not commands', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reducer });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice' });
    await untilConnected(probe, 'the status connected', SECTION.reducer);

    probe.latest()!.send('hello everyone');
    await bob!.next({ type: 'chat', from: 'alice', text: 'hello everyone' }, 'the chat line alice sent with send("hello everyone")');
    await probe.until('its own line as a message', (c) => findMessage(c, (m) => m.kind === 'own' && m.text === 'hello everyone'), "send('hello everyone') adds { kind: 'own', text: 'hello everyone' }: nobody sends your own line back to you", SECTION.reducer);

    probe.latest()!.send('//slash at the start');
    await bob!.next({ type: 'chat', from: 'alice', text: '/slash at the start' }, 'the chat line "/slash at the start" (sent as //slash at the start)');
    await probe.until('its own //-escaped line', (c) => findMessage(c, (m) => m.kind === 'own' && m.text === '/slash at the start'), "send('//slash at the start') adds { kind: 'own', text: '/slash at the start' }: what the others see", SECTION.reducer);

    probe.latest()!.send('/help');
    await probe.until('the reply to /help', (c) => findMessage(c, (m) => m.kind === 'info' && m.text.includes('/whisper')), "the /help text as messages of kind 'info'", SECTION.reducer);
    const own = (probe.latest()!.messages ?? []).filter((m) => m.kind === 'own').map((m) => m.text);
    if (own.some((text) => text.includes('/help'))) {
      throw probe.fail(`After send('/help') the hook shows ${JSON.stringify(own)} as your own chat lines.`, 'a command is not a chat line: only lines the others receive as chat show as own', SECTION.reducer);
    }
  });

  test('keeps only the last maxMessages messages', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reducer });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice', maxMessages: 50 });
    await untilConnected(probe, 'the status connected', SECTION.reducer);
    for (let i = 1; i <= 80; i++) bob!.send(`line ${i}`);
    const state = await probe.until('the 80th line from bob', (c) => (c.messages?.at(-1)?.text === 'line 80' ? c : undefined), 'every chat line as a message, the newest last', SECTION.reducer);
    const texts = state.messages.map((m) => m.text);
    if (texts.length > 50) {
      throw probe.fail(`With maxMessages: 50, the hook holds ${texts.length} messages after 80 chat lines.`, 'the last 50 only (maxMessages): a chat that runs for days must not fill the memory', SECTION.reducer);
    }
    if (!texts.includes('line 31')) {
      throw probe.fail(`With maxMessages: 50, after 80 chat lines the hook kept ${texts.length} messages, from ${JSON.stringify(texts[0])} on.`, 'the newest 50 kept: "line 31" to "line 80"', SECTION.reducer);
    }
  });

  test('the socket lives exactly as long as the component: mounted, unmounted, mounted again', async () => {
    const chat = await startChat({ mine: [], see: SECTION.effects });
    const [bob] = await everyone(chat, 'bob');
    // What React's StrictMode does to every component in development, slowed down to watch it.
    const first = await probeHook(chat, { name: 'alice' });
    await untilConnected(first, 'the status connected', SECTION.effects);
    await bob!.next({ type: 'join', user: 'alice' }, 'the join of alice');
    first.unmount();
    await bob!.next({ type: 'leave', user: 'alice' }, 'the leave of alice after the component using your hook was unmounted').catch(() => {
      throw first.fail('The component using your hook was unmounted, but alice stayed online: the socket was left open.', 'useEffect returns a cleanup function that closes the socket (and cancels a pending retry)', SECTION.effects);
    });
    const second = await probeHook(chat, { name: 'alice' });
    await untilConnected(second, 'the status connected, mounted a second time', SECTION.effects);
    await bob!.next({ type: 'join', user: 'alice' }, 'alice joining again, from the second mount');
    const extra = (await bob!.sync()).filter((e) => e.type === 'join' || e.type === 'leave');
    if (extra.length > 0) {
      throw second.fail(`After the second mount bob also saw ${extra.map((e) => JSON.stringify(e)).join(', ')}.`, 'one login per mount, nothing left over from the first', SECTION.effects);
    }
  });

  test('reconnects when the connection is lost, waiting longer after each failure', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reconnect });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice', retryMs: 10, maxRetryMs: 40 });
    await untilConnected(probe, 'the status connected', SECTION.reconnect);
    await bob!.next({ type: 'join', user: 'alice' }, 'the join of alice');

    // The server drops alice: no bye, no shutdown, the connection just ends.
    chat.server.ctx.registry.find('alice')?.close('kicked');
    await probe.until('the status reconnecting after the server closed its connection', (c) => (c.status?.state === 'reconnecting' ? true : undefined), "status { state: 'reconnecting', reason, attempt, retryInMs } when the connection ends without /quit", SECTION.reconnect);
    await bob!.next({ type: 'join', user: 'alice' }, 'alice joining again: your hook reconnecting after 10 ms (retryMs)');
    await untilConnected(probe, 'connected again', SECTION.reconnect);

    // Now the server is gone for good: every try fails, and the waits grow.
    const before = probe.statuses.length;
    await chat.server.shutdown();
    const waits = await probe.until(
      'four attempts at reconnecting',
      () => {
        const tries = probe.statuses.filter((s): s is Extract<Status, { state: 'reconnecting' }> => s.state === 'reconnecting').slice(-4);
        return tries.length === 4 && tries[3]!.attempt >= 4 ? tries.map((s) => s.retryInMs) : undefined;
      },
      'status reconnecting again after each failed try, with attempt counting up and retryInMs growing',
      SECTION.reconnect,
    );
    const first = probe.statuses.slice(before).find((s) => s.state === 'reconnecting');
    if (first?.state === 'reconnecting' && (first.attempt !== 1 || first.retryInMs !== 10)) {
      throw probe.fail(`After a welcome and then the shutdown, your hook's first status was ${showStatus(first)}.`, 'attempt 1, retryInMs 10: a welcome resets attempt to 0, so each new loss starts the waits again from retryMs', SECTION.reconnect);
    }
    if (first?.state === 'reconnecting' && (typeof first.reason !== 'string' || first.reason.trim() === '')) {
      throw probe.fail(`The server shut down; your hook's status is ${showStatus(first)}, with no reason.`, 'a reason the screen can show (the status carries the reason and the wait), e.g. "The server shut down."', SECTION.reconnect);
    }
    const grows = waits.every((w, i) => i === 0 || w >= waits[i - 1]!) && waits[2]! >= 2 * waits[0]! && waits.every((w) => w <= 40);
    if (!grows) {
      throw probe.fail(`While the server was down, your hook waited ${waits.join(', ')} ms between tries (retryMs 10, maxRetryMs 40).`, 'waits that double from retryMs and stop growing at maxRetryMs: 10, 20, 40, 40', SECTION.reconnect);
    }
  });

  test('stops for good after /quit, and after the server refuses its name', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reconnect });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice', retryMs: 1 });
    await untilConnected(probe, 'the status connected', SECTION.reconnect);
    probe.latest()!.quit();
    await bob!.next({ type: 'leave', user: 'alice', reason: 'quit' }, 'alice leaving with reason quit, after quit() (it sends /quit)');
    await probe.until('the status closed after quit()', (c) => (c.status?.state === 'closed' ? true : undefined), "status { state: 'closed', reason, failed: false } once the server has said bye: no reconnecting after /quit, the user chose to leave", SECTION.reconnect);
    await bob!.sync();
    const after = probe.statuses.slice(probe.statuses.findIndex((s) => s.state === 'closed'));
    if (after.length > 1 || probe.latest()!.status.state !== 'closed') {
      throw probe.fail(`After quit() and the server's bye, your hook went on: ${after.map(showStatus).join(' → ')}.`, 'no reconnecting after /quit: the user chose to leave', SECTION.reconnect);
    }

    const refused = await probeHook(chat, { name: 'BOB', retryMs: 1 });
    const status = await refused.until('the status closed after the server refused the name BOB (bob is online)', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', reason: <the error's text>, failed: true }: trying the same name again cannot help", SECTION.reconnect);
    if (!status.reason.includes('already taken') || !status.failed) {
      throw refused.fail(`The name was refused; your hook's status is ${showStatus(status)}.`, "reason: \"Username 'BOB' is already taken.\" (the error's text) and failed: true", SECTION.reconnect);
    }
  });

  test('a line typed before the welcome waits, and goes out once logged in', async () => {
    const chat = await startChat({ mine: [], see: SECTION.early });
    const gate = await gatedServer(chat.transcript);
    const probe = await probeHook(chat, { name: 'alice', port: gate.port });
    await probe.until(
      'sending its name',
      (c) => {
        if (c.status?.state === 'closed') throw probe.fail(`Your hook gave up before the welcome: its status is closed (${JSON.stringify(c.status.reason)}).`, 'the name sent on hello, then status connecting until the welcome', SECTION.early);
        return gate.lines.length > 0 ? true : undefined;
      },
      'the name, as the first line, once hello arrives',
      SECTION.effects,
    );
    // Typed in the second between connecting and the welcome: a slow server, or a fast typist.
    probe.latest()!.send('early bird');
    probe.latest()!.send('second in line');
    // A line written now is already in the server's receive buffer (loopback); two turns of the
    // event loop, each with its I/O phase, let the server read it.
    for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
    if (gate.lines.length > 1) {
      throw probe.fail(`Before any welcome, your hook sent ${JSON.stringify(gate.lines.slice(1))} after the name. A server reads the lines before its welcome as the login: on a server that asks for a password, that line would be taken for one.`, 'nothing but the name until the welcome has arrived: lines typed earlier wait in a queue', SECTION.early);
    }
    gate.release();
    await untilConnected(probe, 'the status connected after the welcome', SECTION.early);
    await poll(
      () => (gate.lines.length >= 3 ? true : undefined),
      () => probe.fail(`Two lines were typed before the welcome; after it, the server got ${gate.lines.length > 1 ? JSON.stringify(gate.lines.slice(1)) : 'nothing'} from your hook.`, 'lines typed before the welcome wait in a queue, and go out once it arrives, in order: "early bird", then "second in line"', SECTION.early),
    );
    if (gate.lines[1] !== 'early bird' || gate.lines[2] !== 'second in line') {
      throw probe.fail(`After the welcome your hook sent ${JSON.stringify(gate.lines.slice(1))}.`, 'the waiting lines in the order they were typed: "early bird", then "second in line"', SECTION.early);
    }
    await probe.until('"early bird" as your own message', (c) => findMessage(c, (m) => m.kind === 'own' && m.text === 'early bird'), "{ kind: 'own', text: 'early bird' } once it has been sent", SECTION.early);
  });

  test('a refused first connection closes with "Connection refused. Is the server running?"', async () => {
    const port = await closedPort();
    const probe = await probeHook(undefined, { name: 'alice', port, retryMs: 1 });
    const status = await probe.until('a status after a refused connection', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', reason: 'Connection refused. Is the server running?', failed: true }: no server was ever reached", SECTION.reconnect);
    if (status.reason !== 'Connection refused. Is the server running?' || status.failed !== true) {
      throw probe.fail(`Nothing listens on port ${port}; your hook's status is ${showStatus(status)}.`, "reason 'Connection refused. Is the server running?' (err.code ECONNREFUSED) and failed: true", SECTION.reconnect);
    }
  });
});

describe('lesson 11: chatReducer, on its own', () => {
  test('each event its kind, /help one message a line, users kept, hello shows nothing, ids one apart, offline knows nobody', () => {
    const fail = (problem: string, expected: string) => failure({ problem, expected, see: SECTION.reducer });
    const at = 1_700_000_000_000;
    const ts = at + 5;
    const start = initialState(50);
    if (start.users?.length !== 0 || start.messages?.length !== 0) throw fail(`initialState(50) holds users ${JSON.stringify(start.users)} and messages ${showMessages(start.messages)}.`, 'no users and no messages yet');
    const events: (WireEvent | UnknownEvent)[] = [
      { type: 'hello', proto: 1, text: 'Enter your username:', ts },
      { type: 'welcome', user: 'alice', users: ['bob', 'alice'], text: 'Welcome, alice!', ts },
      { type: 'users', users: ['alice', 'bob', 'carol'], ts },
      { type: 'info', text: 'line one\nline two', ts },
      { type: 'bye', text: 'Goodbye!', ts },
      { type: 'error', code: 'USAGE', text: 'Usage: /whisper <user> <message>', ts },
      { type: 'shutdown', text: 'Server is shutting down.', ts },
      { type: 'unknown', raw: '{"type":"future"}' },
    ];
    const state = chatReducer(start, { type: 'received', events, at });
    const story = 'One received action: hello, welcome (users bob, alice), users (alice, bob, carol), info "line one\\nline two", bye, error, shutdown and a line the client does not know';
    const want: [Message['kind'], string][] = [
      ['info', 'line one'], ['info', 'line two'], ['info', 'Goodbye!'], ['error', 'Usage: /whisper <user> <message>'], ['shutdown', 'Server is shutting down.'], ['info', '{"type":"future"}'],
    ];
    const messages = Array.isArray(state.messages) ? state.messages : [];
    const tail = messages.slice(-want.length).map((m) => [m.kind, m.text]);
    if (JSON.stringify(tail) !== JSON.stringify(want) || !messages.some((m) => m.kind === 'info' && m.text === 'Welcome, alice!') || messages.some((m) => /Enter your username/.test(String(m.text)))) {
      throw fail(`${story}. The messages are: ${showMessages(messages)}`, `the welcome's text as info, nothing for hello, and, last: ${want.map(([k, t]) => `${k} ${JSON.stringify(t)}`).join(', ')}: info and bye are info, a text with \\n one message per line, an unknown line as it came`);
    }
    const ids = messages.map((m) => m.id);
    if (ids.some((id, i) => i > 0 && id !== ids[i - 1]! + 1) || state.nextId !== ids.at(-1)! + 1) {
      throw fail(`${story}. The messages' ids are ${JSON.stringify(ids)} and nextId is ${state.nextId}.`, 'ids one apart, in order, from state.nextId (React keys each row by its id), and nextId one past the last');
    }
    if (JSON.stringify(state.users) !== '["alice","bob","carol"]' || state.status?.state !== 'connected') {
      throw fail(`${story}. Then users is ${JSON.stringify(state.users)} and the status ${showStatus(state.status)}.`, 'users ["alice", "bob", "carol"] (the users reply replaces the list) and status connected (from the welcome)');
    }
    const offline = chatReducer(state, { type: 'status', status: { state: 'reconnecting', reason: 'The server shut down.', attempt: 1, retryInMs: 10 } });
    if (offline.status?.state !== 'reconnecting' || offline.users?.length !== 0) {
      throw fail(`After that, a status action (reconnecting) gave the status ${showStatus(offline.status)} and users ${JSON.stringify(offline.users)}.`, 'status reconnecting and no users: offline, nobody is known to be online until the next welcome');
    }
  });
});

describe('lesson 11: chatReducer, what each line says and what a stranger cannot break', () => {
  const at = 1_700_000_000_000;
  const fail = (problem: string, expected: string) => failure({ problem, expected, see: SECTION.reducer });
  const receive = (state: ReturnType<typeof initialState>, ...events: Record<string, unknown>[]) =>
    chatReducer(state, { type: 'received', events: events as unknown as WireEvent[], at });
  const online = () => receive(initialState(50), { type: 'welcome', user: 'alice', users: ['alice', 'carol'], text: 'Welcome, alice!', ts: at });

  test('a leave says why (each reason its own words), /users shows who is online, a note is a line of its own', () => {
    const reasons = ['quit', 'disconnect', 'timeout', 'slow', 'kicked', 'moved', 'some-future-reason'];
    const said = reasons.map((reason) => {
      const state = receive(online(), { type: 'leave', user: 'carol', reason, ts: at });
      const last = state.messages?.at(-1);
      if (last?.kind !== 'system' || typeof last.text !== 'string' || !last.text.startsWith('carol ') || state.users?.includes('carol')) {
        throw fail(`The event leave { user: 'carol', reason: '${reason}' } gave users ${JSON.stringify(state.users)} and, last, the message ${showMessages(last ? [last] : [])}.`, "a message of kind 'system' that starts with carol's name and says why she left, and carol gone from users");
      }
      return last.text.slice('carol '.length).trim();
    });
    const known = said.slice(0, 6);
    const blank = reasons.filter((_, i) => said[i] === '' || /undefined|null/.test(said[i]!));
    if (blank.length > 0 || new Set(known).size !== known.length) {
      throw fail(`For the leave reasons ${reasons.join(', ')} your reducer said, after "carol": ${said.map((s) => JSON.stringify(s)).join(', ')}.`, 'words for every reason, each its own (quit: has left the chat, timeout: timed out, slow: was dropped, ...), and for a reason it does not know the words of quit: the others want to know whether she left or was dropped');
    }

    const users = receive(online(), { type: 'users', users: ['carol', 'alice', 'bob'], ts: at + 1 });
    const reply = users.messages?.at(-1);
    const listed = typeof reply?.text === 'string' && ['alice', 'bob', 'carol'].every((n) => new RegExp(`\\b${n}\\b`).test(reply.text));
    if (reply?.kind !== 'info' || !listed || JSON.stringify(users.users) !== '["alice","bob","carol"]') {
      throw fail(`The event users { users: ['carol', 'alice', 'bob'] } (the reply to /users) gave users ${JSON.stringify(users.users)} and, last, the message ${showMessages(reply ? [reply] : [])}.`, "users ['alice', 'bob', 'carol'] (sorted) and a message of kind 'info' that names them, e.g. \"Online (3): alice, bob, carol\": on a narrow screen there is no user list to look at");
    }

    const noted = chatReducer(online(), { type: 'note', kind: 'error', text: 'Connection lost', at: at + 7 });
    const note = noted.messages?.at(-1);
    if (note?.kind !== 'error' || note.text !== 'Connection lost' || note.ts !== at + 7) {
      throw fail(`The action note { kind: 'error', text: 'Connection lost', at: ${at + 7} } added ${showMessages(note ? [note] : [])} (ts ${note?.ts}).`, "a message { kind: 'error', text: 'Connection lost', ts: at }: the hook's own lines (connection lost, not connected yet) come as notes");
    }
  });

  test('each message has the server\'s ts; a field of the wrong type from a stranger becomes empty, never a crash', () => {
    const state = receive(
      online(),
      { type: 'chat', from: 'carol', text: 'on time', ts: at - 60_000 },
      { type: 'chat', from: 'carol', text: 'no clock', ts: 'yesterday' },
      { type: 'chat', from: 42, text: { evil: true }, ts: at },
      { type: 'whisper', from: ['x'], to: null, text: 7, ts: at },
      { type: 'users', users: ['bob', 7, '', null, 'alice', 'bob', { name: 'eve' }], ts: at },
    );
    const messages = Array.isArray(state.messages) ? state.messages : [];
    const onTime = messages.find((m) => m.text === 'on time');
    const noClock = messages.find((m) => m.text === 'no clock');
    if (onTime?.ts !== at - 60_000 || noClock?.ts !== at) {
      throw fail(`A chat with ts ${at - 60_000} got ts ${onTime?.ts}; a chat with ts "yesterday" (received at ${at}) got ts ${JSON.stringify(noClock?.ts)}.`, "each message's ts is the event's ts when it is a number (the screen shows that time), and the action's `at` when it is not");
    }
    const strange = messages.slice(-3, -1);
    const fields = strange.flatMap((m) => [m.text, m.from, ...(m.kind === 'whisper' ? [m.to] : [])]);
    if (strange.length !== 2 || fields.some((f) => f !== '')) {
      throw fail(`A chat { from: 42, text: { evil: true } } and a whisper { from: ['x'], to: null, text: 7 } became ${showMessages(strange)} (fields ${JSON.stringify(fields)}).`, "one message each, with '' for every field that is not a string: the screen draws strings, and a server can send anything");
    }
    if (JSON.stringify(state.users) !== '["alice","bob"]') {
      throw fail(`The event users { users: ['bob', 7, '', null, 'alice', 'bob', { name: 'eve' }] } gave users ${JSON.stringify(state.users)}.`, "users ['alice', 'bob']: names only (strings, not empty), each once, sorted");
    }
    const notAList = receive(online(), { type: 'welcome', user: 'alice', users: 'alice,bob', text: 'Welcome, alice!', ts: at });
    if (!Array.isArray(notAList.users) || notAList.users.length !== 0) {
      throw fail(`A welcome whose users is the string "alice,bob" gave users ${JSON.stringify(notAList.users)}.`, 'users [] when the field is not a list');
    }
  });
});

// ── A server the test steers, one connection at a time ──────────────────────

interface FakeConnection {
  /** Every line the client sent, the name first. */
  lines: string[];
  send(event: Record<string, unknown>): void;
  /** Bytes as they are, no line ending added: what no chat server sends. */
  sendRaw(text: string): void;
  /** Welcomes the name it sent. */
  welcome(): void;
  /** Ends the connection without a word: a server restarting, a network gone. */
  drop(): void;
  closed: boolean;
}

interface FakeServer {
  port: number;
  transcript: Transcript;
  connections: FakeConnection[];
  /** Stops listening and drops every connection: the next tries are refused. */
  stop(): void;
  /** Waits for the n-th connection (from 1) to send its name; a hook that gave up (status closed) fails at once. */
  named(n: number, probe: Probe, afterWhat: string): Promise<FakeConnection>;
}

/** A fake server that says hello to each connection and does only what the test tells it. */
async function fakeServer(): Promise<FakeServer> {
  const transcript = new Transcript();
  const connections: FakeConnection[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    const label = `server (connection ${connections.length + 1})`;
    const write = (text: string) => {
      transcript.record(label, 'your hook', text);
      if (!socket.destroyed) socket.write(text);
    };
    let pending = '';
    const connection: FakeConnection = {
      lines: [],
      send: (event) => write(JSON.stringify({ ts: Date.now(), ...event }) + '\n'),
      sendRaw: write,
      welcome: () => connection.send({ type: 'welcome', user: connection.lines[0], users: [connection.lines[0]], text: `Welcome, ${connection.lines[0]}!` }),
      drop: () => {
        transcript.record(label, 'your hook', '(the server closes the connection)');
        socket.destroy();
      },
      closed: false,
    };
    connections.push(connection);
    socket.on('data', (chunk) => {
      transcript.record('your hook', label, chunk);
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      connection.lines.push(...parts);
    });
    socket.on('close', () => (connection.closed = true));
    connection.send({ type: 'hello', proto: 1, text: 'Enter your username:' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const c of connections) if (!c.closed) c.drop();
    server.close();
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    transcript,
    connections,
    stop() {
      server.close();
      for (const c of connections) if (!c.closed) c.drop();
    },
    named: (n, probe, afterWhat) =>
      probe.until(
        `connection ${n} ${afterWhat}, and its name on it`,
        (chat) => {
          if (chat.status?.state === 'closed') throw probe.fail(`Your hook gave up while the suite waited for connection ${n} ${afterWhat}: its status is closed (${JSON.stringify(chat.status.reason)}).`, 'a connection, and the name sent on hello', n === 1 ? SECTION.effects : SECTION.reconnect);
          return connections[n - 1]?.lines.length ? connections[n - 1] : undefined;
        },
        n === 1 ? 'the name, as the first line, once hello arrives' : 'a new connection after retryMs, and the name on it',
        n === 1 ? SECTION.effects : SECTION.reconnect,
      ),
  };
}

/** Two turns of the event loop, each with its I/O phase: a line already written has been read by then (loopback). */
async function twoTurns(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
}

/**
 * Watches for `ms` that `happened` stays false: a timer that should have been cancelled
 * would fire within a few of its periods. (Nothing to wait for here but time itself.)
 */
function stillNothing(happened: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (happened() || Date.now() - started >= ms) {
        clearInterval(timer);
        resolve(!happened());
      }
    }, 5);
  });
}

/** The reason of the latest try, once it says the connection was refused. */
function refusedTry(probe: Probe): string | undefined {
  const last = probe.statuses.filter((st) => st.state === 'reconnecting').at(-1);
  return last?.state === 'reconnecting' && last.attempt >= 2 && /refused/i.test(String(last.reason)) ? last.reason : undefined;
}

describe('lesson 11: useChat(), how each connection ends and what waits meanwhile', () => {
  /** A hook on a fake server, logged in on its first connection. */
  async function loggedIn(options: Partial<ChatOptions> = {}) {
    const server = await fakeServer();
    const chat = { transcript: server.transcript } as Chat;
    const probe = await probeHook(chat, { name: 'alice', port: server.port, retryMs: 5, maxRetryMs: 20, ...options });
    const first = await server.named(1, probe, '(the first)');
    first.welcome();
    await untilConnected(probe, 'the status connected after the welcome', SECTION.reconnect);
    return { server, probe, first };
  }
  const reconnecting = (probe: Probe, what: string, after: number) =>
    probe.until(what, () => probe.statuses.slice(after).find((s): s is Extract<Status, { state: 'reconnecting' }> => s.state === 'reconnecting'), "status { state: 'reconnecting', reason, attempt, retryInMs }", SECTION.reconnect);

  test('the reason of each loss: a dropped line, a shutdown, a full server; said once in the messages; a name refused on the way back ends it', async () => {
    const { server, probe, first } = await loggedIn();
    const serverErrors = ['Unknown command: /x. Type /help for the list.', 'The server is full.', "Username 'alice' is already taken."];
    first.send({ type: 'error', code: 'UNKNOWN_COMMAND', text: serverErrors[0] });
    first.send({ type: 'chat', from: 'bob', text: 'see you' });
    await probe.until('bob\'s chat line', (c) => findMessage(c, (m) => m.text === 'see you'), 'the chat line as a message', SECTION.reducer);
    first.drop();
    const dropped = await reconnecting(probe, 'the status reconnecting after the server closed the connection', 0);
    if (typeof dropped.reason !== 'string' || dropped.reason.trim() === '' || [serverErrors[0], 'see you'].includes(dropped.reason) || /shut/i.test(dropped.reason)) {
      throw probe.fail(`The server closed the connection without a word (an UNKNOWN_COMMAND error and a chat line came earlier); your hook's status is ${showStatus(dropped)}.`, 'a reason that says the server closed the connection: not the text of an earlier event (only an error whose code is one of CLOSING_ERRORS is a refusal), not a shutdown that never came', SECTION.reconnect);
    }

    const second = await server.named(2, probe, 'after the loss');
    second.welcome();
    await untilConnected(probe, 'connected again', SECTION.reconnect);
    let before = probe.statuses.length;
    second.send({ type: 'shutdown', text: 'Server is shutting down. Goodbye!' });
    second.drop();
    const shutDown = await reconnecting(probe, 'the status reconnecting after the shutdown', before);
    if (!/shut/i.test(String(shutDown.reason))) {
      throw probe.fail(`The server said shutdown and closed; your hook's status is ${showStatus(shutDown)}.`, 'a reason that says the server shut down (e.g. "The server shut down."): the event shutdown came before the close', SECTION.reconnect);
    }

    const third = await server.named(3, probe, 'after the shutdown');
    before = probe.statuses.length;
    third.send({ type: 'error', code: 'SERVER_FULL', text: serverErrors[1] });
    third.drop();
    const full = await reconnecting(probe, 'the status reconnecting after the server said it was full', before);
    if (full.reason !== serverErrors[1]) {
      throw probe.fail(`The server answered the name with error SERVER_FULL "${serverErrors[1]}" and closed; your hook's status is ${showStatus(full)}.`, `reconnecting (a full server may have room later), with the error's text as the reason: "${serverErrors[1]}"`, SECTION.reconnect);
    }
    const notes = (probe.latest()!.messages ?? []).filter((m) => m.kind === 'error' && !serverErrors.includes(m.text));
    if (notes.length !== 2 || notes.some((m) => typeof m.text !== 'string' || m.text.trim() === '')) {
      throw probe.fail(`Two connections were lost after a welcome (the third try was refused); your hook's own error lines are ${showMessages(notes)}.`, "one message of kind 'error' per lost connection, that says so (e.g. \"Connection lost: <reason> Reconnecting...\"), not one per try: the status bar shows the tries", SECTION.reconnect);
    }

    const fourth = await server.named(4, probe, 'after the full server');
    fourth.send({ type: 'error', code: 'NAME_TAKEN', text: serverErrors[2] });
    fourth.drop();
    const refused = await probe.until('the status closed after the name was refused on the way back', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', reason: <the error's text>, failed: true } after NAME_TAKEN: trying the same name again cannot help, also after having been in", SECTION.reconnect);
    if (refused.reason !== serverErrors[2] || refused.failed !== true) {
      throw probe.fail(`While your hook was away, someone took the name: the server answered NAME_TAKEN and closed. Your hook's status is ${showStatus(refused)}.`, `closed for good, with reason "${serverErrors[2]}" and failed: true: trying the same name again cannot help, also after having been in`, SECTION.reconnect);
    }
    probe.latest()!.quit();
    await twoTurns();
    if (JSON.stringify(probe.latest()!.status) !== JSON.stringify(refused) || server.connections.length !== 4) {
      throw probe.fail(`After the status closed (name refused), quit() changed it to ${showStatus(probe.latest()!.status)} (${server.connections.length} connections).`, 'nothing more after closed: quit() on a closed chat does nothing', SECTION.leaving);
    }
  });

  test('INVALID_NAME on the way back ends it too; a line too long ends the connection, not the program; a first connection closed before its welcome ends it', async () => {
    const gone = await loggedIn({ retryMs: 5, maxRetryMs: 5 });
    gone.server.stop();
    await gone.probe.until(
      'a try refused after the server stopped listening',
      () => refusedTry(gone.probe),
      'status reconnecting with the reason of the try that failed: "Connection refused. Is the server running?" (its ECONNREFUSED)',
      SECTION.reconnect,
    );

    const { server, probe, first } = await loggedIn();
    first.sendRaw('{"type":"chat","from":"bob","text":"' + 'x'.repeat(5000));
    await reconnecting(probe, 'the status reconnecting after a line of 5000 bytes without an end', 0).catch(() => {
      throw probe.fail('The server sent a line of over 5000 bytes (more than MAX_LINE_BYTES, 4096) without its end; your hook did not drop the connection.', "your LineDecoder throws on it: catch that in the 'data' handler and destroy the socket (this is no chat server). Uncaught, it ends the whole program with a stack trace", SECTION.reconnect);
    });
    const second = await server.named(2, probe, 'after the loss');
    second.send({ type: 'error', code: 'INVALID_NAME', text: 'Invalid username.' });
    second.drop();
    const refused = await probe.until('the status closed after INVALID_NAME', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', reason: 'Invalid username.', failed: true }", SECTION.reconnect);
    if (refused.reason !== 'Invalid username.' || refused.failed !== true) {
      throw probe.fail(`On the way back the server answered INVALID_NAME; your hook's status is ${showStatus(refused)}.`, "closed, with reason 'Invalid username.' and failed: true", SECTION.reconnect);
    }

    const never = await fakeServer();
    const lone = await probeHook({ transcript: never.transcript } as Chat, { name: 'alice', port: never.port, retryMs: 5 });
    (await never.named(1, lone, '(the first)')).drop();
    const ended = await lone.until('the status closed after the first connection ended before its welcome', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', failed: true }: never in, so probably no chat server there", SECTION.reconnect);
    if (ended.failed !== true || typeof ended.reason !== 'string' || ended.reason.trim() === '' || /hello/i.test(ended.reason)) {
      throw lone.fail(`The server said hello, read the name and closed; your hook's status is ${showStatus(ended)}.`, 'closed, failed: true, with a reason that says the server closed the connection (it did say hello)', SECTION.reconnect);
    }
  });

  test('lines typed while reconnecting wait for the new welcome, in order, at most 20; one note says they wait', async () => {
    const { server, probe, first } = await loggedIn({ retryMs: 30, maxRetryMs: 30 });
    first.drop();
    await reconnecting(probe, 'the status reconnecting', 0);
    const shown = probe.latest()!.messages?.length ?? 0;
    const typed = Array.from({ length: 25 }, (_, i) => `typed while away ${i + 1}`);
    for (const line of typed.slice(0, 3)) probe.latest()!.send(line);
    const said = await probe.until('its note that the lines wait', (c) => ((c.messages?.length ?? 0) > shown ? c.messages.slice(shown) : undefined), "a message of kind 'info' that says the lines are sent once connected", SECTION.early);
    await twoTurns();
    const waitNotes = (probe.latest()!.messages ?? []).slice(shown);
    if (waitNotes.length !== 1 || waitNotes[0]!.kind !== 'info' || String(waitNotes[0]!.text).trim() === '') {
      throw probe.fail(`While reconnecting, three lines were typed; your hook added ${showMessages(waitNotes.length ? waitNotes : said)}.`, "one message of kind 'info' for the first line that waits (e.g. \"Not connected yet: what you type is sent once you are in.\"), not one per line", SECTION.early);
    }
    for (const line of typed.slice(3)) probe.latest()!.send(line);
    const dropped = await probe.until('a note that a line was not kept', (c) => findMessage(c, (m) => m.kind === 'error' && m.id > (waitNotes[0]!.id ?? 0)), "a message of kind 'error' once the queue is full (the reference keeps 20 lines): that line is lost, say so", SECTION.early);
    if (typeof dropped.text !== 'string' || dropped.text.trim() === '') {
      throw probe.fail(`The queue was full; your hook's note says ${JSON.stringify(dropped.text)}.`, 'a note that says the line was not kept', SECTION.early);
    }

    const second = await server.named(2, probe, 'after the loss');
    second.send({ type: 'info', text: 'Checking your name...' });
    await twoTurns();
    await twoTurns();
    if (second.lines.length > 1) {
      throw probe.fail(`On the new connection, before its welcome, your hook sent ${JSON.stringify(second.lines.slice(1))} after the name.`, 'nothing but the name until the new welcome: the server reads lines before it as the login (a name, a password); an info before the welcome is not one', SECTION.early);
    }
    second.welcome();
    await poll(
      () => (second.lines.length >= 2 ? true : undefined),
      () => probe.fail(`25 lines were typed while reconnecting; after the new welcome the server got ${JSON.stringify(second.lines.slice(1))}.`, 'the waiting lines, in order, once the welcome arrives', SECTION.early),
    );
    await twoTurns();
    await twoTurns();
    const sent = second.lines.slice(1);
    if (JSON.stringify(sent) !== JSON.stringify(typed.slice(0, sent.length)) || sent.length > 20) {
      throw probe.fail(`25 lines were typed while reconnecting; after the new welcome your hook sent ${sent.length}: ${JSON.stringify(sent.slice(0, 3))} ... ${JSON.stringify(sent.slice(-2))}.`, 'at most 20 (the reference keeps 20: a stuck connection must not collect a whole afternoon), in the order they were typed, from "typed while away 1" on', SECTION.early);
    }
  });

  test('quit() before the welcome, or while reconnecting, leaves at once; unmounted, the hook never connects again', async () => {
    const gate = await fakeServer();
    const early = await probeHook({ transcript: gate.transcript } as Chat, { name: 'alice', port: gate.port, retryMs: 5 });
    const waiting = await gate.named(1, early, '(the first)');
    early.latest()!.quit();
    const left = await early.until('the status closed after quit() before any welcome', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', failed: false } at once: not logged in, there is nobody to say /quit to", SECTION.leaving);
    await poll(() => (waiting.closed ? true : undefined), () => early.fail('After quit() before the welcome, the connection stayed open.', 'the socket destroyed: quit() when not logged in closes it and finishes', SECTION.leaving));
    if (left.failed !== false || typeof left.reason !== 'string' || left.reason.trim() === '' || waiting.lines.length > 1) {
      throw early.fail(`After quit() before the welcome, your hook's status is ${showStatus(left)}, and it sent ${JSON.stringify(waiting.lines)}.`, "status closed with failed: false and a reason (e.g. \"You left the chat.\"), and nothing but the name sent: before the welcome, '/quit' would be read as a name", SECTION.leaving);
    }

    const { server, probe, first } = await loggedIn({ retryMs: 10, maxRetryMs: 10 });
    first.drop();
    await reconnecting(probe, 'the status reconnecting', 0);
    probe.latest()!.quit();
    const gone = await probe.until('the status closed after quit() while reconnecting', (c) => (c.status?.state === 'closed' ? c.status : undefined), "status { state: 'closed', failed: false } at once: cancel the retry", SECTION.leaving);
    if (gone.failed !== false || !(await stillNothing(() => server.connections.length > 1 && server.connections[1]!.lines.length > 0, 150))) {
      throw probe.fail(`After quit() while reconnecting, your hook's status is ${showStatus(gone)} and it made ${server.connections.length} connections.`, 'closed with failed: false, and no new connection: the retry timer cancelled', SECTION.leaving);
    }

    const again = await loggedIn({ retryMs: 100, maxRetryMs: 100 });
    again.first.drop();
    await reconnecting(again.probe, 'the status reconnecting', 0);
    again.probe.unmount();
    const connectedHook = await loggedIn({ retryMs: 10, maxRetryMs: 10 });
    connectedHook.probe.unmount();
    const quiet = await stillNothing(() => again.server.connections.length > 1 || connectedHook.server.connections.length > 1, 250);
    if (!quiet) {
      throw again.probe.fail(`The component was unmounted (once while reconnecting, once while connected), and your hook connected again: ${again.server.connections.length} and ${connectedHook.server.connections.length} connections.`, 'after the cleanup nothing more happens: clear the retry timer, and a close that comes after the cleanup must not start a retry', SECTION.effects);
    }
  });

  test('send() trims the line, sends nothing for a blank one, and leaves only for /quit at the start', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reducer });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice' });
    await untilConnected(probe, 'the status connected', SECTION.reducer);
    await bob!.next({ type: 'join', user: 'alice' }, 'the join of alice');
    probe.latest()!.send('   ');
    probe.latest()!.send('  spaced out  ');
    await bob!.next({ type: 'chat', from: 'alice', text: 'spaced out' }, 'the chat line "spaced out" (sent as "  spaced out  ")');
    await probe.until('its own line "spaced out"', (c) => findMessage(c, (m) => m.kind === 'own' && m.text.trim() === 'spaced out'), "send('  spaced out  ') adds { kind: 'own', text: 'spaced out' }", SECTION.reducer);
    const own = (probe.latest()!.messages ?? []).filter((m) => m.kind === 'own').map((m) => m.text);
    if (JSON.stringify(own) !== '["spaced out"]') {
      throw probe.fail(`After send('   ') and send('  spaced out  ') your own lines are ${JSON.stringify(own)}.`, "only 'spaced out', as the others see it: the server trims a line and ignores a blank one, so trim it before you show it, and send nothing for a blank line", SECTION.reducer);
    }
    probe.latest()!.send('I typed /quit by mistake');
    await bob!.next({ type: 'chat', from: 'alice', text: 'I typed /quit by mistake' }, 'the chat line "I typed /quit by mistake": /quit in the middle of a line is chat').catch(() => {
      throw probe.fail(`send('I typed /quit by mistake') did not reach bob as chat; your hook's status is ${showStatus(probe.latest()!.status)}.`, 'only a line that starts with /quit leaves (/^\\/quit(\\s|$)/i)', SECTION.leaving);
    });
    probe.latest()!.send('/QUIT see you');
    await bob!.next({ type: 'leave', user: 'alice', reason: 'quit' }, "alice leaving with reason quit after send('/QUIT see you')");
    const status = await probe.until('the status closed after /QUIT see you', (c) => (c.status?.state === 'closed' || c.status?.state === 'reconnecting' ? c.status : undefined), "status { state: 'closed', failed: false }", SECTION.leaving);
    if (status.state !== 'closed' || status.failed !== false || status.reason.trim() === '') {
      throw probe.fail(`After send('/QUIT see you') and the server's bye, your hook's status is ${showStatus(status)}.`, "closed, failed: false, with a reason (e.g. \"You left the chat.\"): /quit in any case, with words after it, is leaving, and after leaving there is no reconnecting", SECTION.leaving);
    }
  });

  test('new settings, a new connection: the effect depends on host, port and name', async () => {
    const chat = await startChat({ mine: [], see: SECTION.effects });
    const [bob] = await everyone(chat, 'bob');
    const probe = await probeHook(chat, { name: 'alice' });
    await untilConnected(probe, 'the status connected', SECTION.effects);
    await bob!.next({ type: 'join', user: 'alice' }, 'the join of alice');
    const before = probe.statuses.length;
    probe.change({ name: 'alicia' });
    await bob!.next({ type: 'leave', user: 'alice' }, 'alice leaving once the component asks for the name alicia').catch(() => {
      throw probe.fail('The component rendered again with name: "alicia"; your hook stayed online as alice.', 'the effect runs again when one of its dependencies changes: [host, port, name, retryMs, maxRetryMs] (the old socket closed by the cleanup, a new one opened)', SECTION.effects);
    });
    await bob!.next({ type: 'join', user: 'alicia' }, 'alicia joining, from the same component with its new name');
    await untilConnected(probe, 'connected as alicia', SECTION.effects);
    if (!probe.statuses.slice(before).some((st) => st.state === 'connecting')) {
      throw probe.fail(`With the new name your hook went from connected to ${probe.statuses.slice(before).map(showStatus).join(' → ') || 'nothing new'}.`, "status connecting while the new connection logs in (dispatch it when the connection opens): until its welcome, the screen must not say connected", SECTION.effects);
    }
  });
});

// ── The input line's keys, on their own ─────────────────────────────────────

/** The input state after `keys`, from `state`: a string is typed, anything else is a key. */
function press(state: InputState, ...keys: (string | LineKey)[]): InputState {
  return keys.reduce<InputState>((s, key) => inputReducer(s, { type: 'key', key: typeof key === 'string' ? { type: 'insert', text: key } : key, names: [] }), state);
}

const ENTER: LineKey = { type: 'enter' };
const UP: LineKey = { type: 'up' };
const DOWN: LineKey = { type: 'down' };

describe('lesson 11: the input line\'s keys (inputReducer and completeName, on their own)', () => {
  test('↑ and ↓ walk through the lines sent, and ↓ past the newest brings back the draft', () => {
    const fail = (problem: string, expected: string) => failure({ problem, expected, see: SECTION.keys });
    const shown = (s: InputState) => JSON.stringify(s.line?.text);
    const fresh = press(INITIAL_INPUT, UP, 'hi');
    if (fresh.line?.text !== 'hi') throw fail(`With nothing sent yet, ↑ and then typing "hi" gave the line ${shown(fresh)}.`, '"hi": with no history, ↑ does nothing');
    const blank = press(INITIAL_INPUT, '   ', ENTER);
    if (blank.outbox?.length !== 0 || blank.history?.length !== 0) {
      throw fail(`Enter on a line of three spaces left outbox ${JSON.stringify(blank.outbox)} and history ${JSON.stringify(blank.history)}.`, 'both empty: a blank line is not sent, and not remembered');
    }
    const sent = press(INITIAL_INPUT, 'first', ENTER, 'second', ENTER, '   ', ENTER);
    if (JSON.stringify(sent.outbox) !== '["first","second"]') {
      throw fail(`After typing "first", Enter, "second", Enter, three spaces and Enter, the outbox is ${JSON.stringify(sent.outbox)}.`, '["first", "second"]: each line sent once, and no blank one');
    }
    const walk: [string, (string | LineKey)[], string][] = [
      ['typed "draft" after the spaces (not sent), then pressed ↑', ['draft', UP], 'second'],
      ['then ↑ again', [UP], 'first'],
      ['then ↑ once more, with nothing older', [UP], 'first'],
      ['then ↓', [DOWN], 'second'],
      ['then ↓ again, past the newest line', [DOWN], '   draft'],
      ['then ↓ once more', [DOWN], '   draft'],
    ];
    let state: InputState = { ...sent, outbox: [] };
    const story: string[] = ['The suite sent "first" and "second" (the blank line is not kept)'];
    for (const [what, keys, expected] of walk) {
      state = press(state, ...keys);
      story.push(what);
      if (state.line?.text !== expected || state.line.cursor !== expected.length) {
        throw fail(
          `${story.join('; ')}: the line is ${shown(state)}${state.line?.text === expected ? `, with the cursor at ${state.line.cursor}` : ''}.`,
          `${JSON.stringify(expected)}, the cursor at its end (lineOf). ↑ shows the line sent before (again: the one before that, and no further); ↓ goes forward again, and past the newest gives back the draft, the line you had started before the first ↑ (keep it in draft when back is 0)`,
        );
      }
    }
    let many = INITIAL_INPUT;
    for (let i = 1; i <= 101; i++) many = press(many, `line ${i}`, ENTER);
    const oldest = press({ ...many, outbox: [] }, ...Array.from({ length: 101 }, () => UP));
    if (oldest.line?.text !== 'line 2') {
      throw fail(`101 lines sent, then ↑ 101 times: the line is ${shown(oldest)} (the history holds ${many.history?.length}).`, '"line 2": the history keeps the last 100 lines (HISTORY_SIZE), so that a chat that runs for days does not fill the memory');
    }
  });

  test('completeName: after "/whisper " only, without regard to case; several names complete as far as they agree', () => {
    const cases: [string, string[], string, string][] = [
      ['/whisper ca', ['Carol', 'bob'], '/whisper Carol ', 'one name starts with "ca" in any case: the name, then a space'],
      ['/whisper  ca', ['Carol', 'bob'], '/whisper  Carol ', 'any white space after /whisper'],
      ['/whisper zed', ['Carol', 'bob'], '/whisper zed', 'no name starts with "zed": the line as it was'],
      ['/whisper ca', ['carol', 'carlos', 'bob'], '/whisper car', 'carol and carlos agree as far as "car": complete that far, with no space (the name is not finished)'],
      ['/whisper c', ['carlos', 'carl'], '/whisper carl', 'carlos and carl agree as far as "carl": the whole of the shorter one'],
      ['/whisper c', ['carl', 'carlos'], '/whisper carl', 'carl and carlos agree as far as "carl", in either order'],
      ['/whisper ca', ['cat', 'dog', 'carp'], '/whisper ca', 'cat and carp agree only as far as what was typed: the line as it was'],
      ['say /whisper ca', ['Carol'], 'say /whisper ca', 'the line does not start with /whisper: anchor the pattern with ^'],
      ['/whisper ca and more', ['Carol'], '/whisper ca and more', 'a message follows the name already: only the last word of "/whisper name" completes (anchor with $)'],
    ];
    for (const [line, names, expected, why] of cases) {
      let got: string;
      try {
        got = JSON.stringify(completeName(line, names));
      } catch (err) {
        got = `an error: ${(err as Error).message}`;
      }
      if (got !== JSON.stringify(expected)) {
        throw failure({ problem: `completeName(${JSON.stringify(line)}, ${JSON.stringify(names)}) gave ${got}.`, expected: `${JSON.stringify(expected)}: ${why}`, see: SECTION.keys });
      }
    }
    const tab = inputReducer(press(INITIAL_INPUT, '/join '), { type: 'key', key: { type: 'tab' }, names: ['gail'] });
    if (tab.line?.text !== '/join ') {
      throw failure({ problem: `Tab on "/join ", with no rooms known (a version 1 server), gave the line ${JSON.stringify(tab.line?.text)}.`, expected: '"/join ", as it was: names complete only after /whisper', see: SECTION.keys });
    }
  });
});

// ── The screen ───────────────────────────────────────────────────────────────

describe('lesson 11: ChatScreen, the screen', () => {
  test('after login it shows the welcome, who is online, that it is connected, and chat with its sender', async () => {
    const chat = await startChat({ mine: [], see: SECTION.ink });
    const [bob] = await everyone(chat, 'bob', 'Carol');
    const screen = await openScreen(chat, 'alice');
    // bob and Carol were online before alice: only the user list can name them.
    await screen.waitFor('bob and Carol in the user list', (t) => t.includes('bob') && t.includes('Carol'), 'the names of the welcome\'s users (chat.users) in a list beside the messages', SECTION.ink);
    await screen.waitFor('the status "connected"', (t) => /\bconnected\b/i.test(t), 'a status bar that says connected (chat.status.state)', SECTION.ink);
    const text = plain(screen.frame());
    if (!text.includes('127.0.0.1:') || !text.replace(/Welcome, alice!/g, '').includes('alice')) {
      throw screen.fail('The screen does not say where it is connected, or as whom.', 'the status bar shows the server (chat.address, e.g. 127.0.0.1:5050) and your name (chat.name)', SECTION.ink);
    }
    bob!.send('greetings from the suite');
    const after = await screen.waitFor('bob\'s chat line', (t) => t.includes('greetings from the suite'), 'each message in the list: chat.messages, the newest at the bottom', SECTION.ink);
    if (!lineWith(after, 'greetings from the suite')!.includes('bob')) {
      throw screen.fail('bob\'s line shows, but not who sent it.', 'the sender (message.from) on the same line, e.g. "bob: greetings from the suite"', SECTION.ink);
    }
  });

  test('typing a line and Enter sends it; it shows once, as yours, and the input empties', async () => {
    const chat = await startChat({ mine: [], see: SECTION.keys });
    const [bob, carol] = await everyone(chat, 'bob', 'carol');
    const screen = await openScreen(chat, 'alice');
    await screen.type('hello from the screen', SECTION.keys);
    await screen.press('enter');
    await bob!.next({ type: 'chat', from: 'alice', text: 'hello from the screen' }, 'the line typed into your screen, after Enter');
    await carol!.next({ type: 'chat', from: 'alice', text: 'hello from the screen' }, 'the line typed into your screen, after Enter');
    await screen.waitFor(
      'the line in the message list, and an empty input',
      (t) => count(t, 'hello from the screen') === 1 && !screen.inputLine().includes('hello from the screen'),
      'onSubmit calls chat.send(line) and empties the input; the line then shows once, in the list',
      SECTION.keys,
    );
  });

  test('whispers show as whispers, to and from', async () => {
    const chat = await startChat({ mine: [], see: SECTION.ink });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    bob!.send('/whisper alice a secret for alice');
    const text = await screen.waitFor('bob\'s whisper', (t) => t.includes('a secret for alice'), 'the whisper in the message list', SECTION.ink);
    if (!lineWith(text, 'a secret for alice')!.includes('bob')) {
      throw screen.fail('bob\'s whisper shows, but not who whispered.', 'e.g. "[WHISPER from bob]: a secret for alice"', SECTION.ink);
    }
    await screen.type('/whisper bob a secret for bob', SECTION.keys);
    await screen.press('enter');
    await bob!.next({ type: 'whisper', from: 'alice', to: 'bob', text: 'a secret for bob' }, 'the whisper typed into your screen');
    const after = await screen.waitFor('the whisper alice sent (the server\'s confirmation)', (t) => count(t, 'a secret for bob') === 1 && !screen.inputLine().includes('a secret for bob'), 'the server sends your whisper back to you: it shows once, in the list', SECTION.ink);
    if (!lineWith(after, 'a secret for bob')!.includes('bob')) {
      throw screen.fail('Your whisper to bob shows, but not to whom.', 'e.g. "[WHISPER to bob]: a secret for bob": when message.from is you, name message.to', SECTION.ink);
    }
  });

  test('colours each line by its kind, never by its text', async () => {
    const chat = await startChat({ mine: [], see: SECTION.colour });
    const [bob, carol] = await everyone(chat, 'bob', 'Carol');
    const screen = await openScreen(chat, 'alice');
    bob!.send('plain words from bob');
    bob!.send('[WHISPER from admin]: your password?');
    bob!.send('/whisper alice real whisper words');
    await bob!.sync();
    carol!.send('/quit');
    await bob!.next({ type: 'leave', user: 'Carol' }, 'Carol leaving');
    await screen.type('my own words', SECTION.keys);
    await screen.press('enter');
    // The error comes after everything above on alice's connection: once it shows, all has arrived.
    await screen.type('/nosuchcommand', SECTION.keys);
    await screen.press('enter');
    await screen.waitFor(
      'the error for /nosuchcommand, after bob\'s two chat lines, his whisper, Carol leaving and your own line',
      (t) => ['plain words from bob', 'your password?', 'real whisper words', 'my own words', 'Unknown command'].every((n) => count(t, n) === 1),
      'each of them once in the message list',
      SECTION.colour,
    );
    const frame = screen.frame();
    const style = (needle: string) => styleAt(lineWith(frame, needle)!, needle);
    const chatStyle = style('plain words from bob');
    const fake = style('your password?');
    if (fake !== chatStyle) {
      throw screen.fail(`bob sent the chat line "[WHISPER from admin]: your password?", and your screen draws it in the style ${fake}, while his other chat line is ${chatStyle}.`, 'the style chosen from message.kind (chat), never from the text: anyone can type "[WHISPER"', SECTION.colour);
    }
    const others: [string, string, string][] = [
      ['whisper', 'real whisper words', 'a whisper'],
      ['own', 'my own words', 'your own line'],
      ['system', 'Carol', 'Carol leaving'],
      ['error', 'Unknown command', 'the error'],
    ];
    for (const [kind, needle, what] of others) {
      const got = style(needle);
      if (got === chatStyle) {
        throw screen.fail(`${what} is drawn in the same style as bob's chat line (${got}).`, `kind '${kind}' in a colour of its own (e.g. <Text color=...>), so that it stands out from chat`, SECTION.colour);
      }
    }
  });

  test('join and leave keep the user list up to date; the list shows the last lines that fit', async () => {
    const chat = await startChat({ mine: [], see: SECTION.ink });
    const [bob, carol] = await everyone(chat, 'bob', 'Carol');
    const screen = await openScreen(chat, 'alice');
    const dave = await chat.login('dave');
    await screen.waitFor('dave, who joined', (t) => t.includes('dave'), 'the join in the list and dave in the user list', SECTION.ink);
    carol!.send('/quit');
    await bob!.next({ type: 'leave', user: 'Carol' }, 'Carol leaving');
    // Thirty lines push the join and the leave out of sight: after that, only the user list can name anyone.
    for (let i = 1; i <= 30; i++) bob!.send(`filler line ${i}`);
    const text = await screen.waitFor('the 30th line from bob', (t) => t.includes('filler line 30'), 'the newest message at the bottom of the list', SECTION.size);
    const lines = text.split('\n');
    if (lines.length > screen.size.rows || /filler line 1\b/.test(text)) {
      throw screen.fail(`After 30 more lines the frame is ${lines.length} lines tall and still shows the first of them.`, `the last messages that fit in ${screen.size.rows} rows; older ones scroll out of sight`, SECTION.size);
    }
    if (!text.includes('dave')) {
      throw screen.fail('dave is online, but once his join scrolled away, the screen no longer names him.', 'dave in the user list: chat.users, kept up to date by join', SECTION.ink);
    }
    if (text.includes('Carol')) {
      throw screen.fail('Carol left, and her leave has scrolled away, but the screen still names her.', 'Carol gone from the user list: chat.users, kept up to date by leave', SECTION.ink);
    }
    dave.close();
  });

  test('Tab completes a name after /whisper, without regard to case', async () => {
    const chat = await startChat({ mine: [], see: SECTION.keys });
    const [bob, carol] = await everyone(chat, 'bob', 'Carol');
    const screen = await openScreen(chat, 'alice');
    await screen.waitFor('Carol in the user list', (t) => t.includes('Carol'), 'Carol in the user list', SECTION.ink);
    await screen.type('/whisper ca', SECTION.keys);
    await screen.press('tab');
    await screen.waitFor(
      'the name completed by Tab',
      () => screen.inputLine().includes('/whisper Carol'),
      "'/whisper ca' + Tab → '/whisper Carol ': the only name that starts with 'ca' without regard to case (Carol), and a space",
      SECTION.keys,
    );
    await screen.type('psst', SECTION.keys);
    await screen.waitFor(
      '"psst" at the end of the line, after the name Tab completed',
      () => screen.inputLine().includes('/whisper Carol psst'),
      "'/whisper Carol psst': after Tab the cursor must be at the end of the line (lineOf(completed)), so that what you type next goes after the name",
      SECTION.keys,
    );
    await screen.press('enter');
    await carol!.next({ type: 'whisper', from: 'alice', to: 'Carol', text: 'psst' }, 'the whisper completed with Tab');
    // Typed fast, or over ssh: the Tab arrives in one read with the text around it.
    await screen.write('/whisper ca\tfast\r');
    await carol!.next({ type: 'whisper', from: 'alice', to: 'Carol', text: 'fast' }, "the whisper typed as one read, '/whisper ca\\tfast\\r': a Tab inside a read completes too").catch(() => {
      throw screen.fail("The suite wrote '/whisper ca\\tfast\\r' in one read, and Carol got no whisper \"fast\".", "the tab completes the name there too (keysOf gives { type: 'tab', pasted: true }); only a tab that completes nothing is a space", SECTION.keys);
    });
    await screen.write('col1\tcol2\r');
    const pasted = await bob!.next({ type: 'chat', from: 'alice' }, "the pasted line 'col1\\tcol2'");
    if (pasted.type !== 'chat' || pasted.text !== 'col1 col2') {
      throw screen.fail(`The suite pasted 'col1\\tcol2\\r' and alice sent ${JSON.stringify(pasted.type === 'chat' ? pasted.text : pasted)}.`, '"col1 col2": a pasted tab that completes nothing is a space (key.pasted), so that words do not run together', SECTION.keys);
    }
  });

  test('↑ brings back the lines sent before, newest first', async () => {
    const chat = await startChat({ mine: [], see: SECTION.keys });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    await screen.type('first line', SECTION.keys);
    await screen.press('enter');
    await screen.type('second line', SECTION.keys);
    await screen.press('enter');
    await bob!.next({ type: 'chat', text: 'second line' }, 'the second line');
    await screen.press('up');
    await screen.waitFor('"second line" back in the input after ↑', () => screen.inputLine().includes('second line'), 'the last line sent, in the input, after ↑', SECTION.keys);
    await screen.press('up');
    await screen.waitFor('"first line" in the input after ↑ twice', () => screen.inputLine().includes('first line'), 'the line before it after ↑ again', SECTION.keys);
    await screen.press('enter');
    await bob!.next({ type: 'chat', from: 'alice', text: 'first line' }, '"first line" sent again, recalled with ↑ and Enter');
  });

  test('a stranger\'s text never reaches the terminal raw: control characters are removed', async () => {
    const chat = await startChat({ mine: [], see: SECTION.sanitise });
    // This server does not strip control characters, the way an old or hostile one would not.
    const attack = 'look HERE \u001b]0;owned\u0007\u001b[2J\u001b[5;38;5;199mblinking\u009b2J\u0008\u0008\r';
    const port = await hostileServer(chat.transcript, [
      { type: 'welcome', user: 'alice', users: ['alice', 'mal\u001b[38;5;208mlory'], text: 'Welcome, alice! Type /help for available commands.' },
      { type: 'chat', from: 'mal\u001b]8;;http://evil.example\u0007lory', text: attack },
    ]);
    const screen = await openScreen(chat, 'alice', port);
    await screen.waitFor('the hostile chat line', (t) => t.includes('look HERE'), 'the chat line, with its control characters removed', SECTION.sanitise);
    const raw = screen.frame();
    const found = ['\u001b]', '\u0007', '\u0008', '\u009b', '\r', '\u001b[2J', '\u001b[5;', '\u001b[38;5;'].filter((bad) => raw.includes(bad));
    if (found.length > 0) {
      throw screen.fail(`A server sent text with escape sequences in it, and your screen passed them to the terminal: ${found.map((f) => JSON.stringify(f)).join(', ')} reached the frame. In a real terminal they retitle the window, recolour the text, or worse.`, 'every string from the network (text, from, to, user names) sanitised before it is drawn: control characters (U+0000–U+001F, U+007F–U+009F) removed', SECTION.sanitise);
    }
  });

  test('the status bar says connected, then reconnecting when the server shuts down', async () => {
    const chat = await startChat({ mine: [], see: SECTION.reconnect });
    await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    await screen.waitFor('the status "connected"', (t) => /\bconnected\b/i.test(t), 'a status bar that says connected', SECTION.reconnect);
    await chat.server.shutdown();
    await screen.waitFor('the server\'s shutdown notice', (t) => t.includes('Server is shutting down'), 'the shutdown event\'s text in the message list', SECTION.reconnect);
    await screen.waitFor('the status "reconnecting"', (t) => /reconnecting/i.test(t), "a status bar that says reconnecting while chat.status.state is 'reconnecting'", SECTION.reconnect);
  });

  test('when the hook gives up (nobody listening), the app ends with the reason as its error, which chat-main prints', async () => {
    const port = await closedPort();
    function App() {
      return h(ChatScreen, { chat: reference.useChat({ host: '127.0.0.1', port, name: 'alice', retryMs: 50, maxRetryMs: 200 }) });
    }
    const ink = render(h(Text, null, ''));
    Object.defineProperty(ink.stdout, 'columns', { get: () => 80, configurable: true });
    Object.defineProperty(ink.stdout, 'rows', { get: () => 24, configurable: true });
    onTestFinished(() => ink.unmount());
    // The same terminal, so Ink hands back the instance ink-testing-library made, with its waitUntilExit().
    const app = inkRender(h(App), { stdout: ink.stdout as unknown as NodeJS.WriteStream, stdin: ink.stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false });
    let ended: { error: unknown } | undefined;
    void app.waitUntilExit().then(() => (ended = { error: undefined }), (error: unknown) => (ended = { error }));
    const { error } = await poll(
      () => ended,
      () => failure({ problem: `Nothing listens on port ${port}: the hook's status is closed (failed: true), but the app is still running.\n\nYour screen's last frame:\n${ink.lastFrame() ?? ''}`, expected: "when chat.status.state becomes 'closed', call useApp().exit(): with new Error(status.reason) when status.failed", see: SECTION.leaving }),
    );
    const reason = 'Connection refused. Is the server running?';
    if (!(error instanceof Error) || error.message !== reason) {
      throw failure({ problem: `Nothing listens on port ${port}; the app ended with ${error instanceof Error ? `the error ${JSON.stringify(error.message)}` : 'no error'}, so chat-main has nothing to tell the user.`, expected: `exit(new Error(status.reason)) when status.failed: the error "${reason}"`, see: SECTION.leaving });
    }
  });

  test('/quit leaves the chat and ends the app; so does Ctrl+C', async () => {
    const chat = await startChat({ mine: [], see: SECTION.leaving });
    const [bob] = await everyone(chat, 'bob');
    const first = await openScreen(chat, 'alice');
    await first.type('/quit', SECTION.keys);
    await first.press('enter');
    await bob!.next({ type: 'leave', user: 'alice', reason: 'quit' }, 'alice leaving with reason quit, after /quit was typed');
    await poll(
      () => (first.exited() ? true : undefined),
      () => first.fail('alice typed /quit and the server said bye and closed, but the app is still running.', "when chat.status.state becomes 'closed', call useApp().exit()", SECTION.leaving),
    );

    const second = await openScreen(chat, 'carol');
    await second.press('ctrlC');
    await bob!.next({ type: 'leave', user: 'carol', reason: 'quit' }, 'carol leaving with reason quit, after Ctrl+C (chat.quit() sends /quit)').catch(() => {
      throw second.fail('Ctrl+C was pressed, and carol did not leave with reason quit.', 'useInput: on Ctrl+C (key.ctrl and input "c") call chat.quit(), which says /quit', SECTION.leaving);
    });
    await poll(
      () => (second.exited() ? true : undefined),
      () => second.fail('After Ctrl+C and the server\'s bye, the app is still running.', "when chat.status.state becomes 'closed', call useApp().exit()", SECTION.leaving),
    );
  });

  test('text and Enter in one read, and keys faster than a redraw: each line sent once, whole', async () => {
    const chat = await startChat({ mine: [], see: SECTION.together });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    const sent: string[] = [];
    const expect = async (how: string, ...texts: string[]) => {
      for (const text of texts) {
        sent.push(text);
        await bob!.next({ type: 'chat', from: 'alice', text }, `"${text}" from alice`).catch(() => {
          const got = bob!.events.flatMap((e) => (e.type === 'chat' && e.from === 'alice' ? [JSON.stringify(e.text)] : []));
          throw screen.fail(`The suite ${how}. bob got these chat lines from alice: ${got.join(', ') || '(none)'}; the lines typed were ${sent.map((t) => JSON.stringify(t)).join(', ')}.`, 'each line typed sent once, whole: every key applied to the state the key before it left (a reducer), never to the value of the last render', SECTION.together);
        });
      }
    };
    await screen.write('hello\r');
    await expect("wrote 'hello\\r' as one read (a paste, tmux's send-keys hello Enter)", 'hello');
    await screen.write('a', 'b', '\r');
    await expect("wrote 'a', 'b' and '\\r' in one tick, before the screen could draw again", 'ab');
    await screen.write('one\rtwo\r\nthree\n');
    await expect("pasted three lines in one read ('one\\rtwo\\r\\nthree\\n')", 'one', 'two', 'three');
    const burst = Array.from({ length: 12 }, (_, i) => `burst ${i + 1}`);
    await screen.write(...burst.map((line) => `${line}\r`));
    await expect('wrote twelve lines, each with its Enter, in one tick', ...burst);
    const extra = (await bob!.sync()).flatMap((e) => (e.type === 'chat' ? [JSON.stringify(e.text)] : []));
    if (extra.length > 0) {
      throw screen.fail(`After those lines bob also got ${extra.join(', ')}.`, 'nothing but the lines typed, each once', SECTION.together);
    }
    await screen.waitFor('an empty input line after the last Enter', () => !screen.inputLine().includes('burst'), 'the input emptied by Enter', SECTION.together);
  });

  test('the readline keys edit the line: Ctrl+U, Ctrl+W, Ctrl+A, Ctrl+E, the arrows, Backspace', async () => {
    const chat = await startChat({ mine: [], see: SECTION.together });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    // Each case: text typed and shown first, then keys written in one tick, the last an Enter.
    const cases: [string, string, string[], string][] = [
      ['Ctrl+U deletes the line before the cursor', 'this goes away', [KEY.ctrlU, 'kept\r'], 'kept'],
      ['Ctrl+W deletes the word before the cursor', 'hello wrong word', [KEY.ctrlW, 'world\r'], 'hello wrong world'],
      ['Ctrl+A goes to the start, Ctrl+E to the end', 'bc', [KEY.ctrlA, 'a', KEY.ctrlE, 'd\r'], 'abcd'],
      ['← and → move the cursor, Backspace deletes before it', 'ac', [KEY.left, 'b', KEY.right, 'd', KEY.backspace, 'e\r'], 'abce'],
      ['Ctrl+L redraws the screen and types nothing', 'f', [KEY.ctrlL, 'g\r'], 'fg'],
    ];
    for (const [what, typed, keys, expected] of cases) {
      await screen.type(typed, SECTION.together);
      await screen.write(...keys);
      const got = await bob!.next({ type: 'chat', from: 'alice' }, `the line typed to check that ${what}`);
      const text = got.type === 'chat' ? got.text : '';
      if (text !== expected) {
        throw screen.fail(`${what}: the suite typed ${JSON.stringify(typed)}, then ${keys.map((k) => JSON.stringify(k)).join(' ')}, and alice sent ${JSON.stringify(text)}.`, `"${expected}": Ctrl+U is '\\x15', Ctrl+W '\\x17' (Ink's useInput reports key.ctrl and the letter); they edit the line, they never type a letter`, SECTION.together);
      }
    }
  });

  test('joined and wide emoji take the columns a terminal gives them: the borders stay in line', async () => {
    const chat = await startChat({ mine: [], see: SECTION.columns });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}'; // 👨‍👩‍👧: three people joined, one grapheme
    const thumb = '\u{1F44D}\u{1F3FD}'; // 👍🏽: a thumb and a skin tone, one grapheme
    const line = `family ${family} thumbs ${thumb} wide 漢字 ${thumb.repeat(30)} ${family.repeat(25)} café end`;
    bob!.send(line);
    const text = await screen.waitFor("bob's line of emoji", (t) => t.includes('café end'), 'the whole line in the message list', SECTION.columns);
    const lines = text.split('\n');
    const boxes = lines.slice(0, -1); // every line but the status bar is frames from edge to edge
    const off = boxes.findIndex((l) => widthOf(l) !== screen.size.columns);
    if (off !== -1) {
      throw screen.fail(`Frame line ${off + 1} is ${widthOf(lines[off]!)} columns wide, in an ${screen.size.columns}-column terminal: its right border is out of line. A terminal draws ${family} and ${thumb} in two columns each, and 漢 too.`, 'every row of the frames exactly as wide as the terminal: widths counted by grapheme (textWidth), long words cut between graphemes (wrapText), never inside one', SECTION.columns);
    }
    if (count(text, family) !== 26 || count(text, thumb) !== 31) {
      throw screen.fail(`bob sent ${family} 26 times and ${thumb} 31 times; the frame shows them ${count(text, family)} and ${count(text, thumb)} times whole: the others were cut in two at the end of a row.`, 'each emoji whole: wrap by grapheme (wrapText), not by code point', SECTION.columns);
    }
  });

  test('a message that wraps keeps all its rows; the oldest rows are cut, none drawn over another', async () => {
    const chat = await startChat({ mine: [], see: SECTION.wrapped });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    for (let i = 1; i <= 20; i++) bob!.send(`filler line ${i}`);
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango omega'.split(' ');
    bob!.send(words.join(' '));
    bob!.send('after one');
    bob!.send('after two');
    const text = await screen.waitFor('the last of bob\'s lines', (t) => t.includes('after two'), 'every message in the list, the newest at the bottom', SECTION.wrapped);
    const lines = text.split('\n');
    const row = (needle: string) => lastIndexWhere(lines, (l) => new RegExp(`\\b${needle}\\b`).test(l));
    const order = [...words, 'filler line 20'].map(row);
    const missing = [...words].filter((w) => row(w) === -1);
    const where = words.map(row);
    const inOrder = where.every((r, i) => i === 0 || r >= where[i - 1]!) && where.at(-1)! < row('after one') && row('after one') < row('after two') && row('filler line 20') < where[0]!;
    if (missing.length > 0 || order.includes(-1) || !inOrder) {
      throw screen.fail(`bob sent 20 short lines, one of ${words.length} words that wraps onto several rows, and two more short ones. ${missing.length > 0 ? `The words ${missing.map((w) => JSON.stringify(w)).join(', ')} are missing: rows were drawn over them.` : 'Its rows are out of order with the lines around it.'} Ink squeezes a box's children when they do not fit (flexShrink), and a squeezed message still draws all its text, over its neighbours.`, 'every row of the newest messages, in order; only the oldest cut off at the top: each message row with flexShrink={0}, in a list with overflow="hidden"', SECTION.wrapped);
    }
  });

  test('a narrow window (50×12): the layout gives way, nothing garbled', async () => {
    const chat = await startChat({ mine: [], see: SECTION.narrow });
    const [bob] = await everyone(chat, 'bob', 'Carol');
    const screen = await openScreen(chat, 'alice');
    await screen.resize(50, 12);
    bob!.send('hello in a small window');
    // Its last word is enough to know it arrived: whether it fits on one row is checked below.
    const text = await screen.waitFor("bob's line", (t) => /\bwindow\b/.test(t), 'the line in the message list', SECTION.narrow);
    const lines = text.split('\n');
    const status = lines.at(-1)!;
    const wide = lines.findIndex((l) => widthOf(l) > 50);
    if (lines.length > 12 || wide !== -1) {
      throw screen.fail(`In a 50×12 terminal your screen is ${lines.length} lines tall${wide === -1 ? '' : `, and line ${wide + 1} is ${widthOf(lines[wide]!)} columns wide`}.`, 'at most 50 columns and 12 rows', SECTION.narrow);
    }
    if (!/\bconnected\b/.test(status) || !status.includes('alice')) {
      throw screen.fail(`The status bar is not one line at the bottom: the last line is ${JSON.stringify(status.trim())}.`, 'the status bar on the last line, cut to fit: "● connected  alice @ 127.0.0.1:PORT"; the key hints go first when there is no room', SECTION.narrow);
    }
    const stray = lines.slice(0, -1).find((l) => /Ctrl\+C|history|completes/.test(l));
    if (stray) throw screen.fail(`Part of the status bar landed on another line: ${JSON.stringify(stray.trim())}.`, 'a status bar of one line: what does not fit is left out, never wrapped', SECTION.narrow);
    if (!lines.some((l) => l.includes('bob: hello in a small window'))) {
      throw screen.fail("In a 50-column window bob's short line does not fit on one row: the messages have too little room.", `below ${60} columns, no user list: the messages take the whole width (the status bar can say how many are online)`, SECTION.narrow);
    }
    const heading = lines.find((l) => l.includes('Online'));
    if (heading && !/Online \(\d+\)/.test(heading)) {
      throw screen.fail(`The user list's heading is cut: ${JSON.stringify(heading.trim())}.`, `below ${60} columns, no user list (the status bar can say how many are online); above, the heading whole`, SECTION.narrow);
    }
    const boxes = lines.slice(0, -1).findIndex((l) => widthOf(l) !== 50);
    if (boxes !== -1) {
      throw screen.fail(`Frame line ${boxes + 1} is ${widthOf(lines[boxes]!)} columns wide in a 50-column terminal: the frames are out of line.`, 'every frame as wide as the terminal', SECTION.narrow);
    }
  });

  test('fits an 80×24 terminal, and draws again when the terminal is resized', async () => {
    const chat = await startChat({ mine: [], see: SECTION.size });
    const [bob] = await everyone(chat, 'bob');
    const screen = await openScreen(chat, 'alice');
    bob!.send(`a long line ${'with many words in it '.repeat(12)}and ${'x'.repeat(120)} end`);
    await screen.waitFor('bob\'s long line', (t) => t.includes(' end'), 'the long line, wrapped', SECTION.size);
    const fits = (columns: number, rows: number) => {
      const lines = screen.frame().split('\n');
      return lines.length <= rows && lines.every((l) => widthOf(l) <= columns);
    };
    const measure = () => {
      const lines = screen.frame().split('\n');
      return `${Math.max(...lines.map(widthOf))} columns wide and ${lines.length} lines tall`;
    };
    if (!fits(80, 24)) {
      throw screen.fail(`In an 80×24 terminal your screen is ${measure()}.`, 'at most 80 columns and 24 rows: sizes from useStdout().stdout.columns and .rows, long lines wrapped inside their box', SECTION.size);
    }
    await screen.resize(120, 40);
    await poll(
      () => {
        const lines = screen.frame().split('\n');
        return lines.length > 24 && lines.length <= 40 && lines.some((l) => widthOf(l) > 80) && fits(120, 40) ? true : undefined;
      },
      () => screen.fail(`The terminal grew to 120×40 (stdout emitted 'resize'); your screen is ${measure()}.`, "a screen that uses the new size: listen for stdout's 'resize' event and keep the size in state", SECTION.size),
    );
    await screen.resize(80, 24);
    await poll(
      () => (fits(80, 24) ? true : undefined),
      () => screen.fail(`The terminal shrank back to 80×24; your screen is ${measure()}.`, 'the screen drawn again at the new size', SECTION.size),
    );
    // A line longer than the input box scrolls inside it: what was typed last, at the cursor, stays in view.
    await screen.write(`${'w'.repeat(120)}END`);
    await poll(
      () => (/w{40}END/.test(plain(screen.frame())) && fits(80, 24) ? true : undefined),
      () => screen.fail(`The suite typed 120 letters and "END" into the input line of an 80×24 terminal; your screen is ${measure()}, and "END" (the end of the line, where the cursor is) ${/END/.test(plain(screen.frame())) ? 'shows' : 'does not show'}.`, "the end of a long line in view, inside the box: LineView's width is the box's columns less the prompt's (width - textWidth(prompt)), or the text runs under the border", SECTION.size),
    );
  });
});

// ── The screen, drawing a Chat given as it is (no hook, no server) ───────────

interface Drawn {
  frame(): string;
  /** Every frame written to the terminal so far, with what useStdout().write() wrote. */
  frames(): string[];
  until(what: string, check: (text: string) => boolean, expected: string, see: string): Promise<string>;
  write(...chunks: string[]): Promise<void>;
  fail(problem: string, expected: string, see: string): Error;
}

/** A Chat as the hook would return it: alice, connected to 127.0.0.1:5050, unless `chat` says otherwise. */
async function drawChat(chat: Partial<ChatState>, size = { columns: 80, rows: 24 }): Promise<Drawn> {
  const full: ChatState = { name: 'alice', address: '127.0.0.1:5050', status: { state: 'connected' }, users: ['alice', 'bob'], messages: [], send: () => {}, quit: () => {}, ...chat };
  const ink = render(h(Text, null, ''));
  Object.defineProperty(ink.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { get: () => size.rows, configurable: true });
  ink.rerender(h(ChatScreen, { chat: full }));
  onTestFinished(() => ink.unmount());
  // A closed chat makes the screen call exit(): Ink then unmounts it, and under load its last
  // frame can be the blank one written on the way out. The screen drawn is the last one with
  // something on it.
  const frame = () => [...ink.frames].reverse().find((f) => f.trim() !== '') ?? ink.lastFrame() ?? '';
  const drawn: Drawn = {
    frame,
    frames: () => ink.frames,
    fail(problem, expected, see) {
      return failure({ problem: `${problem}\n\nThe chat given to your screen: status ${showStatus(full.status)}, users ${JSON.stringify(full.users)}, messages:${showMessages(full.messages)}\n\nYour screen's last frame:\n${picture(frame(), size)}`, expected, see });
    },
    until(what, check, expected, see) {
      return poll(
        () => (check(plain(frame())) ? plain(frame()) : undefined),
        () => drawn.fail(`The screen did not show ${what} within ${PATIENCE_MS} ms.`, expected, see),
      );
    },
    async write(...chunks) {
      await inAct(() => {
        for (const chunk of chunks) ink.stdin.write(chunk);
      });
    },
  };
  await drawn.until('the chat, drawn', (t) => t.trim().split('\n').length > 3, 'the message list, the user list, the input line and the status bar', SECTION.ink);
  return drawn;
}

/** The status bar: the frame's last line. */
function statusLine(frame: string): string {
  return frame.trimEnd().split('\n').at(-1) ?? '';
}

/** 03:04:05 today, in local time: a clock that shows it must pad each part to two digits. */
const EARLY = new Date(new Date().setHours(3, 4, 5, 0)).getTime();

describe('lesson 11: ChatScreen, the details (a chat given as it is, no server)', () => {
  test('the status bar says each state in words and a colour, with the reason and the wait while reconnecting; the key hints only when connected', async () => {
    const states: [Status, RegExp, string][] = [
      [{ state: 'connecting' }, /\bconnecting\b/, '"○ connecting"'],
      [{ state: 'connected' }, /\bconnected\b/, '"● connected"'],
      [{ state: 'reconnecting', reason: 'Server gone.', attempt: 4, retryInMs: 2100 }, /\breconnecting in 3 s \(attempt 4\)\s.*\sServer gone\./, '"○ reconnecting in 3 s (attempt 4)  alice @ 127.0.0.1:5050  Server gone.": the wait in whole seconds, rounded up (Math.ceil(retryInMs / 1000)), the attempt, and at the end the reason'],
      [{ state: 'closed', reason: 'Name taken.', failed: true }, /\bclosed\s.*\sName taken\./, '"× closed  alice @ 127.0.0.1:5050  Name taken.": the reason at the end'],
    ];
    const styles: string[] = [];
    for (const [status, words, expected] of states) {
      const screen = await drawChat({ status });
      const line = statusLine(screen.frame());
      if (!words.test(plain(line)) || !/^\s*[^\sA-Za-z]\s+[a-z]/.test(plain(line))) throw screen.fail(`With status ${showStatus(status)} the status bar reads ${JSON.stringify(plain(line).trim())}.`, expected, SECTION.status);
      const word = status.state;
      const style = styleAt(line, word);
      if (!/fg=/.test(style)) throw screen.fail(`With status ${status.state} the word "${word}" in the status bar has no colour (${style}).`, 'the state in a colour: green when connected, yellow while connecting or reconnecting, red when closed', SECTION.status);
      styles.push(style);
      // Connecting leaves room for the hints at 80 columns only just not: at 120 they would fit.
      const wide = status.state === 'connecting' ? await drawChat({ status }, { columns: 120, rows: 24 }) : screen;
      const hints = /Ctrl\+C/.test(statusLine(wide.frame()));
      if (hints !== (status.state === 'connected')) {
        throw wide.fail(`With status ${status.state} the status bar ${hints ? 'shows' : 'does not show'} the key hints.`, 'the key hints ("Tab completes  ↑↓ history  Ctrl+C quits") when connected and they fit; none while connecting or reconnecting, where the reason needs the room', SECTION.status);
      }
      const address = /127\.0\.0\.1:5050(.*)$/.exec(plain(line))?.[1] ?? '';
      if (status.state === 'connected' && !/^( {2,}.*)?\s*$/.test(address)) {
        throw screen.fail(`After the address the status bar goes on with ${JSON.stringify(address)}.`, 'nothing after "alice @ 127.0.0.1:5050" but white space and the key hints when connected (in an 80-column terminal the user list counts who is online)', SECTION.status);
      }
    }
    if (styles[1] === styles[0] || styles[1] === styles[2]) {
      throw failure({ problem: `"connected" is drawn in ${styles[1]}, "connecting" in ${styles[0]}, "reconnecting" in ${styles[2]}.`, expected: 'connected in a colour of its own (green): the status bar tells at a glance whether you are connected', see: SECTION.status });
    }
  });

  test('a narrow window says in the status bar how many are online; a wide one leaves that to the user list', async () => {
    const users = ['alice', 'bob', 'Carol'];
    const narrow = await drawChat({ users }, { columns: 50, rows: 12 });
    const bar = plain(statusLine(narrow.frame()));
    if (!/\b3 online\b/.test(bar)) throw narrow.fail(`In a 50-column terminal, with 3 users online, the status bar reads ${JSON.stringify(bar.trim())}.`, 'below 60 columns, no user list: the status bar says "3 online" after the address', SECTION.narrow);
    const wide = await drawChat({ users });
    const wideBar = plain(statusLine(wide.frame()));
    const connecting = await drawChat({ users, status: { state: 'connecting' } }, { columns: 50, rows: 12 });
    if (/\bonline\b/.test(statusLine(plain(connecting.frame())))) throw connecting.fail('While connecting, in a 50-column terminal, the status bar counts who is online.', 'the count only while connected: until the welcome, the list of users is not yet known', SECTION.narrow);
    const sixty = await drawChat({ users }, { columns: 60, rows: 24 });
    if (!plain(sixty.frame()).includes('Carol')) throw sixty.fail('In a 60-column terminal the user list is gone.', 'the user list from 60 columns up; only below 60 does it go', SECTION.narrow);
    if (/\bonline\b/.test(wideBar)) throw wide.fail(`In an 80-column terminal the status bar reads ${JSON.stringify(wideBar.trim())}.`, 'the count in the status bar only when the user list is gone (below 60 columns): the list says "Online (3)"', SECTION.narrow);
    const gone = await drawChat({ users, status: { state: 'reconnecting', reason: `The server closed the connection and ${'a very long reason '.repeat(4)}end.`, attempt: 1, retryInMs: 500 } }, { columns: 50, rows: 12 });
    const lines = plain(gone.frame()).trimEnd().split('\n');
    if (lines.length > 12 || lines.some((l) => widthOf(l) > 50) || /\bonline\b/.test(lines.at(-1)!) || !/reconnecting/.test(lines.at(-1)!)) {
      throw gone.fail(`Reconnecting, with a long reason, in a 50×12 terminal: the screen is ${lines.length} lines tall, ${Math.max(...lines.map(widthOf))} columns wide, and its last line reads ${JSON.stringify(lines.at(-1)!.trim())}.`, 'a status bar of one row, its parts cut to fit one after the other (truncate each to the columns the parts before it left); no count of who is online while not connected', SECTION.narrow);
    }
  });

  test('each line has its time as [HH:MM:SS], its sender as a bold label, your whispers name whom they were for', async () => {
    const at = (i: number, m: Omit<Message, 'id' | 'ts'>): Message => ({ id: i, ts: EARLY, ...m });
    const long = `a long line from bob ${'that goes on '.repeat(12)}to the end`;
    const messages: Message[] = [
      at(1, { kind: 'chat', from: 'bob', text: 'hi from bob' }),
      at(2, { kind: 'own', from: 'alice', text: 'my own line' }),
      at(3, { kind: 'whisper', from: 'bob', to: 'alice', text: 'a secret coming in' }),
      at(4, { kind: 'whisper', from: 'alice', to: 'bob', text: 'a secret going out' }),
      at(5, { kind: 'chat', from: 'bob', text: 'ring\u0007ring' }),
      at(6, { kind: 'chat', from: 'bob', text: long }),
    ];
    const screen = await drawChat({ messages });
    const frame = screen.frame();
    const text = plain(frame);
    const line = (needle: string) => plain(lineWith(frame, needle) ?? '');
    if (!line('hi from bob').includes('[03:04:05]')) {
      throw screen.fail(`A message sent at 03:04:05 shows as ${JSON.stringify(line('hi from bob').trim())}.`, '"[03:04:05] bob: hi from bob": the time of message.ts in local time, each part two digits (padStart(2, \'0\')), joined by ":"', SECTION.ink);
    }
    if (!/\b(you|alice)\b.*my own line/.test(line('my own line'))) {
      throw screen.fail(`Your own line shows as ${JSON.stringify(line('my own line').trim())}.`, '"you: my own line": a label says the line is yours', SECTION.ink);
    }
    if (!/\bbob\b/.test(line('a secret coming in')) || !/\bbob\b/.test(line('a secret going out')) || /\balice\b/.test(line('a secret going out'))) {
      throw screen.fail(`bob's whisper shows as ${JSON.stringify(line('a secret coming in').trim())}, and yours to bob as ${JSON.stringify(line('a secret going out').trim())}.`, '"[WHISPER from bob]: a secret coming in" and "[WHISPER to bob]: a secret going out": when message.from is you, name message.to', SECTION.ink);
    }
    if (!text.includes('ringring')) {
      throw screen.fail(`bob's "ring\\u0007ring" shows as ${JSON.stringify(line('ring').trim())}.`, '"ringring": sanitize() removes a control character, it puts nothing in its place', SECTION.sanitise);
    }
    for (const needle of ['hi from bob', 'a secret coming in']) {
      const style = styleAt(lineWith(frame, needle)!, 'bob');
      if (!style.includes('bold')) throw screen.fail(`The label of ${JSON.stringify(line(needle).trim())} is drawn in ${style}.`, 'the label before the text ("bob: ", "[WHISPER from bob]: ") in bold, so that the sender stands out', SECTION.colour);
    }
    if (count(text, 'bob:') !== 3) {
      throw screen.fail(`bob sent three chat lines, one of them wrapping onto several rows; "bob:" shows ${count(text, 'bob:')} times.`, 'the label once per message, at the start of its first row', SECTION.wrapped);
    }
    if (styleAt(lineWith(frame, 'hi from bob')!, 'hi from bob') !== 'plain') {
      throw screen.fail(`bob's chat line "hi from bob" is drawn in ${styleAt(lineWith(frame, 'hi from bob')!, 'hi from bob')}.`, 'a chat line in the terminal\'s own colour: KIND_COLOR.chat is undefined', SECTION.colour);
    }
  });

  test('info and shutdown lines each have a colour of their own, apart from chat', async () => {
    const screen = await drawChat({
      messages: [
        { id: 1, ts: EARLY, kind: 'chat', from: 'bob', text: 'words from bob' },
        { id: 2, ts: EARLY, kind: 'info', text: 'Online: alice, bob' },
        { id: 3, ts: EARLY, kind: 'shutdown', text: 'Server is shutting down. Goodbye!' },
      ],
    });
    const frame = screen.frame();
    const chatStyle = styleAt(lineWith(frame, 'words from bob')!, 'words from bob');
    for (const [kind, needle] of [['info', 'Online: alice'], ['shutdown', 'Server is shutting down']] as const) {
      const style = styleAt(lineWith(frame, needle)!, needle);
      if (style === chatStyle) throw screen.fail(`An ${kind} line is drawn like chat (${style}).`, `kind '${kind}' in its colour (KIND_COLOR: info green, shutdown red)`, SECTION.colour);
    }
  });

  test('the user list marks you, and when it is too long says how many more there are', async () => {
    const users = ['alice', 'abcdefghijklmnopqrst', ...Array.from({ length: 18 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`)];
    const screen = await drawChat({ name: 'Alice', users });
    const frame = screen.frame();
    const text = plain(frame);
    const you = lineWith(frame, 'alice');
    if (!you || !/alice \(you\)/.test(plain(you))) throw screen.fail('You (chat.name "Alice", listed by the server as "alice") are not marked in the user list.', '"alice (you)", found without regard to case', SECTION.ink);
    if (!styleAt(you, 'alice').includes('fg=')) throw screen.fail(`Your own name in the user list is drawn in ${styleAt(you, 'alice')}.`, 'your name in a colour (cyan), the others plain', SECTION.ink);
    if (styleAt(lineWith(frame, 'user01')!, 'user01') !== 'plain') throw screen.fail(`user01 in the user list is drawn in ${styleAt(lineWith(frame, 'user01')!, 'user01')}.`, 'the others plain', SECTION.ink);
    const longName = plain(lineWith(frame, 'abcdefghij') ?? '');
    if (!/abcdefghij[a-z]*…/.test(longName)) throw screen.fail(`A user of 20 letters shows in the list as ${JSON.stringify(longName.trim())}.`, 'a name too long for the list\'s column cut to fit it, ending in … (truncate to the column\'s width, less its border and padding)', SECTION.columns);
    const listed = users.filter((u) => new RegExp(`\\b${u.slice(0, 10)}`).test(text));
    const more = /and (\d+) more/.exec(text);
    if (!more || listed.length + Number(more[1]) !== users.length || text.split('\n').length > 24) {
      throw screen.fail(`20 users are online, in an 80×24 terminal; the list names ${listed.length} of them${more ? ` and says "${more[0]}"` : ', and nothing says how many more there are'}.`, 'as many names as fit under the heading, then "and N more" for the others, on the last row that fits: every user named or counted', SECTION.size);
    }
    const few = await drawChat({ users: ['alice', 'bob'] });
    if (/\bmore\b/.test(plain(few.frame()))) throw few.fail('Two users online, and the list says there are more.', '"and N more" only when some names did not fit', SECTION.size);
  });

  test('Tab completes from the others\' names, never your own', async () => {
    const sent: string[] = [];
    const screen = await drawChat({ name: 'Alice', users: ['alice', 'Albert'], send: (line) => void sent.push(line) });
    await screen.write('/whisper al');
    await screen.until('"/whisper al" in the input', (t) => t.includes('/whisper al'), 'what is typed shows', SECTION.keys);
    await screen.write('\t');
    await screen.until('"/whisper Albert" after Tab', (t) => t.includes('/whisper Albert'), "'/whisper al' + Tab → '/whisper Albert ': names={the users but you} (chat.users without chat.name, without regard to case), or alice and Albert agree only on 'al'", SECTION.keys);
  });

  test('Ctrl+L clears the screen so that it is drawn again; no other key does', async () => {
    const screen = await drawChat({});
    const cleared = (from: number) => screen.frames().slice(from).some((f) => /\u001b\[2J|\u001bc/.test(f));
    let seen = screen.frames().length;
    await screen.write('l', 'hello', KEY.ctrlA, KEY.ctrlE, KEY.ctrlU);
    await screen.until('an empty input after Ctrl+U', (t) => !t.includes('hello'), 'Ctrl+U empties the line', SECTION.together);
    if (cleared(seen)) throw screen.fail('The suite typed "l", "hello", Ctrl+A, Ctrl+E and Ctrl+U, and your screen cleared the terminal.', 'only Ctrl+L (key.ctrl and input "l") clears the screen', SECTION.keys);
    seen = screen.frames().length;
    await screen.write(KEY.ctrlL);
    await poll(
      () => (cleared(seen) ? true : undefined),
      () => screen.fail('Ctrl+L was pressed, and nothing cleared the terminal.', "on Ctrl+L, useStdout().write('\\x1b[2J\\x1b[H'): the screen erased, then Ink draws the chat again on a clean one", SECTION.keys),
    );
  });
});
