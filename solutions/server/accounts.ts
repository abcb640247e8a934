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
// The rows live in a store the server hands over (SQLite, or Redis with --redis): it
// finds a name's row and inserts one atomically; this piece decides what goes in a row.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountRow, AccountsLike, AccountStoreLike } from '../../app/server/types.js';

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

type Cost = Pick<AccountRow, 'N' | 'r' | 'p'>;

/** scrypt as a promise; maxmem (32 MiB by default) made room for twice what the cost needs. */
function hashPassword(password: string, salt: Buffer, { N, r, p }: Cost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, HASH_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, hash) => (err ? reject(err) : resolve(hash)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class Accounts implements AccountsLike {
  /** When each name (lower-cased) last gave a wrong password: the last minute's, at most MAX_WRONG. */
  private readonly wrong = new Map<string, number[]>();

  constructor(
    private readonly store: AccountStoreLike,
    /** The clock of the 60 s window (a suite passes its own). */
    private readonly now: () => number = Date.now,
  ) {}

  async registeredName(name: string): Promise<string | undefined> {
    return (await this.store.find(name))?.name;
  }

  async register(name: string, password: string): Promise<boolean> {
    const salt = randomBytes(SALT_BYTES); // fresh for every account: one password, two different hashes
    const hash = await hashPassword(password, salt, COST);
    // No look first: during the hash another registration of the name could come and go.
    // The store's insert checks and writes in one step, and says which of us won.
    return this.store.insert({ name, salt, hash, ...COST });
  }

  async checkPassword(name: string, password: string): Promise<boolean> {
    const arrived = Date.now();
    const recent = this.recentWrong(name);
    let right = false;
    // Locked out: refused without hashing (and this try does not count as a wrong one).
    if (recent.length < MAX_WRONG) {
      const account = await this.store.find(name);
      if (account) {
        const hash = await hashPassword(password, account.salt, account);
        // timingSafeEqual looks at every byte whatever it finds: how long it takes says nothing.
        right = hash.length === account.hash.length && timingSafeEqual(hash, account.hash);
        if (!right) this.wrong.set(name.toLowerCase(), [...this.recentWrong(name), this.now()].slice(-MAX_WRONG));
      }
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
}
