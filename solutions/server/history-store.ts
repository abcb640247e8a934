// Lesson 14: the history store. Chat messages kept in SQLite, so that a server that
// crashes and starts again still has them. The server adds each chat as it passes it
// on, and calls commit() before it writes to any socket: write, then send.
//
//   add() add() add() ... commit()           one turn of the event loop
//   └──── kept in memory ───┘ └ BEGIN; INSERT ×3; COMMIT ┘ → then the sockets
//
// A transaction makes many writes one: all of them or none, and COMMIT returns once
// they are in the file. One transaction per turn, not one per message: committing
// costs far more than inserting, so grouping is what makes history cheap.
// Every value goes in through a `?` of a prepared statement, never into the SQL text:
// a chat line like "'); DROP TABLE messages; --" is stored as the text it is.

import type { HistoryStoreLike, SqlDatabase, SqlStatement, StoredMessage } from '../../app/server/types.js';

// `id` grows with every insert: the order the messages were sent in. The index lets
// "the last n of a room" read n rows instead of the whole table.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    id     INTEGER PRIMARY KEY,
    room   TEXT    NOT NULL,
    sender TEXT    NOT NULL,
    text   TEXT    NOT NULL,
    ts     INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room, id);
`;

export class HistoryStore implements HistoryStoreLike {
  /** Added, not yet committed. */
  private pending: StoredMessage[] = [];
  private readonly insert: SqlStatement;
  private readonly latest: SqlStatement;

  constructor(private readonly db: SqlDatabase) {
    // WAL: a commit appends to a log beside the file, and readers never wait for writers.
    // NORMAL: COMMIT returns once the operating system has the bytes. A killed process
    // loses nothing; a power cut could lose the last commits (FULL would wait for the disk).
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec(SCHEMA);
    this.insert = db.prepare('INSERT INTO messages (room, sender, text, ts) VALUES (?, ?, ?, ?)');
    this.latest = db.prepare('SELECT sender, text, ts FROM messages WHERE room = ? ORDER BY id DESC LIMIT ?');
  }

  add(message: StoredMessage): void {
    this.pending.push(message);
  }

  commit(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.db.exec('BEGIN');
    try {
      for (const m of batch) this.insert.run(m.room, m.from, m.text, m.ts);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK'); // all or nothing
      throw err;
    }
  }

  recent(room: string, n: number): StoredMessage[] {
    // The newest n, read newest first (that is what LIMIT can cut), then turned around.
    const rows = this.latest.all(room, n).reverse();
    return rows.map((row) => ({ room, from: String(row.sender), text: String(row.text), ts: Number(row.ts) }));
  }
}
