// The full-screen chat (solutions' hook and screen) against a reference server that runs
// the extensions: the room in the status bar and the prompt, /rooms and /join, Tab after
// `/join `, away and busy marks in the user list, a cut list's size, a room's history
// dimmed above its divider, a password typed as bullets (and after `/register `), and a
// version 1 server drawn as before. Rendered with
// ink-testing-library in a fake 80×24 terminal; each wait polls the last frame.
//
// History needs node:sqlite (Node 22.13+). On an older Node the server runs without it
// and the history test plays a server's history events from a scripted socket instead.

import chalk from 'chalk';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { act, createElement as h } from 'react';
import { afterAll, beforeAll, describe, onTestFinished, test } from 'vitest';
import type { Feature } from '../app/protocol.js';
import { encodeEvent, TEXTS } from '../app/protocol.js';
import { importFromTree } from '../app/server/pieces.js';
import { sqliteAvailable } from '../app/server/sqlite.js';
import { escapeText } from '../app/wire-text.js';
import { startChat, type Chat } from './harness/chat.js';
import { DataClient } from './harness/data-client.js';
import { startProxy } from './harness/proxy.js';
import { failure } from './harness/teach.js';
import { DEADLINES, PATIENCE_MS, waitUntil } from './harness/wait.js';

type HookModule = typeof import('../solutions/client/tui/use-chat.js');
type ScreenModule = typeof import('../solutions/client/tui/chat-screen.js');
const { useChat } = await importFromTree<HookModule>('solutions', 'client/tui/use-chat.ts');
const { ChatScreen } = await importFromTree<ScreenModule>('solutions', 'client/tui/chat-screen.tsx');

const SEE = {
  rooms: '12 (npm run lesson 12), section "/rooms: a list for a person"',
  limit: '12 (npm run lesson 12), section "The presence limit"',
  status: '13 (npm run lesson 13), section "A field: statuses"',
  history: '14 (npm run lesson 14), section "The last n, oldest first"',
  files: '17 (npm run lesson 17), section "The client: send and receive"',
  v1: '13 (npm run lesson 13), section "What an old client sees"',
  auth: '15 (npm run lesson 15), section "The password step of the handshake"',
};
const HISTORY = sqliteAvailable();
const EVERY: Feature[] = ['rooms', 'status', ...(HISTORY ? (['history'] as const) : [])];

let chalkLevel: typeof chalk.level;
beforeAll(() => {
  chalkLevel = chalk.level;
  chalk.level = 1; // colours (and dim) in the frames, as a real terminal shows them
});
afterAll(() => {
  chalk.level = chalkLevel;
});

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
const plain = (frame: string) => frame.replace(SGR, '');
/** The frame line holding `needle`, the lowest (colours kept). */
const lineWith = (frame: string, needle: string) => frame.split('\n')[lastIndex(frame.split('\n'), (l) => plain(l).includes(needle))];
function lastIndex(lines: string[], test: (line: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i]!)) return i;
  return -1;
}
/** Whether `needle` is drawn dimmed (SGR 2) on its line. */
function dimmed(frame: string, needle: string): boolean {
  const line = lineWith(frame, needle) ?? '';
  const before = line.slice(0, line.indexOf(needle));
  return before.lastIndexOf('\u001b[2m') > before.lastIndexOf('\u001b[22m');
}

interface Screen {
  frame(): string;
  /** `ms`: longer than PATIENCE_MS only for what takes a while (a file moving), from DEADLINES. */
  waitFor(what: string, check: (text: string, raw: string) => boolean, expected: string, see: string, ms?: number): Promise<string>;
  write(keys: string): Promise<void>;
}

