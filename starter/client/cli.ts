// Lesson 10: the chat on the command line, like the Python original's client.py.
// Read the lesson first: npm run lesson 10      Check your work: npm test -- lesson10
// Try it: npm run cli -- --mine   (with a server running: npm run server)

import net from 'node:net';
import readline from 'node:readline';
import { CLOSING_ERRORS, parseEvent, type UnknownEvent, type WireEvent } from '../../app/protocol.js';
import { LineDecoder } from '../server/line-decoder.js';
import { renderEvent, renderOwnLine } from './render-event.js';
import type { TlsTrust } from './open-connection.js';

export interface CliOptions {
  host: string;
  port: number;
  /** Lesson 16: speak TLS, trusting these authorities: open the socket with openConnection({ host, port, tls }). */
  tls?: TlsTrust;
  /** Where typed lines come from: the keyboard (process.stdin), or a pipe. */
  input: NodeJS.ReadableStream;
  /** Where everything is printed (process.stdout). */
  output: NodeJS.WritableStream;
  /** Lesson 17: where received files are saved (default: downloads, in the current folder). */
  downloads?: string;
}

/** Runs one chat session. Resolves with the exit code: 0 after a goodbye, 1 after a failure. */
export function runCli({ host, port, input, output }: CliOptions): Promise<number> {
  return new Promise((resolve) => {
    // TODO (lesson 10):
    //  1. net.connect({ host, port }) and readline.createInterface({ input, output }).
    //  2. Every chunk through one LineDecoder (your lesson 4 piece); each line through
    //     parseEvent(); each event printed with renderEvent(). `hello`: print its text and
    //     wait for the name. `welcome`: remember your name (event.user).
    //  3. Each typed line goes to the server with '\n'. The first one is the username.
    //     A chat line is not echoed by the server: print renderOwnLine(line) yourself.
    //  4. /quit, or the end of the input (Ctrl+D): print "[CLIENT] Disconnecting...",
    //     send /quit, and wait for the server to close.
    //  5. Keep an 'error' listener on the socket all the time. In 'close', decide:
    //       never connected (ECONNREFUSED)
    //           "[CLIENT] Connection refused. Is the server running?"            exit code 1
    //       after bye or shutdown, or after you quit
    //           "[CLIENT] Disconnected."                                         exit code 0
    //       after an error that closes the connection (CLOSING_ERRORS, e.g. NAME_TAKEN)
    //           "[CLIENT] Disconnected."                                         exit code 1
    //       anything else: a reset, or a FIN with no goodbye
    //           "[CLIENT] Connection to the server was lost."                    exit code 1
    //     Then close the readline interface and resolve with the exit code.
    throw new Error('TODO (lesson 10): runCli() is not written yet. Read the lesson: npm run lesson 10');
  });
}
