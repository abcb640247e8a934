// Lesson 14: the student's HistoryStore (starter/server/history-store.ts) inside the
// reference server, with rooms and history on, on a real database file: replays on login
// and on /join, /history n, text that looks like SQL, write-then-send (a second connection
// reads the file the moment a client gets a chat), group commit (the commits are counted
// in the WAL file itself), and a server killed with SIGKILL mid-traffic and started again.
// Needs Node 22.13+ (node:sqlite): on an older Node, `npm test` and the check skip it.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, onTestFinished, test } from 'vitest';
import type { HistoryMessage } from '../app/protocol.js';
import { openDatabase } from '../app/server/sqlite.js';
import type { HistoryStoreLike, SqlDatabase } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { Program } from './harness/program.js';
import { fail, failure } from './harness/teach.js';
import { TestClient, type ClientContext, type Received } from './harness/test-client.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, waitUntil } from './harness/wait.js';

const lesson = (heading: string) => `14 (npm run lesson 14), section "${heading}"`;
const SECTION = {
  table: lesson('A table for messages'),
  prepared: lesson('Prepared statements, not string-built SQL'),
  transaction: lesson('A transaction: all or nothing'),
  writeThenSend: lesson('Write, then send'),
  group: lesson('Group commit: one transaction per turn'),
  wal: lesson('WAL: a log beside the file'),
  kill: lesson('SIGKILL versus a clean shutdown'),
  lastN: lesson('The last n, oldest first'),
};

type StoreClass = new (db: SqlDatabase) => HistoryStoreLike;
const { HistoryStore } = await importMine<{ HistoryStore: StoreClass }>('server/history-store.ts');

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** A fresh database file in a folder of its own (removed when the suite ends). */
function tempDb(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'lesson14-'));
  folders.push(folder);
  return path.join(folder, 'history.db');
}

async function historyChat(see: string, db = tempDb()): Promise<Chat> {
  return startChat({ mine: ['HistoryStore'], see, options: { features: ['rooms', 'history'], db } });
}

/** Messages as a person reads them: "alice: hi". */
function said(messages: readonly { from: unknown; text: unknown }[]): string {
  if (messages.length === 0) return 'none';
  const shown = messages.map((m) => `${String(m.from)}: ${String(m.text)}`);
  return shown.length > 8 ? `${shown.slice(0, 3).join(' | ')} | ... | ${shown.slice(-3).join(' | ')} (${shown.length})` : shown.join(' | ');
}

/** Sends `count` chat lines `${prefix}1` ... and proves with a barrier that each was handled. */
async function talk(client: TestClient, prefix: string, count: number): Promise<string[]> {
  const texts = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  for (const text of texts) client.send(text);
  await client.sync(`the reply to /users (the suite's barrier: ${client.label}'s lines were handled)`);
  return texts;
}

/** The event right after the one matching `after` (undefined if there is none yet). */
function eventAfter(client: TestClient, after: (e: Received) => boolean): Received | undefined {
  const at = client.events.findIndex(after);
  return at === -1 ? undefined : client.events[at + 1];
}

/** Sends /history [n] and waits for the history (or error) that answers it. */
async function askHistory(chat: Chat, client: TestClient, line: string): Promise<Received> {
  client.takeUnseen();
  client.send(line);
  try {
    return await client.next((e) => e.type === 'history' || e.type === 'error', `the answer to "${line}"`);
  } catch (err) {
    if (!client.closed) throw err;
    throw fail(chat, {
      problem: `${client.label} sent "${line}" and the server closed the connection instead of answering: your store threw (see below).`,
      expected: 'a history event with the room\'s last messages, read with a prepared SELECT',
      see: SECTION.lastN,
    });
  }
}

function texts(event: Received): string[] {
  return event.type === 'history' ? event.messages.map((m) => m.text) : [];
}

/**
 * How many transactions the WAL file records: each commit ends with a frame whose header
 * holds the database's size in pages (every other frame holds 0). Frames left over from an
 * earlier round of the log carry other salts, and are not counted.
 */
