// Lesson 17: the student's FileRelay (starter/server/file-relay.ts) inside the reference
// server with the files feature on, and the student's client side (starter/client/
// file-transfer.ts) against the reference server. Real TCP on port 0: a 20 MB file arrives
// intact while chat flows on the same users' chat connections; a slow receiver keeps the
// bytes the relay holds under 1 MiB (measured from the relay's sockets: read from the
// sender minus handed to the system for the receiver); one-use tokens; too few, too many
// and wrong bytes; a user who leaves; and a received file that never overwrites another.
// The relay is also tried on its own with stand-in sockets (cancel(), a receiver that hangs
// up on a quiet sender, the end), and sendFile with a socket that takes each write only
// when the suite says: what a real socket rarely shows in time (a write while it is full).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, describe, test } from 'vitest';
import { openDataConnection } from '../app/client/data-connection.js';
import { importMine } from './harness/mine.js';
import { startChat, type Chat } from './harness/chat.js';
import { DataClient } from './harness/data-client.js';
import { fail, failure } from './harness/teach.js';
import type { Received, TestClient } from './harness/test-client.js';
import { DEADLINES, PATIENCE_MS, waitUntil, within } from './harness/wait.js';

const lesson = (heading: string) => `17 (npm run lesson 17), section "${heading}"`;
export const SECTION = {
  headOfLine: lesson('Why not the chat connection'),
  tokens: lesson('Tokens good for one use'),
  pairing: lesson('Pairing two connections'),
  backpressure: lesson('Backpressure: write() says wait'),
  exact: lesson('Exactly size bytes'),
  hash: lesson('SHA-256: did the right bytes arrive?'),
  ending: lesson('Every way a transfer ends'),
  saving: lesson('Saving without overwriting'),
  client: lesson('The client: send and receive'),
};

type ClientPiece = typeof import('../solutions/client/file-transfer.js');
const { describeFile, sendFile, receiveFile } = await importMine<ClientPiece>('client/file-transfer.ts');
type RelayPiece = typeof import('../solutions/server/file-relay.js');
const { FileRelay } = await importMine<RelayPiece>('server/file-relay.ts');

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'lesson17-'));
  folders.push(folder);
  return folder;
}

/** PROTOCOL.md: the relay holds at most 1 MiB per transfer. */
const RELAY_BOUND = 1024 * 1024;
const MB = 1024 * 1024;

async function fileChat(see: string, options: Record<string, unknown> = {}): Promise<Chat> {
  return startChat({ mine: ['FileRelay'], see, options: { features: ['files'], offerTimeoutMs: 60_000, dataConnectTimeoutMs: 30_000, ...options } });
}

/** A file's content, made as it is sent: `size` bytes of noise, and their SHA-256. */
class Content {
  readonly sha256: string;
  private static readonly block = createHash('sha512').update('lesson 17').digest();
  constructor(readonly size: number) {
    const hash = createHash('sha256');
    for (const chunk of this.chunks()) hash.update(chunk);
    this.sha256 = hash.digest('hex');
  }

  /** The content in 256 KiB pieces (the last one shorter), the same every time. */
  *chunks(): Generator<Buffer> {
    const piece = 256 * 1024;
    for (let at = 0, n = 0; at < this.size; at += piece, n++) {
      const chunk = Buffer.alloc(Math.min(piece, this.size - at));
      for (let i = 0; i < chunk.length; i += 64) Content.block.copy(chunk, i, 0, Math.min(64, chunk.length - i));
      if (chunk.length >= 4) chunk.writeUInt32BE(n, 0); // no two pieces alike
      yield chunk;
    }
  }
}

/** Strips ts, so a failure shows an event as a student would write it. */
const show = (e: Received | undefined) => (e ? JSON.stringify({ ...e, ts: undefined }) : 'nothing');

interface Agreed {
  id: string;
  sendToken: string;
  receiveToken: string;
}

/** alice offers bob a file, bob accepts: the id and both tokens. */
async function agree(chat: Chat, from: TestClient, to: TestClient, file: { size: number; sha256: string }, name = 'notes.bin'): Promise<Agreed> {
  from.send(`/offer ${to.label} ${file.size} ${file.sha256} ${name}`);
  const offer = await to.next({ type: 'offer' }, `the offer of ${name}`);
  if (offer.type !== 'offer') throw new Error('unreachable');
  await from.next({ type: 'offer_sent', id: offer.id }, `offer_sent for ${name}`);
  to.send(`/accept ${offer.id}`);
  // The recipient's first: the relay's expect() runs on its line, and a throw closes its connection.
  const receive = await to.next({ type: 'transfer', id: offer.id }, `${to.label}'s transfer event (role receive, a token)`);
  const send = await from.next({ type: 'transfer', id: offer.id }, `${from.label}'s transfer event (role send, a token)`);
  if (send.type !== 'transfer' || receive.type !== 'transfer') throw new Error('unreachable');
  return { id: offer.id, sendToken: send.token, receiveToken: receive.token };
}

/** The event that ends transfer `id` for `client` (transfer_done or transfer_failed), or undefined if none came in time. */
function outcomeOf(client: TestClient, id: string, ms = PATIENCE_MS): Promise<Received | undefined> {
  return client.next((e) => (e.type === 'transfer_done' || e.type === 'transfer_failed') && e.id === id, `how transfer ${id} ended`, ms).catch(() => undefined);
}

const isDone = (e: Received | undefined) => e?.type === 'transfer_done';
const failedWith = (e: Received | undefined, reason: string) => e?.type === 'transfer_failed' && e.reason === reason;

/** Waits for the server to close a data connection; a failure that teaches if it does not. */
async function closedBy(chat: Chat, data: DataClient, parts: { problem: string; expected: string; see: string }, ms = PATIENCE_MS): Promise<void> {
  await data.waitClosed(parts.problem, ms).catch(() => {
    throw fail(chat, { ...parts, problem: `${parts.problem} (${data.received} bytes received on it, ${data.sent} sent; waited ${ms} ms.)` });
  });
}

/** Sends `file` on `sender` as fast as its socket takes it (waiting for 'drain' when told). */
async function sendAll(sender: DataClient, file: Content, upTo = file.size): Promise<void> {
  let sent = 0;
  for (const chunk of file.chunks()) {
    if (sender.closed || sent >= upTo) return;
    const part = chunk.subarray(0, upTo - sent);
    sent += part.length;
    await sender.write(part);
  }
}

/** Both data connections, receiver first (its socket waits paused in the relay). */
async function openBoth(chat: Chat, agreed: Agreed, glued?: Buffer): Promise<{ sender: DataClient; receiver: DataClient }> {
  const receiver = await DataClient.open(chat.port, "bob's data connection", chat, agreed.receiveToken);
  const sender = await DataClient.open(chat.port, "alice's data connection", chat, agreed.sendToken, glued);
  return { sender, receiver };
}

