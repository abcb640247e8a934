// Lesson 10: the chat on the command line, like the Python original's client.py: it asks
// for a name, prints what the server sends while you type, and says how the session ended.
//
// Python:  a receive thread loops on recv() and print()s, while the main thread waits in input().
// Node:    one thread and two sources of events: the socket's 'data' and readline's 'line'.

import net from 'node:net';
import readline from 'node:readline';
import { CLOSING_ERRORS, parseEvent, type UnknownEvent, type WireEvent } from '../../app/protocol.js';
import { FileTransfers, type TransferProgress } from '../../app/client/file-transfers.js';
import { LineDecoder } from '../server/line-decoder.js';
import * as filePiece from './file-transfer.js';
import { bytes, renderEvent, renderOwnLine, sanitize } from './render-event.js';

export interface CliOptions {
  host: string;
  port: number;
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
export function runCli({ host, port, input, output, downloads = 'downloads' }: CliOptions): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const keyboard = readline.createInterface({ input, output });
    // One decoder for the whole connection (lesson 4): a chunk may hold half an event or five.
    const decoder = new LineDecoder();

    let connected = false;
    let me = ''; // our name, once the server has welcomed us
    let named = false; // the first line typed is the username
    let quitting = false; // we asked to leave: /quit or Ctrl+D
    let inputOpen = true;
    let finished = false;
    /** The exit code the server's last word means: 0 after bye or shutdown, 1 after a refusal. */
    let farewell: number | undefined;
    let lastError: NodeJS.ErrnoException | undefined;

    /** Prints a line above the one being typed, then redraws the prompt and the typing. */
    function show(text: string): void {
      if (keyboard.terminal) {
        readline.cursorTo(output, 0);
        readline.clearLine(output, 0);
      }
      output.write(text + '\n');
      if (keyboard.terminal && inputOpen) keyboard.prompt(true);
    }

    /** Asks for the username: on a terminal as an editable prompt, in a pipe as a plain line. */
    function ask(question: string): void {
      if (!keyboard.terminal) return void output.write(question + '\n');
      keyboard.setPrompt(question + ' ');
      keyboard.prompt();
    }

    // Files (lesson 17): /send, /accept, /reject, and a progress line every tenth of a file.
    const shownTenths = new Map<string, number>();
    const files = new FileTransfers({
      address: { host, port },
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
          return ask(renderEvent(event, me));
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

    socket.on('connect', () => {
      connected = true;
      show(`[CLIENT] Connected to ${host}:${port}.`);
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
        show(lastError?.code === 'ECONNREFUSED'
          ? '[CLIENT] Connection refused. Is the server running?'
          : `[CLIENT] Could not reach ${host}:${port}: ${lastError?.message ?? 'no answer'}`);
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

    keyboard.on('line', (line) => {
      if (/^\/quit(\s|$)/i.test(line.trim())) return quit(line);
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
