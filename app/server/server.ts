// The chat server's wiring: it owns the connections and their life cycle, and calls
// each lesson's piece at the right moment. Read it top to bottom to see a connection
// live: accepted → admitted (hello) → lines → handshake → commands and chat → gone (leave).

import type { Socket } from 'node:net';
import { LineTooLongError, type Event } from '../protocol.js';
import { Connection } from './connection.js';
import { Cluster } from './cluster.js';
import { Extensions } from './extensions.js';
import { describeThrown, type ActivityLog } from './log.js';
import { reservedNames } from './name-store.js';
import { RedisAccounts } from './redis-accounts.js';
import { DEFAULT_OPTIONS, type FlusherLike, type NameStore, type ServerContext, type ServerOptions, type ServerPieces } from './types.js';

export interface ChatServer {
  readonly host: string;
  readonly port: number;
  readonly ctx: ServerContext;
  /** Connections open now, logged in or not. */
  readonly connectionCount: number;
  /** Stops accepting, sends `shutdown` to everyone, closes every connection. */
  shutdown(): Promise<void>;
  /** Lesson 17: bytes the file relay holds now (read from senders, not yet handed to the system for receivers); 0 without files. */
  relayHeldBytes(): number;
}

export interface StartOptions extends Partial<ServerOptions> {
  /** Where names are checked; tests pass a slow one to provoke races. */
  names?: NameStore;
  /** Where the server reports a piece that threw (default: stderr). */
  log?: (message: string) => void;
  /** Where the server tells of each connection, login, leave and refusal (default: nowhere). */
  activity?: ActivityLog;
}

/** A connection, with what the activity log tells of it: the name it tried, the error that refused it. */
class LoggedConnection extends Connection {
  triedName: string | undefined;
  refusal = '';
  override sendEvent(event: Event): void {
    if (event.type === 'error' && this.name === '') this.refusal = event.code;
    super.sendEvent(event);
  }
}


