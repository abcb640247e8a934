// The extensions' wiring (PROTOCOL.md, "Extensions"): how rooms (lesson 12) and away/busy
// (lesson 13) join a server whose lessons 1–11 pieces know nothing about them.
//
// Design. The lesson 5/6 pieces stay exactly as students wrote them: they send `welcome`
// and `users` with client.sendEvent(), and `join` and `chat` with ctx.registry.broadcast().
// Two questions decide what that means once extensions run, and the extension pieces
// answer both:
//   - who hears it: each client's pieces get a ctx whose registry is a view of that
//     client's room. names() lists the room, broadcast() tells the room (through the
//     rooms piece, which applies the presence limit), find() still searches everyone, so
//     a whisper crosses rooms. Without rooms, the view is the registry itself.
//   - what an event gains: every event sent with sendEvent passes through extend()
//     (hello gains `features`; welcome and users gain `room`, `count` and `statuses`;
//     room gains `statuses`), and a broadcast's join or chat gains `room`.
// Extension commands (/join /rooms /away /busy /back) reach their piece before handleLine;
// a feature that is off has no piece, so its commands fall through to lesson 6's
// UNKNOWN_COMMAND. With no features, every event is exactly version 1's (hello.features
// is []), at version 1's cost.
// Why not change the lesson 5/6 pieces to ask the rooms piece themselves: scoping would
// then be spread over three lessons, and a student's lesson 6 piece would have to know
// about rooms before lesson 12 teaches them. Here scoping lives in the rooms piece alone,
// and any lesson's piece combines with any other. The price is one JSON.parse per
// broadcast from a lesson 5/6 piece (not per recipient), and, with status on, one per
// reply to a user's own line (to spot a whisper to someone away). Neither is per
// recipient, so fan-out stays the same; `npm run bench` measures both.
// History (lesson 14) hooks in beside them, its wiring in history.ts: a chat passing
// through the view is recorded (keeping its ts); beforeWrite() commits before any socket
// write (write, then send); a user just welcomed or just moved gets the room's history;
// /history asks. Without rooms, the view exists only to see chat go by.
// Auth (lesson 15) stands in front of lesson 5's handshake, its wiring in auth.ts: a
// registered name's password line comes between the name and the welcome. History and
// auth share one open database; with --redis, both live in Redis instead (the server
// hands their stores over once the cluster's connection exists).
// Files (lesson 17) hook in the same way, their wiring in files.ts: /offer /accept /reject
// are commands, a user who leaves ends their transfers; a data connection's `/file` line is
// caught by the server before the handshake (server.ts, files.ts).
// Several servers (lesson 19, cluster.ts) put the users of other servers into the same
// registry and rooms, as members whose send() forwards: placeRemote, moveRemote,
// statusRemote and removeRemote below; a local /join or /away is told by each server to
// its own users.

import { encodeEvent, type ChatEvent, type Event, type Feature, type StatusEntry } from '../protocol.js';
import type { LeaveReason } from '../protocol.js';
import type { Cluster } from './cluster.js';
import type { Connection } from './connection.js';
import { Auth } from './auth.js';
import { Files } from './files.js';
import { History } from './history.js';
import { SqliteAccounts } from './sqlite-accounts.js';
import { openDatabase } from './sqlite.js';
import type { AccountStoreLike, Client, HistoryStoreLike, RegistryLike, RoomsLike, ServerContext, ServerPieces, SqlDatabase, StatusesLike } from './types.js';

