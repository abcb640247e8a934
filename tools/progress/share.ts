// Sends one progress report to the instructor's board (the exchange is in report.ts): wait
// for the board's greeting, send the report, wait for `ok`. Everything that can go wrong on
// the way is a FriendlyError that says what to do.

import net from 'node:net';
import { FriendlyError } from '../../app/cli.js';
import { LineDecoder } from '../../solutions/server/line-decoder.js';
import { BOARD_GREETING, BOARD_PORT, formatReport, printable, type ProgressReport } from './report.js';

export const SHARE_DEADLINE_MS = 5000;

/**
 * Sends `report` to the board at host:port. `eager` sends it without waiting for the greeting,
 * which saves a round trip: for a board already known to be one (the automatic share).
 */
export function sendReport(host: string, port: number, report: ProgressReport, deadlineMs = SHARE_DEADLINE_MS, eager = false): Promise<void> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const decoder = new LineDecoder();
    let greeted = false;
    if (eager) socket.write(formatReport(report) + '\n');
    const finish = (err?: Error) => {
      clearTimeout(deadline);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const deadline = setTimeout(() => finish(new FriendlyError(`The board at ${where} did not answer within ${deadlineMs < 1000 ? `${deadlineMs} ms` : `${deadlineMs / 1000} s`}. Is that the address the board printed?`)), deadlineMs);

    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(new FriendlyError(err.code === 'ECONNREFUSED' ? `Nothing listens at ${where}. Is the board running (npm run progress -- --board), and is that the address it printed?` : `Could not reach the board at ${where}: ${err.message}`)),
    );
    socket.on('close', () => finish(new FriendlyError(`The board at ${where} hung up before confirming the report.`)));
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch {
        return finish(notABoard(where, 'a very long line'));
      }
      for (const line of lines) {
        if (!greeted) {
          if (line !== BOARD_GREETING) return finish(notABoard(where, line));
          greeted = true;
          if (!eager) socket.write(formatReport(report) + '\n');
        } else if (line === 'ok') {
          return finish();
        } else {
          return finish(new FriendlyError(`The board at ${where} refused the report: ${printable(line.replace(/^refused /, '')).slice(0, 100)}`));
        }
      }
    });
  });
}

function notABoard(where: string, said: string): FriendlyError {
  // The likeliest mix-up: the chat server's address, whose first line is its hello.
  if (said.startsWith('{') && said.includes('"hello"')) {
    return new FriendlyError(`${where} is the chat server, not the board. The board listens on a port of its own: use the address its window prints (the port is ${BOARD_PORT} unless the instructor chose another).`);
  }
  return new FriendlyError(`${where} is not a progress board; it said: ${printable(said).slice(0, 80)}`);
}
