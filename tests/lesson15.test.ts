// Lesson 15: the student's Accounts (starter/server/accounts.ts) inside the reference server,
// with auth and history on, its rows in the server's SQLite store on a real database file:
// /register, logging in with a password (the name in any case), a wrong password refused
// late, the 6th try within a minute refused unchecked, unregistered names untouched, what
// the file holds (read with a second connection), the handshake timeout over the password
// line, and a server whose output (activity log, errors, anything printed) never shows a
// password. Alone, over a store of the suite's own in memory: the 60 s window on a clock of
// the suite's, and two registrations of one name at once. node:crypto's scrypt and
// timingSafeEqual are watched (syncBuiltinESMExports makes named imports see the watchers).
// The Redis store (--redis) is checked in lesson 19's suite, which has a redis-server.
// Needs Node 22.13+ (node:sqlite): on an older Node, `npm test` and the check skip it.

import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, test, vi, type TestContext } from 'vitest';
import { ACCOUNTS_FAILED } from '../app/server/auth.js';
import { openDatabase } from '../app/server/sqlite.js';
import type { AccountRow, AccountsLike, AccountStoreLike, SqlValue } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { fail, failure } from './harness/teach.js';
import { showEvents, type Received, type TestClient } from './harness/test-client.js';
import { DEADLINES, PATIENCE_MS } from './harness/wait.js';

const lesson = (heading: string) => `15 (npm run lesson 15), section "${heading}"`;
const SECTION = {
  never: lesson('Never store a password'),
  salt: lesson('Salt: one password, two hashes'),
  slow: lesson('Slow on purpose: scrypt\'s N, r and p'),
  constant: lesson('Comparing in constant time'),
  late: lesson('Answer late, and count the tries'),
  store: lesson('A store for accounts'),
  race: lesson('Check, then insert: the race again'),
  step: lesson('The password step of the handshake'),
};

type AccountsClass = new (store: AccountStoreLike, now?: () => number) => AccountsLike;
const { Accounts } = await importMine<{ Accounts: AccountsClass }>('server/accounts.ts');

/** PROTOCOL.md: every AUTH_FAILED comes no sooner than this after the password line. */
const FAIL_DELAY_MS = 500;
/** Timers are whole milliseconds: a wait of 500 may measure a hair less from outside. */
const CLOCK_SLACK_MS = 3;
/** A wait for an answer that needs a hash: the tests run at once, and their hashes queue for the thread pool. */
const HASHING_MS = DEADLINES.step;

// ── Watching node:crypto ──────────────────────────────────────────────────────
/**
 * What the code under test asked of node:crypto: each scrypt and scryptSync call with the
 * password it hashed. The tests run at once, so each looks for its own passwords.
 */
const seen = { scrypt: [] as { password: string; cost: Record<string, unknown> | undefined; saltBytes: number }[], scryptSync: [] as string[], timingSafeEqual: 0 };
const text = (password: unknown) => (password instanceof Uint8Array ? Buffer.from(password).toString() : String(password));
const real = { scrypt: crypto.scrypt, scryptSync: crypto.scryptSync, timingSafeEqual: crypto.timingSafeEqual };

beforeAll(() => {
  crypto.scrypt = function (password: unknown, salt: unknown, keylen: unknown, ...rest: unknown[]) {
    const cost = typeof rest[0] === 'object' ? (rest[0] as Record<string, unknown>) : undefined;
    seen.scrypt.push({ password: text(password), cost, saltBytes: typeof salt === 'string' ? Buffer.byteLength(salt) : ((salt as Uint8Array | undefined)?.byteLength ?? 0) });
    return (real.scrypt as (...args: unknown[]) => void)(password, salt, keylen, ...rest);
  } as typeof crypto.scrypt;
  crypto.scryptSync = function (...args: unknown[]) {
    seen.scryptSync.push(text(args[0]));
    return (real.scryptSync as (...args: unknown[]) => Buffer)(...args);
  } as typeof crypto.scryptSync;
  crypto.timingSafeEqual = function (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) {
    seen.timingSafeEqual++;
    return real.timingSafeEqual(a, b);
  };
  syncBuiltinESMExports(); // `import { scrypt } from 'node:crypto'` now reaches the watchers
});
afterAll(() => {
  Object.assign(crypto, real);
  syncBuiltinESMExports();
});

