// Several servers, one chat (PROTOCOL.md, "Several servers, one chat"): the wiring around
// lesson 19's piece, the ClusterLink, which talks to Redis (claim, renew, release, publish,
// subscribe).
//
// Design. Sockets cannot be shared between processes; what is shared is who is online and
// every line that must cross. Each server keeps, for every user of another server, a
// RemoteMember: a Client whose send() forwards the line to that user's server. Remote
// members sit in this server's own registry (lesson 3) and rooms (lesson 12) beside the
// local connections, so every piece works unchanged across servers: a broadcast reaches
// them, find() finds them (a whisper crosses, lesson 7's check sees them taken), names()
// and /rooms count them, the presence limit sees a room's true size.
//   - forwarding: what one turn of the event loop sends to remote members is gathered and
//     published once, as one message (the same line to many users: the line once, with
//     their names). Each server delivers to the named users it holds. One connection
//     publishes, Redis keeps its order, so per-sender order holds.
//   - names: claimed in Redis before lesson 7's claim (SET NX with a lease, renewed every
//     third of it), released when the user goes.
//   - presence: a login publishes `add`, a departure `remove`, a move between rooms `move`
//     (each server then moves its copy and tells its own users, as for a local move: the
//     mover's server does not forward its move). Every third of a lease each server
//     publishes `alive` with all its users: a server not heard from for a lease is gone,
//     and its users `leave` (reason disconnect); a snapshot that differs from what we hold
//     (messages lost while Redis was away) is made good, telling our users.
//   - Redis away: every local user is told with `info`; the server serves its own users,
//     logins are checked locally; ioredis reconnects with backoff; once back, names are
//     claimed again (a name taken elsewhere meanwhile costs its local holder the
//     connection), and presence is published at once.
//   - history (with the feature): in Redis, each server reading from memory and hearing the
//     others' commits (redis-history.ts); what was said while Redis was away is written
//     and published once it is back.
//   - away/busy (with the feature): a change is published as `status` (not forwarded as
//     lines), and each server sets it on its copy of the user and tells its own users, so
//     that `statuses` and whisper notices cover every server; `alive` carries each
//     status, so a server that starts later, or missed messages, learns them too.
//   - registered names (lesson 15): in Redis too (PROTOCOL.md): server.ts hands `commands`
//     below, the shared command connection, to their store (redis-accounts.ts).

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { encodeEvent, type Event, type LeaveReason, type StatusEntry } from '../protocol.js';
import type { Extensions } from './extensions.js';
import { RedisHistory } from './redis-history.js';
import type { Client, ClusterLinkLike, ServerContext, ServerPieces, StoredMessage } from './types.js';

/** What the servers publish to one another, each batch as one JSON message. */
type Message =
  | { kind: 'lines'; line: string; to: string[] }
  | { kind: 'add'; name: string; room?: string }
  | { kind: 'remove'; name: string }
  | { kind: 'move'; name: string; room: string }
  | { kind: 'status'; name: string; entry: StatusEntry }
  | { kind: 'alive'; users: Presence[] }
  /**
   * Chat messages a server committed to history (with --redis, history lives in Redis);
   * with `catchUp`, those its users said while Redis was away (the same number: sent again).
   */
  | { kind: 'history'; messages: StoredMessage[]; catchUp?: number }
  /**
   * Asks every server for its `alive` at once (a server that has just started or come
   * back); with `missed`, also for what they said while Redis was away (we were away too).
   */
  | { kind: 'sync'; missed?: true }
  /** A server stopping cleanly: its users are gone now, not in a lease. */
  | { kind: 'bye' };
/** One user in an `alive` snapshot: where it is, and its status when it is not online. */
interface Presence {
  name: string;
  room?: string;
  status?: StatusEntry;
}
interface Batch {
  from: string;
  messages: Message[];
}

const ONLINE: StatusEntry = { status: 'online' };

