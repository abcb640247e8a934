// Lesson 15: the accounts (registered names and their password hashes).
// Read the lesson first: npm run lesson 15      Check your work: npm test -- lesson15

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountRow, AccountsLike, AccountStoreLike } from '../../app/server/types.js';

// scrypt's cost, written down: N (a power of two), r, p. 128 × N × r bytes of memory.
const COST = { N: 2 ** 14, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const FAIL_DELAY_MS = 500;
const MAX_WRONG = 5;
const WINDOW_MS = 60_000;

// A helper makes the methods short (the lesson's snippets use it): a function
// hashPassword(password, salt, cost) that wraps the callback scrypt in a promise.

export class Accounts implements AccountsLike {
  constructor(
    /** Where the rows are kept: find(name) and an atomic insert(row) (the lesson's "A store for accounts"). */
    private readonly store: AccountStoreLike,
    /** The clock of the 60 s window (a suite passes its own). */
    private readonly now: () => number = Date.now,
  ) {}

  async registeredName(name: string): Promise<string | undefined> {
    // TODO (lesson 15): the name as it was registered ('alice' for ALICE): the row's
    // name, from await this.store.find(name); undefined when there is no row.
    throw new Error('TODO (lesson 15): registeredName() is not written yet. Read the lesson: npm run lesson 15');
  }

  async register(name: string, password: string): Promise<boolean> {
    // TODO (lesson 15): a fresh randomBytes(SALT_BYTES) salt, the async scrypt(password,
    // salt, HASH_BYTES, { ...COST, maxmem }), and one row for the store: name, salt, hash,
    // N, r, p. Never the password. The store's insert() says whether the name was free.
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