// ── Servers, clients and files ────────────────────────────────────────────────
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** A fresh database file in a folder of its own (removed when the suite ends). */
function tempDb(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'lesson15-'));
  folders.push(folder);
  return path.join(folder, 'chat.db');
}

type OnFinished = TestContext['onTestFinished'];

interface AuthChat extends Chat {
  /** The server's activity log (a line per connection, login, refusal and leave). */
  activity: string[];
}

/** The reference server with your Accounts, auth and history on a fresh database file; stopped by `onTestFinished` (the test's own: they run at once). */
async function authChat(onTestFinished: OnFinished, see: string, options: { db?: string; handshakeTimeoutMs?: number } = {}): Promise<AuthChat> {
  const activity: string[] = [];
  const chat = await startChat({ mine: ['Accounts'], see, onTestFinished, options: { features: ['history', 'auth'], db: tempDb(), activity: (l) => activity.push(l), ...options } });
  return Object.assign(chat, { activity });
}

/** ': your METHOD threw (...)' when the server logged that the accounts piece threw; '' otherwise. */
function threw(chat: Chat, method: string): string {
  const logged = chat.logs.some((line) => line.startsWith(ACCOUNTS_FAILED));
  return logged ? `: your ${method} threw, so the server could not answer (its log below says where)` : '';
}

/** Logs in as `name` (unregistered) and registers it with `password`. */
async function registered(chat: Chat, name: string, password: string): Promise<TestClient> {
  const client = await chat.connect(name);
  client.send(name);
  const first = await client.next(() => true, `the answer to the name "${name}"`);
  if (first.type !== 'welcome') {
    throw fail(chat, {
      problem: `${name}, a name nobody has registered yet, sent its name and got ${showEvents([first])}${threw(chat, 'registeredName()')}.`,
      expected: 'welcome at once, as in version 1: registeredName() returns undefined for a name with no row',
      see: SECTION.step,
    });
  }
  client.send(`/register ${password}`);
  const answer = await client.next((e) => e.type === 'info' || e.type === 'error', `the answer to /register`, HASHING_MS);
  if (threw(chat, '')) {
    throw fail(chat, {
      problem: `${name} sent "/register ${password}" and got ${showEvents([answer])}${threw(chat, 'register()')}.`,
      expected: 'info: register() hashes the password with a fresh salt and has the store insert one row',
      see: SECTION.store,
    });
  }
  if (answer.type !== 'info') {
    throw fail(chat, {
      problem: `${name}, a name nobody had registered, sent "/register ${password}" and got ${showEvents([answer])}.`,
      expected: 'info: register() returns true for a name that has no row yet',
      see: SECTION.store,
    });
  }
  return client;
}

interface Attempt {
  client: TestClient;
  /** What answered the password line: welcome, or error AUTH_FAILED. */
  answer: Received;
  /** From sending the password line to that answer, in ms. */
  ms: number;
}

/** Connects, sends `name`, waits for `password`, sends `password`; the answer and how long it took. */
async function logIn(chat: Chat, label: string, name: string, password: string): Promise<Attempt> {
  const client = await chat.connect(label);
  client.send(name);
  const asked = await client.next(() => true, `the answer to the name "${name}"`);
  if (asked.type !== 'password') {
    throw fail(chat, {
      problem: `${label} sent the registered name "${name}" and got ${showEvents([asked])}${threw(chat, 'registeredName()')}.`,
      expected: 'a password event: registeredName() awaits the row the store finds (in any case of the name) and gives its name, so the server asks for its password',
      see: SECTION.step,
    });
  }
  const sent = performance.now();
  client.send(password);
  const answer = await client.next((e) => e.type === 'welcome' || e.type === 'error', `the answer to ${label}'s password line`, HASHING_MS + FAIL_DELAY_MS).catch((err: Error) => {
    if (!client.closed) throw err;
    throw fail(chat, {
      problem: `${label} sent a password for "${name}" and the server closed the connection without answering: your Accounts threw (see below).`,
      expected: 'welcome for the right password, error AUTH_FAILED for a wrong one',
      see: SECTION.step,
    });
  });
  return { client, answer, ms: performance.now() - sent };
}

const ms = (value: number) => `${Math.round(value)} ms`;

