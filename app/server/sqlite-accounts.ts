// Registered names in SQLite (lesson 15's accounts, without --redis): one row per account,
// in the same database file as lesson 14's history. The accounts piece hashes and checks;
// this file only keeps rows.
//
// The insert is the one place where two registrations of a name could race: scrypt takes
// tens of milliseconds, and a check before it says nothing about the moment after it. So
// nothing is checked first: the primary key decides, in one statement, and `changes`
// says whether the row went in (1) or the name had one already (0).

import type { AccountRow, AccountStoreLike, SqlDatabase, SqlStatement } from './types.js';

// COLLATE NOCASE: 'alice' registered is 'ALICE' too, and the primary key keeps it unique.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accounts (
    name TEXT    PRIMARY KEY COLLATE NOCASE,
    salt BLOB    NOT NULL,
    hash BLOB    NOT NULL,
    n    INTEGER NOT NULL,
    r    INTEGER NOT NULL,
    p    INTEGER NOT NULL
  );
`;

export class SqliteAccounts implements AccountStoreLike {
  private readonly insertRow: SqlStatement;
  private readonly select: SqlStatement;

  constructor(db: SqlDatabase) {
    db.exec(SCHEMA);
    this.insertRow = db.prepare('INSERT INTO accounts (name, salt, hash, n, r, p) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.select = db.prepare('SELECT name, salt, hash, n, r, p FROM accounts WHERE name = ?');
  }

  async find(name: string): Promise<AccountRow | undefined> {
    const [row] = this.select.all(name);
    if (!row) return undefined;
    return {
      name: String(row.name),
      // node:sqlite gives a BLOB back as a Uint8Array
      salt: Buffer.from(row.salt as Uint8Array),
      hash: Buffer.from(row.hash as Uint8Array),
      N: Number(row.n),
      r: Number(row.r),
      p: Number(row.p),
    };
  }

  async insert(row: AccountRow): Promise<boolean> {
    // node:sqlite's run() tells how many rows changed (SqlStatement leaves it unknown).
    const { changes } = this.insertRow.run(row.name, row.salt, row.hash, row.N, row.r, row.p) as { changes: number | bigint };
    return Number(changes) === 1;
  }
}