describe('lesson 17: sending a file', () => {
  test('a 20 MB file arrives intact while alice and bob keep chatting', async () => {
    const chat = await fileChat(SECTION.headOfLine);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(20 * MB);
    const agreed = await agree(chat, alice!, bob!, file);
    const { sender, receiver } = await openBoth(chat, agreed);
    // At half the file, bob's data connection stops reading: the file is stuck mid-way.
    let halfway = false;
    receiver.onChunk = () => {
      if (!halfway && receiver.received >= file.size / 2) {
        halfway = true;
        receiver.socket.pause();
      }
    };
    const sending = sendAll(sender, file);
    await receiver.until(() => (halfway ? true : undefined), 'half of the file', DEADLINES.step);
    alice!.send('still there, bob?');
    await bob!.next({ type: 'chat', text: 'still there, bob?' }, "alice's chat line, sent while the file was half-way");
    bob!.send('yes, and the file is coming');
    await alice!.next({ type: 'chat', text: 'yes, and the file is coming' }, "bob's answer, sent while the file was half-way");
    const during = receiver.received;
    receiver.socket.resume();
    await sending;
    await closedBy(chat, receiver, {
      problem: `alice sent all ${file.size} bytes of the file; bob's data connection stayed open`,
      expected: 'at exactly size bytes the relay stops reading (alice keeps her side open: she waits for the server) and closes both data connections',
      see: SECTION.exact,
    }, DEADLINES.step);
    if (receiver.received !== file.size || receiver.digest() !== file.sha256) {
      throw fail(chat, {
        problem: `alice sent ${file.size} bytes; bob's data connection received ${receiver.received} bytes${receiver.received === file.size ? ' with another SHA-256' : ''} before the server closed it.`,
        expected: 'exactly the bytes alice sent, in order: every chunk read from the sender is written to the receiver, and nothing else',
        see: SECTION.backpressure,
      });
    }
    const ends = await Promise.all([outcomeOf(alice!, agreed.id), outcomeOf(bob!, agreed.id)]);
    if (ends.some((e) => !isDone(e))) {
      throw fail(chat, {
        problem: `The whole file arrived (checked by its SHA-256), then alice got ${show(ends[0])} and bob ${show(ends[1])}.`,
        expected: `transfer_done for both: ended('done') once all ${file.size} bytes passed and their hash is the one offered`,
        see: SECTION.hash,
      });
    }
    if (during >= file.size) throw new Error('the chat check ran after the transfer: it proved nothing');
  });

  test('a receiver that reads slowly slows the sender: the relay never holds more than 1 MiB', async () => {
    const chat = await fileChat(SECTION.backpressure);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(16 * MB);
    const agreed = await agree(chat, alice!, bob!, file);
    const { sender, receiver } = await openBoth(chat, agreed);
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, chat.server.relayHeldBytes());
    };
    // bob reads at most 64 KiB per millisecond: a slow reader, next to a sender that could go faster.
    let budget = 0;
    receiver.onChunk = (chunk) => {
      sample();
      budget -= chunk.length;
      if (budget <= 0) receiver.socket.pause();
    };
    const pace = setInterval(() => {
      sample();
      budget = 64 * 1024;
      receiver.socket.resume();
    }, 1);
    try {
      await sendAll(sender, file);
      await closedBy(chat, receiver, { problem: `alice sent all ${file.size} bytes to slow bob; his data connection stayed open`, expected: 'at exactly size bytes the relay stops reading (the sender keeps its side open: it waits for the server) and closes both data connections', see: SECTION.exact }, DEADLINES.longTest);
    } finally {
      clearInterval(pace);
    }
    if (peak > RELAY_BOUND) {
      throw fail(chat, {
        problem: `bob read slowly (64 KiB per millisecond) while alice sent ${file.size / MB} MiB as fast as she could. Your relay held up to ${(peak / MB).toFixed(1)} MiB at once: bytes read from alice and not yet taken by bob's socket.`,
        expected: `at most 1 MiB: when receiver.write() returns false, read nothing more from the sender until the receiver's 'drain'`,
        see: SECTION.backpressure,
      });
    }
    if (receiver.received !== file.size || receiver.digest() !== file.sha256) {
      throw fail(chat, {
        problem: `alice sent ${file.size} bytes; slow bob received ${receiver.received}${receiver.received === file.size ? ' with another SHA-256' : ''}.`,
        expected: 'every byte, in order, however slowly the receiver reads',
        see: SECTION.backpressure,
      });
    }
  });

  test('the two data connections are paired by token: the sender may come first, its bytes glued to its /file line', async () => {
    const chat = await fileChat(SECTION.pairing);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(3000);
    const agreed = await agree(chat, alice!, bob!, file);
    // alice's whole file in the same write as her /file line; bob connects only after.
    const sender = await DataClient.open(chat.port, "alice's data connection", chat, agreed.sendToken, [...file.chunks()][0]);
    await alice!.sync("the reply to /users (the suite's barrier: alice's data connection has been handled)");
    const early = sender.closed;
    const receiver = await DataClient.open(chat.port, "bob's data connection", chat, agreed.receiveToken);
    await closedBy(chat, receiver, { problem: `alice's data connection came first with the whole file; then bob's came, and stayed open`, expected: "the first data connection waits (its socket stays paused, its early bytes in it) until the other side's token arrives; then the copy starts, from the first byte", see: SECTION.pairing });
    if (early || receiver.received !== file.size || receiver.digest() !== file.sha256) {
      throw fail(chat, {
        problem: early
          ? "alice's data connection arrived first, with her whole file right after its /file line, and the server closed it before bob's data connection came."
          : `alice's data connection came first, her ${file.size} bytes in the same write as her /file line; then bob's came and received ${receiver.received} bytes${receiver.received === file.size ? ' with another SHA-256' : ''}.`,
        expected: "the first data connection waits (its socket stays paused, its early bytes in it) until the other side's token arrives; then the copy starts, from the first byte",
        see: SECTION.pairing,
      });
    }
    const ends = await Promise.all([outcomeOf(alice!, agreed.id), outcomeOf(bob!, agreed.id)]);
    if (ends.some((e) => !isDone(e))) {
      throw fail(chat, { problem: `The file arrived whole; alice got ${show(ends[0])}, bob ${show(ends[1])}.`, expected: 'transfer_done for both', see: SECTION.pairing });
    }
  });

  test('a token opens one data connection, once: unknown, reused and doubled tokens get NO_SUCH_OFFER and are closed', async () => {
    const chat = await fileChat(SECTION.tokens);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const refused = async (label: string, token: string, story: string) => {
      const data = await DataClient.open(chat.port, label, chat, token);
      try {
        await data.waitClosed(`a data connection with ${story}`);
      } catch {
        throw fail(chat, {
          problem: `${label} sent "/file ${token}" (${story}); the server kept the connection open.`,
          expected: 'error NO_SUCH_OFFER, then closed: attach() returns false for a token it does not hold, and a used token is deleted',
          see: SECTION.tokens,
        });
      }
      const text = data.firstBytes.toString('utf8');
      if (!text.includes('"NO_SUCH_OFFER"')) {
        throw fail(chat, { problem: `${label} sent "/file ${token}" (${story}); the server answered ${JSON.stringify(text)} and closed.`, expected: 'an error event with code NO_SUCH_OFFER before the close', see: SECTION.tokens });
      }
    };
    await refused('a stranger', 'f'.repeat(32), 'a token the server never gave');
    const file = new Content(5000);
    const agreed = await agree(chat, alice!, bob!, file);
    const receiver = await DataClient.open(chat.port, "bob's data connection", chat, agreed.receiveToken);
    await refused("a second copy of bob's data connection", agreed.receiveToken, "bob's receive token, in use by his first data connection");
    const sender = await DataClient.open(chat.port, "alice's data connection", chat, agreed.sendToken);
    await sendAll(sender, file);
    await closedBy(chat, receiver, { problem: `alice sent the whole file; bob's data connection stayed open`, expected: 'at exactly size bytes the relay stops reading (the sender keeps its side open: it waits for the server) and closes both data connections', see: SECTION.exact });
    await outcomeOf(bob!, agreed.id);
    await refused('a replay of alice\'s data connection', agreed.sendToken, "alice's send token, used by a transfer that is over");
    if (receiver.received !== file.size) {
      throw fail(chat, { problem: `bob's first data connection received ${receiver.received} of ${file.size} bytes while a second one tried his token.`, expected: 'the first connection gets the whole file; the second is refused', see: SECTION.tokens });
    }
  });

  test('exactly size bytes: fewer (the sender closes early) or more (past size) is incomplete for both', async () => {
    const chat = await fileChat(SECTION.exact);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(100_000);

    const short = await agree(chat, alice!, bob!, file, 'short.bin');
    const ends1 = await openBoth(chat, short);
    await sendAll(ends1.sender, file, file.size - 1000);
    ends1.sender.socket.end(); // FIN: alice's side says it has sent everything
    const outcome1 = await Promise.all([outcomeOf(alice!, short.id), outcomeOf(bob!, short.id)]);
    if (outcome1.some((e) => !failedWith(e, 'incomplete'))) {
      throw fail(chat, {
        problem: `alice offered ${file.size} bytes, sent ${file.size - 1000} and closed her side; alice got ${show(outcome1[0])}, bob ${show(outcome1[1])}.`,
        expected: 'transfer_failed with reason incomplete for both: the loop over the sender ended before size bytes had passed',
        see: SECTION.exact,
      });
    }
    await closedBy(chat, ends1.receiver, { problem: `alice closed her data connection early; bob's stayed open`, expected: 'the relay closes both data connections however a transfer ends', see: SECTION.ending });

    const small = new Content(1000);
    const long = await agree(chat, alice!, bob!, small, 'long.bin');
    const receiver = await DataClient.open(chat.port, "bob's data connection", chat, long.receiveToken);
    // 1010 bytes for a 1000-byte offer, in the very write of the /file line: one chunk.
    const sender = await DataClient.open(chat.port, "alice's data connection", chat, long.sendToken, Buffer.concat([[...small.chunks()][0]!, Buffer.from('0123456789')]));
    const outcome2 = await Promise.all([outcomeOf(alice!, long.id), outcomeOf(bob!, long.id)]);
    void sender;
    if (outcome2.some((e) => !failedWith(e, 'incomplete')) || receiver.received > small.size) {
      throw fail(chat, {
        problem: `alice offered ${small.size} bytes and sent ${small.size + 10} in one write; bob's data connection received ${receiver.received}; alice got ${show(outcome2[0])}, bob ${show(outcome2[1])}.`,
        expected: `transfer_failed incomplete for both, and never more than ${small.size} bytes to bob: check the count before writing a chunk, and stop at size`,
        see: SECTION.exact,
      });
    }
    await closedBy(chat, receiver, { problem: `alice sent too many bytes; bob's data connection stayed open`, expected: 'the relay closes both data connections however a transfer ends', see: SECTION.ending });
  });

  test('the hash is checked as the bytes pass: other bytes than offered are corrupt for both', async () => {
    const chat = await fileChat(SECTION.hash);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const offered = new Content(50_000);
    const agreed = await agree(chat, alice!, bob!, offered);
    const { sender, receiver } = await openBoth(chat, agreed);
    const other = Buffer.from([...offered.chunks()][0]!);
    other[25_000] ^= 0xff; // one byte differs
    await sender.write(other);
    await closedBy(chat, receiver, { problem: `alice sent all ${other.length} bytes; bob's data connection stayed open`, expected: 'at exactly size bytes the relay stops reading (the sender keeps its side open: it waits for the server) and closes both data connections', see: SECTION.exact });
    const ends = await Promise.all([outcomeOf(alice!, agreed.id), outcomeOf(bob!, agreed.id)]);
    if (ends.some((e) => !failedWith(e, 'corrupt'))) {
      throw fail(chat, {
        problem: `alice offered a file with SHA-256 ${offered.sha256.slice(0, 12)}…, then sent ${other.length} bytes of which one differs; alice got ${show(ends[0])}, bob ${show(ends[1])}.`,
        expected: "transfer_failed corrupt for both: hash every chunk as it passes (createHash('sha256').update(chunk)), and compare its hex digest with the offer's at the end",
        see: SECTION.hash,
      });
    }
  });

  test('a receiver that hangs up, or a user who leaves, ends the transfer: both data connections are closed', async () => {
    const chat = await fileChat(SECTION.ending);
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(8 * MB);

    const first = await agree(chat, alice!, bob!, file, 'first.bin');
    const ends1 = await openBoth(chat, first);
    ends1.receiver.onChunk = () => ends1.receiver.socket.pause(); // bob reads a little, then stops
    void sendAll(ends1.sender, file);
    await ends1.receiver.until(() => (ends1.receiver.received > 0 ? true : undefined), 'the first bytes');
    ends1.receiver.close(); // bob's data connection hangs up mid-way
    await ends1.sender.waitClosed("alice's data connection, after bob's hung up").catch(() => {
      throw fail(chat, {
        problem: "bob's data connection hung up after the first bytes of 8 MiB; alice's data connection stayed open.",
        expected: 'the relay stops reading the sender when the receiver closes (a write or a wait for drain fails), and closes the sender',
        see: SECTION.ending,
      });
    });
    const outcome1 = await Promise.all([outcomeOf(alice!, first.id), outcomeOf(bob!, first.id)]);
    if (outcome1.some((e) => !failedWith(e, 'incomplete'))) {
      throw fail(chat, { problem: `bob's data connection hung up mid-way; alice got ${show(outcome1[0])}, bob ${show(outcome1[1])}.`, expected: 'transfer_failed incomplete for both', see: SECTION.ending });
    }

    const second = await agree(chat, alice!, bob!, file, 'second.bin');
    const ends2 = await openBoth(chat, second);
    ends2.receiver.onChunk = () => ends2.receiver.socket.pause();
    void sendAll(ends2.sender, file, MB); // then alice's side waits, connection open
    await ends2.receiver.until(() => (ends2.receiver.received > 0 ? true : undefined), 'the first bytes');
    bob!.send('/quit'); // bob leaves the chat: the wiring calls cancel()
    const gone = await outcomeOf(alice!, second.id);
    if (!failedWith(gone, 'gone')) {
      throw fail(chat, { problem: `bob left the chat mid-transfer; alice got ${show(gone)}.`, expected: 'transfer_failed gone', see: SECTION.ending });
    }
    ends2.receiver.onChunk = undefined;
    ends2.receiver.socket.resume(); // a paused socket would not notice its close
    for (const side of [ends2.sender, ends2.receiver]) {
      await side.waitClosed('the transfer was cancelled').catch(() => {
        throw fail(chat, {
          problem: `bob left the chat mid-transfer and the server cancelled it; ${side.label} stayed open.`,
          expected: "cancel(id) destroys the transfer's data connections (both, or the one that came)",
          see: SECTION.ending,
        });
      });
    }
  });

  test('an offer nobody answers expires; an accepted one whose data connections do not both come is incomplete', async () => {
    const chat = await fileChat(SECTION.ending, { offerTimeoutMs: 300, dataConnectTimeoutMs: 300 });
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const file = new Content(1000);
    alice!.send(`/offer bob ${file.size} ${file.sha256} quiet.bin`);
    const offer = await bob!.next({ type: 'offer' }, 'the offer');
    const id = offer.type === 'offer' ? offer.id : '';
    const expired = await Promise.all([outcomeOf(alice!, id), outcomeOf(bob!, id)]);
    if (expired.some((e) => !failedWith(e, 'expired'))) {
      throw fail(chat, { problem: `bob never answered an offer (the suite's server waits 300 ms); alice got ${show(expired[0])}, bob ${show(expired[1])}.`, expected: 'transfer_failed expired for both', see: SECTION.ending });
    }
    bob!.send(`/accept ${id}`);
    const late = await bob!.next({ type: 'error' }, 'the answer to accepting an expired offer');
    if (late.type !== 'error' || late.code !== 'NO_SUCH_OFFER') {
      throw fail(chat, { problem: `bob accepted offer ${id} after it expired and got ${show(late)}.`, expected: 'error NO_SUCH_OFFER', see: SECTION.ending });
    }

    const agreed = await agree(chat, alice!, bob!, file);
    const receiver = await DataClient.open(chat.port, "bob's data connection", chat, agreed.receiveToken);
    const ends = await Promise.all([outcomeOf(alice!, agreed.id), outcomeOf(bob!, agreed.id)]);
    if (ends.some((e) => !failedWith(e, 'incomplete'))) {
      throw fail(chat, { problem: `bob opened his data connection, alice never did (the suite's server waits 300 ms); alice got ${show(ends[0])}, bob ${show(ends[1])}.`, expected: 'transfer_failed incomplete for both', see: SECTION.ending });
    }
    await receiver.waitClosed('the transfer timed out').catch(() => {
      throw fail(chat, {
        problem: "alice's data connection never came and the transfer timed out; bob's, waiting in the relay, stayed open.",
        expected: "cancel(id) destroys the data connection that came",
        see: SECTION.ending,
      });
    });
  });
});

