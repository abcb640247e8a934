// A black-box toolkit for the reference-server suite: it starts the server as a real child
// process from the command line (PROTOCOL.md, "Starting a server") and talks to it over plain
// TCP sockets. It knows nothing about the server's code, only the wire contract.
//
// Rules the helpers enforce:
// - never a fixed sleep: every wait is for an event, with a deadline whose message says
//   what was awaited;
// - every line from the server must be one JSON object with a string `type` and an integer
//   `ts` (checked on arrival, reported by the next wait and at cleanup);
// - to prove something did NOT arrive, use a barrier (`/users` and its reply).

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, onTestFinished } from 'vitest';
import { ANSWERS_BY_MESSAGE, memoryOf, signalChild } from '../harness/child-messages.js';
import { DEADLINES } from '../harness/wait.js';

/** The project root, found from this file's place in it (tests/reference/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long a wait for something that should happen at once may take under load. */
export const SOON = DEADLINES.step;

/** One event from the server, as parsed from its NDJSON line. */
export interface Ev {
  type: string;
  ts: number;
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// The server process

export interface ServerProc {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly proc: ChildProcess;
  readonly flags: string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  /** The server process's resident memory, in bytes, as it reports it over IPC (every OS). */
  rssBytes(): Promise<number>;
  /** SIGINT or SIGTERM, as `kill` sends it; on Windows through IPC (tests/harness/child-messages.ts). */
  signal(signal: 'SIGINT' | 'SIGTERM'): void;
  /** SIGKILL, then wait for the exit. Safe to call twice. */
  kill(): Promise<void>;
}

// Every server still running, shared by all copies of this module in the process, and a safety
// net for aborted runs: no server outlives the process (or worker) that started it.
const RUNNING = Symbol.for('chat-reference-suite.running-servers');
const registry = globalThis as unknown as Record<symbol, Set<ServerProc> | undefined>;
const running: Set<ServerProc> = registry[RUNNING] ?? new Set<ServerProc>();
if (!registry[RUNNING]) {
  registry[RUNNING] = running;
  process.once('exit', () => {
    for (const s of running) if (s.alive()) s.proc.kill('SIGKILL');
  });
}

/**
 * Spawns `node --import tsx app/server/main.ts ARGS` in the project root, with an IPC channel
 * through which it reports its memory and takes signals on Windows.
 */
export function spawnServerProcess(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--import', ANSWERS_BY_MESSAGE, 'app/server/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
}

/** Starts the server on a free port and waits for its `Listening on HOST:PORT` banner line. */
export async function startServer(flags: string[] = ['--no-rate-limit'], startupMs = DEADLINES.cliBoot): Promise<ServerProc> {
  // These suites check version 1 to the letter; extensions.test.ts runs the extensions.
  const v1 = flags.includes('--features') ? [] : ['--features', 'none'];
  const args = ['--port', '0', ...v1, ...flags];
  const proc = spawnServerProcess(args);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8');
  proc.stderr!.setEncoding('utf8');
  // Always drain both pipes, so a chatty server never blocks on a full pipe.
  proc.stdout!.on('data', (d: string) => (out += d));
  proc.stderr!.on('data', (d: string) => (err += d));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      proc.kill('SIGKILL');
      reject(new Error(`waited ${startupMs} ms for the server (${args.join(' ')}) to print "Listening on HOST:PORT"; stdout: ${JSON.stringify(out)} stderr: ${JSON.stringify(err)}`));
    }, startupMs);
    const check = () => {
      const m = /Listening on (\S+):(\d+)\s*$/m.exec(out);
      if (m) {
        cleanup();
        resolve({ host: m[1]!, port: Number(m[2]) });
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`the server (${args.join(' ')}) exited (code ${code}, signal ${signal}) before printing its banner; stdout: ${JSON.stringify(out)} stderr: ${JSON.stringify(err)}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      proc.stdout!.off('data', check);
      proc.off('exit', onExit);
    };
    proc.stdout!.on('data', check);
    proc.on('exit', onExit);
  });

  const server: ServerProc = {
    host: address.host === '0.0.0.0' ? '127.0.0.1' : address.host,
    port: address.port,
    pid: proc.pid!,
    proc,
    flags,
    exited,
    stdout: () => out,
    stderr: () => err,
    alive: () => exitInfo === undefined,
    rssBytes: () => memoryOf(proc, `the server (${args.join(' ')})`),
    signal: (signal) => signalChild(proc, signal),
    kill: async () => {
      running.delete(server);
      if (exitInfo === undefined) proc.kill('SIGKILL');
      await exited;
    },
  };
  running.add(server);
  return server;
}

/** The test's onTestFinished: pass the one from the test context in concurrent tests. */
export type OnFinished = (fn: () => void | Promise<void>) => void;

/** One server for the whole file (beforeAll/afterAll); the getter is for use inside tests. */
export function serverForFile(flags: string[] = ['--no-rate-limit']): () => ServerProc {
  let server: ServerProc | undefined;
  beforeAll(async () => {
    server = await startServer(flags);
  });
  afterAll(async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    const crashed = !s.alive();
    await s.kill();
    expect(crashed, `the shared server (${flags.join(' ')}) died during the file; stderr: ${s.stderr()}`).toBe(false);
  });
  return () => {
    if (!server) throw new Error('the shared server is not running');
    return server;
  };
}

/** A server of its own for one test, killed when the test finishes. */
export async function serverForTest(flags: string[] = ['--no-rate-limit'], onFinished: OnFinished = onTestFinished): Promise<ServerProc> {
  const server = await startServer(flags);
  onFinished(() => server.kill());
  return server;
}

/** Waits for a process to exit, with a deadline. */
export async function waitExit(proc: ChildProcess, ms: number, what: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  // 'close', not 'exit': a process can exit before its last output has been read from the
  // pipes, and a test that reads stderr at 'exit' may find it empty (seen under load).
  const drained = [proc.stdout, proc.stderr].every((s) => !s || s.readableEnded || s.destroyed);
  if ((proc.exitCode !== null || proc.signalCode !== null) && drained) return { code: proc.exitCode, signal: proc.signalCode as NodeJS.Signals | null };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A client socket

export interface ClientOptions {
  /** A label used in every failure message, e.g. "bob". */
  label: string;
  /** Events for which this returns false are kept in `all` but never queued for the test. */
  relevant?: (e: Ev) => boolean;
  /** The local address to connect from (e.g. a second loopback address, 127.0.0.2). */
  localAddress?: string;
}

/** A plain TCP client that buffers the server's NDJSON lines and queues the parsed events. */
export class Client {
  /** Every line's event, in arrival order (including irrelevant ones). */
  readonly all: Ev[] = [];
  /** Relevant events not yet consumed by next()/waitFor(). */
  readonly queue: Ev[] = [];
  /** Lines that broke the NDJSON contract (not JSON, no type, bad ts...). */
  readonly problems: string[] = [];
  closed = false;
  /** A last line the server cut off when it closed the connection (fine only for a forced drop). */
  unterminated: string | undefined;
  private destroyedByUs = false;
  socketError: Error | undefined;
  /** The welcome event, once login() has consumed it. */
  welcome: Ev | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  private constructor(
    readonly socket: net.Socket,
    readonly label: string,
    private readonly relevant: (e: Ev) => boolean,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.socketError = err;
    });
    socket.on('close', () => {
      const rest = this.partial + this.decoder.end();
      if (rest.length > 0 && !this.destroyedByUs) this.unterminated = rest;
      this.partial = '';
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, options: ClientOptions, host = '127.0.0.1'): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, localAddress: options.localAddress });
      socket.setNoDelay(true);
      const client = new Client(socket, options.label, options.relevant ?? (() => true));
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`waited ${SOON} ms for ${options.label} to connect to ${host}:${port}`));
      }, SOON);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(client);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${options.label} could not connect to ${host}:${port}: ${err.message}`));
      });
    });
  }

  private onData(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.onLine(line);
    this.wake();
  }

  private onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.problems.push(`not a JSON line: ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.push(`not a JSON object: ${line.slice(0, 200)}`);
      return;
    }
    const e = value as Ev;
    if (typeof e.type !== 'string') this.problems.push(`no string "type": ${line.slice(0, 200)}`);
    if (!Number.isInteger(e.ts)) this.problems.push(`"ts" is not an integer: ${line.slice(0, 200)}`);
    else if (Math.abs(e.ts - Date.now()) > 10 * 60_000) this.problems.push(`"ts" is not milliseconds since the epoch (now ${Date.now()}): ${line.slice(0, 200)}`);
    this.all.push(e);
    if (this.relevant(e)) this.queue.push(e);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private checkProblems(): void {
    if (this.problems.length > 0) throw new Error(`${this.label} received lines that break the protocol:\n  ${this.problems.join('\n  ')}`);
  }

  /** Waits until `check` returns something other than undefined; re-checked on every arrival and on close. */
  until<T>(check: () => T | undefined, what: string, ms = SOON): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        try {
          this.checkProblems();
          const value = check();
          if (value !== undefined) {
            finish();
            resolve(value);
            return true;
          }
        } catch (err) {
          finish();
          reject(err);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`waited ${ms} ms for ${what}${this.describe()}`));
      }, ms);
      const waiter = () => void attempt();
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      attempt();
    });
  }

  private describe(): string {
    const pending = this.queue.map((e) => JSON.stringify(e).slice(0, 160));
    return `\n  ${this.label}'s unconsumed events: ${pending.length === 0 ? '(none)' : pending.slice(0, 10).join('\n    ')}${pending.length > 10 ? ` ... (${pending.length} in all)` : ''}\n  ${this.label}'s socket is ${this.closed ? 'closed' : 'open'}`;
  }

  /** The next relevant event, whatever it is. */
  next(what = 'its next event', ms = SOON): Promise<Ev> {
    return this.until(() => (this.queue.length > 0 ? this.queue.shift() : this.closed ? fail(`${this.label}'s connection closed while waiting for ${what}${this.describe()}`) : undefined), `${this.label} to receive ${what}`, ms);
  }

  /** The next relevant event, which must be of `type`. */
  async expectNext(type: string, what = `a "${type}" event`, ms = SOON): Promise<Ev> {
    const e = await this.next(what, ms);
    if (e.type !== type) throw new Error(`${this.label} expected ${what} next, but got ${JSON.stringify(e)}${this.describe()}`);
    return e;
  }

  /** Consumes events until one matches; returns it. Events skipped on the way are dropped. */
  waitFor(pred: (e: Ev) => boolean, what: string, ms = SOON): Promise<Ev> {
    return this.until(() => {
      while (this.queue.length > 0) {
        const e = this.queue.shift()!;
        if (pred(e)) return e;
      }
      if (this.closed) fail(`${this.label}'s connection closed while waiting for ${what}${this.describe()}`);
      return undefined;
    }, `${this.label} to receive ${what}`, ms);
  }

  /** Waits until `n` relevant events matching `pred` are queued (not consumed); returns them. */
  waitCount(pred: (e: Ev) => boolean, n: number, what: string, ms = SOON): Promise<Ev[]> {
    let scanned = 0;
    const found: Ev[] = [];
    return this.until(() => {
      for (; scanned < this.queue.length; scanned++) if (pred(this.queue[scanned]!)) found.push(this.queue[scanned]!);
      if (found.length >= n) return found;
      if (this.closed) fail(`${this.label}'s connection closed after ${found.length} of ${n} ${what}${this.describe()}`);
      return undefined;
    }, `${this.label} to receive ${n} ${what} (has ${found.length})`, ms);
  }

  /**
   * A barrier: sends `/users` and waits for the `users` reply. The server answers a client's
   * lines in order, so every event it sent this client before is in. Returns (and consumes)
   * the relevant events that arrived before the reply; the reply itself is consumed too.
   */
  async barrier(what = 'the users reply to its /users barrier', ms = SOON): Promise<{ before: Ev[]; users: Ev }> {
    this.send('/users');
    const before: Ev[] = [];
    const users = await this.until(() => {
      while (this.queue.length > 0) {
        const e = this.queue.shift()!;
        if (e.type === 'users') return e;
        before.push(e);
      }
      if (this.closed) fail(`${this.label}'s connection closed while waiting for ${what}; before it: ${JSON.stringify(before)}${this.describe()}`);
      return undefined;
    }, `${this.label} to receive ${what}`, ms);
    return { before, users };
  }

  /** Barrier, then asserts nothing (relevant) arrived before the reply. */
  async expectNothingMore(why: string): Promise<void> {
    const { before } = await this.barrier();
    if (before.length > 0) throw new Error(`${this.label} expected nothing more (${why}) but received:\n  ${before.map((e) => JSON.stringify(e).slice(0, 300)).join('\n  ')}`);
  }

  /** Waits for the server to close the connection cleanly: no line cut off half-way. */
  async waitClosed(what = 'the server to close the connection', ms = SOON): Promise<void> {
    await this.until(() => (this.closed ? true : undefined), `${this.label}: ${what}`, ms);
    if (this.unterminated !== undefined) throw new Error(`${this.label}: the server closed the connection in the middle of a line: ${JSON.stringify(this.unterminated.slice(0, 200))}`);
  }

  /** Sends one text line (a `\n` is added). */
  send(line: string): void {
    this.write(line + '\n');
  }

  /** Writes raw data; resolves once it is handed to the kernel (or the socket failed). */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed || this.socket.writableEnded) return resolve();
      this.socket.write(data, () => resolve());
    });
  }

  /** Writes each piece in its own write, waiting for each to be flushed and the loop to turn. */
  async writePieces(pieces: Array<string | Buffer>): Promise<void> {
    for (const piece of pieces) {
      await this.write(piece);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** All problems found so far, for a final check. */
  assertClean(): void {
    this.checkProblems();
  }

  destroy(): void {
    if (!this.closed) this.destroyedByUs = true;
    this.socket.destroy();
  }
}

function fail(message: string): never {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// Sessions: one per test; names unique to the test; clients closed when it finishes

let sessionCounter = 0;

/**
 * A test's view of a server: a name prefix unique to the test (so that a shared server's
 * leftovers from other tests are filtered out), and the clients it opened, closed and checked
 * when the test finishes.
 */
export class Session {
  readonly prefix: string;
  readonly clients: Client[] = [];
  /** Set by tests that stop the server on purpose (shutdown). */
  serverMayExit = false;

  constructor(
    readonly server: ServerProc,
    onFinished: OnFinished = onTestFinished,
  ) {
    sessionCounter = (sessionCounter + 1) % 36 ** 3;
    this.prefix = 'q' + sessionCounter.toString(36).padStart(3, '0');
    onFinished(() => this.close());
  }

  /** A username unique to this test: prefix + role (keep roles to a-z0-9 and ≤16 chars). */
  name(role: string): string {
    return this.prefix + role;
  }

  owns(name: unknown): boolean {
    return typeof name === 'string' && name.toLowerCase().startsWith(this.prefix);
  }

  /** This test's names in a list (a shared server may hold other tests' leftovers). */
  mine(list: unknown): string[] {
    if (!Array.isArray(list)) throw new Error(`expected a list of names, got ${JSON.stringify(list)}`);
    return (list as unknown[]).filter((n) => this.owns(n)) as string[];
  }

  /** Events about users of other tests are not this test's business. */
  relevant = (e: Ev): boolean => {
    switch (e.type) {
      case 'join':
      case 'leave':
        return this.owns(e.user);
      case 'chat':
        return this.owns(e.from);
      case 'whisper':
        return this.owns(e.from) || this.owns(e.to);
      default:
        return true;
    }
  };

  async connect(label: string, localAddress?: string): Promise<Client> {
    const c = await Client.connect(this.server.port, { label, relevant: this.relevant, localAddress }, this.server.host);
    this.clients.push(c);
    return c;
  }

  /** Connects and waits for `hello`. */
  async greeted(label: string): Promise<Client> {
    const c = await this.connect(label);
    await c.expectNext('hello', 'hello (the username prompt) right after connecting');
    return c;
  }

  /** Connects, logs in as name(role) and consumes hello and welcome. */
  async login(role: string, ms = SOON): Promise<Client> {
    const name = this.name(role);
    const c = await this.connect(name);
    await c.expectNext('hello', 'hello right after connecting', ms);
    c.send(name);
    const w = await c.expectNext('welcome', `welcome after sending the username ${name}`, ms);
    if (w.user !== name) throw new Error(`${name} was welcomed as ${JSON.stringify(w.user)}`);
    c.welcome = w;
    return c;
  }

  /** Logs in several users one after another (so each one's join order is known). */
  async loginAll(...roles: string[]): Promise<Client[]> {
    const out: Client[] = [];
    for (const r of roles) out.push(await this.login(r));
    return out;
  }

  close(): void {
    const problems = this.clients.flatMap((c) => c.problems.map((p) => `${c.label}: ${p}`));
    for (const c of this.clients) c.destroy();
    if (problems.length > 0) throw new Error(`lines that break the protocol:\n  ${problems.join('\n  ')}`);
    if (!this.serverMayExit && !this.server.alive()) throw new Error(`the server process exited during the test; stderr: ${this.server.stderr()}`);
  }
}

/** Settles a chain of clients: each barrier starts after the previous one's reply arrived. */
export async function settle(...clients: Client[]): Promise<void> {
  for (const c of clients) await c.barrier();
}

/** Asserts the events have exactly these types, in order. */
export function types(events: Ev[]): string[] {
  return events.map((e) => e.type);
}

/** Strips ts from an event, for exact comparisons. */
export function noTs(e: Ev): Record<string, unknown> {
  const { ts: _ts, ...rest } = e;
  return rest;
}

/** Waits for a promise with a deadline that names what it waited for. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
    }),
  ]);
}

/** Sorted like a list the server sends (all test names are lower-case a-z0-9, so plain order). */
export function sorted(list: string[]): string[] {
  return [...list].sort();
}
