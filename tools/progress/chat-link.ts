// How the course's tools log in to a chat server as ordinary users: the progress reporter
// and the instructor's board. Built from the course's own pieces (the reference LineDecoder
// and parseEvent). Not lesson 1's joinChat(): a tool must know *why* a login was refused
// (the error code, to try another name), and must keep reading the lines that follow the welcome.

import net from 'node:net';
import { FriendlyError } from '../../app/cli.js';
import { parseEvent, type ErrorCode, type UnknownEvent, type WelcomeEvent, type WireEvent } from '../../app/protocol.js';
import { LineDecoder } from '../../solutions/server/line-decoder.js';

export interface Session {
  welcome: WelcomeEvent;
  /** Sends one line; the newline is added. */
  send(line: string): void;
  /** Sends /quit and resolves once the server has closed the connection. */
  quit(): Promise<void>;
  /** Resolves when the connection has closed, whoever closed it. */
  closed: Promise<void>;
}

/** The server answered the username with an error event. */
export class LoginRefused extends FriendlyError {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

const LOGIN_DEADLINE_MS = 5000;
const QUIT_DEADLINE_MS = 2000;

/** Logs in as `name`; every event after the welcome goes to onEvent, in order. */
export function logIn(host: string, port: number, name: string, onEvent: (event: WireEvent | UnknownEvent) => void): Promise<Session> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const decoder = new LineDecoder();
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let session: Session | undefined;
    const fail = (err: Error) => {
      clearTimeout(deadline);
      socket.destroy();
      reject(err);
    };
    const deadline = setTimeout(() => fail(new FriendlyError(`${where} answered nothing a chat server would within ${LOGIN_DEADLINE_MS / 1000} s. Is it the chat server?`)), LOGIN_DEADLINE_MS);

    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (session) return; // 'close' follows; the caller watches `closed`
      fail(new FriendlyError(err.code === 'ECONNREFUSED' ? `Connection to ${where} refused. Is the chat server running there?` : `Could not reach ${where}: ${err.message}`));
    });
    socket.on('close', () => fail(new FriendlyError(`${where} closed the connection before welcoming us.`)));
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch {
        return fail(new FriendlyError(`${where} sent a line longer than the protocol allows: is it the chat server?`));
      }
      for (const line of lines) {
        const event = parseEvent(line);
        if (session) {
          onEvent(event);
        } else if (event.type === 'hello') {
          socket.write(name + '\n');
        } else if (event.type === 'welcome') {
          clearTimeout(deadline);
          session = {
            welcome: event,
            send: (text) => socket.write(text + '\n'),
            quit: () => {
              socket.end('/quit\n');
              setTimeout(() => socket.destroy(), QUIT_DEADLINE_MS).unref();
              return closed;
            },
            closed,
          };
          resolve(session);
        } else if (event.type === 'error') {
          return fail(new LoginRefused(event.code, `${where} refused the login as ${name}: ${printable(event.text)}`));
        } else {
          return fail(new FriendlyError(`${where} does not speak the chat protocol; it sent: ${printable(line).slice(0, 80)}`));
        }
      }
    });
  });
}

/** A remote string made safe to print: no control characters, so no remote party can drive our terminal. */
export function printable(text: string): string {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}
