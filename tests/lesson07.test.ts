// Lesson 7: the student's Mutex (starter/server/mutex.ts) and claimName
// (starter/server/claim-name.ts). First the Mutex on its own, driven directly with tasks
// whose order the test controls (the clearest messages); then both inside the reference
// server, where thirty logins race for one name while a slow name store holds them back.
//
// The race is forced, never left to luck: the store answers nobody until every login has
// started and the event loop has run everything it could without the store. Code that
// checks, awaits and registers without the lock then fails every time, not once in a while.

import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { describe, test } from 'vitest';
import { reservedNames } from '../app/server/name-store.js';
import type { PieceName } from '../app/server/pieces.js';
import type { Client, MutexLike, NameStore, ServerContext } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { failure } from './harness/teach.js';
import type { Received, TestClient } from './harness/test-client.js';
import { PATIENCE_MS, waitUntil, within } from './harness/wait.js';

const { Mutex } = await importMine<typeof import('../starter/server/mutex.js')>('server/mutex.ts');

const lesson = (heading: string) => `7 (npm run lesson 7), section "${heading}"`;
const SECTION = {
  mutex: lesson('A mutex for async code'),
  with: lesson("runExclusive is Python's with"),
  handover: lesson('Handing over: FIFO, no barging'),
  finally: lesson('Release on throw'),
  stack: lesson('Ten thousand waiters, one stack'),
  claim: lesson('Taking the lock in claimName'),
  twice: lesson('Never take the lock twice'),
  ghost: lesson('A client that leaves while it waits'),
};

/** How many calls deep the code that calls this is, counting every frame. */
function stackDepth(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const depth = (new Error().stack ?? '').split('\n').length - 1;
  Error.stackTraceLimit = limit;
  return depth;
}

