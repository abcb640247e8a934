// Lesson 8: the student's watchEnds(), shutdown() and stopOnSignals() (starter/server/lifecycle.ts).
//
// Half-closes and shutdown() are checked in this process, inside the reference server, where
// the suite sees every connection. Resets and signals are about the whole process (an 'error'
// nobody listens for kills it; a signal ends it), so those tests run the server as a child
// process and watch it from outside: what it printed, whether it is alive, how it exited.

import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, test } from 'vitest';
import { TEXTS } from '../app/protocol.js';
import { ROOT } from '../app/server/pieces.js';
import type { Client } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { heldNameStore } from './harness/held-name-store.js';
import { Program } from './harness/program.js';
import { importMine, TREE } from './harness/mine.js';
import { failure, LessonFailure } from './harness/teach.js';
import { TestClient, type ClientContext, type Received } from './harness/test-client.js';
import { Transcript } from './harness/transcript.js';
import { DEADLINES, PATIENCE_MS, waitUntil, within } from './harness/wait.js';

const SECTION = {
  ends: '8 (npm run lesson 8), section "Three ways a connection ends"',
  error: '8, section "An error nobody listens for kills the server"',
  halfClose: '8, section "Half-close: done talking, still listening"',
  keepAlive: '8, section "Timeouts: when the other side goes quiet"',
  shutdown: '8, section "A graceful shutdown"',
  signals: '8, section "Signals: Ctrl+C and SIGTERM"',
};

/** PROTOCOL.md: "On SIGINT or SIGTERM the server ... exits within 2 seconds." */
const EXIT_WITHIN_MS = 2000;

/** A child process compiles the server with tsx before it listens: slow on a busy machine. */
const STARTUP_MS = DEADLINES.childStart;

/** A failure that shows the wire and what the server logged. */
function fail(chat: Chat, see: string, problem: string, expected: string): Error {
  return failure({ problem, expected, see, transcript: chat.transcript, logs: chat.logs });
}

/** An event as it reads on the wire, without its timestamp. */
function show(event: Received): string {
  const { ts: _ts, ...rest } = event as Received & { ts?: number };
  return JSON.stringify(rest);
}


/** What a client got after `from` (an index into its events), for failure messages. */
function got(client: TestClient, from = 0): string {
  const events = client.events.slice(from);
  return events.length === 0 ? 'nothing' : events.map(show).join(', ');
}