async function openScreen(chat: Chat | undefined, name: string, port?: number, welcomed = true, downloads?: string): Promise<Screen> {
  const target = port ?? (await startProxy({ targetPort: chat!.port, transcript: chat!.transcript, clientLabel: `the screen (${name})`, serverLabel: 'server' })).port;
  function App() {
    return h(ChatScreen, { chat: useChat({ host: '127.0.0.1', port: target, name, retryMs: 50, maxRetryMs: 200, downloads }) });
  }
  const ink = render(h(Text, null, ''));
  Object.defineProperty(ink.stdout, 'columns', { get: () => 80, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { get: () => 24, configurable: true });
  ink.rerender(h(App));
  onTestFinished(() => ink.unmount());
  const frame = () => ink.lastFrame() ?? '';
  const screen: Screen = {
    frame,
    waitFor(what, check, expected, see, ms = PATIENCE_MS) {
      return waitUntil(
        () => (check(plain(frame()), frame()) ? plain(frame()) : undefined),
        (wake) => {
          const timer = setInterval(wake, 5);
          return () => clearInterval(timer);
        },
        () => {
          const picture = plain(frame()).split('\n').map((l) => `    ${escapeText(l)}`).join('\n');
          return failure({ problem: `The screen did not show ${what} within ${ms} ms. Its last frame:\n${picture}`, expected, see, transcript: chat?.transcript });
        },
        ms,
      );
    },
    async write(keys) {
      const flags = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
      flags.IS_REACT_ACT_ENVIRONMENT = true;
      try {
        await act(async () => void ink.stdin.write(keys));
      } finally {
        flags.IS_REACT_ACT_ENVIRONMENT = false;
      }
    },
  };
  if (welcomed) await screen.waitFor(`the welcome of ${name}`, (t) => t.includes(`Welcome, ${name}!`), 'the chat, logged in', SEE.rooms);
  return screen;
}

/** The status bar: the screen's last line. */
const statusBar = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('the full-screen chat with the extensions on', () => {
  test('the room shows in the status bar and the prompt; /join moves, and the user list becomes the room\'s', async () => {
    const chat = await startChat({ mine: [], see: SEE.rooms, options: { features: EVERY } });
    const bob = await chat.login('bob');
    const screen = await openScreen(chat, 'alice');
    await screen.waitFor('#lobby in the status bar and the prompt "#lobby> "', (t) => statusBar(t).includes('#lobby') && t.includes('#lobby> '), 'the welcome\'s room, "#lobby", in the status bar and before the input', SEE.rooms);
    await screen.waitFor('"#lobby (2)" heading a list with bob', (t) => t.includes('#lobby (2)') && t.includes('bob'), 'the user list headed by the room and its size', SEE.rooms);
    await screen.write('/join games\r');
    const moved = await screen.waitFor('the move to #games', (t) => statusBar(t).includes('#games') && t.includes('#games> ') && t.includes('#games (1)'), 'after /join games: "#games" in the status bar and the prompt, the list "#games (1)"', SEE.rooms);
    const list = moved.split('\n').map((l) => l.slice(l.lastIndexOf('│', l.length - 2))).join('\n');
    if (/\bbob\b/.test(list.replace(/bob has|bob moved/g, ''))) throw failure({ problem: `bob stayed in the user list after alice moved to #games:\n${moved}`, expected: 'the room event\'s users replace the list', see: SEE.rooms, transcript: chat.transcript });
    bob.send('/join games');
    await screen.waitFor('bob joining #games in the list', (t) => t.includes('#games (2)'), 'a join in your room adds to the list', SEE.rooms);
  });

  test('/rooms is answered in words, and Tab completes a room after /join', async () => {
    const chat = await startChat({ mine: [], see: SEE.rooms, options: { features: EVERY } });
    const bob = await chat.login('bob');
    bob.send('/join gardening');
    await bob.next({ type: 'room', room: 'gardening' }, 'bob\'s move to #gardening');
    const screen = await openScreen(chat, 'alice');
    await screen.write('/rooms\r');
    await screen.waitFor('the rooms, readably', (t) => t.includes('Rooms: #gardening (1), #lobby (1)'), '"Rooms: #gardening (1), #lobby (1)", not the event\'s JSON', SEE.rooms);
    // Typed first, then Tab: the keystroke's redraw also hands the input the rooms just received.
    await screen.write('/join ga');
    await screen.waitFor('"/join ga" in the input', (t) => t.includes('/join ga'), 'what is typed shows', SEE.rooms);
    await screen.write('\t');
    await screen.waitFor('"/join gardening " in the input after Tab', (t) => t.includes('/join gardening '), 'Tab after "/join ga" completes the only room starting so, from the last /rooms answer', SEE.rooms);
    await screen.write('\r');
    await screen.waitFor('the move to #gardening', (t) => statusBar(t).includes('#gardening') && t.includes('#gardening (2)'), 'Enter sends the completed /join', SEE.rooms);
  });

  test('away and busy show beside the names, with the note where it fits; status events are messages', async () => {
    const chat = await startChat({ mine: [], see: SEE.status, options: { features: EVERY } });
    const bob = await chat.login('bob');
    bob.send('/away lunch');
    await bob.next({ type: 'status', user: 'bob' }, 'bob\'s own status event');
    const screen = await openScreen(chat, 'alice');
    // Known from the welcome's statuses: bob went away before alice came.
    const raw = () => screen.frame();
    await screen.waitFor('"bob (away: lunch)" in the list, dimmed', (t) => t.includes('bob (away: lunch)') && dimmed(raw(), 'bob (away: lunch)'), 'the welcome\'s statuses mark bob away, with his note, dimmed', SEE.status);
    bob.send('/busy');
    await screen.waitFor('"bob is busy" and "bob (busy)"', (t) => t.includes('*** bob is busy ***') && t.includes('bob (busy)'), 'a status event: a line in the messages and the mark in the list', SEE.status);
    bob.send('/back');
    await screen.waitFor('"bob is back" and bob unmarked', (t) => t.includes('*** bob is back ***') && !t.includes('bob (busy)') && !t.includes('bob (away'), '/back takes the mark away', SEE.status);
  });

  test('a cut member list shows the room\'s true size as "N in room"', async () => {
    const chat = await startChat({ mine: [], see: SEE.limit, options: { features: EVERY, presenceLimit: 2 } });
    await chat.loginAll(['bob', 'carol', 'dave']);
    const screen = await openScreen(chat, 'alice');
    await screen.waitFor('"4 in room" in the list\'s heading', (t) => t.includes('4 in room'), 'the welcome lists 2 names of 4 (count 4): the heading says the true size', SEE.limit);
  });

  test('history shows dimmed, above a divider, after the welcome and after a move', async () => {
    if (HISTORY) {
      const chat = await startChat({ mine: [], see: SEE.history, options: { features: EVERY, db: ':memory:' } });
      const bob = await chat.login('bob');
      bob.send('said before alice came');
      bob.send('/join attic');
      await bob.next({ type: 'room', room: 'attic' }, 'bob\'s move to #attic');
      bob.send('up in the attic');
      await bob.sync('bob\'s lines were handled');
      const screen = await openScreen(chat, 'alice');
      await expectHistory(screen, 'said before alice came', 'earlier messages in #lobby');
      await screen.write('/join attic\r');
      await expectHistory(screen, 'up in the attic', 'earlier messages in #attic');
    } else {
      // No node:sqlite: a scripted server sends what the reference one would.
      const port = await scriptedServer([{ type: 'history', room: 'lobby', messages: [{ from: 'bob', text: 'said before alice came', ts: Date.now() - 60_000 }] }]);
      await expectHistory(await openScreen(undefined, 'alice', port), 'said before alice came', 'earlier messages in #lobby');
    }
  });

  test('a password is asked for in a masked line, and what follows /register is masked; neither comes back with the up arrow', async () => {
    const server = await passwordServer();
    const screen = await openScreen(undefined, 'alice', server.port, false);
    await screen.waitFor('the password question, the prompt "password:" and "password asked" in the status bar', (t) => t.includes('Password for alice:') && t.includes('password: ') && statusBar(t).includes('password asked'), 'the password event as a message, the input line asking for it, and the status bar saying so', SEE.auth);
    const secrets = ['hunter2 horse', 'sup3r secret'];
    const leaked = (text: string) => secrets.some((p) => text.includes(p) || text.includes(p.slice(0, 6)));
    await screen.write(secrets[0]!);
    const typed = await screen.waitFor('the password as bullets', (t) => t.includes('•'.repeat(secrets[0]!.length)), `${secrets[0]!.length} bullets in the input line`, SEE.auth);
    if (leaked(typed)) throw failure({ problem: `The password shows on the screen as it is typed:\n${typed}`, expected: 'only bullets', see: SEE.auth });
    await screen.write('\r');
    await server.arrived(secrets[0]!);
    await screen.waitFor('the welcome, and the prompt "> " again', (t) => t.includes('Welcome, alice!') && t.includes('> ') && !t.includes('password: '), 'the ordinary input line once the password was right', SEE.auth);
    await screen.write('hello all\r');
    await server.arrived('hello all');
    await screen.write(`/register ${secrets[1]}`);
    const registering = await screen.waitFor('/register and bullets', (t) => t.includes(`/register ${'•'.repeat(secrets[1]!.length)}`), 'what follows /register as bullets', SEE.auth);
    if (leaked(registering)) throw failure({ problem: `The new password shows on the screen after /register:\n${registering}`, expected: 'only bullets after "/register "', see: SEE.auth });
    await screen.write('\r');
    await server.arrived(`/register ${secrets[1]}`);
    await screen.write('\x1b[A');
    const back = await screen.waitFor('"hello all" again after the up arrow', (t) => t.includes('> hello all'), 'the last line that held no password: the password and the /register line are not kept', SEE.auth);
    if (leaked(back) || back.includes('/register •')) throw failure({ problem: `The up arrow brought back a password:\n${back}`, expected: 'no password in the input history', see: SEE.auth });
  });

  test('a version 1 server (features none) looks as lesson 11 drew it: no room, "Online (N)"', async () => {
    const chat = await startChat({ mine: [], see: SEE.v1, options: { features: [] } });
    await chat.login('bob');
    const screen = await openScreen(chat, 'alice');
    const text = await screen.waitFor('"Online (2)"', (t) => t.includes('Online (2)'), 'the version 1 heading', SEE.v1);
    if (text.includes('#') || !text.includes('> ') || text.includes('earlier messages')) {
      throw failure({ problem: `A version 1 server, yet the screen shows rooms or history:\n${text}`, expected: 'no room in the status bar or the prompt ("> ")', see: SEE.v1, transcript: chat.transcript });
    }
  });

  test('files: /send and /accept between two screens, the offer and the outcome in words, the file saved', async () => {
    const chat = await startChat({ mine: [], see: SEE.files, options: { features: ['files'] } });
    const home = mkdtempSync(path.join(os.tmpdir(), 'tui-files-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const song = path.join(home, 'song.ogg');
    const content = Buffer.alloc(500_000, 7);
    writeFileSync(song, content);
    // Straight to the server: the recording proxy copies every chunk of the file into the transcript.
    const alice = await openScreen(chat, 'alice', chat.port, true, path.join(home, 'alice-downloads'));
    const bob = await openScreen(chat, 'bob', chat.port, true, path.join(home, 'bob-downloads'));
    // Long lines wrap in an 80-column screen: compare without the frame and the spaces.
    const flat = (t: string) => t.replace(/[│\s]+/g, '');
    await alice.write(`/send bob ${song}\r`);
    await bob.waitFor('the offer, in words', (t) => flat(t).includes(flat('alice offers you song.ogg (0.5 MB): /accept 1 or /reject 1')), '"alice offers you song.ogg (0.5 MB): /accept 1 or /reject 1", not the event\'s JSON', SEE.files);
    await alice.waitFor('the offer sent', (t) => flat(t).includes(flat('You offered song.ogg (0.5 MB) to bob')), '"You offered song.ogg (0.5 MB) to bob; waiting for an answer."', SEE.files);
    await bob.write('/accept\r');
    const saved = path.join(home, 'bob-downloads', 'song.ogg');
    await bob.waitFor('where the file was saved', (t) => t.includes('song.ogg: done.') && flat(t).includes(flat(`Saved song.ogg from alice as ${saved}`)), `"song.ogg: done." and "Saved song.ogg from alice as ${saved}"`, SEE.files, DEADLINES.step);
    await alice.waitFor('the end of the transfer', (t) => t.includes('song.ogg: done.'), '"song.ogg: done."', SEE.files, DEADLINES.step);
    if (!readFileSync(saved).equals(content)) throw failure({ problem: `${saved} differs from alice's song.ogg.`, see: SEE.files, transcript: chat.transcript });
  });

  test('files: a progress bar while a file moves, gone once it is done', async () => {
    const chat = await startChat({ mine: [], see: SEE.files, options: { features: ['files'] } });
    const home = mkdtempSync(path.join(os.tmpdir(), 'tui-files-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const film = path.join(home, 'film.mkv');
    const content = Buffer.alloc(8_000_000, 1);
    writeFileSync(film, content);
    const bob = await chat.login('bob');
    const alice = await openScreen(chat, 'alice', chat.port); // straight: no proxy copying the file
    await alice.write(`/send bob ${film}\r`);
    const offer = await bob.next({ type: 'offer' }, 'the offer of film.mkv');
    bob.send(`/accept ${offer.type === 'offer' ? offer.id : ''}`);
    const transfer = await bob.next({ type: 'transfer' }, "bob's token");
    // bob's data connection takes a first chunk, then stops reading: the file is stuck part-way.
    const data = await DataClient.open(chat.port, "bob's data connection", chat, transfer.type === 'transfer' ? transfer.token : '');
    data.onChunk = () => data.socket.pause();
    const bar = await alice.waitFor('a progress bar for film.mkv', (t) => /↑ film\.mkv to bob █*░+\s+\d+%\s+[\d.]+ of 8\.0 MB/.test(t), 'a row like "↑ film.mkv to bob ███░░░░  12%  1.0 of 8.0 MB" above the input', SEE.files);
    if (bar.includes('100%')) throw failure({ problem: `The bar says 100% while bob has read ${data.received} bytes:\n${bar}`, see: SEE.files, transcript: chat.transcript });
    data.onChunk = undefined;
    data.socket.resume();
    await data.waitClosed('after the whole file', DEADLINES.step);
    await alice.waitFor('the bar gone, and "film.mkv: done."', (t) => t.includes('film.mkv: done.') && !t.includes('↑ film.mkv'), 'no bar once the transfer ended; "film.mkv: done." in the list', SEE.files, DEADLINES.step);
    if (data.digest() !== createHash('sha256').update(content).digest('hex')) throw failure({ problem: 'bob received other bytes than film.mkv holds.', see: SEE.files, transcript: chat.transcript });
  });

});

// ── The screen drawing a chat given as it is: what a live server rarely shows at once ──

type ScreenChat = Parameters<typeof ChatScreen>[0]['chat'];
type Extensions = NonNullable<ScreenChat['extensions']>;

/** The screen (80×24 unless `size` says otherwise) drawing alice's chat as given: no hook, no server. */
async function drawChat(chat: Partial<ScreenChat>, extensions: Partial<Extensions>, size = { columns: 80, rows: 24 }): Promise<{ frame(): string; fail(problem: string, expected: string, see: string): Error }> {
  const full: ScreenChat = { name: 'alice', address: '127.0.0.1:5050', status: { state: 'connected' }, users: ['alice', 'bob'], messages: [], send: () => {}, quit: () => {}, ...chat, extensions: { statuses: {}, roomNames: [], ...extensions } };
  const ink = render(h(Text, null, ''));
  Object.defineProperty(ink.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { get: () => size.rows, configurable: true });
  ink.rerender(h(ChatScreen, { chat: full }));
  onTestFinished(() => ink.unmount());
  const frame = () => ink.lastFrame() ?? '';
  const fail = (problem: string, expected: string, see: string) => failure({ problem: `${problem}\nThe extensions given: ${JSON.stringify(full.extensions)}\nThe screen:\n${plain(frame()).split('\n').map((l) => `    ${escapeText(l)}`).join('\n')}`, expected, see });
  await waitUntil(
    () => (plain(frame()).includes('127.0.0.1:5050') ? true : undefined),
    (wake) => {
      const timer = setInterval(wake, 5);
      return () => clearInterval(timer);
    },
    () => fail('The screen did not draw its status bar.', 'the chat drawn', SEE.rooms),
  );
  return { frame, fail };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Whether `needle` on its line is drawn in the SGR colour `code` (33 yellow, 36 cyan). */
function coloured(frame: string, needle: string, code: number): boolean {
  const line = lineWith(frame, needle) ?? '';
  const before = line.slice(0, line.indexOf(needle));
  return before.lastIndexOf(`\u001b[${code}m`) > before.lastIndexOf('\u001b[39m');
}

describe('the full-screen chat drawing what the extensions keep (no server)', () => {
  test('files: a bar per transfer (three at most), its arrow, share and size; the list gives them its rows', async () => {
    const users = ['alice', ...Array.from({ length: 19 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`)];
    const transfers = [
      { id: '1', role: 'receive' as const, name: 'song.ogg', peer: 'bob', size: 20_900_000, done: 10_900_000 },
      { id: '2', role: 'send' as const, name: 'empty.txt', peer: 'carol', size: 0, done: 0 },
      { id: '3', role: 'send' as const, name: `a-file-with-a-name-much-too-long-for-half-a-row-${'x'.repeat(30)}.bin`, peer: 'dave', size: 4_000_000, done: 1_000_000 },
      { id: '4', role: 'send' as const, name: 'fourth.txt', peer: 'erin', size: 10, done: 5 },
    ];
    const screen = await drawChat({ users }, { transfers });
    const text = plain(screen.frame());
    const lines = text.split('\n');
    const bar = (needle: string) => lines.find((l) => l.includes(needle)) ?? '';
    const song = bar('song.ogg');
    const full = count(song, '█');
    const total = full + count(song, '░');
    if (!/^ ↓ song\.ogg from bob █+░+ +52% +10\.9 of 20\.9 MB *$/.test(song) || Math.abs(full - Math.round(0.5215 * total)) > 1 || song.trimEnd().length !== 79) {
      throw screen.fail(`bob's song.ogg, 10.9 of 20.9 MB received, shows as ${JSON.stringify(song)}.`, '" ↓ song.ogg from bob ███████░░░░░░░  52%  10.9 of 20.9 MB": the arrow and "from" for a file coming in, the bar filled by the share done, and the whole row as wide as the screen (less its padding)', SEE.files);
    }
    if (!/↑ empty\.txt to carol ░+ +0% +0\.0 of 0\.0 MB/.test(bar('empty.txt'))) {
      throw screen.fail(`An empty file being sent shows as ${JSON.stringify(bar('empty.txt'))}.`, '"↑ empty.txt to carol ░░░░   0%  0.0 of 0.0 MB": a size of 0 is 0% done, not NaN', SEE.files);
    }
    const long = bar('a-file-with');
    if (long.trimEnd().length > 79 || !/…/.test(long) || !/25% +1\.0 of 4\.0 MB/.test(long)) {
      throw screen.fail(`A file with a 90-letter name shows as ${JSON.stringify(long)}.`, 'its label cut to half the row (…), so that the bar and the figures still fit on it', SEE.files);
    }
    if (text.includes('fourth.txt')) throw screen.fail('Four files are moving, and the screen shows a bar for each.', 'three bars at most: the rows are the message list\'s', SEE.files);
    const more = /and (\d+) more/.exec(text);
    const listed = users.filter((u) => new RegExp(`\\b${u}\\b`).test(text));
    if (!more || listed.length + Number(more[1]) !== users.length || lines.length > 24) {
      throw screen.fail(`With three bars and 20 users, the list names ${listed.length} and says ${more ? `"${more[0]}"` : 'nothing of the others'}; the screen is ${lines.length} lines tall.`, 'the bars take their rows from the lists: every user named or counted in "and N more", the screen within 24 rows', SEE.files);
    }
  });

  test('away is dimmed, busy yellow, you cyan, everyone else plain; a room\'s size in the status bar of a narrow window', async () => {
    const screen = await drawChat({ users: ['alice', 'bob', 'carol', 'dave'] }, { statuses: { bob: { status: 'away', note: 'lunch' }, carol: { status: 'busy' } } });
    const raw = screen.frame();
    if (!dimmed(raw, 'bob (away: lunch)') || !coloured(raw, 'carol (busy)', 33) || !coloured(raw, 'alice (you)', 36) || dimmed(raw, 'carol (busy)') || dimmed(raw, 'dave') || coloured(raw, 'dave', 33)) {
      throw screen.fail('The marks are not drawn as they should be.', 'bob (away: lunch) dimmed, carol (busy) yellow and not dimmed, alice (you) cyan, dave plain', SEE.status);
    }
    const narrow = await drawChat({ users: ['alice', 'bob'] }, { room: 'lobby' }, { columns: 58, rows: 12 });
    const status = plain(narrow.frame()).trimEnd().split('\n').at(-1)!;
    if (!/#lobby +2 in room/.test(status)) throw narrow.fail(`In a 58-column window, in #lobby with bob, the status bar reads ${JSON.stringify(status.trim())}.`, '"#lobby  2 in room": without the user list, the status bar names the room and counts it', SEE.rooms);
    const cut = await drawChat({ users: ['alice', 'bob'] }, { room: 'lobby', count: 40 }, { columns: 58, rows: 12 });
    const cutStatus = plain(cut.frame()).trimEnd().split('\n').at(-1)!;
    if (!/40 in room/.test(cutStatus)) throw cut.fail(`A room of 40, its list cut to 2: the status bar reads ${JSON.stringify(cutStatus.trim())}.`, '"40 in room": the room\'s true size (count)', SEE.limit);
  });

  test('the status bar: encrypted over TLS; "password asked" only while logging in', async () => {
    const tls = await drawChat({ encrypted: true }, {});
    if (!/127\.0\.0\.1:5050 \(TLS, encrypted\)/.test(plain(tls.frame()))) throw tls.fail('Over TLS the status bar does not say the connection is encrypted.', '"alice @ 127.0.0.1:5050 (TLS, encrypted)"', '16 (npm run lesson 16), section "tls.connect: the client checks the server"');
    const asked = await drawChat({ status: { state: 'connecting' } }, { passwordAsked: true });
    const raw = asked.frame();
    if (!/○ password asked/.test(plain(raw)) || !coloured(raw, 'password asked', 33)) throw asked.fail('While the password is asked, the status bar does not say so in yellow.', '"○ password asked", in yellow', SEE.auth);
    const lost = await drawChat({ status: { state: 'reconnecting', reason: 'Server gone.', attempt: 1, retryInMs: 500 } }, { passwordAsked: true });
    if (!/reconnecting/.test(plain(lost.frame())) || /password asked/.test(plain(lost.frame()))) throw lost.fail('The connection was lost while the password was asked, and the status bar does not say reconnecting.', '"password asked" only while connecting; once the connection is lost, "reconnecting"', SEE.auth);
  });

  test('history: only its lines are dimmed, and the divider runs to the edge of the list on one row', async () => {
    const ts = Date.now();
    const screen = await drawChat(
      {
        messages: [
          { id: 1, ts, kind: 'chat', from: 'bob', text: 'said before', look: 'earlier' },
          { id: 2, ts, kind: 'info', text: 'earlier messages in #lobby', look: 'divider' },
          { id: 3, ts, kind: 'chat', from: 'bob', text: 'said now' },
        ],
      },
      { room: 'lobby' },
    );
    const raw = screen.frame();
    const lines = plain(raw).split('\n');
    const divider = lines.find((l) => l.includes('earlier messages in #lobby')) ?? '';
    if (!dimmed(raw, 'said before') || dimmed(raw, 'said now') || !/earlier messages in #lobby ─{20,} │/.test(divider) || lines.filter((l) => /^│ ─/.test(l)).length !== 1) {
      throw screen.fail('The history, its divider and the line after them are not drawn as they should be.', '"said before" dimmed, then one row "── ↑ earlier messages in #lobby ────" to the list\'s right edge, then "said now" not dimmed', SEE.history);
    }
  });
});

async function expectHistory(screen: Screen, said: string, divider: string): Promise<void> {
  const text = await screen.waitFor(`"${said}" and the divider "${divider}"`, (t) => t.includes(said) && t.includes(divider), `the history's lines, then a divider "── ↑ ${divider} ──"`, SEE.history);
  const lines = text.split('\n');
  const at = lastIndex(lines, (l) => l.includes(said));
  const under = lastIndex(lines, (l) => l.includes(divider));
  if (!(at < under) || !dimmed(screen.frame(), said) || !lines[under]!.includes('──')) {
    throw failure({ problem: `The history line "${said}" is not dimmed above its divider:\n${text}`, expected: 'history dimmed, then "── ↑ earlier messages ──"', see: SEE.history });
  }
}

/** A server that asks every name for a password, welcomes any, and keeps the lines it gets. */
async function passwordServer(): Promise<{ port: number; arrived(line: string): Promise<void> }> {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write(encodeEvent({ type: 'hello', proto: 1, text: TEXTS.hello, features: ['auth'] }));
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        lines.push(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (lines.length === 1) socket.write(encodeEvent({ type: 'password', text: `Password for ${lines[0]}:` }));
        if (lines.length === 2) socket.write(encodeEvent({ type: 'welcome', user: lines[0]!, users: [lines[0]!], text: TEXTS.welcome(lines[0]!) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const arrived = (line: string) =>
    waitUntil(
      () => (lines.includes(line) ? true : undefined),
      (wake) => {
        const timer = setInterval(wake, 5);
        return () => clearInterval(timer);
      },
      () => failure({ problem: `The server did not receive ${JSON.stringify(line)} within ${PATIENCE_MS} ms; it got ${JSON.stringify(lines)}.`, expected: 'the line as typed', see: SEE.auth }),
    ).then(() => undefined);
  return { port: (server.address() as net.AddressInfo).port, arrived };
}

/** A server that logs anyone in and then sends `events` (a stand-in when node:sqlite is missing). */
async function scriptedServer(events: Record<string, unknown>[]): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write(encodeEvent({ type: 'hello', proto: 1, text: TEXTS.hello, features: ['rooms', 'history'] }));
    socket.once('data', (chunk) => {
      const name = chunk.toString().trim();
      socket.write(encodeEvent({ type: 'welcome', user: name, users: [name], room: 'lobby', statuses: {}, text: TEXTS.welcome(name) }));
      for (const event of events) socket.write(JSON.stringify({ ts: Date.now(), ...event }) + '\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}