/** One turn of the event loop: every microtask queued before it has run by then. */
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A door a task can wait behind until the test opens it. */
function door(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

// ── The Mutex on its own ──────────────────────────────────────────────────────

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The student's Mutex, driven with labelled tasks. It logs every call, every task's start
 * and end, and how each runExclusive() settled, so a failure shows exactly what happened.
 */
class MutexUnderTest {
  /** The Mutex itself: a test may also drive it without the log. */
  readonly mutex: MutexLike;
  private readonly log: string[] = [];
  /** Labels of the tasks that started, in the order they started. */
  readonly started: string[] = [];
  private readonly outcomes = new Map<string, Settled>();
  private inside = 0;
  mostInside = 0;

  constructor(private readonly see: string) {
    try {
      this.mutex = new Mutex();
    } catch (err) {
      throw failure({ problem: `new Mutex() threw: ${show(err)}`, expected: 'a Mutex that starts unlocked, with nobody waiting', see });
    }
  }

  /** Calls runExclusive with a task called `label` that does `body` while it holds the lock. */
  run(label: string, body: () => unknown): Promise<Settled> {
    this.log.push(`runExclusive(${label})`);
    const task = () => {
      this.log.push(`    ${label} starts${this.inside > 0 ? `, while ${this.inside} other task(s) are still inside` : ''}`);
      this.started.push(label);
      this.mostInside = Math.max(this.mostInside, ++this.inside);
      const leave = (how: string) => {
        this.inside--;
        this.log.push(`    ${label} ${how}`);
      };
      let result: unknown;
      try {
        result = body();
      } catch (err) {
        leave(`throws ${show(err)}`);
        throw err;
      }
      // A synchronous task stays synchronous: how the Mutex treats one is part of what is tested.
      if (!(result instanceof Promise)) {
        leave('ends');
        return result;
      }
      return result.then(
        (value) => (leave('ends'), value),
        (err: unknown) => {
          leave(`rejects with ${show(err)}`);
          throw err;
        },
      );
    };
    let promise: Promise<unknown>;
    try {
      promise = this.mutex.runExclusive(task);
    } catch (err) {
      throw this.fail(`runExclusive(${label}) threw at once: ${show(err)}`, 'runExclusive() returns a promise, and a problem becomes a rejection of that promise (an async method does this by itself)');
    }
    return Promise.resolve(promise).then(
      (value) => this.settle(label, `resolved with ${show(value)}`, { ok: true, value }),
      (error: unknown) => this.settle(label, `rejected with ${show(error)}`, { ok: false, error }),
    );
  }

  /** How runExclusive(label) settled, if it has. */
  outcome(label: string): Settled | undefined {
    return this.outcomes.get(label);
  }

  private settle(label: string, how: string, settled: Settled): Settled {
    this.log.push(`runExclusive(${label}) ${how}`);
    this.outcomes.set(label, settled);
    return settled;
  }

  /** Waits for every runExclusive() to settle; one still waiting after the deadline is a failure. */
  async all(runs: Promise<Settled>[], labels: string[], expected: string): Promise<Settled[]> {
    const done = new Set<number>();
    runs.forEach((run, i) => void run.then(() => done.add(i)));
    return within(Promise.all(runs), PATIENCE_MS, () => {
      const stuck = labels.filter((_, i) => !done.has(i));
      const never = stuck.filter((l) => !this.started.includes(l));
      return this.fail(
        `After ${PATIENCE_MS} ms, ${done.size} of ${runs.length} runExclusive() calls had settled. Still waiting: ${list(stuck)}.` +
          (never.length > 0 ? ` Of these, ${list(never)} never started: the lock was never passed on.` : ''),
        expected,
      );
    });
  }

  /** Fails unless every call resolved; a rejection the task did not cause is the Mutex's own. */
  expectResolved(results: Settled[], labels: string[]): void {
    results.forEach((result, i) => {
      if (!result.ok) {
        throw this.fail(`runExclusive(${labels[i]}) rejected with ${show(result.error)}, although task ${labels[i]} did not throw.`, 'runExclusive() runs the task and resolves with what it returns');
      }
    });
  }

  fail(problem: string, expected: string, see = this.see): Error {
    const shown = this.log.length > 24 ? [...this.log.slice(0, 16), `    … (${this.log.length - 22} more lines)`, ...this.log.slice(-6)] : this.log;
    return failure({ problem: `${problem}\n\nWhat the test did with your Mutex, in order:\n${shown.map((l) => `  ${l}`).join('\n')}`, expected, see });
  }
}

function list(labels: string[]): string {
  return labels.length > 6 ? `${labels.slice(0, 5).join(', ')} and ${labels.length - 5} more` : labels.join(', ');
}

describe('lesson 7: your Mutex on its own', () => {
  test('one task at a time, even while the task inside awaits', async () => {
    const m = new MutexUnderTest(SECTION.mutex);
    const labels = ['A', 'B', 'C', 'D'];
    const runs = labels.map((label) =>
      m.run(label, async () => {
        await Promise.resolve();
        await loopTurn(); // the await that lets every other callback run
        return label;
      }),
    );
    const results = await m.all(runs, labels, 'every task runs, one after another');
    m.expectResolved(results, labels);
    if (m.mostInside > 1) {
      throw m.fail(
        `Your Mutex let ${m.mostInside} tasks in at once: a task started while another was still inside, awaiting.`,
        'one task inside at a time: the next one starts only after the previous one has finished, however long it awaits',
      );
    }
  });

  test('a free lock runs the task at once, without waiting for a turn of the event loop', async () => {
    const m = new MutexUnderTest(SECTION.mutex);
    for (const label of ['A', 'B (after A has released the lock)']) {
      const nextTurn = new Promise<void>((resolve) => {
        setImmediate(resolve);
        setTimeout(resolve, 0);
      });
      const run = m.run(label, () => label);
      await nextTurn;
      const early = m.outcome(label);
      if (early && !early.ok) m.expectResolved([early], [label]);
      if (!m.started.includes(label)) {
        throw m.fail(
          `The lock was free, yet task ${label} had not started by the time the event loop took its next turn (a timer or setImmediate ran first).`,
          'on a free lock, runExclusive() takes the lock and runs the task straight away: no setTimeout, no setImmediate. Every login would otherwise wait a turn of the loop for nothing.',
        );
      }
      m.expectResolved(await m.all([run], [label], `task ${label} runs`), [label]);
    }
  });

  test('waiters run in the order they asked (FIFO)', async () => {
    const m = new MutexUnderTest(SECTION.handover);
    const holding = door();
    const holder = m.run('holder', () => holding.opened);
    const labels = ['waiter 1', 'waiter 2', 'waiter 3', 'waiter 4', 'waiter 5', 'waiter 6'];
    const waiters = labels.map((label) => m.run(label, () => label));
    holding.open();
    m.expectResolved(await m.all([holder, ...waiters], ['holder', ...labels], 'every waiter runs once the holder has finished'), ['holder', ...labels]);
    const order = m.started.slice(1);
    if (order.join() !== labels.join()) {
      throw m.fail(
        `While one task held the lock, six more asked for it in the order ${labels.join(', ')}. They ran in the order ${order.join(', ')}.`,
        'first come, first served: waiters run in the order they called runExclusive(). Keep them in a queue: push() at the back, shift() from the front (pop() would take the newest first).',
      );
    }
  });

  test('a newcomer never overtakes a waiter while the lock is handed over', async () => {
    const m = new MutexUnderTest(SECTION.handover);
    const holding = door();
    const step = async () => {
      await Promise.resolve(); // stay inside a moment, so that two tasks inside at once would show
    };
    const runs = [m.run('holder', () => holding.opened), m.run('waiter', step)];
    const labels = ['holder', 'waiter'];
    holding.open();
    // From the moment the holder may release, a newcomer asks at every microtask until the
    // waiter has started: one of them lands in any gap where the lock looks free.
    for (let i = 1; i <= 100 && !m.started.includes('waiter') && !m.outcome('waiter'); i++) {
      await Promise.resolve();
      labels.push(`newcomer ${i}`);
      runs.push(m.run(`newcomer ${i}`, step));
    }
    m.expectResolved(await m.all(runs, labels, 'the waiter runs, then every newcomer'), labels);
    const first = m.started.indexOf('waiter');
    if (first !== 1 || m.mostInside > 1) {
      const overtook = m.started.slice(1, first === -1 ? undefined : first);
      throw m.fail(
        `The waiter had been waiting since before the lock was released, but ${list(overtook)} called runExclusive() later and started ${first === -1 ? 'while the waiter never did' : 'before it'}` +
          `${m.mostInside > 1 ? `; at one point ${m.mostInside} tasks were inside at once` : ''}. Between the release and the waiter's wake-up, the lock looked free and a newcomer took it.`,
        'release hands the lock straight to the first waiter in the queue: while anyone waits, the lock never looks free, so newcomers queue behind. (A lock that sets locked = false and lets whoever looks next take it lets newcomers barge in.)',
      );
    }
  });

  test("runExclusive() resolves with the task's value and rejects with the task's own error", async () => {
    const m = new MutexUnderTest(SECTION.with);
    const syncError = new Error('thrown by a plain function');
    const asyncError = new Error('thrown after an await');
    const cases: [string, () => unknown, Settled][] = [
      ['a plain function returning 42', () => 42, { ok: true, value: 42 }],
      ["an async function returning 'done'", async () => 'done', { ok: true, value: 'done' }],
      ['a plain function that throws', () => { throw syncError; }, { ok: false, error: syncError }],
      ['an async function that throws', async () => { await Promise.resolve(); throw asyncError; }, { ok: false, error: asyncError }],
    ];
    const labels = cases.map(([label]) => label);
    const results = await m.all(cases.map(([label, body]) => m.run(label, body)), labels, 'every task runs and its runExclusive() settles, also the tasks after one that threw');
    results.forEach((result, i) => {
      const [label, , expected] = cases[i];
      const same = result.ok === expected.ok && (result.ok ? result.value === (expected as { value: unknown }).value : result.error === (expected as { error: unknown }).error);
      if (!same) {
        const got = result.ok ? `resolved with ${show(result.value)}` : `rejected with ${show(result.error)}`;
        const want = expected.ok ? `resolves with ${show(expected.value)}` : `rejects with that very error (${show(expected.error)})`;
        throw m.fail(`runExclusive(${label}) ${got}.`, `runExclusive() ${want}: whatever the task gives back, the caller gets, unchanged. return await task() inside try does it.`);
      }
    });
  });

  test('a task that throws still releases the lock: the tasks behind it run', async () => {
    const m = new MutexUnderTest(SECTION.finally);
    const holding = door();
    const labels = ['A (throws after an await)', 'B', 'C (throws at once)', 'D'];
    const runs = [
      m.run(labels[0], async () => {
        await holding.opened;
        throw new Error('A failed');
      }),
      m.run(labels[1], () => 'B ran'),
      m.run(labels[2], () => {
        throw new Error('C failed');
      }),
      m.run(labels[3], () => 'D ran'),
    ];
    holding.open();
    const results = await m.all(runs, labels, 'a task that throws releases the lock all the same, so the next waiter runs: release it in a finally block');
    if (results[0].ok || results[2].ok) {
      throw m.fail('A task threw, yet its runExclusive() resolved.', 'runExclusive() rejects with the error the task threw, after releasing the lock');
    }
    m.expectResolved([results[1], results[3]], [labels[1], labels[3]]);
  });

  test('10,000 waiters queued at once all run, in order, without growing the stack', async () => {
    // The Mutex is driven bare here: logging ten thousand tasks would cost more than they do.
    const see = SECTION.stack;
    const { mutex } = new MutexUnderTest(see);
    const holding = door();
    const count = 10_000;
    const ran: number[] = [];
    const depths = new Map<number, number>();
    const runs: Promise<unknown>[] = [];
    try {
      runs.push(mutex.runExclusive(() => holding.opened));
      // Plain functions, not async ones: a Mutex that calls the next task from inside release()
      // then goes one call deeper for every waiter, which the first and last tasks measure.
      for (let i = 1; i <= count; i++) {
        runs.push(mutex.runExclusive(() => {
          if (i === 1 || i === count) depths.set(i, stackDepth());
          ran.push(i);
        }));
      }
    } catch (err) {
      throw failure({ problem: `runExclusive() threw at once, with ${runs.length} tasks queued: ${show(err)}`, expected: 'a promise for every call, however many wait', see });
    }
    holding.open();
    // Ten thousand tasks on a busy machine: this deadline catches a hang, it is no speed limit.
    const deadline = 5 * PATIENCE_MS;
    const results = await within(Promise.allSettled(runs), deadline, () =>
      failure({ problem: `${ran.length} of ${count} waiting tasks had run after ${deadline} ms; the rest were never handed the lock.`, expected: `all ${count} run, one after another, as soon as the one before has finished`, see }),
    );
    const rejected = results.findIndex((r) => r.status === 'rejected');
    if (rejected !== -1) {
      const error = (results[rejected] as PromiseRejectedResult).reason;
      const overflow = error instanceof RangeError;
      throw failure({
        problem: `With ${count} tasks waiting, runExclusive(${rejected === 0 ? 'holder' : `task ${rejected}`}) rejected with ${show(error)}${overflow ? ': each release called the next task from inside itself, a call inside a call inside a call, until the stack ran out' : ', although the task did not throw'}.`,
        expected: overflow ? 'wake the next waiter by resolving the promise it awaits: it then runs later, from the microtask queue, on a fresh stack' : 'every runExclusive() resolves with what its task returned',
        see,
      });
    }
    const [first, last] = [depths.get(1) ?? 0, depths.get(count) ?? 0];
    if (last > first + 100) {
      throw failure({
        problem: `Task 1 ran ${first} calls deep on the stack, task ${count} ran ${last} calls deep: each release called the next task from inside itself, a call inside a call inside a call. A few thousand more waiters and it fails with "Maximum call stack size exceeded".`,
        expected: 'every task runs at about the same depth: wake the next waiter by resolving the promise it awaits, so that it runs later, from the microtask queue, on a fresh stack',
        see,
      });
    }
    const outOfOrder = ran.findIndex((n, i) => n !== i + 1);
    if (ran.length !== count || outOfOrder !== -1) {
      throw failure({
        problem: `${count} tasks asked for the lock in the order task 1, task 2, … task ${count}. ${ran.length} ran${outOfOrder !== -1 ? `, and the ${outOfOrder + 1}th to run was task ${ran[outOfOrder]}` : ''}.`,
        expected: `all ${count}, each once, in the order they asked (first come, first served)`,
        see,
      });
    }
  });
});

// ── In the server: thirty logins, one name ────────────────────────────────────

const CROWD = 30;

interface Step {
  login: number;
  text: string;
}

/**
 * Watches the logins of one server. It is the server's name store: a slow one, whose
 * answers wait behind a gate the test opens. And it wraps the server's claimName, its login
 * lock and its registry, so that a failure can tell, login by login, what your code did and
 * in which order (AsyncLocalStorage follows each login through its awaits).
 */
class LoginWatch {
  readonly store: NameStore = { isReserved: (name) => this.ask(name) };
  claims = 0;
  settled = 0;
  lockCalls = 0;
  nested = 0;
  pending = 0;
  mostPending = 0;
  /** How many times each name (lower-cased) was registered this round. */
  private registered = new Map<string, number>();
  private steps: Step[] = [];
  private readonly names = new Map<number, string>();
  private readonly loginOf = new WeakMap<Client, number>();
  private readonly current = new AsyncLocalStorage<number>();
  private readonly holding = new Set<number>();
  private held: (() => void)[] | undefined;
  private readonly changes = new EventEmitter();

  attach(ctx: ServerContext): void {
    const { pieces, loginLock, registry } = ctx;

    const claimName = pieces.claimName;
    pieces.claimName = (client, name, c) => {
      const login = ++this.claims;
      this.names.set(login, name);
      this.loginOf.set(client, login);
      this.step(login, `claimName('${name}') starts`);
      const outcome = this.current.run(login, () => claimName(client, name, c));
      void outcome
        .then(
          (o) => this.step(login, `claimName returns '${o}'`),
          (err: unknown) => this.step(login, `claimName fails: ${show(err)}`),
        )
        .finally(() => {
          this.settled++;
          this.changes.emit('change');
        });
      return outcome;
    };

    const runExclusive = loginLock.runExclusive.bind(loginLock);
    loginLock.runExclusive = <T>(task: () => Promise<T> | T): Promise<T> => {
      const login = this.current.getStore() ?? 0;
      this.lockCalls++;
      if (this.holding.has(login)) {
        this.nested++;
        this.step(login, 'asks for the lock AGAIN while it still holds it: it now waits for itself');
      } else {
        this.step(login, 'asks for the lock');
      }
      // Run the task as this login, whichever callback the Mutex happens to call it from.
      return runExclusive(() =>
        this.current.run(login, async () => {
          this.holding.add(login);
          this.step(login, 'gets the lock');
          try {
            return await task();
          } finally {
            this.holding.delete(login);
            this.step(login, 'releases the lock');
          }
        }),
      );
    };

    const find = registry.find.bind(registry);
    registry.find = (name) => {
      const found = find(name);
      const login = this.current.getStore();
      if (login !== undefined) this.step(login, `registry.find('${name}') → ${found ? `taken (by ${this.who(this.loginOf.get(found))})` : 'free'}`);
      return found;
    };
    const add = registry.add.bind(registry);
    registry.add = (client) => {
      const login = this.current.getStore();
      if (login !== undefined) {
        const times = (this.registered.get(client.name.toLowerCase()) ?? 0) + 1;
        this.registered.set(client.name.toLowerCase(), times);
        this.step(login, `registry.add(${client.name})${times > 1 ? `   ← registered again: ${times} logins now think they are ${client.name}` : ''}`);
      }
      add(client);
    };
  }

  /** Forgets the last round: counts and steps start again from login 1. */
  reset(): void {
    this.claims = this.settled = this.lockCalls = this.nested = this.mostPending = 0;
    this.steps = [];
    this.registered = new Map();
    this.names.clear();
  }

  /** From now on the store keeps every question waiting, until release(). */
  hold(): void {
    this.held = [];
  }

  /** The store answers every question it held back, and from now on answers at once. */
  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    this.note('the store, slow until now, answers every question it holds');
    for (const answer of waiting) answer();
  }

  /** Something the test did, shown between the logins' steps. */
  note(text: string): void {
    this.step(0, text);
  }

  until(check: () => boolean, onTimeout: () => Error): Promise<unknown> {
    return waitUntil(
      () => (check() ? true : undefined),
      (wake) => {
        this.changes.on('change', wake);
        return () => this.changes.off('change', wake);
      },
      onTimeout,
    );
  }

  /** The steps of these logins, in the order they happened. */
  timeline(logins: number[]): string {
    const rows = this.steps.filter((s) => s.login === 0 || logins.includes(s.login));
    while (rows.length > 0 && rows[rows.length - 1].login === 0) rows.pop(); // the gate opening, when nothing of theirs followed
    return rows
      .map((s) => (s.login === 0 ? `  ${'-'.repeat(9)}  ${s.text}` : `  ${this.who(s.login).padEnd(9)}  ${s.text}`))
      .join('\n');
  }

  private who(login: number | undefined): string {
    if (login === undefined) return 'an earlier login';
    const name = this.names.get(login);
    const sameName = [...this.names.values()].filter((n) => n === name).length > 1;
    return sameName || name === undefined ? `login ${login}` : name;
  }

  private ask(name: string): Promise<boolean> {
    const login = this.current.getStore() ?? 0;
    this.mostPending = Math.max(this.mostPending, ++this.pending);
    const slow = this.held ? `  … the store is slow${this.pending > 1 ? ` (${this.pending} questions wait for it now)` : ''}` : '';
    this.step(login, `await names.isReserved('${name}')${slow}`);
    return new Promise((resolve) => {
      const answer = () =>
        void reservedNames.isReserved(name).then((reserved) => {
          this.pending--;
          this.step(login, `the store answers: ${reserved ? 'reserved' : 'not reserved'}`);
          resolve(reserved);
        });
      if (this.held) this.held.push(answer);
      else answer();
    });
  }

  private step(login: number, text: string): void {
    this.steps.push({ login, text });
    this.changes.emit('change');
  }
}

