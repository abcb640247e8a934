import type { Mistake } from './mistake.js';

const FILE = 'server/history-store.ts';

export const mistakes: Mistake[] = [
  {
    name: 'commit() writes later, on a timer: a message is sent before it is in the file',
    file: FILE,
    change: [{ from: '  commit(): void {\n', to: '  commit(): void {\n    setTimeout(() => this.writeBatch(), 20);\n  }\n\n  private writeBatch(): void {\n' }],
    says: 'sent before it was in the database',
  },
  {
    name: 'add() inserts at once: one transaction per message',
    file: FILE,
    change: [{ from: 'this.pending.push(message);', to: 'this.insert.run(message.room, message.from, message.text, message.ts);' }],
    says: 'add() wrote to the database',
  },
  {
    name: 'commit() inserts without BEGIN/COMMIT: every INSERT is a transaction of its own',
    file: FILE,
    change: [
      { from: "    this.db.exec('BEGIN');\n", to: '' },
      { from: "      this.db.exec('COMMIT');\n", to: '' },
      { from: "      this.db.exec('ROLLBACK'); // all or nothing\n", to: '' },
    ],
    says: 'one transaction per message',
  },
  {
    name: 'string-built SQL: the text is pasted into the INSERT',
    file: FILE,
    change: [{
      from: 'for (const m of batch) this.insert.run(m.room, m.from, m.text, m.ts);',
      to: "for (const m of batch) this.db.exec(`INSERT INTO messages (room, sender, text, ts) VALUES ('${m.room}', '${m.from}', '${m.text}', ${m.ts})`);",
    }],
    says: 'stored as text, exactly as sent',
  },
  {
    name: 'recent() returns the newest first',
    file: FILE,
    change: [{ from: 'const rows = this.latest.all(room, n).reverse();', to: 'const rows = this.latest.all(room, n);' }],
    says: 'Yours are newest first',
  },
  {
    name: 'recent() reads the oldest n, not the newest',
    file: FILE,
    change: [
      { from: 'ORDER BY id DESC LIMIT ?', to: 'ORDER BY id LIMIT ?' },
      { from: 'const rows = this.latest.all(room, n).reverse();', to: 'const rows = this.latest.all(room, n);' },
    ],
    says: 'Yours are the first 20',
  },
  {
    name: 'recent() forgets the room: every room replays everyone\'s history',
    file: FILE,
    change: [
      { from: 'FROM messages WHERE room = ? ORDER BY', to: 'FROM messages WHERE ? IS NOT NULL ORDER BY' },
    ],
    says: 'no message from another room',
  },
  {
    name: 'WAL never switched on: every commit rewrites pages in place through a rollback journal',
    file: FILE,
    change: [{ from: "db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');", to: "db.exec('PRAGMA synchronous = NORMAL;');" }],
    says: 'journal_mode is',
  },
  {
    name: 'commit() swallows a failed INSERT: no ROLLBACK, no throw',
    file: FILE,
    change: [{ from: "    } catch (err) {\n      this.db.exec('ROLLBACK'); // all or nothing\n      throw err;\n    }", to: '    } catch {\n      // carry on\n    }' }],
    says: 'commit() throws',
  },
  {
    name: 'commit() throws without ROLLBACK: its BEGIN stays open',
    file: FILE,
    change: [{ from: "      this.db.exec('ROLLBACK'); // all or nothing\n", to: '' }],
    says: 'must run ROLLBACK before it throws',
  },
  {
    name: 'commit() runs BEGIN and COMMIT even with nothing pending',
    file: FILE,
    change: [{ from: '    if (this.pending.length === 0) return;\n', to: '' }],
    says: 'with nothing pending, commit() returns at once',
  },
];