export async function startChatServer(start: StartOptions, pieces: ServerPieces): Promise<ChatServer> {
  const { names = reservedNames, log = (m: string) => console.error(m), activity, ...given } = start;
  const options: ServerOptions = { ...DEFAULT_OPTIONS, ...given };
  const connections = new Set<Connection>();
  /** How many of the open connections come from each remote address (maxPerAddress). */
  const perAddress = new Map<string, number>();
  /** Addresses refused at their limit: when that was last logged, and how often since. */
  const refusals = new Map<string, { loggedAt: number; unlogged: number }>();
  const flusher = new pieces.Flusher(); // lesson 18: one write per connection per turn
  // The flusher runs each outbox's flush() outside any handler (in a setImmediate of its own):
  // one that throws there would end the process, so it is caught and logged instead.
  const guardedFlusher: FlusherLike = {
    request: (target) =>
      flusher.request({
        flush() {
          try {
            target.flush();
          } catch (err) {
            log(`A server piece threw while flushing a connection's lines: ${describeThrown(err)}`);
          }
        },
      }),
  };
  /** The pieces as the server runs them: the given ones (lesson 19 wraps the claim of a name). */
  const served: ServerPieces = { ...pieces };
  const ctx: ServerContext = {
    options,
    registry: new pieces.Registry(),
    names,
    loginLock: new pieces.Mutex(),
    pieces: served,
    get connectionCount() {
      return connections.size;
    },
    connectionsFrom(address) {
      return perAddress.get(address) ?? 0;
    },
  };
  // Rooms, away/busy and history (lessons 12–14), when they run: see extensions.ts.
  const extensions = new Extensions(ctx, pieces, log);
  // Several servers, one chat (lesson 19): names claimed in Redis first, remote users in the registry.
  const cluster = options.redis === '' ? undefined : await Cluster.start(ctx, extensions, log);
  if (cluster) {
    extensions.cluster = cluster;
    extensions.keepAccountsIn(new RedisAccounts(cluster.commands), log); // registered names, shared by every server
    served.claimName = cluster.claimName(pieces.claimName);
  }
  let shuttingDown = false;

  function onConnection(socket: Socket): void {
    try {
      serve(socket);
    } catch (err) {
      // A piece that throws costs this one connection, never the server.
      log(`A server piece threw while accepting a connection: ${describeThrown(err)}`);
      socket.destroy();
    }
  }

  function serve(socket: Socket): void {
    const client = new LoggedConnection(socket, (out) => new pieces.Outbox(out, guardedFlusher), write, depart);
    if (activity) activity(`#${client.id} connected from ${socket.remoteAddress}:${socket.remotePort}`);
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
    countFrom(client.address, +1);
    // 'close' comes however a connection ends (quit, error, timeout, hang-up, reset): the counts stay true.
    socket.on('close', () => {
      connections.delete(client);
      countFrom(client.address, -1);
    });

    // Lesson 5: `hello` and the handshake timeout, or SERVER_FULL if we hold too many already.
    const clientCtx = extensions.contextFor(client); // the registry as this client's room sees it
    pieces.admit(client, clientCtx);
    if (client.closed) return noteRefused(client.address);

    const decoder = new pieces.LineDecoder(options.maxLineBytes);
    const limiter = options.rateLimit && new pieces.RateLimiter(options.rateLimit.burst, options.rateLimit.perSecond);

    // Lines run strictly one after another, even when one (the handshake) awaits:
    // a name and a first chat line in one packet must still mean join, then chat.
    async function processQueue(): Promise<void> {
      busy = true;
      try {
        for (let line = queue.shift(); line !== undefined && !client.closed; line = queue.shift()) {
          if (client.name === '') {
            // auth (lesson 15): a registered name's password line comes first (auth.ts). Never logged.
            if (!extensions.auth?.awaitsPassword(client)) client.triedName = line.trim();
            const name = extensions.auth ? await extensions.auth.beforeHandshake(client, line, clientCtx) : line;
            if (name === undefined) continue;
            await pieces.handshake(client, name, clientCtx);
            if (activity && client.name !== '') activity(`#${client.id} logged in as ${client.name} (${ctx.registry.size} online)`);
            if (client.name !== '' && !client.closed) extensions.welcomed(client);
          } else if (limiter && !limiter.take()) {
            client.sendEvent({ type: 'error', code: 'RATE_LIMITED', text: 'Slow down: that line was dropped.' });
          } else {
            const handled = extensions.command(client, line, clientCtx);
            if (handled instanceof Promise) await handled; // its answer before the next line's
            else if (!handled) extensions.answer(client, line, clientCtx, () => pieces.handleLine(client, line, clientCtx));
          }
        }
      } catch (err) {
        log(`A server piece threw while handling connection ${client.id}: ${describeThrown(err)}`);
        client.close();
      } finally {
        busy = false;
      }
      const actions = idleActions;
      idleActions = [];
      for (const action of actions) action();
    }

    // Lesson 17: the raw bytes up to the first newline, kept while a first line could still
    // be `/file <token>` (files.ts explains the hand-over).
    const files = extensions.files;
    let head: Buffer[] | undefined = files ? [] : undefined;

    socket.on('data', function onData(chunk: Buffer) {
      if (client.closed) return;
      let lines: string[];
      let tooLong = false;
      head?.push(chunk);
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof LineTooLongError)) {
          log(`The line decoder threw: ${describeThrown(err)}`);
          return client.close();
        }
        socket.pause(); // nothing after the long line counts
        lines = err.linesBefore;
        tooLong = true;
      }
      if (head && lines.length > 0) {
        const token = files!.tokenOf(lines[0]!);
        if (token !== undefined) {
          // A data connection: its socket leaves the line decoder, with the bytes after its first line.
          socket.off('data', onData);
          const raw = Buffer.concat(head);
          return files!.attach(client, token, raw.subarray(raw.indexOf(0x0a) + 1));
        }
        head = undefined;
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

  // Lesson 9's writeBounded() queues each client's bytes; one that throws costs that client
  // its connection (logged), never the server: the flusher calls it outside any handler.
  // History's messages are committed first: write, then send (history.ts).
  function write(socket: Socket, line: string): boolean {
    extensions.beforeWrite();
    try {
      return pieces.writeBounded(socket, line, options.maxQueuedBytes);
    } catch (err) {
      log(`A server piece threw while writing to a connection: ${describeThrown(err)}`);
      socket.destroy();
      return true;
    }
  }

  function countFrom(address: string, change: 1 | -1): void {
    const count = (perAddress.get(address) ?? 0) + change;
    if (count > 0) {
      perAddress.set(address, count);
    } else {
      perAddress.delete(address);
      refusals.delete(address);
    }
  }

  // One machine trying to take every slot (lesson 9) shows in the log. An attacker may try
  // thousands of times, so each address's refusals are logged once a minute at most.
  function noteRefused(address: string): void {
    const max = options.maxPerAddress;
    if (max === 0 || ctx.connectionsFrom(address) <= max) return; // refused for another reason
    const now = Date.now();
    const seen = refusals.get(address);
    if (seen === undefined) {
      refusals.set(address, { loggedAt: now, unlogged: 0 });
      log(`Refusing connections from ${address}: it has ${max} open (--max-per-address ${max}).`);
    } else if (now - seen.loggedAt >= 60_000) {
      log(`Still refusing connections from ${address}: ${seen.unlogged + 1} more since the last report (--max-per-address ${max}).`);
      refusals.set(address, { loggedAt: now, unlogged: 0 });
    } else {
      seen.unlogged++;
    }
  }

  // A client is gone the moment it quits, is dropped, or hangs up: others hear `leave` at once,
  // even while its socket is still flushing its last bytes.
  function depart(client: Connection): void {
    if (activity) logDeparture(activity, client as LoggedConnection); // serve() makes every one so
    try {
      if (client.name !== '' && ctx.registry.find(client.name) === client) {
        ctx.registry.remove(client);
        cluster?.departed(client); // its name is free on every server
        extensions.depart(client, !shuttingDown); // its room (or everyone) hears `leave`
      }
    } catch (err) {
      log(`A server piece threw while connection ${client.id} was leaving: ${describeThrown(err)}`);
    }
  }

  function logDeparture(activity: ActivityLog, client: LoggedConnection): void {
    const who = `#${client.id}`;
    if (client.isDataConnection) return activity(`${who} data connection closed`);
    if (client.name !== '') return activity(`${who} ${client.name} left (${shuttingDown ? 'shutdown' : client.leaveReason})`);
    const attempt = client.triedName === undefined ? '' : ` as ${JSON.stringify(client.triedName)}`;
    activity(client.refusal ? `${who} refused${attempt}: ${client.refusal}` : `${who} closed before logging in${attempt}`);
  }

  // Lesson 16: the TLS handshake fails before any piece has the socket: one line, and on.
  function onHandshakeFailed(err: Error, socket: Socket): void {
    // A client that reset the connection took its address with it: Node no longer knows it.
    const who = socket.remoteAddress === undefined ? 'a client' : `${socket.remoteAddress}:${socket.remotePort}`;
    activity?.(`TLS handshake failed with ${who}: ${handshakeFailure(err, options.handshakeTimeoutMs)}`);
  }

  const where = { host: options.host, port: options.port };
  const listening = await (options.tls
    ? pieces.listenTls({ ...where, ...options.tls, handshakeTimeoutMs: options.handshakeTimeoutMs }, onConnection, onHandshakeFailed) // lesson 16
    : pieces.listen(where, onConnection) // lesson 2
  ).catch(async (err: unknown) => {
    await cluster?.close(); // its Redis connections would keep a process that cannot listen alive
    throw err;
  });

  return {
    host: listening.host,
    port: listening.port,
    ctx,
    get connectionCount() {
      return connections.size;
    },
    relayHeldBytes() {
      return extensions.files?.heldBytes() ?? 0;
    },
    async shutdown() {
      if (shuttingDown) return;
      shuttingDown = true;
      await cluster?.close(); // the other servers hear it first: our users leave them now
      extensions.files?.close(); // data connections are the relay's: listening.close() would wait for them
      await pieces.shutdown(connections, () => listening.close()); // lesson 8
      extensions.close();
    },
  };
}

/** Why a TLS handshake failed, in words (OpenSSL's codes say it tersely). */
export function handshakeFailure(err: NodeJS.ErrnoException, timeoutMs: number): string {
  const code = err.code ?? '';
  // A client that distrusts our certificate just hangs up; over TLS 1.3 that shows as this too.
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return `no TLS handshake within ${timeoutMs} ms: a plain client (it needs --tls), or one that did not trust our certificate`;
  if (/WRONG_VERSION_NUMBER|HTTP_REQUEST|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL/.test(code)) return 'it does not speak TLS (a plain client: it needs --tls)';
  if (/ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE/.test(code)) return `the client does not accept our certificate (${err.message.replace(/^.*alert /, 'alert: ').split(':')[0]})`;
  if (code === 'ECONNRESET') return 'it hung up during the handshake: a TLS client that did not trust our certificate (it needs --ca), or a plain client (it needs --tls)';
  return err.message.split('\n')[0];
}