export class Extensions {
  readonly features: Feature[];
  private readonly rooms: RoomsLike | undefined;
  private readonly statuses: StatusesLike | undefined;
  private history: History | undefined;
  /** Registered names and the password step (lesson 15), when auth runs (with --redis, once keepAccountsIn() is called). */
  auth: Auth | undefined;
  /** The database history and auth keep their rows in, open while the server runs. */
  private readonly db: SqlDatabase | undefined;
  /** Offers and transfers, when the files feature runs. */
  readonly files: Files | undefined;
  /** Several servers, one chat (lesson 19): set by the server when it runs with --redis. */
  cluster: Cluster | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly pieces: ServerPieces,
    log: (message: string) => void,
  ) {
    this.features = ctx.options.features;
    this.rooms = this.features.includes('rooms') ? new pieces.Rooms(ctx.options.presenceLimit) : undefined;
    this.statuses = this.features.includes('status') ? new pieces.Statuses() : undefined;
    // With --redis, history and accounts live in Redis: their stores come later
    // (keepHistoryIn, keepAccountsIn).
    const withHistory = this.features.includes('history') && ctx.options.redis === '';
    const withAuth = this.features.includes('auth') && ctx.options.redis === '';
    this.db = withHistory || withAuth ? openDatabase(ctx.options.db) : undefined;
    try {
      this.history = withHistory ? History.open(this.db!, pieces, !!this.rooms, log) : undefined;
      if (withAuth) this.keepAccountsIn(new SqliteAccounts(this.db!), log);
    } catch (err) {
      this.db?.close();
      throw err;
    }
    this.files = this.features.includes('files') ? new Files(ctx, new pieces.FileRelay(), log) : undefined;
  }

  /** History kept in `store` (Redis, lesson 19) instead of SQLite; set before any client connects. */
  keepHistoryIn(store: HistoryStoreLike, log: (message: string) => void): void {
    if (this.features.includes('history')) this.history = History.over(store, !!this.rooms, log);
  }

  /** Accounts kept in `store` (SQLite, or Redis with --redis); set before any client connects. */
  keepAccountsIn(store: AccountStoreLike, log: (message: string) => void): void {
    if (this.features.includes('auth')) this.auth = new Auth(new this.pieces.Accounts(store), log);
  }

  /** The context one client's pieces see: its registry is the client's room. */
  contextFor(client: Connection): ServerContext {
    client.extensions = this;
    return this.scopedContext(client);
  }

  /** A context whose registry is the client's room (or one that watches chat); a user of another server's too. */
  private scopedContext(client: Client): ServerContext {
    const { registry } = this.ctx;
    if (this.rooms) return new RoomContext(this.ctx, new RoomView(registry, this.rooms, client, this.history));
    return this.history ? new RoomContext(this.ctx, new ChatWatch(registry, this.history)) : this.ctx;
  }

  /**
   * Runs an extension command and returns true, or false for a line that is not one. A
   * command that takes time (/register hashes a password) returns a promise of its answer.
   */
  command(client: Connection, line: string, ctx: ServerContext): boolean | Promise<true> {
    const [, name = '', args = ''] = /^\/(\S+)\s*(.*)$/s.exec(line.trim()) ?? [];
    if (name === '' || name.startsWith('/')) return false;
    const lower = name.toLowerCase();
    const { rooms, history } = this;
    const room = rooms?.roomOf(client);
    // With other servers, each tells its own users of a move: ours is not forwarded.
    const cluster = this.cluster;
    const ran = rooms && (cluster ? cluster.quietly(() => rooms.command(client, lower, args, ctx)) : rooms.command(client, lower, args, ctx));
    if (rooms && ran) {
      const now = rooms.roomOf(client);
      if (now !== room) cluster?.moved(client, now);
      if (history && now !== room) history.replay(client, now); // after `room`, the new room's history
      return true;
    }
    const statuses = this.statuses;
    // With other servers, a status change is published as one (cluster.ts), not forwarded as lines.
    const changed = statuses && (cluster ? cluster.quietly(() => statuses.command(client, lower, args, ctx)) : statuses.command(client, lower, args, ctx));
    if (changed) {
      cluster?.statusChanged(client);
      return true;
    }
    return (
      (history?.command(client, lower, args, room) ?? false) ||
      (this.auth?.command(client, lower, args) ?? false) ||
      (this.files?.command(client, lower, args) ?? false)
    );
  }

  /** A client whose name was just accepted (its welcome is sent): its room's history. */
  welcomed(client: Client): void {
    this.history?.replay(client, this.rooms?.roomOf(client));
    this.cluster?.welcomed(client);
  }

  /** Called before the server writes to any socket: write, then send (history.ts). */
  beforeWrite(): void {
    this.history?.commitPending();
  }

  /** The server has stopped: what history holds is committed and the database closed. */
  close(): void {
    this.files?.close();
    this.history?.close();
    this.db?.close();
  }

  /**
   * Answers one line of a logged-in client with lesson 6's handleLine, and adds what the
   * extensions add to its replies: a whisper to someone away brings a notice.
   */
  answer(client: Connection, line: string, ctx: ServerContext, handleLine: () => void): void {
    const statuses = this.statuses;
    if (!statuses) return handleLine();
    const whisperedTo: string[] = [];
    // Only the replies to this one line pass here (chat never comes back to its sender),
    // so reading each costs little.
    client.onReply = (reply) => {
      const event = JSON.parse(reply) as Event;
      if (event.type === 'whisper' && event.from === client.name) whisperedTo.push(event.to);
    };
    try {
      handleLine();
    } finally {
      client.onReply = undefined;
    }
    for (const name of whisperedTo) {
      const target = ctx.registry.find(name);
      const text = target && statuses.whisperNotice(target);
      if (text) client.sendEvent({ type: 'info', text });
    }
  }

  /** A logged-in client is gone: out of its room, and (unless the server is stopping) its room hears `leave`. */
  depart(client: Client & { leaveReason: LeaveReason }, announce: boolean): void {
    this.files?.depart(client); // the other side of each of its transfers hears `gone`
    const leave = { type: 'leave', user: client.name, reason: client.leaveReason } as const;
    if (!this.rooms) {
      if (announce) this.ctx.registry.broadcast(encodeEvent(leave));
      return;
    }
    const room = this.rooms.exit(client);
    if (announce) this.rooms.tell(room, { ...leave, room });
  }

  /** The room a logged-in client (or a user of another server) is in; undefined without rooms. */
  roomOf(client: Client): string | undefined {
    return this.rooms?.roomOf(client);
  }

  /** A user of another server (lesson 19) comes in; with `announce`, its room hears `join`. */
  placeRemote(member: Client, room: string | undefined, announce: boolean): void {
    this.ctx.registry.add(member);
    const rooms = this.rooms;
    if (!rooms) {
      if (announce) this.ctx.registry.broadcast(encodeEvent({ type: 'join', user: member.name }), member);
      return;
    }
    rooms.enter(member);
    if (room !== undefined && room !== rooms.roomOf(member)) rooms.command(member, 'join', room, this.ctx);
    if (announce) rooms.tell(rooms.roomOf(member), { type: 'join', user: member.name, room: rooms.roomOf(member) }, member);
  }

  /** A user of another server moved: this server's users hear it as they would a local move. */
  moveRemote(member: Client, room: string): void {
    this.rooms?.command(member, 'join', room, this.ctx);
  }

  /** A user of another server is gone; with `announce`, its room hears `leave`. */
  removeRemote(member: Client & { leaveReason: LeaveReason }, announce: boolean): void {
    this.ctx.registry.remove(member);
    this.depart(member, announce);
  }

  /** A user's status, when the status feature runs and the user is not online. */
  statusOf(client: Client): StatusEntry | undefined {
    return this.statuses?.statusesOf([client.name], this.ctx)[client.name];
  }

  /**
   * A user of another server changed status (or holds one we did not know): set here, as
   * its own /away, /busy or /back would, so that lists and whisper notices show it; its
   * room on this server hears `status`.
   */
  statusRemote(member: Client, entry: StatusEntry): void {
    const command = entry.status === 'online' ? 'back' : entry.status;
    this.statuses?.command(member, command, entry.note ?? '', this.scopedContext(member));
  }

  /** What an event sent to `client` gains from the extensions that run. */
  extend(client: Client, event: Event): Event {
    switch (event.type) {
      case 'hello':
        return { ...event, features: this.features };
      case 'welcome':
      case 'users': {
        const room = this.rooms && this.rooms.roomOf(client);
        const count = room === undefined ? undefined : this.rooms!.listing(room).count;
        return {
          ...event,
          ...(room !== undefined && { room }),
          ...(count !== undefined && { count }),
          ...this.statusesField(event.users),
        };
      }
      case 'room':
        return { ...event, ...this.statusesField(event.users) };
      default:
        return event;
    }
  }

  private statusesField(users: readonly string[]): { statuses?: ReturnType<StatusesLike['statusesOf']> } {
    return this.statuses ? { statuses: this.statuses.statusesOf(users, this.ctx) } : {};
  }
}

