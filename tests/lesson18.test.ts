// Lesson 18: the student's Outbox and Flusher (starter/server/batching.ts). First on their
// own, driven from inside a real socket's 'data' event (a turn of the loop that read
// something, as in the server): what add() gathers is written once, whole and in order, by
// the end of that turn; flush() writes at once; past 64 KiB it does not wait; a flusher
// rests as long as its pass took. Then inside the reference server: the writes a socket
// gets are counted (never timed), a client that never reads is still dropped with `slow`,
// and what is sent right before a close arrives before the FIN.

import net, { type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, onTestFinished, test } from 'vitest';
import type { Client, Flushable, FlusherLike, OutboxLike, WriteOut } from '../app/server/types.js';
import { escapeText } from '../app/wire-text.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { collapseRows, fail, failure } from './harness/teach.js';
import type { Received, TestClient } from './harness/test-client.js';
import { DEADLINES, PATIENCE_MS } from './harness/wait.js';

const lesson = (heading: string) => `18 (npm run lesson 18), section "${heading}"`;
const SECTION = {
  gather: lesson('Gather during a turn, write once'),
  pass: lesson('The flusher: one pass per turn'),
  rest: lesson('Rest as long as the pass took'),
  never: lesson('What batching must never break'),
};

type OutboxClass = new (write: WriteOut, flusher: FlusherLike) => OutboxLike;
const { Outbox, Flusher } = await importMine<{ Outbox: OutboxClass; Flusher: new () => FlusherLike }>('server/batching.ts');

/** The lines `${prefix}1` ... `${prefix}count`, each with its newline. */
function numbered(prefix: string, count: number, pad = ''): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}${pad}\n`);
}

/** A piece of text as a row of a report: newlines and odd bytes escaped, long ones cut in the middle. */
function shown(text: string): string {
  const escaped = escapeText(text);
  return escaped.length > 90 ? `|${escaped.slice(0, 60)}…${escaped.slice(-25)}| (${text.length} chars)` : `|${escaped}|`;
}

/** Each call to write() an outbox made, one row each. */
function writesShown(writes: readonly string[]): string {
  if (writes.length === 0) return '  (none)';
  return collapseRows(writes.map((w, i) => `  write ${i + 1}: ${shown(w)}`), 'writes').join('\n');
}

/**
 * Runs `body` inside a turn of the event loop that read from a real socket, as the server's
 * work runs (a 'data' event on a loopback connection), and resolves with what it returns.
 * setImmediate() called there runs later in that same turn; a timer, only on a later one.
 */
async function inReadingTurn<T>(body: () => T): Promise<T> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peers: Socket[] = [];
  onTestFinished(() => {
    for (const s of peers) s.destroy();
    server.close();
  });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the suite's own loopback connection sent no byte within ${PATIENCE_MS} ms`)), PATIENCE_MS);
    server.once('connection', (socket) => {
      peers.push(socket);
      socket.once('data', () => {
        clearTimeout(timer);
        try {
          resolve(body());
        } catch (err) {
          reject(err);
        }
      });
    });
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => client.write('.'));
    peers.push(client);
  });
}

/** Resolves on the check phase of the current turn: after every setImmediate asked for before this call. */
function endOfTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once `done()` holds (looked at on every turn of the loop), or false after `ms`. */
async function eventually(done: () => boolean, ms = PATIENCE_MS): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** A student's outbox with a real flusher, whose write() calls are recorded. */
function recordedOutbox(): { outbox: OutboxLike; writes: string[] } {
  const writes: string[] = [];
  const outbox = new Outbox((data) => void writes.push(data), new Flusher());
  return { outbox, writes };
}

