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
  /** history and auth: the SQLite database file, or ':memory:' to keep nothing on disk. */
  db: string;
  /** TLS (lesson 16): the certificate and key, in PEM, to speak TLS on the port; null for plain TCP. */
  tls: TlsIdentity | null;
  /** files: the largest file a user may offer, in bytes. */
  maxFileBytes: number;
  /** files: how long an offer waits for /accept or /reject (PROTOCOL.md: 60 s; suites shorten it). */
  offerTimeoutMs: number;
  /** files: how long after /accept both data connections may take to open (30 s; suites shorten it). */
  dataConnectTimeoutMs: number;
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
  tls: null,
  maxFileBytes: 64 * 1024 * 1024,
  offerTimeoutMs: 60_000,
  dataConnectTimeoutMs: 30_000,
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

// ── Lesson 15: passwords (an extension) ──────────────────────────────────────
/** One registered account as a store keeps it: what checks a password, never the password. */
export interface AccountRow {
  /** The name as it was registered (what `welcome` shows). */
  name: string;
  /** Fresh random bytes for this account, hashed with its password. */
  salt: Buffer;
  /** scrypt(password, salt) with the cost below. */
  hash: Buffer;
  /** scrypt's cost the hash was made with: N (a power of two), r and p. */
  N: number;
  r: number;
  p: number;
}
/**
 * Where the accounts' rows are kept: SQLite, in the same database as history
 * (app/server/sqlite-accounts.ts), or Redis with --redis (app/server/redis-accounts.ts).
 * Names are matched without regard to case in both.
 */
export interface AccountStoreLike {
  /** The row of `name`, in any case of it; undefined when nobody registered it. */
  find(name: string): Promise<AccountRow | undefined>;
  /**
   * Adds a row in one atomic step: false, and nothing written, when its name (in any
   * case) has a row already, even one added a moment ago by another server.
   */
  insert(row: AccountRow): Promise<boolean>;
}
/** The registered names and their password hashes, kept in a store. */
export interface AccountsLike {
  /** The name as it was registered, for any case of it; undefined when nobody registered it. */
  registeredName(name: string): Promise<string | undefined>;
  /** Registers `name`, keeping only a salted scrypt hash of `password`; false when the name is registered already. */
  register(name: string, password: string): Promise<boolean>;
  /**
   * A login's password check, called the moment the password line arrives: true when it is
   * right. False when it is wrong, or, unchecked, when the name has had 5 wrong passwords in
   * the last 60 s; a false never comes sooner than 500 ms after the call.
   */
  checkPassword(name: string, password: string): Promise<boolean>;
}
// ── Lesson 16: TLS ────────────────────────────────────────────────────────────
/** What a TLS server proves who it is with: its certificate, and the private key that matches it (PEM). */
export interface TlsIdentity {
  cert: string;
  key: string;
}
export interface TlsListenOptions extends ListenOptions, TlsIdentity {
  /** A connection that has not finished the TLS handshake within this time is closed. */
  handshakeTimeoutMs: number;
}
/**
 * Like Listen, over TLS: `onConnection` gets each connection once its TLS handshake is done
 * (a TLSSocket: the same socket API, encrypted underneath); `onHandshakeFailed` gets each one
 * whose handshake failed or took too long (the server logs it and carries on; the piece
 * closes that socket).
 */
export type ListenTls = (
  options: TlsListenOptions,
  onConnection: (socket: Socket) => void,
  onHandshakeFailed: (error: Error, socket: Socket) => void,
) => Promise<Listening>;
// ── Lesson 17: sending a file (an extension) ─────────────────────────────────
/** How a transfer's bytes ended: all of them and the hash right, too few or too many, or a wrong hash. */
export type RelayOutcome = 'done' | 'incomplete' | 'corrupt';
/** A transfer its recipient accepted, as the wiring (app/server/files.ts) hands it to the relay. */
export interface AcceptedTransfer {
  readonly id: string;
  /** The sender's one-use token: the data connection that sends `/file <sendToken>` writes the bytes. */
  readonly sendToken: string;
  /** The recipient's: the data connection that sends `/file <receiveToken>` gets the bytes. */
  readonly receiveToken: string;
  /** Exactly this many bytes must pass. */
  readonly size: number;
  /** The SHA-256 of the content, as the sender announced it: 64 lower-case hex digits. */
  readonly sha256: string;
  /** Called once, when the transfer has ended, with how. Never after cancel(). */
  ended(outcome: RelayOutcome): void;
}
export interface FileRelayLike {
  /** A transfer was accepted: from now on its two tokens are good, once each. */
  expect(transfer: AcceptedTransfer): void;
  /**
   * A data connection's first line was `/file <token>`. The socket is paused, and the bytes
   * that came right after that line are back in it (unshift): read it like any stream.
   * Returns false, taking nothing, for a token that is unknown or already used.
   */
  attach(token: string, socket: Socket): boolean;
  /** Ends a transfer early (it expired, a user left): its tokens die, its data connections close, `ended` is not called. */
  cancel(id: string): void;
}
// ── Lesson 18: one write per turn (batching) ─────────────────────────────────
/** Something with text gathered to write out. */
export interface Flushable {
  /** Writes out what it has gathered now, if anything. */
  flush(): void;
}
/** Runs the gathered writes of every connection that asked, together, once per turn of the loop. */
export interface FlusherLike {
  /** Has `target` flushed in the next pass (once, however often it asks). */
  request(target: Flushable): void;
}
/** One connection's outgoing lines, gathered during a turn and written out together. */
export interface OutboxLike extends Flushable {
  /** Gathers one encoded line (newline included); it is written out by the end of the turn. */
  add(line: string): void;
}
/** Hands text to the connection's socket (lesson 9's writeBounded; a client too slow is dropped). */
export type WriteOut = (data: string) => void;
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
  Accounts: new (store: AccountStoreLike, now?: () => number) => AccountsLike;     // lesson 15
  listenTls: ListenTls;                                                            // lesson 16
  FileRelay: new () => FileRelayLike;                                              // lesson 17
  Outbox: new (write: WriteOut, flusher: FlusherLike) => OutboxLike;               // lesson 18
  Flusher: new () => FlusherLike;                                                  // lesson 18
  ClusterLink: new (redis: RedisCommands, subscriber: RedisSubscriber, serverId: string, leaseMs: number) => ClusterLinkLike; // lesson 19
}