describe('lesson 8: watchEnds() and half-closed connections', () => {
  test('a client that sends "bob\\n/users\\n" and half-closes gets its welcome and its users reply, then the server closes', async () => {
    const names = heldNameStore();
    const chat = await startChat({ mine: ['watchEnds'], see: SECTION.halfClose, options: { names: names.store } });
    const alice = await chat.login('alice');

    // What `printf 'bob\n/users\n' | nc -N 127.0.0.1 5050` does: two lines, then FIN. The name
    // check is held back, like a slow database, so the FIN arrives while bob's lines still wait.
    names.hold();
    const bob = await chat.connect('bob');
    const finSent = new Promise((done) => bob.socket.once('finish', done));
    bob.sendRaw('bob\n/users\n');
    bob.end();
    await names.asked(() => fail(chat, SECTION.halfClose, 'bob sent its name, but the server never checked it with the name store.', 'the handshake claims the name'));
    await within(finSent, PATIENCE_MS, () => fail(chat, SECTION.halfClose, "bob's FIN did not go out.", 'bob.end() sends FIN'));
    await alice.sync(); // a round trip on another connection: by its end, the server has read bob's FIN
    names.release();

    const said = 'bob sent "bob\\n/users\\n" and then half-closed its side (FIN), as `printf \'bob\\n/users\\n\' | nc -N` does. It can still read.';
    const answered = "on 'end': whenIdle(() => client.close()). Not client.close() at once: bob's lines are still being answered. Not socket.destroy(): it throws the queued replies away, while client.close() sends them first, then FIN";
    const welcomed = await bob.next({ type: 'welcome' }, 'the welcome for bob').catch(() => {
      throw fail(chat, SECTION.halfClose, `${said} The server closed the connection before answering: after the hello, bob got ${got(bob, 1)}.`, answered);
    });
    const users = await bob.next({ type: 'users' }, 'the reply to /users').catch(() => {
      throw fail(chat, SECTION.halfClose, `${said} It got ${show(welcomed)}, but the connection closed before the reply to /users came.`, answered);
    });
    if (users.type !== 'users' || JSON.stringify(users.users) !== '["alice","bob"]') {
      throw fail(chat, SECTION.halfClose, `bob's /users was answered with ${show(users)}.`, '{"type":"users","users":["alice","bob"]}');
    }
    await bob.waitClosed('after answering a client that half-closed').catch(() => {
      throw fail(chat, SECTION.halfClose, `${said} It got its replies, but the server never closed its side: the connection stays half-open for good, and nobody hears that bob left.`,
        "on 'end', once the replies are out, close your side too: whenIdle(() => client.close())");
    });
    await alice.next({ type: 'leave', user: 'bob' }, 'the leave of bob, who half-closed');
  });

  test('a client that half-closes before sending anything is closed too, and nobody hears of it', async () => {
    const chat = await startChat({ mine: ['watchEnds'], see: SECTION.halfClose });
    const alice = await chat.login('alice');
    const quiet = await chat.connect('quiet');
    quiet.end();
    await quiet.waitClosed('after a client half-closed without a word').catch(() => {
      throw fail(chat, SECTION.halfClose, 'quiet connected, got the hello and half-closed (FIN) without sending a line. The server never closed its side.',
        "every 'end' leads to a close, logged in or not: with nothing pending, whenIdle() runs its callback at once");
    });
    const news = (await alice.sync()).filter((e) => e.type === 'join' || e.type === 'leave');
    if (news.length > 0) {
      throw fail(chat, SECTION.halfClose, `alice got ${news.map(show).join(', ')} about a client that never logged in.`, 'nothing: only users who logged in join and leave');
    }
  });
});

describe('lesson 8: watchEnds() and a peer that vanished', () => {
  test('watchEnds() turns on TCP keep-alive, so that a peer gone without a FIN or a reset is found in the end', async () => {
    const { watchEnds } = await importMine<typeof import('../starter/server/lifecycle.js')>('server/lifecycle.ts');
    // A real socket, never connected: it keeps the setting for when it is. Each call is noted.
    const socket = new net.Socket();
    const calls: string[] = [];
    const setKeepAlive = socket.setKeepAlive.bind(socket);
    socket.setKeepAlive = (enable?: boolean, initialDelay?: number) => {
      calls.push(`socket.setKeepAlive(${[enable, initialDelay].filter((a) => a !== undefined).join(', ')})`);
      return setKeepAlive(enable, initialDelay);
    };
    const client = { id: 1, address: '127.0.0.1', name: 'bob', closed: false, send() {}, sendEvent() {}, close() {} } as Client;
    try {
      watchEnds(socket, client, () => {});
    } catch (err) {
      throw failure({ problem: `watchEnds(socket, client, whenIdle) threw: ${(err as Error).message}`, expected: 'it attaches its listeners, turns on keep-alive and returns', see: SECTION.ends });
    } finally {
      socket.destroy();
    }
    if (!calls.some((call) => call.startsWith('socket.setKeepAlive(true'))) {
      throw failure({
        problem: `watchEnds() ${calls.length === 0 ? 'never called socket.setKeepAlive()' : `called only ${calls.join(' and ')}`}. A peer whose cable was pulled sends no FIN and no reset: without keep-alive its user stays online for good.`,
        expected: 'socket.setKeepAlive(true, 60_000): the system probes a connection that has been silent for a minute, and one that never answers gets \'error\' and \'close\' like any other',
        see: SECTION.keepAlive,
      });
    }
  });
});