type Answer = Received | 'closed' | 'silent';

/** What the server answered a name: welcome or error, or nothing before it closed or the deadline. */
function answerOf(client: TestClient, name: string): Promise<Answer> {
  return client
    .next((e) => e.type === 'welcome' || e.type === 'error', `the answer to the name ${name}`)
    .catch(() => (client.closed ? 'closed' : 'silent'));
}

/** Why more than one login won (or none did), from what the watch saw; and where to read about it. */
function diagnose(watch: LoginWatch, answers: Answer[], logs: string[], mine: PieceName[]): { why: string; see: string } {
  const mutex = mine.includes('Mutex') ? 'your Mutex' : 'the Mutex';
  if (answers.includes('closed') && logs.length > 0) {
    return {
      why: `claimName failed for ${answers.filter((a) => a === 'closed').length} logins, so the server closed their connections without an answer (the error it logged is below).`,
      see: mine.includes('Mutex') ? SECTION.mutex : SECTION.claim,
    };
  }
  if (watch.nested > 0) {
    return {
      why: 'A login asked for ctx.loginLock while it already held it. The lock is not reentrant (neither is Python\'s threading.Lock): the inner runExclusive() waits for the outer task to finish, and the outer task waits for the inner one. Nobody gets in ever again.',
      see: SECTION.twice,
    };
  }
  if (answers.includes('silent')) {
    return { why: `Some logins never got an answer: they were still waiting for the lock after ${PATIENCE_MS} ms, so ${mutex} never handed it on to them.`, see: SECTION.handover };
  }
  if (watch.lockCalls === 0) {
    return {
      why: `claimName never called ctx.loginLock.runExclusive(). With no lock, all ${CROWD} logins looked in the registry before any of them had registered, so every one saw the name free.`,
      see: SECTION.claim,
    };
  }
  if (watch.lockCalls > watch.claims) {
    return {
      why: `claimName took the lock ${watch.lockCalls} times for ${watch.claims} logins: once to check, and again to register, as the Python original did. In between, while it awaited the store, the lock was free, and every other login checked the same free name.`,
      see: SECTION.claim,
    };
  }
  if (watch.mostPending > 1) {
    return {
      why: `${watch.mostPending} logins were waiting for the name store at the same moment, each inside runExclusive(): ${mutex} let a task in while another was still inside, awaiting.`,
      see: SECTION.mutex,
    };
  }
  return {
    why: 'The store was asked one login at a time, yet more than one login registered: some step ran outside the lock. The check (registry.find), the await and the registration (registry.add) must all be inside the one task you pass to runExclusive().',
    see: SECTION.claim,
  };
}

