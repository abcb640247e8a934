// The benchmark's client: logs in, then counts and checks the chat lines it receives
// with as little work per line as it can, so that the load generator is not the bottleneck.

import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Delivery {
  senderIndex: number;
  seq: number;
  sentAt: number;
}

const CHAT_PREFIX = '{"type":"chat","from":"b';
const JOIN_PREFIX = '{"type":"join",';
const WELCOME_PREFIX = '{"type":"welcome",';

export class LoadClient {
  private carry = '';
  /** Called for every chat line: who sent it, its sequence number, when it was sent.
   *  Left undefined, chat lines are only counted (in `chatsCounted`), which costs far less. */
  onChat?: (delivery: Delivery) => void;
  chatsCounted = 0;
  /** Called for every other event, parsed. */
  onOther: (event: { type: string; [k: string]: unknown }) => void = () => {};

  private constructor(
    readonly socket: net.Socket,
    readonly index: number,
  ) {
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.take(text));
    socket.on('error', () => {});
  }

  static name(index: number): string {
    return `b${index}`;
  }

  /** Connects and logs in as b<index>; resolves on `welcome`. */
  static login(port: number, index: number, timeoutMs = 30_000): Promise<LoadClient> {
    return LoadClient.open(port, index, 'welcome', timeoutMs);
  }

  /** Connects and waits for `hello` without logging in: a connection nobody else sees. */
  static greeted(port: number, index: number, timeoutMs = 30_000): Promise<LoadClient> {
    return LoadClient.open(port, index, 'hello', timeoutMs);
  }

  private static open(port: number, index: number, until: 'hello' | 'welcome', timeoutMs: number): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      const client = new LoadClient(socket, index);
      const timer = setTimeout(() => reject(new Error(`b${index} got no ${until} within ${timeoutMs} ms`)), timeoutMs);
      client.onOther = (event) => {
        if (event.type === until) {
          clearTimeout(timer);
          client.onOther = () => {};
          resolve(client);
        } else if (event.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`b${index} was refused: ${String(event.text)}`));
        }
      };
      if (until === 'welcome') socket.once('connect', () => socket.write(LoadClient.name(index) + '\n'));
      socket.once('error', (err) => reject(err));
    });
  }

  /** A chat line the receivers can check: sequence number and send time, padded to `size`. */
  static line(seq: number, size: number): string {
    const text = `${seq} ${(performance.timeOrigin + performance.now()).toFixed(3)}`;
    return (size > text.length ? text + ' ' + 'x'.repeat(size - text.length - 1) : text) + '\n';
  }

  /** Sends /users and resolves on the reply: everything sent before it has arrived. */
  roundTrip(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.onOther;
      this.onOther = (event) => {
        if (event.type === 'users') {
          this.onOther = previous;
          resolve();
        } else previous(event);
      };
      this.socket.write('/users\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private take(text: string): void {
    const data = this.carry + text;
    let start = 0;
    for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
      // Joins are the bulk of a login burst (each goes to everyone): skipped unread.
      if (!data.startsWith(JOIN_PREFIX, start)) this.line(data.slice(start, nl));
      start = nl + 1;
    }
    this.carry = data.slice(start);
  }

  private line(line: string): void {
    // Fast path for the reference server's field order; anything else is parsed as JSON.
    if (line.startsWith(CHAT_PREFIX)) {
      if (!this.onChat) {
        this.chatsCounted++;
        return;
      }
      const nameEnd = line.indexOf('"', CHAT_PREFIX.length);
      const textStart = line.indexOf('"text":"', nameEnd) + 8;
      const space = line.indexOf(' ', textStart);
      const end = line.indexOf(' ', space + 1);
      this.onChat({
        senderIndex: Number(line.slice(CHAT_PREFIX.length, nameEnd)),
        seq: Number(line.slice(textStart, space)),
        sentAt: Number(line.slice(space + 1, end === -1 ? line.indexOf('"', space) : end)),
      });
      return;
    }
    // A welcome's user list grows with the room; only the fact that it came matters here.
    if (line.startsWith(WELCOME_PREFIX)) return this.onOther({ type: 'welcome' });
    let event: { type: string; from?: string; text?: string };
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    if (event.type === 'chat' && event.from?.startsWith('b') && event.text) {
      const [seq, sentAt] = event.text.split(' ');
      this.onChat?.({ senderIndex: Number(event.from.slice(1)), seq: Number(seq), sentAt: Number(sentAt) });
    } else {
      this.onOther(event);
    }
  }
}

/** Logs in `count` clients, `parallel` at a time. */
export function loginMany(port: number, count: number, parallel = 200, first = 0): Promise<LoadClient[]> {
  return inParallel(count, parallel, (i) => LoadClient.login(port, first + i));
}

/** Connects `count` clients that never log in, `parallel` at a time. */
export function greetMany(port: number, count: number, parallel = 200): Promise<LoadClient[]> {
  return inParallel(count, parallel, (i) => LoadClient.greeted(port, i));
}

/** Starts `count` clients, `parallel` at a time. */
export async function inParallel<C>(count: number, parallel: number, start: (i: number) => Promise<C>): Promise<C[]> {
  const clients: C[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      for (let i = next++; i < count; i = next++) clients[i] = await start(i);
    }),
  );
  return clients;
}
