// The suite's own chat client: it speaks PROTOCOL.md, records every byte in the
// test's transcript, and waits for events with deadlines that name what they wait for.

import { EventEmitter } from 'node:events';
import net from 'node:net';
import { parseEvent, type UnknownEvent, type WireEvent } from '../../app/protocol.js';
import { failure } from './teach.js';
import type { Transcript } from './transcript.js';
import { PATIENCE_MS, waitUntil } from './wait.js';

export type Received = WireEvent | UnknownEvent;

/** Events as a student would write them: JSON without the timestamp. */
export function showEvents(events: Received[]): string {
  if (events.length === 0) return 'nothing';
  return events.map((e) => JSON.stringify({ ...e, ts: undefined })).join(', ');
}
export type Match = Record<string, unknown> | ((event: Received) => boolean);

export interface ClientContext {
  transcript: Transcript;
  /** The lesson section a failure points to. */
  see: string;
  /** What the server logged (a piece that threw), shown with failures. */
  logs: string[];
  /** How the server appears in the transcript. */
  serverLabel: string;
}

export class TestClient {
  readonly events: Received[] = [];
  /** Events before this index were already matched by a wait. */
  private cursor = 0;
  private pending = Buffer.alloc(0);
  private readonly changes = new EventEmitter();
  closed = false;
  /** True once the suite itself hung up, so the transcript does not blame the server. */
  private hungUp = false;

  private constructor(
    readonly label: string,
    readonly socket: net.Socket,
    private readonly ctx: ClientContext,
  ) {
    socket.on('data', (chunk: Buffer) => {
      ctx.transcript.record(ctx.serverLabel, label, chunk);
      this.pending = Buffer.concat([this.pending, chunk]);
      for (let nl = this.pending.indexOf(0x0a); nl !== -1; nl = this.pending.indexOf(0x0a)) {
        this.events.push(parseEvent(this.pending.subarray(0, nl).toString('utf8').replace(/\r$/, '')));
        this.pending = this.pending.subarray(nl + 1);
      }
      this.changes.emit('change');
    });
    socket.on('error', () => {}); // a reset shows up as 'close', which is what tests look at
    socket.on('close', () => {
      this.closed = true;
      if (!this.hungUp) ctx.transcript.record(ctx.serverLabel, label, '');
      this.changes.emit('change');
    });
  }

  /** Opens a TCP connection (nothing is sent yet). */
  static connect(port: number, label: string, ctx: ClientContext, host = '127.0.0.1'): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      // No Nagle: a barrier line right after a line with no reply must not wait for a delayed ACK.
      const socket = net.connect({ port, host, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(failure({ problem: `${label} could not connect to ${host}:${port} within ${PATIENCE_MS} ms.`, see: ctx.see, transcript: ctx.transcript, logs: ctx.logs }));
      }, PATIENCE_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TestClient(label, socket, ctx));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(failure({ problem: `${label} could not connect to ${host}:${port}: ${err.code ?? err.message}.`, see: ctx.see, transcript: ctx.transcript, logs: ctx.logs }));
      });
    });
  }

  /**
   * A client on a socket opened elsewhere (lesson 16: a TLS socket, from the student's
   * connectTls or from tls.connect): recorded and waited on like any other, as plain text.
   */
  static over(socket: net.Socket, label: string, ctx: ClientContext): TestClient {
    socket.setNoDelay(true);
    return new TestClient(label, socket, ctx);
  }

  /** Sends one line; the newline is added here. */
  send(line: string): void {
    this.sendRaw(line + '\n');
  }

  sendRaw(data: string | Buffer): void {
    this.ctx.transcript.record(this.label, this.ctx.serverLabel, data);
    this.socket.write(data);
  }

  /** Half-closes: sends FIN, keeps reading (what `nc -N` does after its input). */
  end(): void {
    this.ctx.transcript.record(this.label, this.ctx.serverLabel, '');
    this.socket.end();
  }

  /** Waits for the next event that matches, skipping the others. */
  next(match: Match, what: string, ms = PATIENCE_MS): Promise<Received> {
    const test = typeof match === 'function' ? match : (e: Received) => matches(e, match);
    return waitUntil(
      () => {
        const index = this.events.findIndex((e, i) => i >= this.cursor && test(e));
        if (index === -1) {
          if (this.closed) throw this.fail(`${this.label} was waiting for ${what}, but the connection closed first.`, describe(match));
          return undefined;
        }
        this.cursor = index + 1;
        return this.events[index];
      },
      (wake) => this.watch(wake),
      () => this.fail(`${this.label} waited ${ms} ms for ${what}; it never came.`, describe(match)),
      ms,
    );
  }

  /** Every event received since the last wait, without waiting. Marks them as seen. */
  takeUnseen(): Received[] {
    const unseen = this.events.slice(this.cursor);
    this.cursor = this.events.length;
    return unseen;
  }

  /**
   * Sends `/users` and waits for the reply: everything the server sent this client before
   * it is then known to have arrived. Returns those earlier events. (The server answers
   * each client's lines in order, so this is a barrier without any sleep.)
   */
  async sync(what = 'the reply to /users'): Promise<Received[]> {
    const from = this.cursor;
    this.send('/users');
    await this.next({ type: 'users' }, what);
    return this.events.slice(from, this.cursor - 1);
  }

  /** Waits until the server closes this connection. */
  waitClosed(what: string, ms = PATIENCE_MS): Promise<void> {
    return waitUntil(
      () => (this.closed ? true : undefined),
      (wake) => this.watch(wake),
      () => this.fail(`${this.label} waited ${ms} ms for the server to close the connection (${what}); it stayed open.`),
      ms,
    ).then(() => undefined);
  }

  /** Hangs up at once (the suite's side closes, not the server's). */
  close(): void {
    if (!this.socket.destroyed) this.ctx.transcript.record(this.label, this.ctx.serverLabel, '');
    this.hungUp = true;
    this.socket.destroy();
  }

  fail(problem: string, expected?: string): Error {
    return failure({ problem, expected, see: this.ctx.see, transcript: this.ctx.transcript, logs: this.ctx.logs });
  }

  private watch(wake: () => void): () => void {
    this.changes.on('change', wake);
    return () => this.changes.off('change', wake);
  }
}

export function matches(event: Received, match: Record<string, unknown>): boolean {
  return Object.entries(match).every(([key, value]) => {
    const actual = (event as unknown as Record<string, unknown>)[key];
    return typeof value === 'object' && value !== null ? JSON.stringify(actual) === JSON.stringify(value) : actual === value;
  });
}

function describe(match: Match): string {
  return typeof match === 'function' ? 'an event that passes the check' : `an event like ${JSON.stringify(match)}`;
}