/**
 * Rounds on one server: thirty clients send the same name at once, the store holds every
 * check until all thirty logins have started, and exactly one may win. Repeating proves the
 * lock still works once it has been used, queued and drained.
 */
async function raceForOneName(mine: PieceName[], see: string, names: string[]): Promise<Chat> {
  const watch = new LoginWatch();
  const chat = await startChat({ mine, see, options: { names: watch.store, maxClients: 1000 } });
  watch.attach(chat.server.ctx);
  for (const name of names) {
    const clients = await Promise.all(Array.from({ length: CROWD }, (_, i) => chat.connect(`${name} #${i + 1}`)));
    watch.reset();
    watch.hold();
    for (const client of clients) client.send(name);
    await watch.until(
      () => watch.claims === CROWD,
      () => failure({ problem: `${CROWD} clients sent the name ${name}, but only ${watch.claims} logins reached claimName within ${PATIENCE_MS} ms.`, see, transcript: chat.transcript, logs: chat.logs }),
    );
    await loopTurn(); // every login goes as far as it can before the store answers anyone
    watch.release();
    const answers = await Promise.all(clients.map((c) => answerOf(c, name)));
    judge(chat, watch, mine, name, clients, answers);
  }
  return chat;
}

/** A reserved name gets INVALID_NAME, and nobody sees it join. */
async function reservedIsRefused(chat: Chat): Promise<void> {
  const bob = await chat.login('bob');
  const client = await chat.connect('a client asking for "server"');
  client.send('server');
  const answer = await answerOf(client, 'server');
  if (typeof answer !== 'object' || answer.type !== 'error' || answer.code !== 'INVALID_NAME') {
    throw failure({
      problem: `A client asked for the name "server", which the name store says is reserved, and got ${typeof answer === 'object' ? show(answer) : answer === 'closed' ? 'no answer: the connection closed' : `no answer within ${PATIENCE_MS} ms`}.`,
      expected: "error INVALID_NAME: when await ctx.names.isReserved(name) is true, claimName returns 'reserved' (and registers nothing)",
      see: SECTION.claim,
      transcript: chat.transcript,
      logs: chat.logs,
    });
  }
  const heard = await bob.sync();
  if (heard.some((e) => e.type === 'join')) {
    throw failure({ problem: `bob got ${show(heard.find((e) => e.type === 'join'))} after the name "server" was refused.`, expected: 'no join: a refused name is never registered', see: SECTION.claim, transcript: chat.transcript });
  }
}

