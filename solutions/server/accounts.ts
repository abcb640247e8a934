// Lesson 15: the accounts. A registered name is kept with a salted, slow hash of its
// password, never the password itself; a login's password is hashed the same way and
// the two hashes compared in constant time. Wrong answers come late, and a name that
// has had 5 wrong passwords in a minute is refused without even looking.
//
//   register:  password ──┐
//              salt (16 fresh random bytes) ──┴─ scrypt(N, r, p) ──> hash   row: name, salt, hash, N, r, p
//   login:     password ──┐
//              the row's salt ──┴─ scrypt(the row's N, r, p) ──> hash' ── timingSafeEqual(hash, hash')
//
// scrypt is the async one: a hash takes tens of milliseconds on purpose, and the sync
// version would stop every other connection for that long (lesson 3: one thread).

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountsLike, SqlDatabase, SqlStatement } from '../../app/server/types.js';

/**
 * scrypt's cost: N (CPU and memory, a power of two), r (block size), p (parallel lanes).
 * It needs 128 × N × r bytes: 16 MiB here, some 50 ms on a laptop. Raise N as machines
 * get faster: each row keeps the N, r, p it was hashed with, so old rows still verify.
 */
const COST = { N: 2 ** 14, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** A wrong password is answered no sooner than this after it arrived. */
const FAIL_DELAY_MS = 500;
/** This many wrong passwords for one name within WINDOW_MS, and the next tries are not checked. */
const MAX_WRONG = 5;
const WINDOW_MS = 60_000;

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

interface Account {
  name: string;
  salt: Buffer;
  hash: Buffer;
  cost: typeof COST;
}

/** scrypt as a promise; maxmem (32 MiB by default) made room for twice what the cost needs. */
function hashPassword(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, HASH_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, hash) => (err ? reject(err) : resolve(hash)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class Accounts implements AccountsLike {
  private readonly insert: SqlStatement;
  private readonly select: SqlStatement;
  /** When each name (lower-cased) last gave a wrong password: the last minute's, at most MAX_WRONG. */
  private readonly wrong = new Map<string, number[]>();

  constructor(
    db: SqlDatabase,
    /** The clock of the 60 s window (a suite passes its own). */
    private readonly now: () => number = Date.now,
  ) {
    db.exec(SCHEMA);
    this.insert = db.prepare('INSERT INTO accounts (name, salt, hash, n, r, p) VALUES (?, ?, ?, ?, ?, ?)');
    this.select = db.prepare('SELECT name, salt, hash, n, r, p FROM accounts WHERE name = ?');
  }

  registeredName(name: string): string | undefined {
    return this.find(name)?.name;
  }

  async register(name: string, password: string): Promise<boolean> {
    if (this.find(name)) return false;
    const salt = randomBytes(SALT_BYTES); // fresh for every account: one password, two different hashes
    const hash = await hashPassword(password, salt, COST);
    // Checked again after the await, in the same turn as the insert: nothing can come between.
    if (this.find(name)) return false;
    this.insert.run(name, salt, hash, COST.N, COST.r, COST.p);
    return true;
  }

  async checkPassword(name: string, password: string): Promise<boolean> {
    const arrived = Date.now();
    const account = this.find(name);
    const recent = this.recentWrong(name);
    let right = false;
    // Locked out: refused without hashing (and this try does not count as a wrong one).
    if (account && recent.length < MAX_WRONG) {
      const hash = await hashPassword(password, account.salt, account.cost);
      // timingSafeEqual looks at every byte whatever it finds: how long it takes says nothing.
      right = hash.length === account.hash.length && timingSafeEqual(hash, account.hash);
      if (!right) this.wrong.set(name.toLowerCase(), [...this.recentWrong(name), this.now()].slice(-MAX_WRONG));
    }
    if (!right) await sleep(arrived + FAIL_DELAY_MS - Date.now()); // late, however it failed
    return right;
  }

  /** The times of this name's wrong passwords within the window (older ones are forgotten). */
  private recentWrong(name: string): number[] {
    const key = name.toLowerCase();
    const since = this.now() - WINDOW_MS;
    const times = (this.wrong.get(key) ?? []).filter((t) => t > since);
    if (times.length > 0) this.wrong.set(key, times);
    else this.wrong.delete(key);
    return times;
  }

  private find(name: string): Account | undefined {
    const [row] = this.select.all(name);
    if (!row) return undefined;
    return {
      name: String(row.name),
      salt: Buffer.from(row.salt as Uint8Array),
      hash: Buffer.from(row.hash as Uint8Array),
      cost: { N: Number(row.n), r: Number(row.r), p: Number(row.p) },
    };
  }
}