export const TEXTS = {
  lost: 'Lost the connection to Redis: users on other servers cannot be reached for now. This server keeps serving its own users and reconnects.',
  back: 'Reconnected to Redis: one chat with the other servers again.',
  whisperLost: (name: string) => `Your whisper to ${name} was not delivered: ${name} is on another server, which cannot be reached while Redis is away.`,
  nameLost: (name: string) => `Another server's user took the name '${name}' while Redis was away: disconnecting you. Log in again with another name.`,
};

/** A user of another server, as this server's pieces see it: send() forwards to that server. */
export class RemoteMember implements Client {
  private static nextId = -1;
  readonly id = RemoteMember.nextId--;
  readonly address = '';
  leaveReason: LeaveReason = 'disconnect';
  closed = false;
  constructor(
    public name: string,
    readonly server: string,
    private readonly cluster: Cluster,
  ) {}
  send(line: string): void {
    this.cluster.forward(this, line);
  }
  sendEvent(event: Event): void {
    this.send(encodeEvent(event));
  }
  /** Its connection is another server's: nothing to close here. */
  close(): void {}
}

interface RemoteServer {
  heardAt: number;
  members: Map<string, RemoteMember>;
  /** The number of the last catch-up of its history we took in. */
  caughtUp?: number;
}

export class Cluster {
  private readonly servers = new Map<string, RemoteServer>();
  /** The names this server's users hold, lower-cased, as they are online. */
  private readonly owned = new Map<string, Client>();
  private outbox: Message[] = [];
  private flushScheduled = false;
  /** While true, what remote members are sent is dropped: each server tells its own users. */
  private quiet = false;
  private linked = false;
  /** Our users told that Redis is away, to be told when it is back. */
  private readonly toldAway = new Set<Client>();
  /** Subscribing, or subscribed: once (ioredis subscribes again by itself after reconnecting). */
  private subscribed: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  /** With the history feature: each room's last messages, kept in Redis (redis-history.ts). */
  private history: RedisHistory | undefined;
  /** True once history has been read from Redis (at the first connection). */
  private historyLoaded = false;
  /**
   * What our users said while Redis was last away, numbered: published when it is back,
   * and again for a server that comes back after us (it was not listening then).
   */
  private caughtUp: { number: number; messages: StoredMessage[] } | undefined;

