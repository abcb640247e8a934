// The chat server's wiring: it owns the connections and their life cycle, and calls
// each lesson's piece at the right moment. Read it top to bottom to see a connection
// live: accepted → admitted (hello) → lines → handshake → commands and chat → gone (leave).

import type { Socket } from 'node:net';
import { LineTooLongError } from '../protocol.js';
import { Connection } from './connection.js';
import { Extensions } from './extensions.js';
import { Flusher } from './flusher.js';
import { reservedNames } from './name-store.js';
import { DEFAULT_OPTIONS, type NameStore, type ServerContext, type ServerOptions, type ServerPieces } from './types.js';

export interface ChatServer {
  readonly host: string;
  readonly port: number;
  readonly ctx: ServerContext;
  /** Connections open now, logged in or not. */
  readonly connectionCount: number;
  /** Stops accepting, sends `shutdown` to everyone, closes every connection. */
  shutdown(): Promise<void>;
}

export interface StartOptions extends Partial<ServerOptions> {
  /** Where names are checked; tests pass a slow one to provoke races. */
  names?: NameStore;
  /** Where the server reports a piece that threw (default: stderr). */
  log?: (message: string) => void;
}


export async function startChatServer(start: StartOptions, pieces: ServerPieces): Promise<ChatServer> {
  const { names = reservedNames, log = (m: string) => console.error(m), ...given } = start;
  const options: ServerOptions = { ...DEFAULT_OPTIONS, ...given };
  const connections = new Set<Connection>();
  const flusher = new Flusher();
  const ctx: ServerContext = {
    options,
    registry: new pieces.Registry(),
    names,
    loginLock: new pieces.Mutex(),
    pieces,
    get connectionCount() {
      return connections.size;
    },
  };
  // Rooms, away/busy and history (lessons 12–14), when they run: see extensions.ts.
  const extensions = new Extensions(ctx, pieces, log);
  let shuttingDown = false;

  function onConnection(socket: Socket): void {
    try {
      serve(socket);
    } catch (err) {
      // A piece that throws costs this one connection, never the server.
      log(`A server piece threw while accepting a connection: ${(err as Error).stack ?? err}`);
      socket.destroy();
    }
  }

  // Every write to a socket: history's messages are committed first (write, then send).
  function write(socket: Socket, data: string): boolean {
    extensions.beforeWrite();
    return pieces.writeBounded(socket, data, options.maxQueuedBytes); // lesson 9
  }

  function serve(socket: Socket): void {
    const client = new Connection(socket, flusher, write, depart);
    const queue: string[] = [];
    let busy = false;
    let idleActions: (() => void)[] = [];
    // Runs `then` once every line received so far has been answered.
    const whenIdle = (then: () => void) => {
      if (busy || queue.length > 0) idleActions.push(then);
      else then();
    };

    // Lesson 8: errors, resets and half-closes.
    pieces.watchEnds(socket, client, whenIdle);
    if (shuttingDown) return client.close();
    connections.add(client);
    socket.on('close', () => connections.delete(client));
    const clientCtx = extensions.contextFor(client); // the registry as this client's room sees it

    // Lesson 5: `hello` and the handshake timeout, or SERVER_FULL if we hold too many already.
    pieces.admit(client, clientCtx);
    if (client.closed) return;

    const decoder = new pieces.LineDecoder(options.maxLineBytes);
    const limiter = options.rateLimit && new pieces.RateLimiter(options.rateLimit.burst, options.rateLimit.perSecond);

    // Lines run strictly one after another, even when one (the handshake) awaits:
    // a name and a first chat line in one packet must still mean join, then chat.
    async function processQueue(): Promise<void> {
      busy = true;
      try {
        for (let line = queue.shift(); line !== undefined && !client.closed; line = queue.shift()) {
          if (client.name === '') {
            await pieces.handshake(client, line, clientCtx);
            if (client.name !== '' && !client.closed) extensions.welcomed(client);
          } else if (limiter && !limiter.take()) {
            client.sendEvent({ type: 'error', code: 'RATE_LIMITED', text: 'Slow down: that line was dropped.' });
          } else if (!extensions.command(client, line, clientCtx)) {
            extensions.answer(client, line, clientCtx, () => pieces.handleLine(client, line, clientCtx));
          }
        }
      } catch (err) {
        log(`A server piece threw while handling connection ${client.id}: ${(err as Error).stack ?? err}`);
        client.close();
      } finally {
        busy = false;
      }
      const actions = idleActions;
      idleActions = [];
      for (const action of actions) action();
    }

    socket.on('data', (chunk: Buffer) => {
      if (client.closed) return;
      let lines: string[];
      let tooLong = false;
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof LineTooLongError)) {
          log(`The line decoder threw: ${(err as Error).stack ?? err}`);
          return client.close();
        }
        socket.pause(); // nothing after the long line counts
        lines = err.linesBefore;
        tooLong = true;
      }
      queue.push(...lines);
      if (!busy && queue.length > 0) void processQueue();
      // The good lines that came first are answered, then the long one is refused.
      if (tooLong) {
        whenIdle(() => {
          client.sendEvent({ type: 'error', code: 'LINE_TOO_LONG', text: `Lines may be at most ${options.maxLineBytes} bytes.` });
          client.close();
        });
      }
    });
  }

  // A client is gone the moment it quits, is dropped, or hangs up: others hear `leave` at once,
  // even while its socket is still flushing its last bytes.
  function depart(client: Connection): void {
    try {
      if (client.name !== '' && ctx.registry.find(client.name) === client) {
        ctx.registry.remove(client);
        extensions.depart(client, !shuttingDown); // its room (or everyone) hears `leave`
      }
    } catch (err) {
      log(`A server piece threw while connection ${client.id} was leaving: ${(err as Error).stack ?? err}`);
    }
  }

  const listening = await pieces.listen({ host: options.host, port: options.port }, onConnection);

  return {
    host: listening.host,
    port: listening.port,
    ctx,
    get connectionCount() {
      return connections.size;
    },
    async shutdown() {
      if (shuttingDown) return;
      shuttingDown = true;
      await pieces.shutdown(connections, () => listening.close()); // lesson 8
      extensions.close();
    },
  };
}
