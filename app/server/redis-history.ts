// History with --redis (PROTOCOL.md: "with --redis, history ... live in Redis instead of
// SQLite"): the same HistoryStoreLike as lesson 14's SQLite store, so history.ts drives it
// unchanged. Each room's last HISTORY_LIMIT messages are a Redis list, chat:history:ROOM.
//
// The server reads history synchronously (a replay goes right after `welcome`, before any
// other event), and Redis answers asynchronously. So every server keeps each room's last
// messages in memory, loaded from Redis when it starts, and hears every other server's
// messages as they are committed (published with the cluster's batch): recent() reads
// memory. commit() writes the batch to Redis (RPUSH, then LTRIM to the limit) before the
// server writes to any socket: the commands are on their way to Redis before any client
// is sent the messages, so a server killed mid-chat loses nothing anyone saw. (A Redis
// that keeps nothing on disk loses it all when it stops: run it with persistence to keep
// history across its restarts.) While Redis is away, messages are kept here, then written
// once it is back (catchUp), and the cluster passes them on: the others' history has them.

import type { Redis } from 'ioredis';
import { HISTORY_LIMIT } from './history.js';
import type { HistoryStoreLike, StoredMessage } from './types.js';

export const HISTORY_KEY_PREFIX = 'chat:history:';

export class RedisHistory implements HistoryStoreLike {
  /** Each room's last HISTORY_LIMIT messages, oldest first. */
  private readonly rooms = new Map<string, StoredMessage[]>();
  private pending: StoredMessage[] = [];
  /** Batches committed while Redis was away, and whether their write got through anyway. */
  private missed: { batch: StoredMessage[]; written: boolean }[] = [];

  constructor(
    private readonly redis: Redis,
    /** Passes a committed batch on to the other servers; false when Redis is away. */
    private readonly publish: (batch: StoredMessage[]) => boolean,
    private readonly log: (message: string) => void,
  ) {}

  /** Reads every room's history from Redis (once, at start). */
  async load(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${HISTORY_KEY_PREFIX}*`, 'COUNT', 100);
      cursor = next;
      for (const key of keys) {
        const room = key.slice(HISTORY_KEY_PREFIX.length);
        const stored = await this.redis.lrange(key, -HISTORY_LIMIT, -1);
        // Servers push as they commit; kept as recent() answers (sort is stable: one sender's order stays).
        this.rooms.set(room, stored.flatMap((text) => parsed(room, text)).sort(byTime));
      }
    } while (cursor !== '0');
  }

  add(message: StoredMessage): void {
    // The server commits before it next writes to a socket (write, then send); but a chat
    // nobody here hears causes no write, and other servers must not wait for one.
    if (this.pending.length === 0) setImmediate(() => this.commit());
    this.pending.push(message);
  }

  commit(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const m of batch) this.remember(m);
    // Redis away: the other servers miss it, and a write may fail; both are made good later.
    const missed = this.publish(batch) ? undefined : { batch, written: false };
    if (missed) this.missed.push(missed);
    this.write(batch).then(() => missed && (missed.written = true), (err: Error) => this.log(`History could not be written to Redis: ${err.message}`));
  }

  /**
   * Redis is back: what was said meanwhile is written where it was not, and returned, for
   * the other servers (the cluster publishes it).
   */
  catchUp(): StoredMessage[] {
    const missed = this.missed;
    this.missed = [];
    const unwritten = missed.filter((m) => !m.written).flatMap((m) => m.batch);
    if (unwritten.length > 0) this.write(unwritten).catch((err: Error) => this.log(`History could not be written to Redis: ${err.message}`));
    return missed.flatMap((m) => m.batch);
  }

  /** Appends messages to their rooms' lists in Redis, each cut to the limit. */
  private write(batch: StoredMessage[]): Promise<unknown> {
    const write = this.redis.multi();
    for (const m of batch) write.rpush(HISTORY_KEY_PREFIX + m.room, JSON.stringify({ from: m.from, text: m.text, ts: m.ts }));
    for (const room of new Set(batch.map((m) => m.room))) write.ltrim(HISTORY_KEY_PREFIX + room, -HISTORY_LIMIT, -1);
    return write.exec();
  }

  /** A message this server or another committed. */
  remember(message: StoredMessage): void {
    let kept = this.rooms.get(message.room);
    if (!kept) this.rooms.set(message.room, (kept = []));
    // Kept oldest first, in one order on every server: another server's messages arrive
    // after ours, though said at the same time. Usually it goes last; a few steps back
    // when servers talk at once.
    let at = kept.length;
    while (at > 0 && byTime(kept[at - 1]!, message) > 0) at--;
    kept.splice(at, 0, message);
    if (kept.length > HISTORY_LIMIT) kept.splice(0, kept.length - HISTORY_LIMIT);
  }

  recent(room: string, n: number): StoredMessage[] {
    return (this.rooms.get(room) ?? []).slice(-n);
  }
}

/**
 * Oldest first; in the same millisecond, by sender's name (one sender's messages keep the
 * order they were sent in: they cross in that order), so every server lists them alike.
 */
function byTime(x: StoredMessage, y: StoredMessage): number {
  return x.ts - y.ts || (x.from < y.from ? -1 : x.from > y.from ? 1 : 0);
}

/** One stored message, or none if the list holds something else. */
function parsed(room: string, text: string): StoredMessage[] {
  try {
    const { from, text: said, ts } = JSON.parse(text) as Record<string, unknown>;
    return typeof from === 'string' && typeof said === 'string' && typeof ts === 'number' ? [{ room, from, text: said, ts }] : [];
  } catch {
    return [];
  }
}