/** The real scrypt (not the watched one) as a promise: the suite's own rows. */
function realScrypt(password: string, salt: Buffer, bytes: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => real.scrypt(password, salt, bytes, cost, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A store of the suite's own, in memory, for the piece alone: names without regard to case, inserts atomic. */
function memoryStore(): AccountStoreLike {
  const rows = new Map<string, AccountRow>();
  return {
    find: async (name) => rows.get(name.toLowerCase()),
    insert: async (row) => {
      const key = row.name.toLowerCase();
      if (rows.has(key)) return false;
      rows.set(key, row);
      return true;
    },
  };
}

/** Everything printed from now on (console and the process's own streams) until stop(). */
function capturePrinting(onTestFinished: OnFinished): { stop(): string[] } {
  const printed: string[] = [];
  const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  const spies = [
    ...(['log', 'error', 'warn', 'info', 'debug'] as const).map((name) => vi.spyOn(console, name).mockImplementation(keep)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (keep(chunk), true)),
  ];
  const stop = () => {
    spies.forEach((spy) => spy.mockRestore());
    return printed;
  };
  onTestFinished(() => void stop());
  return { stop };
}

// The tests run at once (each with its own server), the longest first: their 500 ms waits
// overlap. One runs alone, before them, to time a right password's answer.
describe.concurrent('lesson 15: passwords done right', () => {
  // Alone (no other test's hashes queue before its own), so that its time is its hash's.
  test.sequential('a row hashed at another cost (an older, smaller N): registeredName() finds it in any case, it still verifies, and a right password is answered at once', async () => {
    const store = memoryStore();
    const [password, cost] = ['an older password', { N: 2 ** 10, r: 8, p: 1 }];
    const salt = crypto.randomBytes(16);
    await store.insert({ name: 'erin', salt, hash: await realScrypt(password, salt, 32, cost), ...cost });
    const accounts = new Accounts(store);
    // First what "Your turn" asks first: on the pristine starter, this is the first failure.
    const asRegistered = await accounts.registeredName('ERIN');
    if (asRegistered !== 'erin') {
      throw failure({
        problem: `The store holds erin's row; registeredName('ERIN') returned ${JSON.stringify(asRegistered)}.`,
        expected: "'erin', the name as registered: the name of the row await this.store.find(name) gives (the store finds it in any case)",
        see: SECTION.store,
      });
    }
    const called = performance.now();
    const right = await accounts.checkPassword('erin', password);
    const took = performance.now() - called;
    if (!right) {
      throw failure({
        problem: `erin's row was hashed years ago with N = 2^10, r = 8, p = 1 (its row says so); checkPassword('erin', '${password}'), the right password, returned false.`,
        expected: 'true: hash the login\'s password with the cost the row names, not with today\'s COST, so old rows still verify after N is raised',
        see: SECTION.slow,
      });
    }
    if (took >= FAIL_DELAY_MS - CLOCK_SLACK_MS) {
      throw failure({
        problem: `checkPassword('erin', ...) with the right password (a hash at N = 2^10 takes a few ms) returned true ${ms(took)} after it was called.`,
        expected: `true at once: only a false waits until ${FAIL_DELAY_MS} ms after the call; a user who typed the right password is not kept waiting`,
        see: SECTION.late,
      });
    }
  });

  test('the 60 s window (a clock of the suite\'s own): unchecked tries do not count, a right password does not reset the count', async ({ onTestFinished }) => {
    let now = 1_000_000;
    const accounts = new Accounts(memoryStore(), () => now);
    const see = SECTION.late;
    if (!(await accounts.register('carol', 'right password'))) throw failure({ problem: 'register(\'carol\', ...) with an empty store returned false.', expected: 'true: the store\'s insert() took the row', see: SECTION.store });
    const check = (password: string) => accounts.checkPassword('carol', password);
    const story: string[] = [];
    const expect = async (label: string, password: string, want: boolean, why: string) => {
      const called = performance.now();
      const got = await check(password);
      const took = performance.now() - called;
      story.push(`  at +${(now - 1_000_000) / 1000} s: ${label} → ${got} (after ${ms(took)})`);
      if (got !== want) throw failure({ problem: `With the clock you were given (now()):\n${story.join('\n')}`, expected: `${want}: ${why}`, see });
      if (!got && took < FAIL_DELAY_MS - CLOCK_SLACK_MS) {
        throw failure({
          problem: `checkPassword('carol', '${password}') returned false ${ms(took)} after it was called.`,
          expected: `no sooner than ${FAIL_DELAY_MS} ms after the call: wait until then before returning false, so a wrong guess costs the guesser time`,
          see,
        });
      }
    };
    const wrongs = await Promise.all([1, 2, 3, 4].map((i) => check(`wrong ${i}`)));
    story.push('  at +0 s: 4 wrong passwords, all called at once → ' + wrongs.join(', '));
    await expect('the right password', 'right password', true, '4 wrong in the window is fewer than 5: checked, and right');
    await expect('the right password again', 'right password', true, 'a right password is not a wrong one, so it is not counted: 4 wrong are still fewer than 5');
    now += 1000;
    await expect('a 5th wrong password', 'wrong 5', false, 'it is wrong');
    now = 1_000_000 + 30_000;
    const unchecked = await Promise.all([1, 2, 3, 4, 5].map(() => check('right password')));
    story.push('  at +30 s: the right password 5 times → ' + unchecked.join(', '));
    if (unchecked.some((v) => v)) {
      throw failure({ problem: `With the clock you were given (now()):\n${story.join('\n')}`, expected: 'false each time, unchecked: 5 wrong within the last 60 s (a right password in between does not reset the count, and each of the 4 called at once counts: add a wrong one to the list the Map holds after the hash, not to a copy taken before it)', see });
    }
    now = 1_000_000 + 60_500;
    await expect('the right password', 'right password', true, 'the first 4 wrong ones are over 60 s old, so 1 is left in the window (unchecked tries do not count as wrong): it is checked again, and right');
  });

  test('a wrong password: AUTH_FAILED and closed, no sooner than 500 ms after the password line; after 5 within a minute, the 6th try is refused unchecked (the right password too); another name is not affected; no password is ever printed', async ({ onTestFinished }) => {
    const printed = capturePrinting(onTestFinished);
    const chat = await authChat(onTestFinished, SECTION.late);
    const password = 'horse staple 15'; // alice's: no other test hashes it
    const users = await Promise.all([registered(chat, 'alice', password), registered(chat, 'bob', 'battery staple')]);
    users.forEach((user) => user.close());
    const wrong = await Promise.all([1, 2, 3, 4, 5].map((i) => logIn(chat, `guess${i}`, 'alice', `guess number ${i}`)));
    for (const { client, answer, ms: took } of wrong) {
      if (answer.type !== 'error' || answer.code !== 'AUTH_FAILED') {
        throw fail(chat, { problem: `${client.label} logged in as alice with a wrong password and got ${showEvents([answer])}.`, expected: 'error AUTH_FAILED: checkPassword() returns false', see: SECTION.step });
      }
      await client.waitClosed('AUTH_FAILED closes the connection');
      if (took < FAIL_DELAY_MS - CLOCK_SLACK_MS) {
        throw fail(chat, {
          problem: `${client.label}'s AUTH_FAILED came ${ms(took)} after its wrong password line.`,
          expected: `no sooner than ${FAIL_DELAY_MS} ms: checkPassword() waits until ${FAIL_DELAY_MS} ms after it was called before it returns false, so a wrong guess costs the guesser time`,
          see: SECTION.late,
        });
      }
    }
    const before = seen.scrypt.length;
    const sixth = await logIn(chat, 'sixth', 'alice', password);
    if (sixth.answer.type !== 'error' || sixth.answer.code !== 'AUTH_FAILED') {
      throw fail(chat, {
        problem: `alice's name had 5 wrong passwords in the last few seconds (guess1 to guess5, hashed at the same time); then the RIGHT password got ${showEvents([sixth.answer])}.`,
        expected: 'error AUTH_FAILED without the password being checked: after 5 wrong in 60 s, checkPassword() refuses before it hashes anything (a guesser cannot tell a right guess from a wrong one). Each of the 5 counts: add a wrong one to the list the Map holds after the hash, not to a copy taken before it, or the tries that ran meanwhile are lost',
        see: SECTION.late,
      });
    }
    if (seen.scrypt.slice(before).some((c) => c.password === password)) {
      throw fail(chat, {
        problem: 'The 6th try was refused, but your checkPassword() hashed its password first (scrypt ran).',
        expected: 'a locked name is refused unchecked: no scrypt, so guessing costs the server nothing either',
        see: SECTION.late,
      });
    }
    if (sixth.ms < FAIL_DELAY_MS - CLOCK_SLACK_MS) {
      throw fail(chat, {
        problem: `The 6th try was refused ${ms(sixth.ms)} after its password line.`,
        expected: `the same ${FAIL_DELAY_MS} ms as a wrong password: a refusal that comes at once says "locked", and a guesser's tries go as fast as it likes`,
        see: SECTION.late,
      });
    }
    const bob = await logIn(chat, 'bob', 'bob', 'battery staple');
    if (bob.answer.type !== 'welcome') {
      throw fail(chat, {
        problem: `alice's name was locked by 5 wrong passwords; bob then logged in with his right password and got ${showEvents([bob.answer])}.`,
        expected: 'welcome: the wrong tries are counted per name (lower-cased), not for everyone',
        see: SECTION.late,
      });
    }
    const passwords = [password, 'battery staple', ...[1, 2, 3, 4, 5].map((i) => `guess number ${i}`)];
    const output = [...chat.activity, ...chat.logs, ...printed.stop()];
    const shown = passwords.filter((p) => output.some((line) => line.includes(p)));
    if (shown.length > 0) {
      throw failure({
        problem: `Of the passwords registered and tried here, the server printed ${shown.map((p) => `"${p}"`).join(', ')}:\n${output.filter((line) => shown.some((p) => line.includes(p))).slice(0, 5).map((l) => `  ${l.trim()}`).join('\n')}`,
        expected: 'no password anywhere in what the server prints (activity log, errors, console): logs are read by many, kept for years and copied around. Log the name and the outcome, never the password',
        see: SECTION.never,
      });
    }
  });

  test('/register, then logging in (the name in any case) asks for the password, and the right one gets the welcome', async ({ onTestFinished }) => {
    const chat = await authChat(onTestFinished, SECTION.step);
    const alice = await registered(chat, 'alice', 'correct horse');
    alice.send('/register another one');
    const again = await alice.next((e) => e.type === 'info' || e.type === 'error', 'the answer to a second /register', HASHING_MS);
    if (again.type !== 'error' || again.code !== 'USAGE') {
      throw fail(chat, { problem: `alice, registered already, sent "/register another one" and got ${showEvents([again])}.`, expected: 'error USAGE: register() returns false for a name that has a row', see: SECTION.store });
    }
    alice.send('/quit');
    await alice.waitClosed('alice quit');
    const compared = seen.timingSafeEqual;
    const { answer } = await logIn(chat, 'alice again', 'ALICE', 'correct horse');
    if (answer.type !== 'welcome' || answer.user !== 'alice') {
      throw fail(chat, {
        problem: `alice registered with "correct horse" and quit; logging in as "ALICE" with that password got ${showEvents([answer])}.`,
        expected: 'welcome with user "alice", the name as registered: checkPassword() hashes the line with the row\'s salt and cost and finds the same hash',
        see: SECTION.step,
      });
    }
    if (seen.timingSafeEqual === compared) {
      throw fail(chat, {
        problem: 'The right password logged in, but your checkPassword() never called crypto.timingSafeEqual.',
        expected: 'the two hashes compared with timingSafeEqual: === and Buffer.equals stop at the first byte that differs, and how long they take tells an attacker how many bytes were right',
        see: SECTION.constant,
      });
    }
  });

  test('the password is hashed with the async scrypt, its cost written down, and a fresh salt of 16 bytes or more', async ({ onTestFinished }) => {
    const chat = await authChat(onTestFinished, SECTION.slow);
    const password = 'slow on purpose';
    await registered(chat, 'alice', password);
    if (seen.scryptSync.includes(password)) {
      throw fail(chat, {
        problem: 'register() called scryptSync: for the tens of milliseconds a hash takes, the one thread stops and no other connection is served.',
        expected: 'the callback scrypt (wrapped in a promise) on the thread pool, awaited',
        see: SECTION.slow,
      });
    }
    const call = seen.scrypt.find((c) => c.password === password);
    if (!call) {
      throw fail(chat, { problem: 'alice registered, and your register() never called crypto.scrypt.', expected: 'the password hashed with scrypt, a slow hash made for passwords (not sha256, which is fast on purpose)', see: SECTION.slow });
    }
    const N = Number(call.cost?.N ?? call.cost?.cost ?? 0);
    if (!(N >= 2 ** 14)) {
      throw fail(chat, {
        problem: `register() called scrypt with the options ${JSON.stringify(call.cost ?? null)}.`,
        expected: 'the cost written down, with N at least 2^14 (the lesson uses { N: 2 ** 14, r: 8, p: 1 } and a maxmem to match): the default is whatever Node picked, and it is what the stored row must name',
        see: SECTION.slow,
      });
    }
    if (call.saltBytes < 16) {
      throw fail(chat, { problem: `register() gave scrypt a salt of ${call.saltBytes} bytes.`, expected: 'randomBytes(16) or more, fresh for each account', see: SECTION.salt });
    }
  });

  test('two servers, one store: when the other registers the name while this one hashes, insert() answers false, and so must register()', async ({ onTestFinished }) => {
    const shared = memoryStore();
    const otherServer = new Accounts(shared);
    let landed = false;
    // The other server's registration lands at the worst moment: after this one's hash, just before its insert.
    const store: AccountStoreLike = {
      find: (name) => shared.find(name),
      insert: async (row) => {
        if (!landed) {
          landed = true;
          await otherServer.register('DAVE', 'the other password');
        }
        return shared.insert(row);
      },
    };
    const accounts = new Accounts(store);
    const answer = await accounts.register('dave', 'our own password');
    if (answer !== false) {
      throw failure({
        problem: `Another server registered DAVE while your register('dave', 'our own password') was hashing (its row went in just before yours did): the store's insert() answered false, and your register() returned ${answer}.`,
        expected: 'false, what insert() said: the store checks and writes in one step, and only its answer is up to date. A look before (or after) the hash cannot see a registration that lands in between, and telling the user "registered" hands them a password that never works',
        see: SECTION.race,
      });
    }
  });

  test('a name with no row, or a row whose hash has another length: checkPassword() answers false, late, and never throws', async () => {
    const store = memoryStore();
    const [password, cost] = ['a longer hash', { N: 2 ** 10, r: 8, p: 1 }];
    const salt = crypto.randomBytes(16);
    // A row from a version of the server that kept 64-byte hashes: compared with a 32-byte one.
    await store.insert({ name: 'frank', salt, hash: await realScrypt(password, salt, 64, cost), ...cost });
    const accounts = new Accounts(store);
    const tries = [
      { name: 'nobody', password: 'any password', what: 'a name nobody registered (or whose row was removed since the name was looked up)' },
      { name: 'frank', password, what: 'frank, whose row holds a 64-byte hash' },
    ];
    const answers = await Promise.all(tries.map(async (t) => {
      const called = performance.now();
      const answer = await accounts.checkPassword(t.name, t.password).then((value) => ({ value }), (err: Error) => ({ err }));
      return { ...t, ...answer, took: performance.now() - called };
    }));
    for (const a of answers) {
      if ('err' in a) {
        throw failure({
          problem: `checkPassword('${a.name}', ...) for ${a.what} threw: ${a.err.message}`,
          expected: a.name === 'nobody'
            ? `false, no sooner than ${FAIL_DELAY_MS} ms after the call: find() gives undefined, and there is nothing to hash`
            : 'an answer, never a throw: timingSafeEqual throws when the two lengths differ, so compare the lengths first (the length of a hash is no secret)',
          see: a.name === 'nobody' ? SECTION.late : SECTION.constant,
        });
      }
      if (a.name === 'nobody' && (a.value !== false || a.took < FAIL_DELAY_MS - CLOCK_SLACK_MS)) {
        throw failure({ problem: `checkPassword('nobody', ...) for ${a.what} returned ${a.value} ${ms(a.took)} after it was called.`, expected: `false, no sooner than ${FAIL_DELAY_MS} ms after the call, as for a wrong password`, see: SECTION.late });
      }
    }
  });

  test('unregistered names log in as in version 1; a registered name that is online gets NAME_TAKEN at once, no password asked', async ({ onTestFinished }) => {
    const chat = await authChat(onTestFinished, SECTION.step);
    await registered(chat, 'alice', 'correct horse');
    const bob = await chat.connect('bob');
    bob.send('bob');
    const first = await bob.next(() => true, 'the answer to the name "bob"');
    if (first.type !== 'welcome') {
      throw fail(chat, {
        problem: `Only alice is registered; bob sent his name and got ${showEvents([first])}.`,
        expected: 'welcome at once, as in version 1: registeredName() returns undefined for a name with no row',
        see: SECTION.step,
      });
    }
    const twin = await chat.connect('twin');
    twin.send('Alice');
    const answer = await twin.next(() => true, 'the answer to the name "Alice" while alice is online');
    if (answer.type !== 'error' || answer.code !== 'NAME_TAKEN') {
      throw fail(chat, { problem: `alice (registered) is online; twin sent "Alice" and got ${showEvents([answer])}.`, expected: 'error NAME_TAKEN at once, without a password being asked', see: SECTION.step });
    }
  });

  test('the database file holds no password, and two users with one password get different hashes', async ({ onTestFinished }) => {
    const file = tempDb();
    const chat = await authChat(onTestFinished, SECTION.never, { db: file });
    const password = 'same password 42';
    await Promise.all([registered(chat, 'alice', password), registered(chat, 'bob', password)]);
    const db = openDatabase(file);
    onTestFinished(() => db.close());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'messages'").all().map((r) => String(r.name));
    const rows = tables.flatMap((table) => db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).all().map((row) => ({ table, row })));
    const bytes = (v: SqlValue) => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v)));
    const forms = [password, Buffer.from(password).toString('hex'), Buffer.from(password).toString('base64')].map((f) => Buffer.from(f));
    const leak = rows.find(({ row }) => Object.values(row).some((v) => v !== null && forms.some((f) => bytes(v).includes(f))));
    if (leak) {
      throw failure({
        problem: `alice and bob registered with "${password}"; the table ${leak.table} of the database file holds it: ${JSON.stringify(leak.row, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}.`,
        expected: 'only a salt and a scrypt hash: whoever copies the file (a backup, a stolen laptop) must not read anyone\'s password',
        see: SECTION.never,
      });
    }
    const rowOf = (name: string) => rows.find(({ row }) => Object.values(row).some((v) => typeof v === 'string' && v.toLowerCase() === name));
    const [a, b] = [rowOf('alice'), rowOf('bob')];
    if (!a || !b) {
      throw failure({ problem: `alice and bob registered, and the database file has ${rows.length} row(s) in ${tables.join(', ') || 'no table'} without a row naming each.`, expected: 'one row per account, in the same file as history', see: SECTION.store });
    }
    const secrets = (row: Record<string, SqlValue>) => Object.values(row).filter((v) => v !== null && typeof v !== 'number' && typeof v !== 'bigint' && bytes(v).length >= 16).map((v) => bytes(v).toString('hex'));
    const shared = secrets(a.row).filter((v) => secrets(b.row).includes(v));
    if (secrets(a.row).length === 0 || shared.length > 0) {
      throw failure({
        problem: `alice and bob registered with the same password; their rows are ${JSON.stringify(a.row, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))} and ${JSON.stringify(b.row, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))}.`,
        expected: 'a different salt, and so a different hash, in each row: with one salt for all (or none), one precomputed table cracks every account, and equal hashes show who shares a password',
        see: SECTION.salt,
      });
    }
  });

  test('one handshake timer from the moment of connecting covers the password line', async ({ onTestFinished }) => {
    const timeout = 300;
    const chat = await authChat(onTestFinished, SECTION.step, { handshakeTimeoutMs: timeout });
    (await registered(chat, 'alice', 'correct horse')).close();
    const opened = performance.now();
    const slow = await chat.connect('slow');
    slow.send('alice');
    await slow.next({ type: 'password' }, 'the password event');
    const answer = await slow.next({ type: 'error' }, 'TIMEOUT while the password never comes', timeout + PATIENCE_MS);
    const took = performance.now() - opened;
    if (answer.type !== 'error' || answer.code !== 'TIMEOUT' || took > timeout + PATIENCE_MS / 2) {
      throw fail(chat, {
        problem: `With a handshake timeout of ${timeout} ms, slow connected, sent "alice", got the password event and sent nothing more; after ${ms(took)} it got ${showEvents([answer])}.`,
        expected: `error TIMEOUT about ${timeout} ms after connecting: until the password is right the name is not taken, so lesson 5's timer still runs`,
        see: SECTION.step,
      });
    }
    await slow.waitClosed('TIMEOUT closes the connection');
  });
});