  private constructor(
    readonly serverId: string,
    private readonly ctx: ServerContext,
    private readonly extensions: Extensions,
    private readonly link: ClusterLinkLike,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly log: (message: string) => void,
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(50, Math.floor(ctx.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** Connects to Redis (or keeps trying, while the server serves its own users). */
  static async start(ctx: ServerContext, extensions: Extensions, log: (message: string) => void): Promise<Cluster> {
    const connection = {
      lazyConnect: true,
      // Commands fail at once while Redis is away, rather than queue without bound.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Backoff: 100 ms, 200, 400... up to 2 s between attempts.
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times - 1, 5), 2000),
    };
    const redis = new Redis(ctx.options.redis, connection);
    const subscriber = new Redis(ctx.options.redis, connection);
    const serverId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const link = new ctx.pieces.ClusterLink(redis, subscriber, serverId, ctx.options.leaseMs);
    const cluster = new Cluster(serverId, ctx, extensions, link, redis, subscriber, log);
    if (ctx.options.features.includes('history')) {
      cluster.history = new RedisHistory(redis, (messages) => cluster.post({ kind: 'history', messages }), (m) => cluster.linked && log(m));
      extensions.keepHistoryIn(cluster.history, log);
    }
    for (const connection of [redis, subscriber]) {
      connection.on('error', () => {}); // reported once, as 'close' below
      connection.on('close', () => cluster.onDown());
    }
    try {
      await Promise.all([redis.connect(), subscriber.connect()]);
      await cluster.onReady();
    } catch {
      log(`Redis at ${ctx.options.redis} is unreachable: serving this server's users alone, and reconnecting.`);
    }
    // From now on, each reconnection (ioredis retries with the backoff above) links us again.
    for (const connection of [redis, subscriber]) connection.on('ready', () => void cluster.onReady());
    return cluster;
  }

  private async onReady(): Promise<void> {
    if (this.linked || this.redis.status !== 'ready' || this.subscriber.status !== 'ready') return;
    try {
      await (this.subscribed ??= this.link.subscribe((message) => this.receive(message)));
    } catch (err) {
      this.subscribed = undefined;
      this.log(`The cluster link could not subscribe: ${(err as Error).message}`);
      return;
    }
    if (this.linked) return;
    const returning = this.historyLoaded;
    if (this.history && !this.historyLoaded) {
      this.historyLoaded = true;
      await this.history.load().catch((err: Error) => this.log(`History could not be read from Redis: ${err.message}`));
    }
    this.linked = true;
    const said = this.history?.catchUp() ?? [];
    if (said.length > 0) {
      this.caughtUp = { number: (this.caughtUp?.number ?? 0) + 1, messages: said };
      this.post({ kind: 'history', messages: said, catchUp: this.caughtUp.number });
    }
    for (const client of this.toldAway) client.sendEvent({ type: 'info', text: TEXTS.back });
    this.toldAway.clear();
    await this.renewNames(); // after a Redis restart, the names are claimed again here
    this.post({ kind: 'sync', ...(returning && { missed: true as const }) });
    this.post(this.snapshot());
  }

  private onDown(): void {
    if (!this.linked) return;
    this.linked = false;
    this.log('Lost the connection to Redis; reconnecting.');
    for (const client of this.owned.values()) this.tellAway(client);
  }

  /** A user of this server was just welcomed (and sent its history): while Redis is away, it hears so too. */
  welcomed(client: Client): void {
    if (!this.linked) this.tellAway(client);
  }

  private tellAway(client: Client): void {
    client.sendEvent({ type: 'info', text: TEXTS.lost });
    this.toldAway.add(client);
  }

  /** Lesson 7's claim, with the name claimed across servers first. */
  claimName(localClaim: ServerPieces['claimName']): ServerPieces['claimName'] {
    return async (client, name, ctx) => {
      if (this.linked) {
        try {
          if (!(await this.link.claim(name))) return 'taken';
        } catch (err) {
          if (this.linked) throw err; // Redis answered with an error: the link's bug
          // Redis went away meanwhile: the name is checked here only, and claimed on return.
        }
      }
      const outcome = await localClaim(client, name, ctx);
      if (outcome === 'ok') {
        this.owned.set(name.toLowerCase(), client);
        this.post({ kind: 'add', name: client.name, ...this.roomField(client) });
      } else if (this.linked) {
        this.release(name);
      }
      return outcome;
    };
  }

  /** The command connection to the shared Redis: for stores that keep their data there. */
  get commands(): Redis {
    return this.redis;
  }

  /** A user of this server is gone: its name is free, and the others drop their copy. */
  departed(client: Client): void {
    const key = client.name.toLowerCase();
    this.toldAway.delete(client);
    if (this.owned.get(key) !== client) return;
    this.owned.delete(key);
    this.release(client.name);
    this.post({ kind: 'remove', name: client.name });
  }

  /** A user of this server moved to `room` (its server told its own users, not forwarded). */
  moved(client: Client, room: string): void {
    this.post({ kind: 'move', name: client.name, room });
  }

  /** A user of this server went away, busy or back (its server told its own users, not forwarded). */
  statusChanged(client: Client): void {
    this.post({ kind: 'status', name: client.name, entry: this.extensions.statusOf(client) ?? ONLINE });
  }

  /** Runs `action` with forwarding off: only this server's users hear what it sends. */
  quietly<T>(action: () => T): T {
    const was = this.quiet;
    this.quiet = true;
    try {
      return action();
    } finally {
      this.quiet = was;
    }
  }

  /** A line for a remote member: gathered, and published with the turn's others. */
  forward(member: RemoteMember, line: string): void {
    if (this.quiet) return;
    if (!this.linked) return this.undelivered(member, line);
    const last = this.outbox[this.outbox.length - 1];
    // A broadcast sends one line to many members in a row: the line once, with their names.
    if (last?.kind === 'lines' && last.line === line) last.to.push(member.name);
    else this.post({ kind: 'lines', line, to: [member.name] });
  }

  /**
   * A line for a remote member while Redis is away is dropped: every user was told so. A
   * whisper's sender got its confirmation too, though (lesson 6), so it hears what became
   * of that one, once the confirmation is on its way.
   */
  private undelivered(member: RemoteMember, line: string): void {
    if (!line.startsWith('{"type":"whisper"')) return;
    const { from } = JSON.parse(line) as { from: string };
    const sender = this.owned.get(from.toLowerCase());
    if (sender) queueMicrotask(() => sender.sendEvent({ type: 'info', text: TEXTS.whisperLost(member.name) }));
  }

  /** The server is stopping: the others hear it now, and our names come free. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.linked) {
      this.post({ kind: 'bye' });
      await this.flush();
      await Promise.allSettled([...this.owned.values()].map((c) => this.link.release(c.name)));
    }
    this.linked = false; // what the shutdown does next is not published
    this.owned.clear();
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  /** Queues a message for the others; false when Redis is away and it is dropped. */
  private post(message: Message): boolean {
    if (!this.linked) return false; // the snapshot after reconnecting makes good what is dropped
    this.outbox.push(message);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
    return true;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.outbox.length === 0) return;
    const batch: Batch = { from: this.serverId, messages: this.outbox };
    this.outbox = [];
    try {
      await this.link.publish(JSON.stringify(batch));
    } catch (err) {
      if (this.linked) this.log(`The cluster link could not publish: ${(err as Error).message}`);
    }
  }