describe('lesson 18: your Outbox and Flusher, on their own', () => {
  test('100 lines added in one turn are written by the end of that turn, in at most 2 writes, whole and in order', async () => {
    const lines = numbered('line ', 100);
    const { writes, whileAdding, atEndOfTurn } = await inReadingTurn(() => {
      const { outbox, writes } = recordedOutbox();
      for (const line of lines) outbox.add(line);
      const whileAdding = writes.length;
      // Asked for after every add(): runs after the flusher's own setImmediate.
      return endOfTurn().then(() => ({ writes, whileAdding, atEndOfTurn: writes.length }));
    });
    const wanted = lines.join('');
    if (atEndOfTurn === 0) {
      const late = await eventually(() => writes.join('') === wanted);
      throw failure({
        problem: late
          ? `add() was called 100 times in one turn of the event loop; when that turn ended nothing had been written. The lines came ${writes.length === 1 ? 'in one write' : `in ${writes.length} writes`}, but only on a later turn: your flush waits for a timer. Every line sent then waits too, however idle the server is: that is latency added to every message.`
          : `add() was called 100 times in one turn of the event loop, and nothing was written by the end of that turn, nor within ${PATIENCE_MS} ms after. These writes came:\n${writesShown(writes)}\nThe lines were gathered and never written: nobody asked the flusher for a pass.`,
        expected: 'the first add() of a batch calls flusher.request(outbox); the flusher runs its pass with setImmediate (later in the same turn, after the I/O), and the pass calls flush(), which writes the 100 lines in one call',
        see: late ? SECTION.pass : SECTION.gather,
      });
    }
    if (whileAdding > 2 || atEndOfTurn > 2) {
      throw failure({
        problem: `add() was called 100 times in one turn, and write() was called ${atEndOfTurn} times by the end of it (${whileAdding} of them during the add() calls):\n${writesShown(writes)}\nOne write per line is what batching removes: each is a system call.`,
        expected: 'add() only appends to the gathered text (and asks the flusher once); one flush() at the end of the turn writes everything: 1 write (2 at most)',
        see: SECTION.gather,
      });
    }
    const got = writes.join('');
    if (got !== wanted) {
      const twice = got.length > wanted.length && got.startsWith(wanted);
      throw failure({
        problem: `add() was given "line 1\\n" to "line 100\\n" in one turn; write() received:\n${writesShown(writes)}${twice ? '\nThe lines came twice: flush() wrote the gathered text and kept it.' : ''}`,
        expected: 'exactly the 100 lines, in the order added, each once: flush() empties the outbox (pending = \'\') before it writes',
        see: twice ? SECTION.never : SECTION.gather,
      });
    }
  });

  test('flush() writes what is gathered at once, in one call, and nothing twice (what close() relies on)', async () => {
    const lines = numbered('bye ', 3);
    const result = await inReadingTurn(() => {
      const { outbox, writes } = recordedOutbox();
      for (const line of lines) outbox.add(line);
      outbox.flush();
      const atFlush = [...writes];
      outbox.flush(); // nothing gathered since: nothing to write
      const afterSecond = writes.length;
      return endOfTurn().then(() => ({ atFlush, afterSecond, writes }));
    });
    const wanted = lines.join('');
    if (result.atFlush.join('') !== wanted) {
      throw failure({
        problem: `Three lines were added, then flush() was called; when flush() returned, write() had received:\n${writesShown(result.atFlush)}`,
        expected: `${shown(wanted)} in one write, before flush() returns: the server calls flush() and then closes the socket, so a flush that leaves the writing for later loses the last lines (the "bye", the error that explains the close)`,
        see: SECTION.never,
      });
    }
    if (result.afterSecond !== result.atFlush.length || result.writes.length !== result.atFlush.length) {
      throw failure({
        problem: `Three lines were added and flushed, in one write. Then, with nothing added, ${result.afterSecond !== result.atFlush.length ? 'a second flush()' : 'the flusher\'s pass at the end of the turn'} wrote again:\n${writesShown(result.writes)}`,
        expected: 'nothing more: flush() empties the outbox before it writes, and an empty outbox writes nothing (the client would get the lines twice)',
        see: SECTION.never,
      });
    }
  });

  test('more than 64 KiB gathered in one turn is written at once: what waits in memory stays bounded', async () => {
    const lines = numbered('', 2000, ` ${'z'.repeat(95)}`); // about 200 KB
    const total = lines.join('').length;
    const result = await inReadingTurn(() => {
      const { outbox, writes } = recordedOutbox();
      let mostWaiting = 0;
      let added = 0;
      for (const line of lines) {
        outbox.add(line);
        added += line.length;
        mostWaiting = Math.max(mostWaiting, added - writes.reduce((sum, w) => sum + w.length, 0));
      }
      return endOfTurn().then(() => ({ writes, mostWaiting }));
    });
    const limit = 64 * 1024 + 200;
    if (result.mostWaiting > limit) {
      throw failure({
        problem: `${lines.length} lines (${total} characters) were added in one turn; at one point ${result.mostWaiting} characters were gathered and not yet written. A client sent a great deal in one turn would make the server hold all of it, beyond lesson 9's bound, which counts only what was written.`,
        expected: 'add() flushes at once when the gathered text reaches FLUSH_AT_CHARS (64 KiB): never much more than that waits',
        see: SECTION.never,
      });
    }
    if (result.writes.join('') !== lines.join('')) {
      throw failure({
        problem: `${lines.length} numbered lines were added in one turn; write() received ${result.writes.join('').length} characters, not the ${total} added, in order:\n${writesShown(result.writes)}`,
        expected: 'every line, once, in the order added, however the writes split them',
        see: SECTION.never,
      });
    }
  });

  test('a flusher runs each target once per pass, however often it asks, and its pass comes in the same turn', async () => {
    const flushes: string[] = [];
    const target = (name: string): Flushable => ({ flush: () => void flushes.push(name) });
    const a = target('a');
    const b = target('b');
    const result = await inReadingTurn(() => {
      const flusher = new Flusher();
      flusher.request(a);
      flusher.request(b);
      flusher.request(a);
      const during = flushes.length;
      return endOfTurn().then(() => ({ during, atEnd: [...flushes] }));
    });
    if (result.during > 0) {
      throw failure({
        problem: `request() called flush() at once (${result.during} flushes before request() returned).`,
        expected: 'request() only remembers the target and schedules a pass: the flushing happens once, after everything this turn sends',
        see: SECTION.pass,
      });
    }
    if (result.atEnd.sort().join() !== 'a,b') {
      const late = result.atEnd.length === 0 && (await eventually(() => flushes.length > 0));
      throw failure({
        problem: `Targets a, b, then a again asked a fresh flusher for a flush, in one turn; by the end of that turn these were flushed: [${result.atEnd.join(', ')}]${late ? `; the pass came only on a later turn (a timer): [${flushes.join(', ')}]` : ''}.`,
        expected: 'a and b, each once, in the same turn: a Set keeps each target once, and setImmediate runs the pass after this turn\'s I/O (a fresh flusher has no rest to take)',
        see: SECTION.pass,
      });
    }
  });

  test('after a pass over two targets that took T ms, the next pass waits about T ms (rest as long as the pass took), then comes', async () => {
    const BUSY_MS = 40;
    let firstEnded = 0;
    let secondAt = 0;
    const slow: Flushable = {
      flush() {
        const until = performance.now() + BUSY_MS; // a pass that writes to thousands of sockets
        while (performance.now() < until);
        firstEnded = performance.now();
      },
    };
    const quick: Flushable = { flush: () => void (secondAt ||= performance.now()) };
    const other: Flushable = { flush: () => {} };
    // Two targets in one turn, as in the server: one pass must flush both, and rest after it.
    const flusher = await inReadingTurn(() => {
      const flusher = new Flusher();
      flusher.request(slow);
      flusher.request(other);
      return flusher;
    });
    if (!(await eventually(() => firstEnded > 0))) {
      throw failure({ problem: `A flusher was asked to flush one target, and did not within ${PATIENCE_MS} ms.`, expected: 'a pass on the same turn', see: SECTION.pass });
    }
    flusher.request(quick);
    const asked = performance.now();
    if (!(await eventually(() => secondAt > 0, PATIENCE_MS + BUSY_MS))) {
      throw failure({ problem: `The first pass took ${BUSY_MS} ms. A target then asked for a flush, and was not flushed within ${PATIENCE_MS} ms.`, expected: `a rest of about ${BUSY_MS} ms, then the pass`, see: SECTION.rest });
    }
    const rest = secondAt - firstEnded;
    // Timers may fire a millisecond early; a pass that rested not at all is what this catches.
    if (rest < BUSY_MS / 2) {
      throw failure({
        problem: `Two targets asked a fresh flusher for a flush in one turn, and the pass that flushed them took ${BUSY_MS} ms. The next came ${rest.toFixed(1)} ms after it ended (asked ${(asked - firstEnded).toFixed(1)} ms after it ended). Under a burst of logins every pass is long, and passes back to back leave the server no time to read.`,
        expected: `the next pass no sooner than ${BUSY_MS} ms after the first ended: keep restUntil = end + (end - start), and schedule with setTimeout(pass, restUntil - now) while that is 1 ms or more. Schedule a pass only when none is scheduled yet: a second request() that schedules another pass gets an empty pass right after the long one, and its rest of a few microseconds replaces the long one's`,
        see: SECTION.rest,
      });
    }
  });
});

