// `npm run progress -- --share HOST[:PORT] --name NAME`: tells the instructor's board how far
// this student got. It logs in to the classroom chat as an ordinary user of its own
// (NAME_progress), checks that the board's user is online, whispers it one report, waits
// for the server's confirmation, and quits: no new protocol, only a whisper.

import { FriendlyError } from '../../app/cli.js';
import type { UnknownEvent, WireEvent } from '../../app/protocol.js';
import { LoginRefused, logIn, printable, type Session } from './chat-link.js';
import { formatReport, type ProgressReport } from './report.js';

export interface ShareOptions {
  host: string;
  port: number;
  /** The student's own chat name. */
  name: string;
  /** The user the board is logged in as. */
  to: string;
}

export interface Reporter {
  /** The name the reporter is logged in as. */
  user: string;
  send(report: ProgressReport): Promise<void>;
  quit(): Promise<void>;
}

type AnyEvent = WireEvent | UnknownEvent;

const NAME_ATTEMPTS = 5;
const ANSWER_DEADLINE_MS = 5000;

/** Logs in and makes sure the board is there, before the student waits for the suites. */
export async function openReporter({ host, port, name, to }: ShareOptions): Promise<Reporter> {
  const where = `${host}:${port}`;
  let onEvent: (event: AnyEvent) => void = () => {};
  const session = await logInFreely(host, port, name, (event) => onEvent(event));
  const user = session.welcome.user;

  /** Sends one line and resolves with the first event that answers it. */
  const ask = (line: string, isAnswer: (event: AnyEvent) => boolean) =>
    new Promise<AnyEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new FriendlyError(`${where} did not answer within ${ANSWER_DEADLINE_MS / 1000} s.`)), ANSWER_DEADLINE_MS);
      session.closed.then(() => reject(new FriendlyError(`${where} closed the connection before answering.`)));
      onEvent = (event) => {
        if (!isAnswer(event)) return;
        clearTimeout(timer);
        resolve(event);
      };
      session.send(line);
    });
  const boardMissing = () => new FriendlyError(`Nobody called '${to}' is online at ${where}: ask your instructor to start the board (npm run progress -- --board), or check --to.`);

  try {
    const online = await ask('/users', (e) => e.type === 'users');
    const users = online.type === 'users' && Array.isArray(online.users) ? online.users.map(String) : [];
    if (!users.some((u) => u.toLowerCase() === to.toLowerCase())) throw boardMissing();
  } catch (err) {
    await session.quit();
    throw err;
  }

  return {
    user,
    async send(report) {
      // The server confirms a whisper by sending it back to its sender; a failure is an error event.
      const reply = await ask(`/whisper ${to} ${formatReport(report)}`, (e) => (e.type === 'whisper' && e.from === user) || e.type === 'error');
      if (reply.type === 'error') throw reply.code === 'NO_SUCH_USER' ? boardMissing() : new FriendlyError(`${where} refused the report: ${printable(reply.text)}`);
    },
    quit: () => session.quit(),
  };
}

/** Logs in as NAME_progress, or NAME_progress-2, -3... if that is taken. */
async function logInFreely(host: string, port: number, name: string, onEvent: (event: AnyEvent) => void): Promise<Session> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await logIn(host, port, reporterName(name, attempt), onEvent);
    } catch (err) {
      if (!(err instanceof LoginRefused && err.code === 'NAME_TAKEN' && attempt < NAME_ATTEMPTS)) throw err;
    }
  }
}

/** NAME_progress, NAME_progress-2...: the name is cut short when needed, so that the room can tell a reporter from its student. */
export function reporterName(name: string, attempt: number): string {
  const tail = attempt === 1 ? '_progress' : `_progress-${attempt}`;
  return name.slice(0, 20 - tail.length) + tail;
}
