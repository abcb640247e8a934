// The history feature's wiring (PROTOCOL.md, "history"); the store that keeps the messages
// is lesson 14's piece. This file decides *when*:
//   - every chat is added to the store as it is passed on to its room;
//   - before the server writes anything to any socket, what was added since the last
//     commit is committed, all of it in one transaction: write, then send, in groups.
//     Nothing reaches a client before the message is in the database file, and a turn
//     of the event loop that carries 500 chats costs one transaction, not 500.
//   - a user who arrives in a room (logging in, /join) gets its last 20; /history asks.

import type { ChatEvent, HistoryEvent } from '../protocol.js';
import type { Client, HistoryStoreLike, ServerPieces, SqlDatabase } from './types.js';

/** How many messages a user gets on arriving in a room, and /history without a number. */
export const REPLAY_COUNT = 20;
/** The most /history gives. */
export const HISTORY_LIMIT = 100;
/** Without the rooms feature, every message is stored as the lobby's. */
const NO_ROOM = 'lobby';

export class History {
  /** True once something was added that is not committed yet. */
  private dirty = false;

  private constructor(
    private readonly store: HistoryStoreLike,
    /** With rooms, `history` says which room it is of; without, it has no `room`. */
    private readonly withRooms: boolean,
    private readonly log: (message: string) => void,
  ) {}

  /** The store on the server's open database (shared with auth: extensions.ts opens and closes it). */
  static open(db: SqlDatabase, pieces: ServerPieces, withRooms: boolean, log: (message: string) => void): History {
    return new History(new pieces.HistoryStore(db), withRooms, log);
  }

  /** History in a store that needs no database file (Redis, with --redis: redis-history.ts). */
  static over(store: HistoryStoreLike, withRooms: boolean, log: (message: string) => void): History {
    return new History(store, withRooms, log);
  }

  /** A chat on its way to its room's members (`room` undefined without rooms). */
  record(chat: ChatEvent & { ts: number }, room = NO_ROOM): void {
    this.store.add({ room, from: chat.from, text: chat.text, ts: chat.ts });
    this.dirty = true;
  }

  /** Commits what was added since the last commit. The server calls it before every socket write. */
  commitPending(): void {
    if (!this.dirty) return; // the common case, once per write: a flag, no database call
    this.dirty = false;
    try {
      this.store.commit();
    } catch (err) {
      // A store that throws must not take the server down with it (it runs inside a write).
      this.log(`The history store threw while committing: ${(err as Error).stack ?? err}`);
    }
  }

  /** A user has arrived in `room`: its last messages, only when there are any. */
  replay(client: Client, room = NO_ROOM): void {
    const event = this.read(room, REPLAY_COUNT);
    if (event.messages.length > 0) client.sendEvent(event);
  }

  /** Runs /history [n] and returns true; false for any other command. */
  command(client: Client, name: string, args: string, room = NO_ROOM): boolean {
    if (name !== 'history') return false;
    const n = args === '' ? REPLAY_COUNT : /^\d{1,3}$/.test(args) ? Number(args) : NaN;
    if (!(n >= 1 && n <= HISTORY_LIMIT)) {
      client.sendEvent({ type: 'error', code: 'USAGE', text: `Usage: /history [n], n from 1 to ${HISTORY_LIMIT} (default ${REPLAY_COUNT})` });
    } else {
      client.sendEvent(this.read(room, n));
    }
    return true;
  }

  /** Commits what is left (a clean shutdown; the database is closed after). */
  close(): void {
    this.commitPending();
  }

  private read(room: string, n: number): HistoryEvent {
    this.commitPending(); // a chat of this very turn is history already
    const messages = this.store.recent(room, n).map(({ from, text, ts }) => ({ from, text, ts }));
    return this.withRooms ? { type: 'history', room, messages } : { type: 'history', messages };
  }
}