/** A stand-in for a data connection: it keeps what is written to it, at once or, with `hold`, when the suite releases each write. */
function standIn(hold = false, highWaterMark = 16 * 1024) {
  const got: Buffer[] = [];
  const held: (() => void)[] = [];
  const socket = new Duplex({
    highWaterMark,
    read() {},
    write(chunk: Buffer, _encoding, done) {
      const take = () => {
        got.push(chunk);
        done();
      };
      if (hold) held.push(take);
      else take();
    },
  });
  return { socket, asSocket: socket as unknown as Socket, got, held, bytes: () => Buffer.concat(got).length };
}

/** A few turns of the event loop: long enough for a 'close' to be heard and a promise chain to run its course. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const ticking = (wake: () => void) => {
  const timer = setInterval(wake, 2);
  return () => clearInterval(timer);
};

describe('lesson 17: your FileRelay on its own, with stand-ins for the data connections', () => {
  /** A new relay, and a way to give it transfers of `content` whose ended() calls are noted in `told`. */
  function relayAlone() {
    const relay = new FileRelay();
    const told: string[] = [];
    let n = 0;
    const transfer = (content: Buffer) => {
      const id = `t${++n}`;
      const sha256 = createHash('sha256').update(content).digest('hex');
      const accepted = { id, sendToken: `${id}-send`, receiveToken: `${id}-receive`, size: content.length, sha256, ended: (outcome: string) => void told.push(`${id} ${outcome}`) };
      relay.expect(accepted);
      return accepted;
    };
    /** Calls a relay method; a throw becomes a failure that says which call threw. */
    const call = <T>(what: string, fn: () => T, see: string): T => {
      try {
        return fn();
      } catch (err) {
        throw failure({ problem: `${what} threw: ${(err as Error)?.message ?? err}`, expected: 'no throw: the wiring calls it at any time, for any id or token', see });
      }
    };
    return { relay, told, transfer, call };
  }

  test("cancel(id) closes that transfer's data connections, never calls ended(), kills its unused tokens and no other's", async () => {
    const { relay, told, transfer, call } = relayAlone();
    const content = Buffer.alloc(1000, 7);
    const moving = transfer(content); // both data connections came, 100 bytes passed
    const other = transfer(content); // nobody came yet: its tokens must live on
    const half = transfer(content); // only the sender came
    const sender = standIn();
    const receiver = standIn();
    call(`attach('${moving.receiveToken}', socket)`, () => relay.attach(moving.receiveToken, receiver.asSocket), SECTION.pairing);
    call(`attach('${moving.sendToken}', socket)`, () => relay.attach(moving.sendToken, sender.asSocket), SECTION.pairing);
    const lone = standIn();
    call(`attach('${half.sendToken}', socket)`, () => relay.attach(half.sendToken, lone.asSocket), SECTION.pairing);
    sender.socket.push(content.subarray(0, 100));
    await turns();
    call(`cancel('${moving.id}') mid-copy`, () => relay.cancel(moving.id), SECTION.ending);
    call(`cancel('${half.id}'), whose receiver never came`, () => relay.cancel(half.id), SECTION.ending);
    call(`cancel('${moving.id}') a second time`, () => relay.cancel(moving.id), SECTION.ending);
    call("cancel('never-given')", () => relay.cancel('never-given'), SECTION.ending);
    const open = [['the sender', sender], ['the receiver', receiver], ['the lone sender', lone]].filter(([, s]) => !(s as ReturnType<typeof standIn>).socket.destroyed).map(([label]) => label);
    if (open.length > 0) {
      throw failure({ problem: `cancel() of two transfers left ${open.join(' and ')} open.`, expected: "cancel(id) destroys the transfer's data connections: both, or the one that came (ends.receiver?.destroy())", see: SECTION.ending });
    }
    await turns(); // copy() sees its sockets gone and run() ends: it must tell nobody
    if (told.length > 0) {
      throw failure({ problem: `After cancel(), your relay called ended(): ${told.join(', ')}. The wiring has told the users already (gone, or incomplete).`, expected: 'cancel() deletes the transfer; run() calls ended() only if this.transfers.delete(id) returns true', see: SECTION.ending });
    }
    const dead = call(`attach('${half.receiveToken}', socket), a token of a cancelled transfer`, () => relay.attach(half.receiveToken, standIn().asSocket), SECTION.tokens);
    const unknown = call("attach('never-given', socket)", () => relay.attach('never-given', standIn().asSocket), SECTION.tokens);
    const live = call(`attach('${other.sendToken}', socket), a token of a transfer nobody cancelled`, () => relay.attach(other.sendToken, standIn().asSocket), SECTION.tokens);
    if (dead || unknown || !live) {
      throw failure({
        problem: `After cancel('${moving.id}') and cancel('${half.id}'): attach() of ${half.id}'s unused token gave ${dead}, of a token never given ${unknown}, of ${other.id}'s (not cancelled) ${live}.`,
        expected: "false, false, true: cancel(id) deletes the tokens left whose side.transfer.id === id, and only those",
        see: SECTION.tokens,
      });
    }
  });

  test('a receiver that hangs up while the sender is quiet ends the copy: the sender is closed, incomplete', async () => {
    const { relay, told, transfer } = relayAlone();
    const content = Buffer.alloc(5000, 1);
    const t = transfer(content);
    const sender = standIn();
    const receiver = standIn();
    relay.attach(t.sendToken, sender.asSocket);
    relay.attach(t.receiveToken, receiver.asSocket);
    sender.socket.push(content.subarray(0, 1000)); // then nothing: the sender waits, or is slow
    await waitUntil(() => (receiver.bytes() > 0 ? true : undefined), ticking, () => failure({ problem: 'Both data connections came and the sender sent 1000 bytes; the receiver got none.', expected: 'every chunk written to the receiver', see: SECTION.pairing }));
    receiver.socket.destroy(); // the receiver hangs up
    await waitUntil(
      () => (sender.socket.destroyed && told.length > 0 ? true : undefined),
      ticking,
      () => failure({
        problem: `The receiver hung up after 1000 of ${content.length} bytes while the sender sent nothing more; ${PATIENCE_MS} ms later the sender's connection was ${sender.socket.destroyed ? 'closed' : 'still open'} and ended() ${told.length > 0 ? `was called: ${told.join(', ')}` : 'had not been called'}.`,
        expected: "receiver.once('close', () => sender.destroy()): the loop waits on the sender, and only that wakes it. Then ended('incomplete')",
        see: SECTION.ending,
      }),
    );
    if (told.join() !== `${t.id} incomplete`) {
      throw failure({ problem: `The receiver hung up mid-file; ended() was called with: ${told.join(', ')}.`, expected: `once, with 'incomplete'`, see: SECTION.ending });
    }
  });

  test("ended('done') only once the receiver has taken every byte; a receiver that hangs up before is incomplete", async () => {
    const { relay, told, transfer } = relayAlone();
    const content = Buffer.from('the whole file, in one small chunk');
    for (const hangUp of [false, true]) {
      const t = transfer(content);
      const sender = standIn();
      const receiver = standIn(true); // takes its writes only when the suite says
      relay.attach(t.sendToken, sender.asSocket);
      relay.attach(t.receiveToken, receiver.asSocket);
      sender.socket.push(content);
      await waitUntil(() => (receiver.held.length > 0 || told.length > 0 ? true : undefined), ticking, () => failure({ problem: `The sender sent all ${content.length} bytes; none was written to the receiver.`, expected: 'every chunk written to the receiver', see: SECTION.pairing }));
      await turns();
      if (told.length > 0) {
        throw failure({
          problem: `The receiver had not yet taken the last write (it was still in its socket's buffer), and your relay called ended(): ${told.join(', ')}.`,
          expected: "await receiver.end(callback) first: it calls back once every byte is handed to the system. Destroying the socket before would lose what it still holds",
          see: SECTION.exact,
        });
      }
      if (hangUp) receiver.socket.destroy();
      else receiver.held.shift()!();
      const want = `${t.id} ${hangUp ? 'incomplete' : 'done'}`;
      await waitUntil(() => (told.length > 0 ? true : undefined), ticking, () => failure({ problem: `The receiver ${hangUp ? 'hung up before taking the last write' : 'took the last write'}; ended() was not called within ${PATIENCE_MS} ms.`, expected: `ended('${hangUp ? 'incomplete' : 'done'}')`, see: SECTION.ending }));
      if (told.join() !== want) {
        throw failure({
          problem: `The receiver ${hangUp ? 'hung up before taking the last write' : 'took every byte'}; your relay called ended(): ${told.join(', ')}.`,
          expected: hangUp ? "ended('incomplete'): the wait for the end rejects when the receiver closes first" : `ended('done'), once`,
          see: SECTION.ending,
        });
      }
      told.length = 0;
    }
  });

  test("the relay's waits for 'drain' leave no listener behind", async () => {
    const { relay, told, transfer } = relayAlone();
    const content = Buffer.alloc(40 * 1024, 3);
    const t = transfer(content);
    const sender = standIn();
    const receiver = standIn(false, 1024); // every 1 KiB write fills it: write() says false each time
    let peak = 0;
    // The sender sends its next 1 KiB only once the receiver has taken the last: one wait for 'drain' each.
    let at = 0;
    const sendNext = () => {
      if (at < content.length) sender.socket.push(content.subarray(at, (at += 1024)));
    };
    const take = receiver.socket._write.bind(receiver.socket);
    receiver.socket._write = (chunk, encoding, done) => setImmediate(() => take(chunk, encoding, (err?: Error | null) => {
      done(err);
      sendNext();
    }));
    relay.attach(t.sendToken, sender.asSocket);
    relay.attach(t.receiveToken, receiver.asSocket);
    sendNext();
    await waitUntil(
      () => {
        peak = Math.max(peak, receiver.socket.listenerCount('close'));
        return told.length > 0 ? true : undefined;
      },
      ticking,
      () => failure({ problem: `The sender sent ${content.length} bytes in 1 KiB chunks to a receiver that takes each a moment later; ended() was not called within ${PATIENCE_MS} ms (the receiver took ${receiver.bytes()}).`, expected: "ended('done')", see: SECTION.backpressure }),
    );
    if (peak > 4) {
      throw failure({
        problem: `Your relay waited for 'drain' about 40 times; the receiver's socket had up to ${peak} 'close' listeners: each wait left its own behind (Node warns past 10: MaxListenersExceededWarning).`,
        expected: "when 'drain' comes, take the wait's 'close' listener off again: socket.off('close', onClose)",
        see: SECTION.backpressure,
      });
    }
  });
});

