// A file's data connection as the suites open it (PROTOCOL.md, "files"): connect, read the
// `hello`, send `/file <token>`, then raw bytes. Bytes are counted and hashed as they come,
// never kept (a 20 MB file must not cost the suite 20 MB). The transcript gets the hello,
// the `/file` line, the first bytes each way, and a count at the end, not every byte.

import { createHash, type Hash } from 'node:crypto';
import net from 'node:net';
import type { ClientContext } from './test-client.js';
import { failure } from './teach.js';
import { PATIENCE_MS, waitUntil } from './wait.js';

export class DataClient {
  /** Bytes received after the hello line. */
  received = 0;
  /** The first bytes received after the hello (an error line shows here). */
  firstBytes = Buffer.alloc(0);
  /** Bytes this side has written after its `/file` line (handed to the socket). */
  sent = 0;
  closed = false;
  private readonly hash: Hash = createHash('sha256');
  private readonly watchers = new Set<() => void>();
  /** Called with each chunk received, before it is counted (a slow reader paces itself here). */
  onChunk: ((chunk: Buffer) => void) | undefined;

  private constructor(
    readonly label: string,
    readonly socket: net.Socket,
    private readonly ctx: ClientContext,
  ) {}

  /** Connects, waits for the hello, sends `/file <token>` (with `glued` bytes in the same write). */
  static async open(port: number, label: string, ctx: ClientContext, token: string, glued: Buffer = Buffer.alloc(0)): Promise<DataClient> {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    const client = new DataClient(label, socket, ctx);
    socket.on('error', () => {}); // a reset shows as 'close'
    let head = Buffer.alloc(0);
    let helloSeen = false;
    socket.on('data', (chunk: Buffer) => {
      if (!helloSeen) {
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(0x0a);
        if (nl === -1) return;
        helloSeen = true;
        ctx.transcript.record(ctx.serverLabel, label, head.subarray(0, nl + 1));
        chunk = head.subarray(nl + 1);
        const line = Buffer.concat([Buffer.from(`/file ${token}\n`), glued]);
        ctx.transcript.record(label, ctx.serverLabel, line);
        socket.write(line);
        client.sent += glued.length;
        client.wake();
        if (chunk.length === 0) return;
      }
      client.take(chunk);
    });
    socket.on('close', () => {
      client.closed = true;
      if (client.received > client.firstBytes.length) ctx.transcript.record(ctx.serverLabel, label, `[… ${client.received} bytes in all]`);
      ctx.transcript.record(ctx.serverLabel, label, '');
      client.wake();
    });
    await waitUntil(
      () => (helloSeen ? true : client.closed ? false : undefined),
      (wake) => client.watch(wake),
      () => failure({ problem: `${label} (a data connection) got no hello within ${PATIENCE_MS} ms.`, see: ctx.see, transcript: ctx.transcript, logs: ctx.logs }),
    ).then((ok) => {
      if (!ok) throw failure({ problem: `${label} (a data connection) was closed before the server's hello.`, see: ctx.see, transcript: ctx.transcript, logs: ctx.logs });
    });
    return client;
  }

  /** The SHA-256 of everything received so far, as hex. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }

  /** Writes `data` and resolves once the socket has taken it (its 'drain' when write() says wait). */
  write(data: Buffer): Promise<void> {
    if (this.sent === 0) this.ctx.transcript.record(this.label, this.ctx.serverLabel, data.subarray(0, 48));
    this.sent += data.length;
    if (this.socket.write(data)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Waits until `check` holds (re-checked on every chunk and on close). */
  until<T>(check: () => T | undefined, what: string, ms = PATIENCE_MS): Promise<T> {
    return waitUntil(check, (wake) => this.watch(wake), () => failure({ problem: `${this.label} waited ${ms} ms for ${what}; it never came (${this.received} bytes received${this.closed ? ', connection closed' : ''}).`, see: this.ctx.see, transcript: this.ctx.transcript, logs: this.ctx.logs }), ms);
  }

  waitClosed(what: string, ms = PATIENCE_MS): Promise<void> {
    return this.until(() => (this.closed ? true : undefined), `the server to close it (${what})`, ms).then(() => undefined);
  }

  /** Hangs up at once. */
  close(): void {
    this.socket.destroy();
  }

  private take(chunk: Buffer): void {
    this.onChunk?.(chunk);
    if (this.firstBytes.length < 512) {
      const first = chunk.subarray(0, 512 - this.firstBytes.length);
      this.firstBytes = Buffer.concat([this.firstBytes, first]);
      if (this.received === 0) this.ctx.transcript.record(this.ctx.serverLabel, this.label, first.subarray(0, 48));
    }
    this.received += chunk.length;
    this.hash.update(chunk);
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.watchers]) w();
  }

  private watch(wake: () => void): () => void {
    this.watchers.add(wake);
    return () => this.watchers.delete(wake);
  }
}