/** The registry as one client's pieces see it: its room. Small, since every connection has one. */
class RoomView implements RegistryLike<Client> {
  constructor(
    private readonly registry: RegistryLike<Client>,
    private readonly rooms: RoomsLike,
    private readonly client: Client,
    private readonly history: History | undefined,
  ) {}

  add(member: Client): void {
    this.registry.add(member);
    this.rooms.enter(member);
  }

  remove(member: Client): void {
    this.registry.remove(member); // the room is left in Extensions.depart()
  }

  /** Everyone, in any room: a whisper crosses rooms. */
  find(name: string): Client | undefined {
    return this.registry.find(name);
  }

  names(): string[] {
    return this.rooms.listing(this.rooms.roomOf(this.client)).users;
  }

  get size(): number {
    return this.registry.size;
  }

  broadcast(line: string, except?: Client): void {
    const room = this.rooms.roomOf(this.client);
    // The event keeps its ts: history stores the ts of the very chat it delivered.
    const event = JSON.parse(line) as Event & { ts: number };
    if (event.type === 'join' || event.type === 'chat') event.room = room;
    if (this.history && event.type === 'chat') this.history.record(event, room);
    this.rooms.tell(room, event, except);
  }
}

/** History without rooms: the registry itself, with each chat recorded on its way out. */
class ChatWatch implements RegistryLike<Client> {
  constructor(
    private readonly registry: RegistryLike<Client>,
    private readonly history: History,
  ) {}

  add(member: Client): void {
    this.registry.add(member);
  }

  remove(member: Client): void {
    this.registry.remove(member);
  }

  find(name: string): Client | undefined {
    return this.registry.find(name);
  }

  names(): string[] {
    return this.registry.names();
  }

  get size(): number {
    return this.registry.size;
  }

  broadcast(line: string, except?: Client): void {
    if (line.startsWith('{"type":"chat"')) this.history.record(JSON.parse(line) as ChatEvent & { ts: number });
    this.registry.broadcast(line, except);
  }
}

/** The server's context with the registry swapped for a view of it (a room's, or one that watches chat). */
class RoomContext implements ServerContext {
  constructor(
    private readonly base: ServerContext,
    readonly registry: RegistryLike<Client>,
  ) {}
  get options() {
    return this.base.options;
  }
  get names() {
    return this.base.names;
  }
  get loginLock() {
    return this.base.loginLock;
  }
  get pieces() {
    return this.base.pieces;
  }
  get connectionCount() {
    return this.base.connectionCount;
  }
  connectionsFrom(address: string): number {
    return this.base.connectionsFrom(address);
  }
}
