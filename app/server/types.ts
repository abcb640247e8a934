// The shapes the server's pieces agree on. Each lesson's piece (in starter/ and
// solutions/) implements one of these; app/server/server.ts wires them together.
// Pieces never import each other: they reach one another through the context,
// so a suite can combine one student's piece with the reference for the rest.

import type { Socket } from 'node:net';
import type { Event, Feature, LeaveReason, StatusEntry } from '../protocol.js';

export interface ServerOptions {
  host: string;
  /** 0 picks a free port; the running server reports the one it got. */
  port: number;
  maxClients: number;
  /** Most connections open at once from one remote address, logged in or not; 0 means no limit. */
  maxPerAddress: number;
  maxLineBytes: number;
  handshakeTimeoutMs: number;
  maxQueuedBytes: number;
  /** `null` switches rate limiting off (for benchmarks). */
  rateLimit: { burst: number; perSecond: number } | null;
  /** The extensions this server runs (hello.features); [] is plain version 1. */
  features: Feature[];
  /** rooms: a room larger than this sends no join/leave and cuts its member lists. */
  presenceLimit: number;
  /** history: the SQLite database file, or ':memory:' to keep nothing on disk. */
  db: string;
  /** Several servers, one chat (lesson 19): the Redis they share, e.g. redis://127.0.0.1:6379; '' runs alone. */
  redis: string;
  /** Lesson 19: how long a claimed name is held without renewal; a dead server's names free this long after. */
  leaseMs: number;
}

export const DEFAULT_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  port: 5050,
  maxClients: 50,
  maxPerAddress: 10,
  maxLineBytes: 4096,
  handshakeTimeoutMs: 30_000,
  maxQueuedBytes: 1024 * 1024,
  rateLimit: { burst: 20, perSecond: 10 },
  features: ['rooms', 'status'], // and history, where node:sqlite exists (options.ts)
  presenceLimit: 500,
  db: ':memory:', // the command line's default is a file (options.ts)
  redis: '',
  leaseMs: 10_000,
};

// ── Lesson 2: listening ───────────────────────────────────────────────────────
export interface ListenOptions {
  host: string;
  port: number;
}
export interface Listening {
  /** The address actually bound; with port 0 this is the port the OS picked. */
  readonly host: string;
  readonly port: number;
  /** Stops accepting new connections at once; resolves once the last open connection has ended too. */
  close(): Promise<void>;
}
export type Listen = (options: ListenOptions, onConnection: (socket: Socket) => void) => Promise<Listening>;

// ── Lesson 3: who is online ───────────────────────────────────────────────────
/** What the registry needs to know about a client: its name and how to reach it. */
export interface Member {
  readonly name: string;
  /** Queues one encoded line (newline included) for this member. */
  send(line: string): void;
}
export interface RegistryLike<M extends Member = Member> {
  add(member: M): void;
  remove(member: M): void;
  /** Finds a member by name, without regard to case. */
  find(name: string): M | undefined;
  /** Every name online, sorted. */
  names(): string[];
  readonly size: number;
  /** Sends one encoded line to every member except `except`. */
  broadcast(line: string, except?: M): void;
}

// ── Lesson 4: framing ─────────────────────────────────────────────────────────
export interface LineDecoderLike {
  /**
   * Takes the next chunk of bytes; returns the complete lines it finished. Throws LineTooLongError
   * (whose linesBefore holds the lines this chunk finished before the long one).
   */
  push(chunk: Buffer): string[];
}

// ── Lesson 7: locks ───────────────────────────────────────────────────────────
export interface MutexLike {
  /** Runs `task` alone (one at a time, in the order asked), releases however it ends, and passes its value or error through. */
  runExclusive<T>(task: () => Promise<T> | T): Promise<T>;
}

/** Where names are checked: in a real server a database, so asking takes a round trip. */
export interface NameStore {
  isReserved(name: string): Promise<boolean>;
}

// ── Lesson 9: floods ──────────────────────────────────────────────────────────
export interface RateLimiterLike {
  /** Takes one token; false when the bucket is empty and the line must be dropped. */
  take(now?: number): boolean;
}

// ── The connection as every piece sees it ─────────────────────────────────────
export interface Client extends Member {
  readonly id: number;
  /** The remote IP address it connected from, as the socket reports it (e.g. '127.0.0.1'). */
  readonly address: string;
  /** '' until the handshake accepts a name. */
  name: string;
  /** True once the connection has closed or is closing: nothing more reaches it. */
  readonly closed: boolean;
  /** Encodes and queues one event. */
  sendEvent(event: Event): void;
  /** Flushes what is queued, then closes. `reason` is what others are told in `leave`. */
  close(reason?: LeaveReason): void;
}

export interface ServerContext {
  readonly options: ServerOptions;
  readonly registry: RegistryLike<Client>;
  readonly names: NameStore;
  /** Held while a name is checked and claimed (lesson 7). */
  readonly loginLock: MutexLike;
  readonly pieces: ServerPieces;
  /** Connections open now, logged in or not, including one being admitted. */
  readonly connectionCount: number;
  /** Connections open now from this remote address, logged in or not, including one being admitted. */
  connectionsFrom(address: string): number;
}

// ── Lesson 12: rooms (an extension) ──────────────────────────────────────────
/** A room's members as events list them: sorted, cut at the presence limit, `count` only when cut. */
export interface Listing {
  users: string[];
  count?: number;
}
export interface RoomsLike {
  /** The room a logged-in client is in. */
  roomOf(client: Client): string;
  /** A client that has just logged in: into the lobby. */
  enter(client: Client): void;
  /** A client that is gone: out of its room (which vanishes once empty, unless it is the lobby). Returns that room. */
  exit(client: Client): string;
  /** Sends `event` to the members of `room` but `except`; a join or leave only while the room is within the presence limit. */
  tell(room: string, event: Event, except?: Client): void;
  listing(room: string): Listing;
  /** Runs /join or /rooms (`name` in lower case) and returns true; false for any other command. */
  command(client: Client, name: string, args: string, ctx: ServerContext): boolean;
}