describe("lesson 17: the client's side (your describeFile, sendFile and receiveFile, with the reference server)", () => {
  /** A real file on disk: `size` bytes of the suite's noise. */
  function realFile(folder: string, name: string, size: number): { file: string; content: Buffer; sha256: string } {
    const content = Buffer.concat([...new Content(size).chunks()]);
    const file = path.join(folder, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, content);
    return { file, content, sha256: createHash('sha256').update(content).digest('hex') };
  }

  /** alice's sendFile and bob's receiveFile of one offer, each on a data connection of its own. */
  async function transfer(chat: Chat, from: TestClient, to: TestClient, source: string, offer: { name: string; size: number; sha256: string }, downloads: string) {
    const agreed = await agree(chat, from, to, offer, offer.name);
    const address = { host: '127.0.0.1', port: chat.port };
    const received: number[] = [];
    const sent: number[] = [];
    const receiving = openDataConnection(address, agreed.receiveToken).then((socket) => receiveFile(socket, downloads, offer, (n) => received.push(n)));
    const sending = openDataConnection(address, agreed.sendToken).then((socket) => sendFile(socket, source, (n) => sent.push(n)));
    const [saved, delivered] = await Promise.allSettled([receiving, sending]);
    return { agreed, saved, delivered, received, sent };
  }

  const reason = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? `rejected: ${(r.reason as Error)?.message ?? r.reason}` : `resolved with ${JSON.stringify(r.value)}`);

  test('describeFile gives the name, size and SHA-256 that /offer needs', async () => {
    const folder = tempFolder();
    const { file, content, sha256 } = realFile(folder, 'photo.jpg', 300_000);
    const facts = await describeFile(file);
    if (facts.name !== 'photo.jpg' || facts.size !== content.length || facts.sha256 !== sha256) {
      throw failure({
        problem: `describeFile() of a 300000-byte file called photo.jpg gave ${JSON.stringify(facts)}.`,
        expected: `{ name: "photo.jpg" (the base name, no folder), size: 300000, sha256: "${sha256}" } (createHash('sha256'), digest('hex'))`,
        see: SECTION.client,
      });
    }
  });

  test('a real file goes from disk to disk through the relay, with progress both ways', async () => {
    const chat = await startChat({ mine: [], see: SECTION.client, options: { features: ['files'] } });
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const home = tempFolder();
    const { file, content } = realFile(home, 'song.ogg', 3 * MB + 123);
    const downloads = path.join(home, 'downloads');
    const offer = await describeFile(file);
    const result = await transfer(chat, alice!, bob!, file, offer, downloads);
    const savedAs = result.saved.status === 'fulfilled' ? result.saved.value : undefined;
    const onDisk = savedAs === undefined ? undefined : readFileSync(savedAs);
    if (result.delivered.status !== 'fulfilled' || savedAs !== path.join(downloads, 'song.ogg') || !onDisk?.equals(content)) {
      throw fail(chat, {
        problem: `alice's sendFile() ${reason(result.delivered)}; bob's receiveFile() into an empty downloads folder ${reason(result.saved)}${onDisk ? `, and that file holds ${onDisk.length} bytes${onDisk.equals(content) ? ', alice\'s exactly' : onDisk.length === content.length ? ' that differ from alice\'s' : ''}` : ''}.`,
        expected: `both resolve, and bob's receiveFile() with ${path.join(downloads, 'song.ogg')}, a copy of alice's ${content.length} bytes`,
        see: SECTION.client,
      });
    }
    const rising = (list: number[]) => list.length > 0 && list.every((n, i) => i === 0 || n > list[i - 1]!) && list[list.length - 1] === content.length;
    if (!rising(result.sent) || !rising(result.received)) {
      throw fail(chat, {
        problem: `While ${content.length} bytes moved, alice's onProgress heard ${result.sent.length} counts (${result.sent.slice(-3).join(', ') || 'none'} at the end), bob's ${result.received.length} (${result.received.slice(-3).join(', ') || 'none'} at the end).`,
        expected: `each side reports the bytes so far after each chunk: growing, ending at ${content.length}`,
        see: SECTION.client,
      });
    }
  });

  test("sendFile waits on writableNeedDrain: a 'drain' that came while the file was read is not waited for", async () => {
    const folder = tempFolder();
    const { file, content } = realFile(folder, 'big.bin', 2 * MB);
    // Like a TLS socket: every write is over its highWaterMark (write() says false), and it
    // drains a moment later, often while sendFile awaits the file's next chunk.
    let taken = 0;
    const socket = new Duplex({
      highWaterMark: 1024,
      read() {},
      write(chunk: Buffer, _encoding, done) {
        setImmediate(() => {
          taken += chunk.length;
          done();
          if (taken >= content.length) socket.destroy(); // the server has it all: it closes
        });
      },
    });
    const sending = sendFile(socket, file, () => {}).then(() => 'resolved', (err: Error) => `rejected: ${err.message}`);
    const outcome = await within(sending, PATIENCE_MS, () => new Error('timeout')).catch(() => `still waiting after ${PATIENCE_MS} ms`);
    socket.destroy();
    if (outcome !== 'resolved' || taken !== content.length) {
      throw failure({
        problem: `sendFile() of ${content.length} bytes to a socket that drains soon after each write (as a TLS socket does) handed it ${taken} bytes, and ${outcome}.`,
        expected: "every byte, then resolved on the close: before each write, wait for 'drain' only if socket.writableNeedDrain (a drain that came during the file's read will not come again)",
        see: SECTION.client,
      });
    }
  });

  /** A data connection the suite drives: it takes each write only when the suite says so; until then write() says false (its highWaterMark is 1 KiB). */
  function heldSocket() {
    const held: (() => void)[] = [];
    const state = { taken: 0 };
    const socket = new Duplex({
      highWaterMark: 1024,
      read() {},
      write(chunk: Buffer, _encoding, done) {
        held.push(() => {
          state.taken += chunk.length;
          done();
        });
      },
    });
    return { socket, held, state };
  }

  /** Settles to 'resolved' or 'rejected: why'. */
  const settle = (p: Promise<unknown>) => p.then(() => 'resolved', (err: Error) => `rejected: ${err?.message ?? err}`);
  const poll = (wake: () => void) => {
    const timer = setInterval(wake, 2);
    return () => clearInterval(timer);
  };

  test("sendFile writes nothing while the socket still holds a chunk: it waits for 'drain' (one 'close' listener at a time)", async () => {
    const folder = tempFolder();
    const { file, content } = realFile(folder, 'held.bin', MB);
    const { socket, held, state } = heldSocket();
    let sent = 0;
    let overfull = '';
    let peakClose = 0;
    const outcome = settle(sendFile(socket, file, (n) => {
      // What the socket holds beyond the chunk just written was written while it was full.
      if (overfull === '' && socket.writableLength > n - sent) overfull = `after ${n} bytes, ${socket.writableLength} were waiting in the socket (write() had said false ${Math.round((socket.writableLength - (n - sent)) / 1024)} KiB earlier)`;
      sent = n;
    }));
    let settled = '';
    void outcome.then((o) => (settled = o));
    // The suite lets the socket take a chunk only once sendFile waits for 'drain', or has read the whole file.
    while (state.taken < content.length && overfull === '' && settled === '') {
      await waitUntil(
        () => {
          peakClose = Math.max(peakClose, socket.listenerCount('close'));
          return overfull !== '' || settled !== '' || (held.length > 0 && (socket.listenerCount('drain') > 0 || sent === content.length)) ? true : undefined;
        },
        poll,
        () => failure({ problem: `sendFile() had written ${sent} of ${content.length} bytes to a socket that had not taken the last chunk (write() said false); it neither waited for 'drain' nor wrote more for ${PATIENCE_MS} ms.`, expected: "socket.once('drain', ...) while socket.writableNeedDrain", see: SECTION.backpressure }),
      );
      if (overfull === '' && settled === '') held.shift()!();
    }
    if (overfull === '' && settled === '') socket.destroy(); // the server has every byte: it closes
    const ended = await within(outcome, PATIENCE_MS, () => new Error('timeout')).catch(() => `was still waiting ${PATIENCE_MS} ms after the socket closed`);
    if (/\bTODO\b/.test(ended)) throw new Error(ended.replace(/^rejected: /, ''));
    if (overfull !== '' || ended !== 'resolved' || state.taken !== content.length) {
      throw failure({
        problem: `sendFile() of ${content.length} bytes to a socket that takes each write only a while later: ${overfull || `it handed it ${state.taken} bytes, and ${ended}`}.`,
        expected: "one chunk at a time: when write() returns false, wait for 'drain' before the next write (the relay's loop again), then resolve on the close",
        see: SECTION.backpressure,
      });
    }
    if (peakClose > 3) {
      throw failure({
        problem: `While sendFile() waited for 'drain' ${Math.round(content.length / (64 * 1024))} times or so, the socket had up to ${peakClose} 'close' listeners: each wait left its own behind (Node warns past 10: MaxListenersExceededWarning).`,
        expected: "when 'drain' comes, take the wait's 'close' listener off again: socket.off('close', onClose)",
        see: SECTION.client,
      });
    }
  });

  test('a data connection the server closes: sendFile rejects, whether it was waiting for drain or reading the file, and writes no more', async () => {
    const folder = tempFolder();
    const { file } = realFile(folder, 'cut.bin', MB);
    // 1. It closes while sendFile waits for 'drain'.
    const waiting = heldSocket();
    let sent = 0;
    const first = settle(sendFile(waiting.socket, file, (n) => (sent = n)));
    let early = '';
    void first.then((o) => (early = o));
    await waitUntil(() => (waiting.socket.listenerCount('drain') > 0 || early !== '' ? true : undefined), poll, () => failure({ problem: `sendFile() wrote ${sent} bytes to a socket that took none of them, then neither waited for 'drain' nor settled within ${PATIENCE_MS} ms.`, expected: "await 'drain' while socket.writableNeedDrain", see: SECTION.backpressure }));
    if (/\bTODO\b/.test(early)) throw new Error(early.replace(/^rejected: /, ''));
    waiting.socket.destroy();
    const whileWaiting = await within(first, PATIENCE_MS, () => new Error('timeout')).catch(() => `was still waiting ${PATIENCE_MS} ms later`);
    // 2. It closes just after the first write, while sendFile reads the file's next chunk.
    const reading = heldSocket();
    let writes = 0;
    const whileReading = await within(
      settle(sendFile(reading.socket, file, () => {
        writes += 1;
        if (writes === 1) reading.socket.destroy();
      })),
      PATIENCE_MS,
      () => new Error('timeout'),
    ).catch(() => `was still waiting ${PATIENCE_MS} ms later`);
    const fine = (o: string) => /^rejected: \S/.test(o);
    if (!fine(whileWaiting) || !fine(whileReading) || writes !== 1) {
      throw failure({
        problem: `The server closed a data connection while sendFile() waited for 'drain': it ${whileWaiting}. Another one just after sendFile()'s first write: it wrote ${writes - 1} more chunk(s) to the closed socket and ${whileReading}.`,
        expected: "a rejection with a message (the client shows it: \"Sending cut.bin stopped: ...\") each time, and no write after the close: before waiting, reject if socket.destroyed; while waiting, reject on 'close' (a closed socket never drains)",
        see: SECTION.client,
      });
    }
  });

  test('a received file never overwrites one that exists: "name (1).ext", then "name (2).ext"', async () => {
    const chat = await startChat({ mine: [], see: SECTION.saving, options: { features: ['files'] } });
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const home = tempFolder();
    const downloads = path.join(home, 'downloads');
    const { file } = realFile(home, 'report.pdf', 20_000);
    const mine = realFile(downloads, 'report.pdf', 500); // bob's own report.pdf, there before
    const offer = await describeFile(file);
    const first = await transfer(chat, alice!, bob!, file, offer, downloads);
    const second = await transfer(chat, alice!, bob!, file, offer, downloads);
    const names = readdirSync(downloads).sort();
    const kept = readFileSync(mine.file).equals(mine.content);
    const want = ['report (1).pdf', 'report (2).pdf', 'report.pdf'];
    if (!kept || names.join('|') !== want.join('|')) {
      throw fail(chat, {
        problem: `bob's downloads folder held his own report.pdf (500 bytes); alice sent him report.pdf twice. The first receiveFile() ${reason(first.saved)}, the second ${reason(second.saved)}; the folder now holds ${names.join(', ')}${kept ? '' : ', and bob\'s own report.pdf was overwritten'}.`,
        expected: `${want.join(', ')}: open each new file with the 'wx' flag (create, fail if it exists: EEXIST) and try the next name`,
        see: SECTION.saving,
      });
    }
  });

  /** A data connection that carries `bytes`, then ends, as the relay's does. */
  function carrying(bytes: Buffer): Duplex {
    const socket = new Duplex({ read() {}, write(_chunk, _encoding, done) { done(); } });
    socket.push(bytes);
    socket.push(null);
    return socket;
  }

  test('a name from the network stays in the downloads folder: its last part, no control characters, "file" when nothing is left', async () => {
    const downloads = path.join(tempFolder(), 'downloads');
    const content = Buffer.from('twelve bytes');
    const offer = (name: string) => ({ name, size: content.length, sha256: createHash('sha256').update(content).digest('hex') });
    const cases = [
      ['../../escape.txt', 'escape.txt'],
      ['C:\\Users\\mallory\\notes.txt', 'notes.txt'],
      ['bell\u0007\u001b[2J.txt', 'bell[2J.txt'],
      ['..', 'file'],
      ['.', 'file (1)'],
      ['', 'file (2)'],
    ];
    const got: string[] = [];
    for (const [name] of cases) {
      const saved = await within(receiveFile(carrying(content), downloads, offer(name!)), PATIENCE_MS, () => new Error(`still waiting after ${PATIENCE_MS} ms`)).then((file) => path.relative(downloads, file), (err: Error) => `rejected: ${err.message}`);
      if (/\bTODO\b/.test(saved)) throw new Error(saved.replace(/^rejected: /, ''));
      got.push(saved);
    }
    const wrong = cases.map(([name, want], i) => ({ name, want, got: got[i] })).filter((c) => c.got !== c.want);
    if (wrong.length > 0) {
      throw failure({
        problem: `receiveFile() into ${downloads} saved ${wrong.map((c) => `${JSON.stringify(c.name)} as ${JSON.stringify(c.got)}`).join(', ')}.`,
        expected: `${wrong.map((c) => JSON.stringify(c.want)).join(', ')}: a name from the network keeps only its last part (both / and \\ separate folders, on any system: path.basename after turning \\ into /), loses its control characters, and is "file" when nothing (or . or ..) is left`,
        see: SECTION.saving,
      });
    }
  });

  test('receiveFile stops at the offered size: more bytes than offered are never counted or kept', async () => {
    const downloads = path.join(tempFolder(), 'downloads');
    const offered = new Content(100_000);
    const more = Buffer.concat([...new Content(offered.size + 200_000).chunks()]);
    let peak = 0;
    const saved = await within(receiveFile(carrying(more), downloads, { name: 'flood.bin', size: offered.size, sha256: offered.sha256 }, (n) => (peak = Math.max(peak, n))), PATIENCE_MS, () => new Error(`still waiting after ${PATIENCE_MS} ms`)).then((file) => `resolved with ${file}`, (err: Error) => `rejected: ${err.message}`);
    if (/\bTODO\b/.test(saved)) throw new Error(saved.replace(/^rejected: /, ''));
    const left = existsSync(downloads) ? readdirSync(downloads) : [];
    if (!/^rejected: \S/.test(saved) || peak > offered.size || left.length > 0) {
      throw failure({
        problem: `A data connection carried ${more.length} bytes for an offer of ${offered.size}; receiveFile() ${saved}, its onProgress counted up to ${peak}, and the downloads folder holds ${left.join(', ') || 'nothing'}.`,
        expected: `a failure at the first byte past ${offered.size} (the Transform calls back with an error that says so: the client shows it), never counting past it, and the file deleted: a server that never stops must not fill the disk`,
        see: SECTION.exact,
      });
    }
  });

  test('a file that cannot be created is an error, not a reason to try the next name', async () => {
    const downloads = path.join(tempFolder(), 'downloads');
    const content = Buffer.from('x');
    // Longer than any system allows for one name (255): open() fails with ENAMETOOLONG (or ENOENT), never EEXIST.
    const name = `${'n'.repeat(300)}.txt`;
    const saved = await within(receiveFile(carrying(content), downloads, { name, size: 1, sha256: createHash('sha256').update(content).digest('hex') }), PATIENCE_MS, () => new Error('timeout')).then((file) => `resolved with ${file}`, (err: Error) => (err.message === 'timeout' ? `was still trying after ${PATIENCE_MS} ms` : `rejected: ${err.message}`));
    if (/\bTODO\b/.test(saved)) throw new Error(saved.replace(/^rejected: /, ''));
    if (!saved.startsWith('rejected')) {
      throw failure({
        problem: `receiveFile() of a file whose name (304 characters) the system refuses ${saved}.`,
        expected: "a rejection: only EEXIST means \"try the next name\"; any other error from open() is thrown again (another name cannot help)",
        see: SECTION.saving,
      });
    }
  });

  test('a file whose bytes are not the ones offered is deleted, and receiveFile rejects', async () => {
    const chat = await startChat({ mine: [], see: SECTION.hash, options: { features: ['files'] } });
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const home = tempFolder();
    const downloads = path.join(home, 'downloads');
    const { file } = realFile(home, 'data.csv', 40_000);
    const facts = await describeFile(file);
    const lie = { ...facts, sha256: createHash('sha256').update('something else').digest('hex') };
    const result = await transfer(chat, alice!, bob!, file, lie, downloads);
    const left = readdirSync(downloads);
    const said = result.saved.status === 'rejected' ? String((result.saved.reason as Error)?.message) : '';
    if (result.saved.status !== 'rejected' || left.length > 0 || !/sha-?256|hash|checksum/i.test(said)) {
      throw fail(chat, {
        problem: `alice offered data.csv with a SHA-256 that is not its content's, and sent its bytes. bob's receiveFile() ${reason(result.saved)}; his downloads folder holds ${left.length === 0 ? 'nothing' : left.join(', ')}.`,
        expected: "receiveFile() compares the hash of what arrived with the offer's, and when they differ deletes the file (unlink) and rejects, saying so (the client shows it: \"Receiving data.csv stopped: ...\" names the SHA-256): a wrong file must not sit there looking right",
        see: SECTION.hash,
      });
    }
  });

  test('fewer bytes than offered: the file is deleted, and receiveFile rejects', async () => {
    const chat = await startChat({ mine: [], see: SECTION.exact, options: { features: ['files'] } });
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    const downloads = path.join(tempFolder(), 'downloads');
    const file = new Content(60_000);
    const agreed = await agree(chat, alice!, bob!, { size: file.size, sha256: file.sha256 }, 'cut.bin');
    // allSettled at once: a rejection that comes before the await below is still handled.
    const receiving = Promise.allSettled([openDataConnection({ host: '127.0.0.1', port: chat.port }, agreed.receiveToken).then((socket) => receiveFile(socket, downloads, { name: 'cut.bin', size: file.size, sha256: file.sha256 }))]);
    const sender = await DataClient.open(chat.port, "alice's data connection", chat, agreed.sendToken);
    await sendAll(sender, file, 30_000);
    sender.socket.end(); // half of it, then FIN
    const [saved] = await receiving;
    // A receiveFile() still TODO rejects too: its own message says what to do.
    if (saved.status === 'rejected' && /\bTODO\b/.test(String((saved.reason as Error)?.message))) throw saved.reason;
    const left = existsSync(downloads) ? readdirSync(downloads) : [];
    if (saved.status !== 'rejected' || left.length > 0 || !String((saved.reason as Error)?.message).includes(String(file.size))) {
      throw fail(chat, {
        problem: `bob accepted cut.bin (${file.size} bytes); alice sent 30000 and closed, and the server closed bob's data connection. His receiveFile() ${reason(saved)}; his downloads folder holds ${left.length === 0 ? 'nothing' : left.join(', ')}.`,
        expected: `count the bytes: fewer than size when the stream ends is a failure: delete the file and reject with a message that says how many of the ${file.size} offered arrived (the client shows it)`,
        see: SECTION.exact,
      });
    }
  });
});
