// The chat server's wiring: it owns the connections and their life cycle, and calls
// each lesson's piece at the right moment. Read it top to bottom to see a connection
// live: accepted → hello → lines → handshake → commands and chat → close → leave.

import type { Socket } from 'node:net';
import { encodeEvent, LineTooLongError, PROTOCOL_VERSION, TEXTS } from '../protocol.js';
import { Connection } from './connection.js';
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

/** How long a refused connection may take to read its error before it is cut. */
const REFUSE_GRACE_MS = 1000;

export async function startChatServer(start: StartOptions, pieces: ServerPieces): Promise<ChatServer> {
  const { names = reservedNames, log = (m: string) => console.error(m), ...given } = start;
  const options: ServerOptions = { ...DEFAULT_OPTIONS, ...given };
  const ctx: ServerContext = {
    options,
    registry: new pieces.Registry(),
    names,
    loginLock: new pieces.Mutex(),
    pieces,
  };
  const connections = new Set<Connection>();
  let shuttingDown = false;

  function onConnection(socket: Socket): void {
    // Without an 'error' listener, one client's ECONNRESET would crash the whole server.
    socket.on('error', () => {});

    if (connections.size >= options.maxClients || shuttingDown) {
      // A real limit, enforced here; the listen backlog only queues connections not yet accepted.
      socket.end(encodeEvent({ type: 'error', code: 'SERVER_FULL', text: `Server is full (${options.maxClients} connections). Try again later.` }));
      setTimeout(() => socket.destroy(), REFUSE_GRACE_MS).unref();
      return;
    }

    const client = new Connection(socket, options.maxQueuedBytes, depart);
    connections.add(client);
    client.sendEvent({ type: 'hello', proto: PROTOCOL_VERSION, text: TEXTS.hello });

    const handshakeTimer = setTimeout(() => {
      client.sendEvent({ type: 'error', code: 'TIMEOUT', text: `No username within ${options.handshakeTimeoutMs / 1000} s.` });
      client.close();
    }, options.handshakeTimeoutMs);

    const decoder = new pieces.LineDecoder(options.maxLineBytes);
    const limiter = options.rateLimit && new pieces.RateLimiter(options.rateLimit.burst, options.rateLimit.perSecond);
    const queue: string[] = [];
    let busy = false;
    let peerEnded = false;

    // Lines run strictly one after another, even when one (the handshake) awaits:
    // a name and a first chat line in one packet must still mean join, then chat.
    async function processQueue(): Promise<void> {
      busy = true;
      try {
        for (let line = queue.shift(); line !== undefined && !client.closed; line = queue.shift()) {
          if (client.name === '') {
            await pieces.handshake(client, line, ctx);
            if (client.name !== '') clearTimeout(handshakeTimer);
          } else if (limiter && !limiter.take()) {
            client.sendEvent({ type: 'error', code: 'RATE_LIMITED', text: 'Slow down: that line was dropped.' });
          } else {
            pieces.handleLine(client, line, ctx);
          }
        }
      } catch (err) {
        log(`A server piece threw while handling connection ${client.id}: ${(err as Error).stack ?? err}`);
        client.close();
      } finally {
        busy = false;
      }
      // The client sent FIN after its last line: now that every reply is queued, close our side.
      if (peerEnded) client.close();
    }

    socket.on('data', (chunk: Buffer) => {
      if (client.closed) return;
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof LineTooLongError)) log(`The line decoder threw: ${(err as Error).stack ?? err}`);
        client.sendEvent({ type: 'error', code: 'LINE_TOO_LONG', text: `Lines may be at most ${options.maxLineBytes} bytes.` });
        client.close();
        return;
      }
      if (lines.length === 0) return;
      queue.push(...lines);
      if (!busy) void processQueue();
    });

    socket.on('end', () => {
      peerEnded = true;
      if (!busy) client.close();
    });

    socket.on('close', () => {
      clearTimeout(handshakeTimer);
      connections.delete(client);
    });
  }

  // A client is gone the moment it quits, is dropped, or hangs up: others hear `leave` at once,
  // even while its socket is still flushing its last bytes.
  function depart(client: Connection): void {
    if (client.name !== '' && ctx.registry.find(client.name) === client) {
      ctx.registry.remove(client);
      if (!shuttingDown) ctx.registry.broadcast(encodeEvent({ type: 'leave', user: client.name, reason: client.leaveReason }));
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
      const stopped = listening.close(); // stop accepting; resolves once every connection is gone
      const line = encodeEvent({ type: 'shutdown', text: TEXTS.shutdown });
      for (const client of connections) {
        client.send(line);
        client.close(); // flushes, then cuts any connection still open after a grace period
      }
      await stopped;
    },
  };
}