  private release(name: string): void {
    this.link.release(name).catch((err: Error) => {
      if (this.linked) this.log(`The cluster link could not release '${name}': ${err.message}`);
    });
  }

  private receive(text: string): void {
    let batch: Batch;
    try {
      batch = JSON.parse(text) as Batch;
    } catch {
      return this.log('A message on the cluster channel was not JSON: ignored.');
    }
    if (batch.from === this.serverId || !Array.isArray(batch.messages)) return; // our own
    const server = this.serverOf(batch.from);
    server.heardAt = Date.now();
    for (const message of batch.messages) {
      try {
        this.apply(batch.from, server, message);
      } catch (err) {
        this.log(`A cluster message could not be applied: ${(err as Error).message}`);
      }
    }
  }

  private apply(from: string, server: RemoteServer, message: Message): void {
    switch (message.kind) {
      case 'lines':
        for (const name of message.to) {
          const member = this.ctx.registry.find(name);
          if (member && !(member instanceof RemoteMember)) member.send(message.line);
        }
        return;
      case 'add':
        return this.arrive(from, server, message.name, message.room, false);
      case 'remove':
        return this.leave(server, message.name, false);
      case 'move': {
        const member = server.members.get(message.name.toLowerCase());
        if (member) this.quietly(() => this.extensions.moveRemote(member, message.room));
        return;
      }
      case 'status': {
        const member = server.members.get(message.name.toLowerCase());
        if (member) this.quietly(() => this.extensions.statusRemote(member, message.entry));
        return;
      }
      case 'alive':
        return this.reconcile(from, server, message.users);
      case 'sync':
        this.post(this.snapshot());
        if (message.missed && this.caughtUp) this.post({ kind: 'history', messages: this.caughtUp.messages, catchUp: this.caughtUp.number });
        return;
      case 'history':
        if (message.catchUp !== undefined) {
          if (server.caughtUp === message.catchUp) return; // sent again for another server
          server.caughtUp = message.catchUp;
        }
        for (const m of message.messages) this.history?.remember(m);
        return;
      case 'bye':
        for (const member of [...server.members.values()]) this.leave(server, member.name, true);
        this.servers.delete(from);
    }
  }