describe('lesson 8: shutdown()', () => {
  test('shutdown() tells every connection, logged in or not, closes them all, stops accepting, and resolves', async () => {
    const chat = await startChat({ mine: ['shutdown'], see: SECTION.shutdown });
    const alice = await chat.login('alice');
    const bob = await chat.login('bob');
    await alice.next({ type: 'join', user: 'bob' }, 'the join of bob');
    const carol = await chat.connect('carol (mid-handshake)');
    const dave = await chat.connect('dave (typing a name)');
    dave.sendRaw('da');
    const clients = [alice, bob, carol, dave];
    const seen = clients.map((c) => c.events.length);
    const shown = () => clients.map((c, i) => `  ${c.label}: ${got(c, seen[i])}`).join('\n');

    await within(chat.server.shutdown(), PATIENCE_MS, () => {
      const told = clients.some((c, i) => c.events.slice(seen[i]).some((e) => e.type === 'shutdown'));
      return fail(chat, SECTION.shutdown,
        `shutdown() did not resolve within ${PATIENCE_MS} ms. After it was called, the clients got:\n${shown()}`,
        told
          ? 'every client is closed (client.close()) after it is told; stopAccepting() resolves only once every connection has closed'
          : 'tell and close the clients first, await stopAccepting() last: it resolves only once every connection has closed, so awaiting it first waits for ever');
    }).catch((err: Error) => {
      if (err instanceof LessonFailure) throw err;
      throw fail(chat, SECTION.shutdown, `shutdown() failed: ${err.message}`, 'it stops accepting, tells and closes every client, and resolves');
    });

    for (const [i, client] of clients.entries()) {
      const after = client.events.slice(seen[i]);
      const at = after.findIndex((e) => e.type === 'shutdown');
      if (at === -1) {
        await client.waitClosed('after shutdown').catch(() => {});
        throw fail(chat, SECTION.shutdown,
          `${client.label} never got a shutdown event. After shutdown() was called, the clients got:\n${shown()}`,
          `${JSON.stringify({ type: 'shutdown', text: TEXTS.shutdown })} to every connection, logged in or not, and send it before you close: nothing reaches a client once it is closed`);
      }
      const shutdown = after[at]!;
      if (shutdown.type !== 'shutdown' || typeof shutdown.text !== 'string' || shutdown.text === '') {
        throw fail(chat, SECTION.shutdown, `${client.label} got ${show(shutdown)}.`, 'a shutdown event with a text for people: TEXTS.shutdown');
      }
      await client.waitClosed('after shutdown').catch(() => {
        throw fail(chat, SECTION.shutdown, `${client.label} got its shutdown event, but the server never closed the connection.`, 'after telling each client, close it: client.close()');
      });
    }

    const attempt = await tryConnect(chat.port);
    if (attempt !== 'ECONNREFUSED') {
      throw fail(chat, SECTION.shutdown, `shutdown() resolved, but a new connection to port ${chat.port} was still accepted (${attempt}).`,
        'call stopAccepting(): it closes the listening socket, so new connections are refused (ECONNREFUSED)');
    }
  });
});

/** How a fresh connection attempt ended: refused, or accepted. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('it connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

// ── The server as a process ──────────────────────────────────────────────────

/** A tree's file as an import() specifier, for the small programs below. */
function url(file: string): string {
  return JSON.stringify(pathToFileURL(path.join(ROOT, file)).href);
}

/** The reference server with only your watchEnds() in it, as a program of its own. */
const SERVER_WITH_YOUR_WATCH_ENDS = `
const { assemblePieces } = await import(${url('app/server/pieces.ts')});
const { startChatServer } = await import(${url('app/server/server.ts')});
const pieces = await assemblePieces(${JSON.stringify(TREE)}, ['watchEnds']);
const server = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null }, pieces);
console.log('Listening on ' + server.host + ':' + server.port);
`;

/** Why the stop() of a program below fails, when it fails: the program must print it. */
const STOP_FAILED = 'the shutdown failed';