// ── Lesson 13: away and busy (an extension) ──────────────────────────────────
export interface StatusesLike {
  /** Runs /away, /busy or /back (`name` in lower case) and returns true; false for any other command. */
  command(client: Client, name: string, args: string, ctx: ServerContext): boolean;
  /** The `statuses` field for a list of names: an entry for each one who is not online. */
  statusesOf(names: readonly string[], ctx: ServerContext): Record<string, StatusEntry>;
  /** What the sender of a whisper to `to` is told besides ("bob is away: lunch"), or undefined. */
  whisperNotice(to: Client): string | undefined;
}

// ── Lesson 14: history that survives a crash (an extension) ──────────────────
/** One chat message as history keeps it: `ts` is the ts of the chat event that delivered it. */
export interface StoredMessage {
  room: string;
  from: string;
  text: string;
  ts: number;
}
/** A value SQLite stores or returns. */
export type SqlValue = string | number | bigint | null | Uint8Array;
/** The part of node:sqlite's StatementSync the history store uses: a prepared statement. */
export interface SqlStatement {
  /** Runs it with these values for its `?` placeholders. */
  run(...params: SqlValue[]): unknown;
  /** Runs a query with these values for its `?` placeholders: every row, as an object per row. */
  all(...params: SqlValue[]): Record<string, SqlValue>[];
}
/** The part of node:sqlite's DatabaseSync (Node 22.13+) the history store uses. */
export interface SqlDatabase {
  /** Runs one or more SQL statements that take no values (CREATE, PRAGMA, BEGIN, COMMIT). */
  exec(sql: string): void;
  /** Compiles one statement once, to run many times with different values. */
  prepare(sql: string): SqlStatement;
  close(): void;
}
export interface HistoryStoreLike {
  /** Keeps one chat message, to be written by the next commit(). */
  add(message: StoredMessage): void;
  /**
   * Writes every message added since the last commit in one transaction. When it returns,
   * they are in the database file: the server calls it before it writes to any socket.
   */
  commit(): void;
  /** The last `n` messages of `room` (committed ones), oldest first. */
  recent(room: string, n: number): StoredMessage[];
}

// ── Lesson 19: several servers, one chat (Redis) ─────────────────────────────
/** The Redis key that says which server holds a name: this prefix, then the name in lower case. */
export const NAME_KEY_PREFIX = 'chat:name:';
/** The one publish/subscribe channel every server of a chat publishes on and listens to. */
export const CLUSTER_CHANNEL = 'chat:events';
/** The part of a Redis client (ioredis's Redis) the cluster link uses: one command connection. */
export interface RedisCommands {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
  get(key: string): Promise<string | null>;
  /** Runs a Lua script inside Redis, atomically: nothing else runs while it does. */
  eval(script: string, numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
}
/** A Redis connection in subscriber mode: once subscribed, it only listens. */
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
}
export interface ClusterLinkLike {
  /** Claims `name` for this server, for one lease, atomically; false when another server holds it. */
  claim(name: string): Promise<boolean>;
  /** Extends the lease on each name this server holds (taking back one Redis lost); returns those held elsewhere now. */
  renew(names: readonly string[]): Promise<string[]>;
  /** Gives a name back, only if this server holds it. */
  release(name: string): Promise<void>;
  /** Sends one message to every server of the chat. */
  publish(message: string): Promise<void>;
  /** Calls `onMessage` with every message published on the channel, in order; resolves once subscribed. */
  subscribe(onMessage: (message: string) => void): Promise<void>;
}

/** What claiming a name came to; 'gone' means the client left while we checked. */
export type ClaimOutcome = 'ok' | 'taken' | 'reserved' | 'gone';

/** Everything a student writes for the server, one entry per lesson piece. */
export interface ServerPieces {
  listen: Listen;                                                                  // lesson 2
  Registry: new () => RegistryLike<Client>;                                        // lesson 3
  LineDecoder: new (maxLineBytes: number) => LineDecoderLike;                      // lesson 4
  admit: (client: Client, ctx: ServerContext) => void;                             // lesson 5
  handshake: (client: Client, line: string, ctx: ServerContext) => Promise<void>;  // lesson 5
  handleLine: (client: Client, line: string, ctx: ServerContext) => void;          // lesson 6
  Mutex: new () => MutexLike;                                                      // lesson 7
  claimName: (client: Client, name: string, ctx: ServerContext) => Promise<ClaimOutcome>; // lesson 7
  watchEnds: (socket: Socket, client: Client, whenIdle: (then: () => void) => void) => void; // lesson 8
  shutdown: (clients: Iterable<Client>, stopAccepting: () => Promise<void>) => Promise<void>; // lesson 8
  stopOnSignals: (stop: () => Promise<void>) => void;                              // lesson 8
  writeBounded: (socket: Socket, line: string, maxQueuedBytes: number) => boolean; // lesson 9
  RateLimiter: new (burst: number, perSecond: number) => RateLimiterLike;          // lesson 9
  stripControl: (text: string) => string;                                          // lesson 9
  Rooms: new (presenceLimit: number) => RoomsLike;                                 // lesson 12
  Statuses: new () => StatusesLike;                                                // lesson 13
  HistoryStore: new (db: SqlDatabase) => HistoryStoreLike;                         // lesson 14
  ClusterLink: new (redis: RedisCommands, subscriber: RedisSubscriber, serverId: string, leaseMs: number) => ClusterLinkLike; // lesson 19
}