  /** A remote user comes in; with `announce`, our users hear its `join` (it was not forwarded). */
  private arrive(from: string, server: RemoteServer, name: string, room: string | undefined, announce: boolean, status = ONLINE): void {
    const key = name.toLowerCase();
    if (server.members.has(key)) return;
    // One of our own users holds it (both logged in while Redis was away): the renewal decides.
    if (this.ctx.registry.find(name)) return;
    const member = new RemoteMember(name, from, this);
    server.members.set(key, member);
    this.quietly(() => this.extensions.placeRemote(member, room, announce));
    this.restatus(member, status);
  }

  private leave(server: RemoteServer, name: string, announce: boolean): void {
    const key = name.toLowerCase();
    const member = server.members.get(key);
    if (!member) return;
    server.members.delete(key);
    member.closed = true;
    this.quietly(() => this.extensions.removeRemote(member, announce));
  }

  /** What a server says it holds wins over what we heard (messages are lost while Redis is away). */
  private reconcile(from: string, server: RemoteServer, users: Presence[]): void {
    const listed = new Set(users.map((u) => u.name.toLowerCase()));
    for (const member of [...server.members.values()]) {
      if (!listed.has(member.name.toLowerCase())) this.leave(server, member.name, true);
    }
    for (const { name, room, status = ONLINE } of users) {
      const member = server.members.get(name.toLowerCase());
      if (!member) this.arrive(from, server, name, room, true, status);
      else {
        if (room !== undefined && this.extensions.roomOf(member) !== room) this.quietly(() => this.extensions.moveRemote(member, room));
        this.restatus(member, status);
      }
    }
  }

  /** Sets a remote user's status here when it differs from what we hold (its room hears `status`). */
  private restatus(member: RemoteMember, status: StatusEntry): void {
    const held = this.extensions.statusOf(member) ?? ONLINE;
    if (held.status !== status.status || held.note !== status.note) this.quietly(() => this.extensions.statusRemote(member, status));
  }

  private serverOf(id: string): RemoteServer {
    let server = this.servers.get(id);
    if (!server) this.servers.set(id, (server = { heardAt: Date.now(), members: new Map() }));
    return server;
  }

  private snapshot(): Message {
    return { kind: 'alive', users: [...this.owned.values()].map((c) => ({ name: c.name, ...this.roomField(c), ...this.statusField(c) })) };
  }

  private statusField(client: Client): { status?: StatusEntry } {
    const status = this.extensions.statusOf(client);
    return status === undefined ? {} : { status };
  }

  private roomField(client: Client): { room?: string } {
    const room = this.extensions.roomOf(client);
    return room === undefined ? {} : { room };
  }

  /** Every third of a lease: renew our names, say we are alive, and see who is not. */
  private tick(): void {
    const now = Date.now();
    for (const [id, server] of this.servers) {
      if (now - server.heardAt <= this.ctx.options.leaseMs) continue;
      for (const member of [...server.members.values()]) this.leave(server, member.name, true);
      this.servers.delete(id);
    }
    if (!this.linked) return;
    void this.renewNames();
    this.post(this.snapshot());
  }

  private async renewNames(): Promise<void> {
    const holders = [...this.owned.values()];
    if (holders.length === 0) return;
    let lost: string[];
    try {
      lost = await this.link.renew(holders.map((c) => c.name));
    } catch (err) {
      if (this.linked) this.log(`The cluster link could not renew the names: ${(err as Error).message}`);
      return;
    }
    for (const name of lost) {
      const client = this.owned.get(name.toLowerCase());
      if (!client || client.closed) continue;
      this.owned.delete(name.toLowerCase()); // not ours to release
      client.sendEvent({ type: 'info', text: TEXTS.nameLost(client.name) });
      // Only our users hear its leave: to the others, the name is the new holder's, online.
      this.quietly(() => client.close('kicked'));
    }
  }
}