function walCommits(db: string): number {
  let wal: Buffer;
  try {
    wal = readFileSync(`${db}-wal`);
  } catch {
    return 0;
  }
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

/** The student's store on a connection of its own to `file`: what a restarted server would read. */
function reader(file: string): HistoryStoreLike {
  const db = openDatabase(file);
  onTestFinished(() => db.close());
  return new HistoryStore(db);
}

describe('lesson 14: history that survives a crash', () => {
  test('on login, a user gets the room\'s last 20 messages, oldest first, each with the ts of its chat', async () => {
    const chat = await historyChat(SECTION.lastN);
    const [alice, carol] = await chat.loginAll(['alice', 'carol']);
    const sent = await talk(alice!, 'm', 25);
    await carol!.sync();
    const delivered = carol!.events.filter((e) => e.type === 'chat');
    const bob = await chat.login('bob');
    await bob.sync("the reply to /users (the suite's barrier: what came after bob's welcome has arrived)");
    const history = eventAfter(bob, (e) => e.type === 'welcome');
    const expected = sent.slice(-20);
    if (history?.type !== 'history') {
      throw fail(chat, {
        problem: `alice sent 25 chat lines (m1 to m25), and carol received them; then bob logged in and got, right after his welcome, ${history ? JSON.stringify({ ...history, ts: undefined }) : 'nothing'}.`,
        expected: 'a history event with the lobby\'s last 20: the messages carol saw are in the database (commit() writes them before they are sent), and recent() reads them back',
        see: SECTION.lastN,
      });
    }
    const got = texts(history);
    if (got.join() !== expected.join()) {
      const newestFirst = got.join() === [...expected].reverse().join();
      const firstOnes = got.join() === sent.slice(0, 20).join();
      throw fail(chat, {
        problem: `alice sent m1 to m25; bob logged in and his history held ${said(history.messages)}.`,
        expected: `m6 to m25, oldest first: the last 20.${newestFirst ? ' Yours are newest first: ORDER BY id DESC gives the newest 20, then reverse() them before returning.' : ''}${firstOnes ? ' Yours are the first 20: ORDER BY id DESC LIMIT ? picks the newest.' : ''}`,
        see: SECTION.lastN,
      });
    }
    const stamps = new Map(delivered.map((e) => [e.type === 'chat' ? e.text : '', e.ts]));
    const wrongTs = history.messages.find((m: HistoryMessage) => m.from !== 'alice' || m.ts !== stamps.get(m.text));
    if (wrongTs) {
      throw fail(chat, {
        problem: `carol got alice's "${wrongTs.text}" as a chat with ts ${stamps.get(wrongTs.text)}; bob's history has it as ${JSON.stringify(wrongTs)}.`,
        expected: 'from "alice" and the very ts of the chat event: store message.from and message.ts as add() got them',
        see: SECTION.table,
      });
    }
  });

  test('/join replays the new room\'s own history, after `room`; an empty room sends none', async () => {
    const chat = await historyChat(SECTION.lastN);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    bob!.send('/join games');
    await bob!.next({ type: 'room', room: 'games' }, 'the room event of bob\'s move to games');
    await talk(alice!, 'lobby ', 3);
    await talk(bob!, 'games ', 2);
    const carol = await chat.login('carol');
    await carol.sync("the reply to /users (the suite's barrier: what came after carol's welcome has arrived)");
    const first = eventAfter(carol, (e) => e.type === 'welcome');
    if (first?.type !== 'history' || texts(first).join() !== 'lobby 1,lobby 2,lobby 3') {
      throw fail(chat, {
        problem: `alice said "lobby 1" to "lobby 3" in the lobby, bob "games 1" and "games 2" in games. carol logged in to the lobby and got, after her welcome, ${first ? JSON.stringify({ ...first, ts: undefined }) : 'nothing'}.`,
        expected: 'a history of the lobby\'s three messages only: recent(room, n) reads WHERE room = ?, so no message from another room shows',
        see: SECTION.lastN,
      });
    }
    carol.send('/join games');
    await carol.next({ type: 'room', room: 'games' }, 'the room event of carol\'s move to games');
    const games = await carol.next(() => true, 'the event after the room event');
    if (games.type !== 'history' || games.room !== 'games' || texts(games).join() !== 'games 1,games 2') {
      throw fail(chat, {
        problem: `carol sent "/join games"; after the room event she got ${JSON.stringify({ ...games, ts: undefined })}.`,
        expected: 'history with room "games" and messages "games 1", "games 2": the history of that room, not of another room',
        see: SECTION.lastN,
      });
    }
    carol.send('/join empty');
    await carol.next({ type: 'room', room: 'empty' }, 'the room event of carol\'s move to an empty room');
    const after = await carol.sync();
    if (after.some((e) => e.type === 'history')) {
      throw fail(chat, { problem: 'carol moved to "empty", where nobody ever spoke, and got a history event.', expected: 'no history when a room has no messages', see: SECTION.lastN });
    }
  });

  test('/history n: the last n (1 to 100, default 20); a bad n is USAGE', async () => {
    const chat = await historyChat(SECTION.lastN);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const sent = await talk(alice!, 'h', 30);
    for (const [line, want] of [['/history 5', sent.slice(-5)], ['/history', sent.slice(-20)], ['/history 100', sent], ['/history 1', sent.slice(-1)]] as const) {
      const answer = await askHistory(chat, bob!, line);
      if (answer.type !== 'history' || texts(answer).join() !== want.join()) {
        throw fail(chat, {
          problem: `alice sent h1 to h30; bob sent "${line}" and got ${answer.type === 'history' ? said(answer.messages) : JSON.stringify({ ...answer, ts: undefined })}.`,
          expected: `${want[0]} to ${want[want.length - 1]} (${want.length}), oldest first: the last n, or all there are when fewer`,
          see: SECTION.lastN,
        });
      }
    }
    for (const line of ['/history 0', '/history 101', '/history many']) {
      const answer = await askHistory(chat, bob!, line);
      if (answer.type !== 'error' || answer.code !== 'USAGE') {
        throw fail(chat, { problem: `bob sent "${line}" and got ${JSON.stringify({ ...answer, ts: undefined })}.`, expected: 'error USAGE: n is a whole number from 1 to 100', see: SECTION.lastN });
      }
    }
  });

  test('without rooms, everyone shares one history, and `history` has no room', async () => {
    const chat = await startChat({ mine: ['HistoryStore'], see: SECTION.lastN, options: { features: ['history'], db: tempDb() } });
    const alice = await chat.login('alice');
    await talk(alice, 'plain ', 2);
    const bob = await chat.login('bob');
    await bob.sync("the reply to /users (the suite's barrier: what came after bob's welcome has arrived)");
    const history = eventAfter(bob, (e) => e.type === 'welcome');
    if (history?.type !== 'history' || 'room' in history || texts(history).join() !== 'plain 1,plain 2') {
      throw fail(chat, {
        problem: `A server without rooms; alice sent "plain 1" and "plain 2", then bob logged in and got, after his welcome, ${history ? JSON.stringify({ ...history, ts: undefined }) : 'nothing'}.`,
        expected: 'a history of both, with no room field: the store keeps them all under one room name',
        see: SECTION.lastN,
      });
    }
  });

  test('a chat line that looks like SQL is stored as text, exactly', async () => {
    const chat = await historyChat(SECTION.prepared);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const evil = ["'); DROP TABLE messages; --", "it's", 'a "quoted" ? and %', 'x\', \'y\', 0); --', 'ünïcødé 🎉'];
    for (const text of evil) alice!.send(text);
    alice!.send('after');
    await alice!.sync();
    const answer = await askHistory(chat, bob!, '/history');
    const want = [...evil, 'after'];
    if (answer.type !== 'history' || texts(answer).join('\n') !== want.join('\n')) {
      throw fail(chat, {
        problem: `alice sent ${want.map((t) => JSON.stringify(t)).join(', ')}; bob's /history gave ${answer.type === 'history' ? said(answer.messages) : JSON.stringify(answer)}.`,
        expected: 'every one stored as text, exactly as sent: values go in through the ? of a prepared statement, never into the SQL text',
        see: SECTION.prepared,
      });
    }
  });

  test('write, then send: a chat a client has received is already in the database file', async () => {
    const db = tempDb();
    const chat = await historyChat(SECTION.writeThenSend, db);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const other = reader(db);
    for (let i = 1; i <= 30; i++) {
      alice!.send(`line ${i}`);
      await bob!.next({ type: 'chat', text: `line ${i}` }, `alice's "line ${i}"`);
      // Nothing else runs between the chat's arrival and this read: no timer can have fired.
      const stored = other.recent('lobby', 1).map((m) => m.text);
      if (stored[0] !== `line ${i}`) {
        throw fail(chat, {
          problem: `bob received alice's "line ${i}". At that very moment, your store on a second connection to the same file read the lobby's newest message as ${stored.length > 0 ? JSON.stringify(stored[0]) : 'none'}: the message was sent before it was in the database.`,
          expected: 'commit() writes everything added, in a transaction, before it returns (no setTimeout, no promise): the server sends right after it, and a crash then loses nothing anyone saw',
          see: SECTION.writeThenSend,
        });
      }
    }
  });

  test('group commit: add() writes nothing; commit() writes the whole batch in ONE transaction (WAL)', async () => {
    const db = tempDb();
    const connection = openDatabase(db);
    onTestFinished(() => connection.close());
    // The store's connection, with every statement it runs or prepares written down.
    const statements: string[] = [];
    const watched: SqlDatabase = {
      exec: (sql) => (statements.push(sql), connection.exec(sql)),
      prepare: (sql) => (statements.push(sql), connection.prepare(sql)),
      close: () => connection.close(),
    };
    const store = new HistoryStore(watched);
    const mode = String(Object.values(connection.prepare('PRAGMA journal_mode').all()[0] ?? {})[0]);
    if (mode !== 'wal') {
      throw failure({ problem: `After your constructor ran, the database's journal_mode is "${mode}".`, expected: '"wal": PRAGMA journal_mode = WAL in the constructor', see: SECTION.wal });
    }
    const before = walCommits(db);
    for (let i = 1; i <= 50; i++) store.add({ room: 'lobby', from: 'alice', text: `batch ${i}`, ts: 1_700_000_000_000 + i });
    const afterAdd = walCommits(db) - before;
    if (afterAdd > 0) {
      throw failure({
        problem: `The suite called add() 50 times, and the database file recorded ${afterAdd} transaction(s): add() wrote to the database.`,
        expected: 'add() only keeps the message in memory (this.pending.push); commit() writes them all. One transaction per message costs a disk write per message',
        see: SECTION.group,
      });
    }
    store.commit();
    const commits = walCommits(db) - before;
    const seen = reader(db).recent('lobby', 100).length;
    if (commits !== 1 || seen !== 50) {
      throw failure({
        problem: `After 50 add() and one commit(), the WAL file records ${commits} transaction(s), and a second connection reads ${seen} message(s).`,
        expected: `1 transaction holding all 50: BEGIN, the insert run 50 times, COMMIT.${commits > 1 ? ' Without BEGIN, SQLite makes every INSERT a transaction of its own: one transaction per message.' : ''}`,
        see: commits > 1 ? SECTION.group : SECTION.transaction,
      });
    }
    statements.length = 0;
    store.commit();
    if (walCommits(db) - before !== 1 || statements.length > 0) {
      throw failure({
        problem: `commit() with nothing added since the last one still ${statements.length > 0 ? `ran ${statements.map((s) => JSON.stringify(s)).join(', ')}` : 'wrote a transaction'}.`,
        expected: 'nothing at all: with nothing pending, commit() returns at once. The server calls it before every write to a socket, many times a second',
        see: SECTION.group,
      });
    }
  });

  test('a commit that fails is rolled back and thrown: nothing of its batch is stored, and the next commit works', async () => {
    const db = tempDb();
    const connection = openDatabase(db);
    onTestFinished(() => connection.close());
    connection.exec('PRAGMA busy_timeout = 0'); // a locked file fails at once, not after 2 s
    const store = new HistoryStore(connection);
    // Another program writing to the same file holds its write lock: the INSERT cannot run.
    const other = openDatabase(db);
    onTestFinished(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    store.add({ room: 'lobby', from: 'alice', text: 'lost 1', ts: 1_700_000_000_001 });
    store.add({ room: 'lobby', from: 'alice', text: 'lost 2', ts: 1_700_000_000_002 });
    let thrown: unknown;
    try {
      store.commit();
    } catch (err) {
      thrown = err;
    }
    other.exec('ROLLBACK');
    if (thrown === undefined) {
      throw failure({
        problem: 'The suite held the file\'s write lock from a second connection, so your INSERT failed ("database is locked"); your commit() returned as if the batch were stored.',
        expected: 'commit() throws: catch the error, run ROLLBACK, then throw it again, so that the server knows these messages were not written',
        see: SECTION.transaction,
      });
    }
    store.add({ room: 'lobby', from: 'bob', text: 'kept', ts: 1_700_000_000_003 });
    try {
      store.commit();
    } catch (err) {
      throw failure({
        problem: `After a commit() that failed on a locked file (it threw, good), the lock was released and the next commit() threw too: ${(err as Error).message}.`,
        expected: 'the next commit() works: the failed one must run ROLLBACK before it throws, or its BEGIN stays open and every later BEGIN fails',
        see: SECTION.transaction,
      });
    }
    const stored = reader(db).recent('lobby', 10).map((m) => m.text);
    if (stored.join() !== 'kept') {
      throw failure({
        problem: `A commit() of "lost 1" and "lost 2" failed on a locked file, then "kept" was committed. A second connection reads: ${stored.map((t) => JSON.stringify(t)).join(', ') || 'nothing'}.`,
        expected: '"kept" only: a failed transaction is all or nothing (nothing), and the next commit writes what was added since',
        see: SECTION.transaction,
      });
    }
  });

  test('killed with SIGKILL mid-traffic and started again: every message any client received is there, in order', async () => {
    const db = tempDb();
    const ctx: ClientContext = { transcript: new Transcript(), see: SECTION.kill, logs: [], serverLabel: 'server' };
    const first = await startServer(db, ctx);
    const clients: TestClient[] = [];
    onTestFinished(() => clients.forEach((c) => c.close()));
    const login = async (port: number, name: string) => {
      const client = await TestClient.connect(port, name, ctx);
      clients.push(client);
      client.send(name);
      await client.next({ type: 'welcome' }, `the welcome of ${name}`);
      return client;
    };
    const listeners = [await login(first.port, 'ears1'), await login(first.port, 'ears2')];
    const senders = [await login(first.port, 'talk1'), await login(first.port, 'talk2'), await login(first.port, 'talk3')];
    // Each sender sends 30 lines, one per turn of this process's event loop: traffic flows
    // while the server is killed once ears1 has received 40 of the 90.
    for (const sender of senders) {
      let n = 0;
      const next = () => {
        if (sender.closed || n === 30) return;
        sender.socket.write(`${sender.label} #${++n}\n`);
        setImmediate(next);
      };
      next();
    }
    const chats = (c: TestClient) => c.events.filter((e) => e.type === 'chat');
    await waitUntil(() => (chats(listeners[0]!).length >= 40 ? true : undefined), (wake) => {
      listeners[0]!.socket.on('data', wake);
      return () => listeners[0]!.socket.off('data', wake);
    }, () => failure({ problem: `ears1 received ${chats(listeners[0]!).length} of the 90 chat lines within ${PATIENCE_MS * 2} ms.`, expected: 'chat flowing through the server', see: SECTION.kill, transcript: ctx.transcript }), PATIENCE_MS * 2);
    await first.server.stop(); // SIGKILL: no shutdown code runs, nothing is flushed or closed
    for (const listener of listeners) await listener.waitClosed('the server was killed');
    const received = listeners.map((l) => ({ label: l.label, messages: chats(l).map((e) => (e.type === 'chat' ? `${e.from}: ${e.text}` : '')) }));

    const second = await startServer(db, ctx);
    const checker = await login(second.port, 'checker');
    await checker.sync('the reply to /users (the suite\'s barrier: the replay after the welcome has arrived)');
    checker.send('/history 100');
    const history = await checker.next({ type: 'history' }, 'the answer to /history 100 after the restart');
    const stored = history.type === 'history' ? history.messages.map((m) => `${m.from}: ${m.text}`) : [];
    for (const { label, messages } of received) {
      const lost = messages.filter((m) => !stored.includes(m));
      const positions = messages.map((m) => stored.indexOf(m));
      const outOfOrder = positions.findIndex((p, i) => i > 0 && p < positions[i - 1]!);
      if (lost.length > 0 || outOfOrder !== -1) {
        throw failure({
          problem: `${label} received ${messages.length} chat lines before the server was killed with SIGKILL (the last: ${messages.slice(-3).join(' | ')}). After a restart on the same file, /history 100 held ${stored.length}: ${lost.length > 0 ? `${lost.length} that ${label} saw were lost, e.g. ${lost.slice(0, 3).join(' | ')}` : `out of order at ${messages[outOfOrder]}`}.`,
          expected: 'every message anyone received is in the file, in the order sent: commit() must have written it (one transaction, done when commit() returns) before the server sent it',
          see: SECTION.kill,
        });
      }
    }
  });
});

/** The server, with the student's store, as a process of its own; returned once it listens. */
async function startServer(db: string, ctx: ClientContext): Promise<{ server: Program; port: number }> {
  const server = new Program(['app/server/main.ts', '--port', '0', '--features', 'rooms,history', '--db', db, '--no-rate-limit', '--mine', '14']);
  onTestFinished(() => server.stop());
  const startup = Math.max(10_000, PATIENCE_MS * 5);
  const match = await waitUntil(
    () => {
      const found = /Listening on \S+:(\d+)/.exec(server.stdout);
      if (!found && server.exit) {
        throw failure({ problem: `The server with your store ${server.ending()} before listening. It printed:\n${server.output.trim()}`, expected: 'it starts on the database file and listens', see: SECTION.table, transcript: ctx.transcript });
      }
      return found ?? undefined;
    },
    (wake) => server.onChange(wake),
    () => failure({ problem: `The server with your store did not print "Listening on HOST:PORT" within ${startup} ms. It printed:\n${server.output.trim()}`, expected: 'it starts and listens', see: SECTION.table }),
    startup,
  );
  return { server, port: Number(match[1]) };
}