/**
 * Your stopOnSignals() around a stop() that never finishes (or that fails, or finishes at
 * once): the smallest program a signal can stop.
 */
function programAroundStop(deadlineMs: number, stop: 'hangs' | 'fails' | 'finishes' = 'hangs'): string {
  const outcome = {
    hangs: 'new Promise(() => {}); // a shutdown stuck for ever',
    fails: `Promise.reject(new Error('${STOP_FAILED}'));`,
    finishes: 'Promise.resolve();',
  }[stop];
  return `
const { importFromTree } = await import(${url('app/server/pieces.ts')});
const { stopOnSignals } = await importFromTree(${JSON.stringify(TREE)}, 'server/lifecycle.ts');
stopOnSignals(() => {
  console.log('stop() was called');
  return ${outcome}
}, ${deadlineMs});
setInterval(() => {}, 60_000); // stands in for the server: something that keeps the process running
console.log('ready');
`;
}

type OnFinished = (fn: () => void | Promise<void>) => void;

/** Every child process this file starts, so that none outlives it. */
const children: Child[] = [];
afterAll(() => Promise.all(children.map((child) => child.stop())));

/** A program run with tsx as a child process (harness/program.ts), with what lesson 8 asks of it. */
class Child extends Program {
  constructor(
    /** What it is, as a sentence would name it: 'the server with your watchEnds()'. */
    readonly name: string,
    args: string[],
  ) {
    // Windows cannot send a signal to another process: there signal() asks the child over
    // IPC to emit it itself (harness/child-messages.ts), which runs the same listeners.
    super(args, { ipc: true });
    children.push(this);
  }

  /** Waits until the output matches `pattern`; `expected` says what should have happened instead of an exit. */
  waitFor(pattern: RegExp, what: string, expected: string, see: string): Promise<RegExpExecArray> {
    return waitUntil(
      () => {
        const match = pattern.exec(this.output);
        if (match) return match;
        if (this.exit) throw this.died(`before printing ${what}`, expected, see);
        return undefined;
      },
      (wake) => this.onChange(wake),
      () => this.explain(failure({ problem: `${capitalized(this.name)} did not print ${what} within ${STARTUP_MS} ms.`, expected, see })),
      STARTUP_MS,
    );
  }

  /** A failure for a process that ended when it should have kept running, with what it printed. */
  died(when: string, expected: string, see: string, transcript?: Transcript, saw?: string): LessonFailure {
    const unhandled = /Unhandled 'error' event/.test(this.output);
    const lines = [`${capitalized(this.name)} ${this.ending()} ${when}. The last lines it printed:`, this.tail()];
    if (unhandled) {
      lines.push('', "That is an 'error' event with no listener. A client reset its connection, its socket emitted 'error' (ECONNRESET, or EPIPE on a write), and an EventEmitter throws an 'error' event that nobody listens for. None of your code was on the stack to catch it, so the whole server died, and every other client with it.");
    }
    if (saw) lines.push('', `What the test saw: ${saw}`);
    return failure({
      problem: lines.join('\n'),
      expected: unhandled ? "socket.on('error', ...) in watchEnds(): a reset costs that one client its connection, never the server" : expected,
      see: unhandled ? SECTION.error : see,
      transcript,
    });
  }

  /** Adds what the process printed to a failure, just before the lesson section it points to. */
  explain(err: LessonFailure): LessonFailure {
    return new LessonFailure(err.message.replace(/\n\nRead again: /, `\n\nWhat ${this.name} printed (the last lines):\n${this.tail()}\n\nRead again: `));
  }

