// The benchmark's client for an IRC server (RFC 1459/2812): registers as b<index> (NICK,
// USER), joins one channel, sends PRIVMSG to it, and counts and checks the messages it
// receives from the others, like load-client.ts does with the chat's events. A PING is the
// barrier: the server answers it after everything it queued for this client before.

import net from 'node:net';
import { FriendlyError } from '../../app/cli.js';
import type { Delivery } from './load-client.js';

export const CHANNEL = '#bench';

export class IrcLoadClient {
  private carry = '';
  onChat?: (delivery: Delivery) => void;
  chatsCounted = 0;
  private onLine: (line: string) => void = () => {};

  private constructor(
    readonly socket: net.Socket,
    readonly index: number,
  ) {
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.take(text));
    socket.on('error', () => {});
  }

  /** Connects, registers and joins the channel; resolves once the server has listed its names. */
  static login(port: number, index: number, timeoutMs = 30_000, host = '127.0.0.1'): Promise<IrcLoadClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const client = new IrcLoadClient(socket, index);
      let said = ''; // the server's last ERROR or 4xx reply, to say why it went
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new FriendlyError(`IRC client b${index} ${why}${said ? ` (the server said: ${said})` : ''}.`));
      };
      const timer = setTimeout(() => fail(`was not in ${CHANNEL} within ${timeoutMs / 1000} s`), timeoutMs);
      client.onLine = (line) => {
        const code = line.split(' ', 3)[1];
        if (code === '001') socket.write(`JOIN ${CHANNEL}\r\n`); // welcome: registered
        else if (code === '366') {
          // End of the channel's names: joined.
          clearTimeout(timer);
          client.onLine = () => {};
          resolve(client);
        } else if (line.startsWith('ERROR') || /^\S+ 4\d\d /.test(line)) {
          said = line;
        }
      };
      socket.once('connect', () => socket.write(`NICK b${index}\r\nUSER b${index} 0 * :bench\r\n`));
      socket.once('close', () => fail('was disconnected before it had joined'));
      socket.once('error', (err) => fail(`could not connect to ${host}:${port}: ${err.message}`));
    });
  }

  /** A channel message the receivers can check: sequence number and send time, padded to `size`. */
  static line(seq: number, size: number): string {
    const text = `${seq} ${(performance.timeOrigin + performance.now()).toFixed(3)}`;
    return `PRIVMSG ${CHANNEL} :${size > text.length ? text + ' ' + 'x'.repeat(size - text.length - 1) : text}\r\n`;
  }

  roundTrip(): Promise<void> {
    return new Promise((resolve) => {
      this.onLine = (line) => {
        if (line.includes(' PONG ')) {
          this.onLine = () => {};
          resolve();
        }
      };
      this.socket.write('PING :barrier\r\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private take(text: string): void {
    const data = this.carry + text;
    let start = 0;
    for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
      this.line(data.slice(start, data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    this.carry = data.slice(start);
  }

  private line(line: string): void {
    // ":b12!~b12@127.0.0.1 PRIVMSG #bench :7 1733355555123.456 xxxx"
    const verb = line.indexOf(' PRIVMSG ');
    if (verb === -1 || !line.startsWith(':b')) return this.onLine(line);
    if (!this.onChat) {
      this.chatsCounted++;
      return;
    }
    const textStart = line.indexOf(' :', verb) + 2;
    const space = line.indexOf(' ', textStart);
    const end = line.indexOf(' ', space + 1);
    this.onChat({
      senderIndex: Number(line.slice(2, line.indexOf('!'))),
      seq: Number(line.slice(textStart, space)),
      sentAt: Number(line.slice(space + 1, end === -1 ? undefined : end)),
    });
  }
}