function judge(chat: Chat, watch: LoginWatch, mine: PieceName[], name: string, clients: TestClient[], answers: Answer[]): void {
  const welcomed = clients.filter((_, i) => typeof answers[i] === 'object' && (answers[i] as Received).type === 'welcome');
  const taken = answers.filter((a) => typeof a === 'object' && a.type === 'error' && a.code === 'NAME_TAKEN').length;
  if (welcomed.length === 1 && taken === CROWD - 1) return;
  const closed = answers.filter((a) => a === 'closed').length;
  const silent = answers.filter((a) => a === 'silent').length;
  const other = CROWD - welcomed.length - taken - closed - silent;
  const outcome = [
    `welcomed ${welcomed.length}${welcomed.length > 0 ? ` (${list(welcomed.map((c) => c.label))})` : ''}`,
    `refused ${taken} with NAME_TAKEN`,
    ...(other > 0 ? [`answered ${other} with some other error`] : []),
    ...(closed > 0 ? [`closed ${closed} without an answer`] : []),
    ...(silent > 0 ? [`left ${silent} with no answer at all after ${PATIENCE_MS} ms`] : []),
  ];
  const { why, see } = diagnose(watch, answers, chat.logs, mine);
  throw failure({
    problem:
      `${CROWD} clients sent the name ${name} at the same moment, and the name store kept every check waiting until all ${CROWD} logins had started. ` +
      `The server ${outcome.join(', ')}.\n\n${why}\n\nWhat the code did, step by step (logins 1 and 2 of ${CROWD}; the rest did the same):\n${watch.timeline([1, 2])}`,
    expected: `exactly one welcome; the other ${CROWD - 1} get error NAME_TAKEN. The check, the await and the registration are one step: all three inside one ctx.loginLock.runExclusive() task, which the Mutex runs one at a time.`,
    see,
    transcript: chat.transcript,
    logs: chat.logs,
  });
}

