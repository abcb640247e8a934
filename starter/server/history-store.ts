// Lesson 14: the history store.
// Read the lesson first: npm run lesson 14      Check your work: npm test -- lesson14

import type { HistoryStoreLike, SqlDatabase, SqlStatement, StoredMessage } from '../../app/server/types.js';

export class HistoryStore implements HistoryStoreLike {
  /** Added, not yet committed. */
  private pending: StoredMessage[] = [];
  // Your prepared statements: compiled once here, run many times.
  private readonly insert: SqlStatement;
  private readonly latest: SqlStatement;

  constructor(private readonly db: SqlDatabase) {
    // TODO (lesson 14):
    //  1. db.exec() the pragmas: journal_mode = WAL, synchronous = NORMAL.
    //  2. db.exec() CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, room,
    //     sender, text, ts), and an index on (room, id).
    //  3. db.prepare() the INSERT and the SELECT of a room's newest rows, with ? for values.
    throw new Error('TODO (lesson 14): the HistoryStore constructor is not written yet. Read the lesson: npm run lesson 14');
  }

  add(message: StoredMessage): void {
    // TODO (lesson 14): keep the message for the next commit(); write nothing yet.
    throw new Error('TODO (lesson 14): add() is not written yet. Read the lesson: npm run lesson 14');
  }

  commit(): void {
    // TODO (lesson 14): every pending message in ONE transaction: BEGIN, run the insert
    // for each, COMMIT (ROLLBACK if anything throws). When commit() returns, they are
    // in the file: the server sends them right after.
    throw new Error('TODO (lesson 14): commit() is not written yet. Read the lesson: npm run lesson 14');
  }

  recent(room: string, n: number): StoredMessage[] {
    // TODO (lesson 14): the last n messages of the room, oldest first.
    throw new Error('TODO (lesson 14): recent() is not written yet. Read the lesson: npm run lesson 14');
  }
}
