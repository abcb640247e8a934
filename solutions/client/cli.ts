// Lesson 10: the chat on the command line, like the Python original's client.py: it asks
// for a name, prints what the server sends while you type, and says how the session ended.
//
// Python:  a receive thread loops on recv() and print()s, while the main thread waits in input().
// Node:    one thread and two sources of events: the socket's 'data' and readline's 'line'.
//
// With the auth extension (lesson 15) it asks for a password when the server sends
// `password`, and `/register` alone asks for a new one twice: typed unseen, as sudo does,
// and never kept in readline's history.

import readline from 'node:readline';
import { HiddenEcho } from '../../app/client/hidden-echo.js';
import { secretStart } from '../../app/client/line-editor.js';
import { CLOSING_ERRORS, parseEvent, type UnknownEvent, type WireEvent } from '../../app/protocol.js';
import { FileTransfers, type TransferProgress } from '../../app/client/file-transfers.js';
import { LineDecoder } from '../server/line-decoder.js';
import { bytes, renderEvent, renderOwnLine, sanitize } from './render-event.js';
import * as filePiece from './file-transfer.js';
import { openConnection, readyEvent, type TlsTrust } from './open-connection.js';
import { CLOSED_BEFORE_HELLO, explainConnectError } from '../../app/client/connect-errors.js';

export interface CliOptions {
  host: string;
  port: number;
  /** Lesson 16: speak TLS, trusting these authorities. */
  tls?: TlsTrust;
  /** Where typed lines come from: the keyboard (process.stdin), or a pipe. */
  input: NodeJS.ReadableStream;
  /** Where everything is printed (process.stdout). */
  output: NodeJS.WritableStream;
  /** Lesson 17: where received files are saved (default: downloads, in the current folder). */
  downloads?: string;
}

/** How long the server may take to say goodbye after /quit before we hang up ourselves. */
const QUIT_GRACE_MS = 2000;