/** Waits until the server's own count of open connections is `count`. */
function connectionsReach(chat: Chat, count: number, what: string): Promise<unknown> {
  return waitUntil(
    () => (chat.server.connectionCount === count ? true : undefined),
    (wake) => {
      const poll = setInterval(wake, 2);
      return () => clearInterval(poll);
    },
    () => failure({ problem: `The server still counts ${chat.server.connectionCount} open connections, ${PATIENCE_MS} ms after ${what}.`, expected: `${count}`, see: SECTION.ghost, transcript: chat.transcript }),
  );
}

describe('lesson 7: thirty logins, one name, inside the server', () => {
  test('your claimName with the reference Mutex: exactly one of thirty wins, and a reserved name is refused', async () => {
    const chat = await raceForOneName(['claimName'], SECTION.claim, ['alice']);
    await reservedIsRefused(chat);
  });

  test('your Mutex with the reference claimName: exactly one of thirty wins', async () => {
    await raceForOneName(['Mutex'], SECTION.mutex, ['alice']);
  });

  test('your Mutex and your claimName together: exactly one of thirty wins, three rounds in a row', async () => {
    await raceForOneName(['Mutex', 'claimName'], SECTION.claim, ['alice', 'bob', 'carol']);
  });

  test('a client that hangs up while it waits for the lock leaves no ghost', async () => {
    const watch = new LoginWatch();
    const chat = await startChat({ mine: ['claimName'], see: SECTION.ghost, options: { names: watch.store } });
    watch.attach(chat.server.ctx);
    const fail = (problem: string, expected: string, see = SECTION.ghost) =>
      failure({ problem: `${problem}\n\nWhat the code did, step by step:\n${watch.timeline([2, 3])}`, expected, see, transcript: chat.transcript, logs: chat.logs });
    const bob = await chat.login('bob');

    // alice's check waits at the store, holding the lock; ghost comes next and must wait for it.
    watch.hold();
    const alice = await chat.connect('alice');
    alice.send('alice');
    await watch.until(() => watch.pending === 1, () => fail('alice sent her name, but the name store was never asked about it.', 'claimName awaits ctx.names.isReserved(name)', SECTION.claim));
    const ghost = await chat.connect('ghost');
    ghost.send('ghost');
    await watch.until(() => watch.claims === 3, () => fail('ghost sent its name, but claimName was never called for it.', 'the server calls claimName for every valid name'));
    await loopTurn();
    if (watch.pending > 1) {
      throw fail(
        "ghost's name went to the name store while alice's question was still waiting there: claimName let ghost's login run alongside alice's, when it should have waited for the lock.",
        "ghost waits for the lock until alice's claim has finished: the check, the await and the registration all inside ctx.loginLock.runExclusive()",
        SECTION.claim,
      );
    }

    // Hang up abruptly (a reset, like a laptop dropping off the network) while waiting for the lock.
    ghost.socket.resetAndDestroy();
    watch.note('ghost hangs up (a reset) while it waits for the lock');
    await connectionsReach(chat, 2, 'ghost reset its connection');
    watch.release();
    await alice.next({ type: 'welcome' }, 'the welcome for alice, once the store has answered');
    await watch.until(() => watch.settled === watch.claims, () => fail(`claimName for ghost had not returned ${PATIENCE_MS} ms after the lock came free.`, "claimName returns 'gone' for a client that left while it waited"));
    await loopTurn(); // the handshake acts on what claimName returned

    const heard = await bob.sync();
    const ghostly = heard.filter((e) => e.type === 'join' && e.user === 'ghost');
    if (ghostly.length > 0) {
      throw fail(
        'bob got {"type":"join","user":"ghost"} for a client that had hung up while it waited for the lock.',
        "no join: after the await, check client.closed; if it has closed, register nothing and return 'gone'",
      );
    }
    bob.send('/users');
    const online = await bob.next({ type: 'users' }, 'the reply to /users');
    if (online.type === 'users' && online.users.includes('ghost')) {
      throw fail(`After ghost hung up, /users listed ${JSON.stringify(online.users)}.`, "alice and bob only: a client that left while it waited is no user (return 'gone' before registry.add)");
    }
    const again = await chat.connect('ghost, again');
    again.send('ghost');
    const answer = await answerOf(again, 'ghost');
    if (typeof answer !== 'object' || answer.type !== 'welcome') {
      throw fail(`A new client asking for the name ghost got ${typeof answer === 'object' ? show(answer) : 'no answer'}: the ghost kept the name.`, "a welcome: the first ghost left before it was registered, so the name is free (return 'gone' before registry.add)");
    }

    // Now one that hangs up later: it holds the lock, and leaves while the store checks its name.
    watch.hold();
    const late = await chat.connect('casper');
    late.send('casper');
    await watch.until(() => watch.pending === 1, () => fail('casper sent its name, but the name store was never asked about it.', 'claimName awaits ctx.names.isReserved(name)', SECTION.claim));
    late.socket.resetAndDestroy();
    watch.note('casper hangs up (a reset) while the store checks its name');
    await connectionsReach(chat, 3, 'casper reset its connection');
    watch.release();
    await watch.until(() => watch.settled === watch.claims, () => fail(`claimName for casper had not returned ${PATIENCE_MS} ms after the store answered.`, "claimName returns 'gone'"));
    await loopTurn();
    const later = await bob.sync();
    bob.send('/users');
    const now = await bob.next({ type: 'users' }, 'the reply to /users');
    const joined = later.some((e) => e.type === 'join' && e.user === 'casper');
    if (joined || (now.type === 'users' && now.users.includes('casper'))) {
      throw fail(
        `casper hung up while the store was checking its name (it held the lock), yet it was registered: bob ${joined ? 'got {"type":"join","user":"casper"}' : `saw casper in /users ${JSON.stringify(now.type === 'users' ? now.users : [])}`}. The client.closed test ran before the await, when casper was still there.`,
        "check client.closed after the last await, right before registry.add: a client may leave during any await, the store's included",
      );
    }
  });

});