  /**
   * Runs test steps while the process must stay up. When a step fails because the process
   * died, the failure says so and shows what it printed; any other failure gets its output too.
   */
  async watch(ctx: ClientContext, steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // A dead server shows first as a closed connection: give the news of its exit a moment.
      const exit = this.exit ?? (await within(this.exited, 1000, () => new Error('still running')).catch(() => undefined));
      if (exit) throw this.died('during the test', 'the server keeps running until it is told to stop', ctx.see, ctx.transcript, err.message.split('\n')[0]);
      throw err instanceof LessonFailure ? this.explain(err) : err;
    }
  }

  /** The last lines it printed, indented and marked, so they stand apart from the message. */
  tail(lines = 16): string {
    const text = this.output.trimEnd();
    return text === '' ? '  | (nothing)' : text.split('\n').slice(-lines).map((l) => `  | ${l}`).join('\n');
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Starts a server as a child process, and returns it once it prints `Listening on HOST:PORT`. */
async function startServer(name: string, args: string[], see: string): Promise<{ server: Child; port: number }> {
  const server = new Child(name, args);
  const match = await server.waitFor(/Listening on \S+:(\d+)/, '"Listening on HOST:PORT"', 'the server starts and keeps running', see);
  return { server, port: Number(match[1]) };
}

/** What the suite's clients of one test share: the wire's record and where failures point. */
function contextFor(see: string): ClientContext {
  return { transcript: new Transcript(), see, logs: [], serverLabel: 'server' };
}

/** Connects and waits for `hello`. Closed when the test ends. */
async function connect(port: number, label: string, ctx: ClientContext, onFinished: OnFinished): Promise<TestClient> {
  const client = await TestClient.connect(port, label, ctx);
  onFinished(() => client.close());
  await client.next({ type: 'hello' }, "the server's hello");
  return client;
}

/** Connects, sends the name, waits for `welcome`. */
async function login(port: number, name: string, ctx: ClientContext, onFinished: OnFinished): Promise<TestClient> {
  const client = await connect(port, name, ctx, onFinished);
  client.send(name);
  await client.next({ type: 'welcome' }, `the welcome after logging in as ${name}`);
  return client;
}

/** Cuts the connection with a reset (RST), as a crashed program or a dropped network does. */
function reset(client: TestClient, ctx: ClientContext): void {
  ctx.transcript.record(client.label, ctx.serverLabel, ''); // the moment shows in the transcript
  client.socket.resetAndDestroy();
}

/** Starts something now; a failure is reported when a test awaits it, not before. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** The deadline the test gives stopOnSignals(), and how long the program may then take to exit. */
const DEADLINE_MS = 250;
const EXIT_BY_MS = 1500;

// Each test below runs a program of its own, and starting one takes a good part of a second
// (tsx compiles the TypeScript on the way in). So all three start now, while the file loads
// and the tests above run; each test then takes its own. The longest test's goes first.
const serverForCtrlC = early(startServer('the server (npm run server -- --mine 8)', ['app/server/main.ts', '--port', '0', '--mine', '8', '--no-rate-limit', '--features', 'none'], SECTION.signals));
const serverForResets = early(startServer('the server with your watchEnds()', ['--input-type=module', '-e', SERVER_WITH_YOUR_WATCH_ENDS], SECTION.error));
const programWithHangingStop = new Child(`the program that calls your stopOnSignals(stop, ${DEADLINE_MS}) with a stop() that never finishes`, ['--input-type=module', '-e', programAroundStop(DEADLINE_MS)]);
const programReady = early(programWithHangingStop.waitFor(/^ready$/m, '"ready"', 'stopOnSignals() attaches its listeners and returns at once; the process runs on until a signal comes', SECTION.signals));
// Two more, whose deadline is far away: a second signal, and a stop() that fails, must each
// end the process well before it, with code 1. They start once the three above are up: five
// compilations at once are too many for a busy two-core machine.
const LONG_DEADLINE_MS = 20_000;
const readyToo = (program: Child) => early(program.waitFor(/^ready$/m, '"ready"', 'stopOnSignals() attaches its listeners and returns at once; the process runs on until a signal comes', SECTION.signals));
const laterPrograms = early(
  Promise.allSettled([serverForCtrlC, serverForResets, programReady]).then(() => {
    const start = (what: string, stop?: 'fails' | 'finishes') => {
      const child = new Child(`the program that calls your stopOnSignals(stop, ${LONG_DEADLINE_MS}) with a stop() that ${what}`, ['--input-type=module', '-e', programAroundStop(LONG_DEADLINE_MS, stop)]);
      return { child, ready: readyToo(child) };
    };
    return { twice: start('never finishes'), failing: start('rejects', 'fails'), finishing: start('resolves at once', 'finishes') };
  }),
);

describe.concurrent('lesson 8: the server as a process', () => {
  test('abrupt resets, mid-handshake and after login, never crash the server, and nobody else loses a message', async ({ onTestFinished }) => {
    const ctx = contextFor(SECTION.error);
    const { server, port } = await serverForResets;
    onTestFinished(() => server.stop());
    await server.watch(ctx, async () => {
      const alice = await login(port, 'alice', ctx, onTestFinished);
      const bob = await login(port, 'bob', ctx, onTestFinished);
      const said: string[] = [];
      const say = (text: string) => {
        said.push(text);
        alice.send(text);
      };
      say('before any reset');

      // During the handshake: right after the hello, and while the name is being claimed.
      reset(await connect(port, 'carol', ctx, onTestFinished), ctx);
      say('after carol reset');
      const erin = await connect(port, 'erin', ctx, onTestFinished);
      erin.send('erin');
      reset(erin, ctx);
      say('after erin reset');

      // After login: others must hear that dave left.
      const dave = await login(port, 'dave', ctx, onTestFinished);
      reset(dave, ctx);
      await bob.next({ type: 'leave', user: 'dave' }, 'the leave of dave, who reset his connection');
      say('after dave reset');

      // While chat pours in: frank stops reading, then vanishes with data queued both ways.
      const frank = await login(port, 'frank', ctx, onTestFinished);
      frank.socket.pause();
      alice.sendRaw(`${'x'.repeat(4000)}\n`.repeat(30));
      await alice.sync();
      reset(frank, ctx);
      say('after frank reset');
      await alice.sync();
      await bob.sync();

      const texts = bob.events.filter((e) => e.type === 'chat' && !e.text.startsWith('x')).map((e) => (e.type === 'chat' ? e.text : ''));
      if (JSON.stringify(texts) !== JSON.stringify(said)) {
        throw failure({ problem: `alice said ${JSON.stringify(said)} between the resets; bob got ${JSON.stringify(texts)}.`, expected: 'every line, once, in order: one client vanishing must not cost anyone else a message', see: SECTION.error, transcript: ctx.transcript });
      }
      // erin may have been claimed before her reset arrived: then she joined, and must leave too.
      const joined = bob.events.flatMap((e) => (e.type === 'join' ? [e.user] : [])).sort();
      const left = bob.events.flatMap((e) => (e.type === 'leave' ? [`${e.user} (${e.reason})`] : [])).sort();
      const expected = joined.map((user) => `${user} (disconnect)`);
      if (JSON.stringify(left) !== JSON.stringify(expected)) {
        throw failure({ problem: `bob saw ${joined.join(', ')} join, and got leave events for: ${left.join(', ') || 'nobody'}.`, expected: `a leave for each, with reason disconnect: ${expected.join(', ')}. A reset is a disconnect: leave the telling to the wiring, which does it when the socket closes`, see: SECTION.ends, transcript: ctx.transcript });
      }
      const grace = await connect(port, 'grace', ctx, onTestFinished);
      grace.send('grace');
      const welcome = await grace.next({ type: 'welcome' }, 'the welcome for grace, after all the resets');
      if (welcome.type === 'welcome' && JSON.stringify(welcome.users) !== '["alice","bob","grace"]') {
        throw failure({ problem: `After the resets, grace was welcomed with users ${JSON.stringify(welcome.users)}.`, expected: '["alice","bob","grace"]: the clients that reset are gone', see: SECTION.ends, transcript: ctx.transcript });
      }
    });
  });

  test('Ctrl+C (SIGINT) on `npm run server -- --mine 8`: everyone gets shutdown and is closed, and the process exits with code 0 within 2 s, even with a client that never reads', async ({ onTestFinished }) => {
    const ctx = contextFor(SECTION.signals);
    const { server, port } = await serverForCtrlC;
    onTestFinished(() => server.stop());
    const clients: TestClient[] = [];
    await server.watch(ctx, async () => {
      const alice = await login(port, 'alice', ctx, onTestFinished);
      const stuck = await login(port, 'stuck', ctx, onTestFinished);
      const carol = await connect(port, 'carol (mid-handshake)', ctx, onTestFinished);
      const dave = await connect(port, 'dave (typing a name)', ctx, onTestFinished);
      dave.sendRaw('da');
      clients.push(alice, carol, dave);
      // stuck stops reading; alice's chat fills its buffers (below the slow-reader bound).
      stuck.socket.pause();
      alice.sendRaw(`${'y'.repeat(4000)}\n`.repeat(100));
      await alice.sync();
    });
    const fail = (problem: string, expected: string, see = SECTION.signals) => server.explain(failure({ problem, expected, see, transcript: ctx.transcript }));

    const sent = Date.now();
    server.signal('SIGINT');
    const exit = await within(server.exited, EXIT_WITHIN_MS + 1000, () =>
      fail(`The server was still running ${EXIT_WITHIN_MS + 1000} ms after SIGINT (Ctrl+C).`,
        "process.on('SIGINT', ...) runs stop(), then process.exit(0); and exits anyway at a deadline under 2 s, in case stop() never finishes"),
    );
    const took = Date.now() - sent;
    if (exit.signal === 'SIGINT') {
      throw fail('The server process was killed by SIGINT itself, at once: nothing listened for the signal, so its default action ended the process and no client was told.', "process.on('SIGINT', ...) in stopOnSignals()");
    }
    if (exit.code !== 0) throw fail(`After SIGINT, the server process ${server.ending()}.`, 'exit code 0: a shutdown someone asked for is a clean exit');
    if (took > EXIT_WITHIN_MS) {
      throw fail(`The server exited ${took} ms after SIGINT.`, `within ${EXIT_WITHIN_MS} ms: exit when stop() resolves, or at the deadline, whichever comes first`);
    }
    for (const client of clients) {
      await client.waitClosed('after the server exited'); // then everything it was sent has arrived
      if (!client.events.some((e) => e.type === 'shutdown')) {
        throw fail(`${client.label}'s connection closed without a shutdown event. After the hello it got: ${got(client, 1)}.`,
          "stopOnSignals() waits for stop() (the server's shutdown, which calls your shutdown()) before it exits, and shutdown() sends shutdown to every connection before closing it", SECTION.shutdown);
      }
    }
  });

  test('SIGTERM stops the server too, and a stop() that never finishes still ends the process by the deadline', async ({ onTestFinished }) => {
    const program = programWithHangingStop;
    onTestFinished(() => program.stop());
    const fail = (problem: string, expected: string) => program.explain(failure({ problem, expected, see: SECTION.signals }));
    await programReady;

    program.signal('SIGTERM');
    const exit = await within(program.exited, EXIT_BY_MS, () => {
      const called = program.output.includes('stop() was called');
      return fail(`The test sent SIGTERM to ${program.name}. ${called ? 'stop() was called, but it never finishes (on purpose)' : 'stop() was never called'}, and ${EXIT_BY_MS} ms later the process was still running.`,
        called
          ? `a deadline: setTimeout(() => process.exit(0), deadlineMs) as soon as the signal comes, so a stuck shutdown cannot keep the server half-alive (deadlineMs was ${DEADLINE_MS} here)`
          : "process.on('SIGTERM', ...) as well as SIGINT: both run stop()");
    });
    if (exit.signal === 'SIGTERM') {
      throw fail(`The test sent SIGTERM to ${program.name}. The process was killed by SIGTERM itself: nothing listened for SIGTERM, so its default action ended the process at once and stop() never ran.`,
        "process.on('SIGTERM', ...) as well as SIGINT: both run stop(). Service managers and Docker stop a server with SIGTERM");
    }
    if (!program.output.includes('stop() was called')) {
      throw fail(`After SIGTERM, ${program.name} ${program.ending()} without calling stop().`, 'on the signal, call stop() (it tells every client), then exit');
    }
  });

  test('a second Ctrl+C while stopping exits at once, with code 1; so does a stop() that fails', async ({ onTestFinished }) => {
    const later = await laterPrograms;
    const twice = later.twice.child;
    const failing = later.failing.child;
    onTestFinished(() => twice.stop());
    onTestFinished(() => failing.stop());
    await Promise.all([later.twice.ready, later.failing.ready]);

    twice.signal('SIGINT');
    await twice.waitFor(/stop\(\) was called/, '"stop() was called"', 'the first SIGINT calls stop()', SECTION.signals);
    twice.signal('SIGINT');
    const first = await within(twice.exited, EXIT_BY_MS, () =>
      twice.explain(failure({ problem: `The test sent SIGINT twice to ${twice.name}; ${EXIT_BY_MS} ms after the second, it was still running.`, expected: 'a second signal while stopping exits at once: if (stopping) process.exit(1)', see: SECTION.signals })),
    );
    if (first.code !== 1) {
      throw twice.explain(failure({ problem: `After a second SIGINT, ${twice.name} ${twice.ending()}.`, expected: 'exit code 1: the person gave up waiting, the shutdown did not finish', see: SECTION.signals }));
    }

    failing.signal('SIGTERM');
    const second = await within(failing.exited, EXIT_BY_MS, () =>
      failing.explain(failure({ problem: `The test sent SIGTERM to ${failing.name}; ${EXIT_BY_MS} ms later it was still running.`, expected: 'when stop() rejects, say why and exit at once with code 1', see: SECTION.signals })),
    );
    if (second.code !== 1) {
      throw failing.explain(failure({ problem: `stop() rejected, and ${failing.name} ${failing.ending()}.`, expected: 'exit code 1: a shutdown that failed is not a clean exit (stop().then(() => process.exit(0), () => process.exit(1)))', see: SECTION.signals }));
    }
    if (!failing.output.includes(STOP_FAILED)) {
      throw failing.explain(failure({ problem: `stop() rejected with the error "${STOP_FAILED}"; ${failing.name} exited with code 1 without printing it.`, expected: 'print why before exiting, e.g. console.error(`[SERVER] Shutdown failed: ${err.message}`): whoever stopped the server needs to know what went wrong', see: SECTION.signals }));
    }
  });

  test('a stop() that resolves ends the process at once, with code 0, long before the deadline', async ({ onTestFinished }) => {
    const { finishing } = await laterPrograms;
    const program = finishing.child;
    onTestFinished(() => program.stop());
    await finishing.ready;
    program.signal('SIGTERM');
    const exit = await within(program.exited, EXIT_BY_MS, () =>
      program.explain(failure({
        problem: `The test sent SIGTERM to ${program.name}. ${program.output.includes('stop() was called') ? 'stop() was called and resolved' : 'stop() was never called'}, yet ${EXIT_BY_MS} ms later the process was still running (its deadline was ${LONG_DEADLINE_MS} ms away).`,
        expected: 'process.exit(0) as soon as stop() resolves: once you listen for a signal, Node no longer exits by itself, and a timer or socket left open (here, an interval standing in for the server) keeps it running until the deadline',
        see: SECTION.signals,
      })),
    );
    if (exit.code !== 0) {
      throw program.explain(failure({ problem: `stop() resolved, and ${program.name} ${program.ending()}.`, expected: 'exit code 0: the server stopped as asked', see: SECTION.signals }));
    }
  });
});