/** The server's socket for a logged-in user (the reference's Connection keeps it). */
function serverSideSocket(chat: Chat, name: string): Socket {
  const client = chat.server.ctx.registry.find(name) as (Client & { socket?: Socket }) | undefined;
  if (!client?.socket) throw new Error(`the suite could not find the server's socket for ${name}`);
  return client.socket;
}

/** Records every socket.write() the server makes to `socket` from now on. */
function countWrites(socket: Socket): string[] {
  const writes: string[] = [];
  const write = socket.write.bind(socket) as (data: string | Uint8Array) => boolean;
  (socket as unknown as { write: (data: string | Uint8Array) => boolean }).write = (data) => {
    writes.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    return write(data);
  };
  return writes;
}

function batchingChat(see: string, maxQueuedBytes?: number): Promise<Chat> {
  return startChat({ mine: ['Outbox', 'Flusher'], see, options: maxQueuedBytes ? { maxQueuedBytes } : {} });
}

/** The texts of the chat events from `sender` a client has received. */
function chatsFrom(client: TestClient, sender: string): string[] {
  return client.events.flatMap((e: Received) => (e.type === 'chat' && e.from === sender ? [e.text] : []));
}

describe('lesson 18: your pieces inside the chat server', () => {
  test('alice sends 100 lines in one packet: bob\'s socket gets them in at most 2 writes, in order', async () => {
    const chat = await batchingChat(SECTION.gather);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    await alice!.sync();
    await bob!.sync();
    const writes = countWrites(serverSideSocket(chat, 'bob'));
    const texts = Array.from({ length: 100 }, (_, i) => `m${i + 1}`);
    alice!.sendRaw(texts.map((t) => t + '\n').join(''));
    await bob!.next((e) => e.type === 'chat' && e.text === 'm100', 'alice\'s 100th line, m100');
    const got = chatsFrom(bob!, 'alice');
    if (got.join() !== texts.join()) {
      throw fail(chat, { problem: `alice sent m1 to m100 in one packet; bob received ${got.length} chats: ${got.slice(0, 6).join(' ')} ...`, expected: 'm1 to m100, each once, in order', see: SECTION.never });
    }
    if (writes.length > 2) {
      throw fail(chat, {
        problem: `alice sent m1 to m100 in one packet, which the server read in one turn; it then called socket.write() ${writes.length} times for bob:\n${writesShown(writes)}`,
        expected: 'at most 2 writes (1 when the packet is read in one go): the 100 chat events gathered in bob\'s outbox and written at the end of the turn',
        see: SECTION.gather,
      });
    }
  });

  test('a client that never reads is still dropped with leave slow; bob, who reads, gets every line in order', async () => {
    const bound = 128 * 1024;
    const chat = await batchingChat(SECTION.never, bound);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const slow = await chat.connect('slow');
    slow.socket.pause(); // from now on slow reads nothing
    slow.send('slow');
    await bob!.next({ type: 'join', user: 'slow' }, 'the join of slow');
    const filler = 'x'.repeat(3990);
    const sent: string[] = [];
    const started = performance.now();
    const isLeave = (e: Received) => e.type === 'leave' && e.user === 'slow';
    while (!bob!.events.some(isLeave)) {
      if (sent.length > 8000 || performance.now() - started > 5 * PATIENCE_MS) {
        throw fail(chat, {
          problem: `slow has read nothing, alice has sent ${sent.length} lines of 4 KB, and slow was never dropped.`,
          expected: `{ type: "leave", user: "slow", reason: "slow" } once more than ${bound} bytes wait for slow: every flush goes through the write function the outbox was given (lesson 9's writeBounded), never around it`,
          see: SECTION.never,
        });
      }
      const batch = Array.from({ length: 16 }, (_, i) => `${String(sent.length + i).padStart(5, '0')} ${filler}`);
      sent.push(...batch);
      alice!.sendRaw(batch.map((l) => l + '\n').join(''));
      const last = batch[batch.length - 1];
      await bob!.next((e) => e.type === 'chat' && e.text === last, `alice's line ${sent.length} (bob reads as she talks)`);
    }
    const leave = bob!.events.find(isLeave);
    if (leave?.type !== 'leave' || leave.reason !== 'slow') {
      throw fail(chat, { problem: `bob was told ${JSON.stringify(leave)}.`, expected: '{ type: "leave", user: "slow", reason: "slow" }', see: SECTION.never });
    }
    const got = chatsFrom(bob!, 'alice');
    if (got.join() !== sent.join()) {
      throw fail(chat, { problem: `alice sent ${sent.length} numbered lines; bob received ${got.length}, not each once in order.`, expected: 'every line, in order: batching changes how many writes, never what arrives', see: SECTION.never });
    }
  }, DEADLINES.test);

  test('close flushes first: lines sent right before a close arrive, whole, before the FIN', async () => {
    const chat = await batchingChat(SECTION.never);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    await bob!.sync();
    // Ten lines, then one too long: the server answers the ten, then sends LINE_TOO_LONG
    // and closes alice's connection, all in one turn.
    const texts = Array.from({ length: 10 }, (_, i) => `last${i + 1}`);
    alice!.sendRaw(texts.map((t) => t + '\n').join('') + '/whisper bob ' + 'y'.repeat(5000) + '\n');
    await alice!.waitClosed('the LINE_TOO_LONG close');
    const error = alice!.events.find((e) => e.type === 'error');
    if (error?.type !== 'error' || error.code !== 'LINE_TOO_LONG') {
      throw fail(chat, {
        problem: `alice sent ten lines and one of 5000 bytes; the server closed her connection, and the last thing she was sent before the FIN, { type: "error", code: "LINE_TOO_LONG" }, never arrived (she got: ${alice!.events.slice(-3).map((e) => e.type).join(', ')}).`,
        expected: 'the error, then the FIN: close() calls flush(), which must write at once, before socket.end()',
        see: SECTION.never,
      });
    }
    await bob!.sync('the reply to /users (a barrier: alice\'s ten lines had their turn)');
    const got = chatsFrom(bob!, 'alice');
    if (got.join() !== texts.join()) {
      throw fail(chat, { problem: `alice sent last1 to last10 right before her long line; bob received: ${got.join(' ') || 'none'}.`, expected: 'last1 to last10, in order', see: SECTION.never });
    }
    // A shutdown, too: `shutdown` is sent to everyone, then every connection is closed.
    await chat.server.shutdown();
    await bob!.waitClosed('the close after shutdown');
    if (!bob!.events.some((e) => e.type === 'shutdown')) {
      throw fail(chat, { problem: 'The server shut down and closed bob\'s connection; the shutdown event it sent him first never arrived.', expected: '{ type: "shutdown" }, then the FIN', see: SECTION.never });
    }
  });
});
