// Lesson 15: the accounts (registered names and their password hashes).
// Read the lesson first: npm run lesson 15      Check your work: npm test -- lesson15

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountsLike, SqlDatabase, SqlStatement } from '../../app/server/types.js';

// scrypt's cost, written down: N (a power of two), r, p. 128 × N × r bytes of memory.
const COST = { N: 2 ** 14, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const FAIL_DELAY_MS = 500;
const MAX_WRONG = 5;
const WINDOW_MS = 60_000;

// Two helpers make the methods short (the lesson's snippets use them): a function
// hashPassword(password, salt, cost) that wraps the callback scrypt in a promise, and a
// method find(name) that reads one row and turns its BLOBs back into Buffers.

export class Accounts implements AccountsLike {
  // Your prepared statements: compiled once here, run many times.
  private readonly insert: SqlStatement;
  private readonly select: SqlStatement;

  constructor(
    private readonly db: SqlDatabase,
    /** The clock of the 60 s window (a suite passes its own). */
    private readonly now: () => number = Date.now,
  ) {
    // TODO (lesson 15):
    //  1. db.exec() CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY COLLATE NOCASE,
    //     salt BLOB, hash BLOB, and the cost it was hashed with: n, r, p INTEGER).
    //  2. db.prepare() the INSERT and the SELECT of one name's row, with ? for values.
    throw new Error('TODO (lesson 15): the Accounts constructor is not written yet. Read the lesson: npm run lesson 15');
  }

  registeredName(name: string): string | undefined {
    // TODO (lesson 15): the name as it was registered ('alice' for ALICE), or undefined.
    throw new Error('TODO (lesson 15): registeredName() is not written yet. Read the lesson: npm run lesson 15');
  }

  async register(name: string, password: string): Promise<boolean> {
    // TODO (lesson 15): false when the name is registered already. Otherwise a fresh
    // randomBytes(SALT_BYTES) salt, the async scrypt(password, salt, HASH_BYTES, { ...COST,
    // maxmem }), and one row: name, salt, hash, N, r, p. Never the password.
    throw new Error('TODO (lesson 15): register() is not written yet. Read the lesson: npm run lesson 15');
  }

  async checkPassword(name: string, password: string): Promise<boolean> {
    // TODO (lesson 15): with fewer than MAX_WRONG wrong tries in the last WINDOW_MS (by
    // this.now()), hash the password with the row's salt and cost and compare with
    // timingSafeEqual; a wrong one is remembered with its time. Every false is answered
    // FAIL_DELAY_MS after the call at the soonest, checked or not.
    throw new Error('TODO (lesson 15): checkPassword() is not written yet. Read the lesson: npm run lesson 15');
  }
}