/** Runs one chat session. Resolves with the exit code: 0 after a goodbye, 1 after a failure. */
export function runCli({ host, port, tls, input, output, downloads = 'downloads' }: CliOptions): Promise<number> {
  return new Promise((resolve) => {
    // Plain TCP, or TLS (lesson 16): the same socket either way. The target also names
    // where a failure happened, and where a file's data connection goes (lesson 17).
    const target = { host, port, tls };
    const socket = openConnection(target);
    // readline's echo passes through `echo`, which can hide it while a password is typed.
    const echo = new HiddenEcho(output);
    const keyboard = readline.createInterface({ input, output: echo, terminal: echo.isTTY });
    // One decoder for the whole connection (lesson 4): a chunk may hold half an event or five.
    const decoder = new LineDecoder();

    let connected = false;
    let greeted = false; // the server said hello: it speaks our protocol (not TLS to our plain)
    let me = ''; // our name, once the server has welcomed us
    let named = false; // the first line typed is the username
    let quitting = false; // we asked to leave: /quit or Ctrl+D
    let inputOpen = true;
    let finished = false;
    /** The exit code the server's last word means: 0 after bye or shutdown, 1 after a refusal. */
    let farewell: number | undefined;
    let lastError: NodeJS.ErrnoException | undefined;
    /** Set while a password is asked for: what to do with the line typed. */
    let secret: ((line: string) => void) | undefined;

    /** Prints a line above the one being typed, then redraws the prompt and the typing. */
    function show(text: string): void {
      if (keyboard.terminal) {
        readline.cursorTo(output, 0);
        readline.clearLine(output, 0);
      }
      output.write(text + '\n');
      // While a password is typed: the question again, not what was typed.
      if (echo.hidden && inputOpen) return void output.write(keyboard.getPrompt());
      if (keyboard.terminal && inputOpen) keyboard.prompt(true);
    }

    /** Asks for the username: on a terminal as an editable prompt, in a pipe as a plain line. */
    function ask(question: string): void {
      if (!keyboard.terminal) return void output.write(question + '\n');
      keyboard.setPrompt(question + ' ');
      keyboard.prompt();
    }

    /** Asks for a password: the question shows, what is typed does not; `then` gets the line. */
    function askSecret(question: string, then: (line: string) => void): void {
      const before = keyboard.getPrompt();
      secret = (line) => {
        secret = undefined;
        if (echo.hidden) output.write('\n'); // the Enter was not echoed either
        echo.hidden = false;
        keyboard.setPrompt(before);
        then(line);
        if (keyboard.terminal && inputOpen && !echo.hidden) keyboard.prompt(); // unless `then` asked again
      };
      if (!keyboard.terminal) return void output.write(question + '\n');
      keyboard.setPrompt(question + ' ');
      keyboard.prompt();
      echo.hidden = true;
    }

    /** /register alone: the new password twice, unseen, then `/register <password>`. */
    function register(): void {
      askSecret('New password (8 to 128 characters, not shown):', (first) =>
        askSecret('The same password again:', (second) => {
          if (first === second) return void socket.write(`/register ${first}\n`);
          show('[CLIENT] The two passwords differ: nothing was sent.');
        }),
      );
    }

    // Files (lesson 17): /send, /accept, /reject, and a progress line every tenth of a file.
    const shownTenths = new Map<string, number>();
    const files = new FileTransfers({
      address: target,
      downloads,
      piece: filePiece,
      send: (line) => socket.write(line + '\n'),
      say: (_kind, text) => show(`[FILE]: ${sanitize(text)}`),
      progress: (t: TransferProgress, ended) => {
        const tenths = Math.floor((t.done / Math.max(t.size, 1)) * 10);
        if (ended) return void shownTenths.delete(t.id);
        if (tenths === shownTenths.get(t.id)) return;
        shownTenths.set(t.id, tenths);
        const way = t.role === 'send' ? `to ${sanitize(t.peer)}` : `from ${sanitize(t.peer)}`;
        show(`[FILE]: ${sanitize(t.name)} ${way}: ${tenths * 10}% (${bytes(t.done)} of ${bytes(t.size)})`);
      },
    });

    /** With rooms (lesson 12), the prompt says where a line will go: '#games> '. */
    function inRoom(room: unknown): void {
      keyboard.setPrompt(`#${sanitize(room)}> `);
    }

    function onEvent(event: WireEvent | UnknownEvent): void {
      switch (event.type) {
        case 'hello':
          greeted = true;
          return ask(renderEvent(event, me));
        case 'password':
          return askSecret(sanitize(event.text), (password) => socket.write(password + '\n'));
        case 'welcome':
          me = event.user;
          if (event.room !== undefined) inRoom(event.room);
          break;
        case 'room':
          inRoom(event.room);
          break;
        case 'bye':
        case 'shutdown':
          farewell = 0;
          break;
        case 'error':
          if (CLOSING_ERRORS.has(event.code)) farewell = 1;
          break;
      }
      show(renderEvent(event, me));
      files.onEvent(event);
    }

    /** /quit or Ctrl+D: leave properly, then wait for the server to close the connection. */
    function quit(line: string): void {
      if (quitting) return;
      quitting = true;
      keyboard.close(); // nothing more to read; on a terminal, Ctrl+C works as usual again
      show('[CLIENT] Disconnecting...');
      // Before we have a name, there is nobody to say goodbye as: just hang up.
      if (named) socket.write(line + '\n');
      else socket.end();
      setTimeout(() => socket.destroy(), QUIT_GRACE_MS).unref();
    }

    function finish(code: number): void {
      finished = true;
      keyboard.close();
      resolve(code);
    }

    // Over TLS, 'secureConnect': connected, and the server's certificate checked.
    socket.on(readyEvent(socket), () => {
      connected = true;
      show(`[CLIENT] Connected to ${host}:${port}${tls ? ', encrypted (TLS)' : ''}.`);
    });

    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        // A line longer than the protocol allows: this is not a server we can talk to.
        show(`[CLIENT] Hanging up: ${(err as Error).message}.`);
        return void socket.destroy();
      }
      for (const line of lines) onEvent(parseEvent(line));
    });

    // Without a listener, an 'error' (refused, reset) would crash the program with a stack
    // trace. 'close' always follows; it decides what to say.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err;
    });

    socket.on('close', () => {
      if (!connected) {
        // Refused, or a TLS check that failed (lesson 16): one line that says why.
        show(`[CLIENT] ${lastError ? explainConnectError(lastError, target) : `Could not reach ${host}:${port}: no answer`}`);
        return finish(1);
      }
      if (!greeted && !quitting) {
        show(`[CLIENT] ${lastError ? explainConnectError(lastError, target) : CLOSED_BEFORE_HELLO}`);
        return finish(1);
      }
      // A reset, or a FIN that no bye or shutdown announced: the server is gone, not done.
      if (farewell === undefined && !quitting) {
        show('[CLIENT] Connection to the server was lost.');
        return finish(1);
      }
      show('[CLIENT] Disconnected.');
      finish(farewell ?? 0);
    });

    // readline keeps each line for the up arrow: never a password.
    keyboard.on('history', (history: string[]) => {
      if (history[0] === keyboard.line && (secret || secretStart(keyboard.line) !== -1)) history.shift();
    });

    keyboard.on('line', (line) => {
      if (secret) return secret(line);
      if (/^\/quit(\s|$)/i.test(line.trim())) return quit(line);
      if (named && keyboard.terminal && /^\/register$/i.test(line.trim())) return register();
      if (named && files.command(line)) {
        if (keyboard.terminal) keyboard.prompt();
        return;
      }
      socket.write(line + '\n');
      if (!named) {
        named = true;
        keyboard.setPrompt('> ');
        return;
      }
      const own = renderOwnLine(line);
      if (own === undefined) {
        if (keyboard.terminal) keyboard.prompt();
        return;
      }
      // On a terminal, readline has already echoed "> hi": write the chat line over it.
      if (keyboard.terminal) readline.moveCursor(output, 0, -1);
      show(own);
    });

    // The input ended: Ctrl+D on a terminal (Ctrl+C too), or the end of a pipe.
    keyboard.on('close', () => {
      inputOpen = false;
      if (!finished) quit('/quit');
    });
  });
}
