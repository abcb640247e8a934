// Registered names with --redis (PROTOCOL.md: "with --redis, history and registered names
// live in Redis instead of SQLite"): the same AccountStoreLike as the SQLite store, so
// lesson 15's piece works unchanged, and every server of the chat sees every account.
//
// One key per account, chat:account:NAME with the name lower-cased (so 'ALICE' finds
// alice), holding the row as JSON (the salt and hash in base64). The insert is SET ... NX:
// Redis sets the key only if it does not exist, in one step, so two servers registering
// one name at the same moment cannot both win. The key has no expiry: an account stays.

import type { Redis } from 'ioredis';
import type { AccountRow, AccountStoreLike } from './types.js';

export const ACCOUNT_KEY_PREFIX = 'chat:account:';

export class RedisAccounts implements AccountStoreLike {
  constructor(private readonly redis: Pick<Redis, 'get' | 'set'>) {}

  async find(name: string): Promise<AccountRow | undefined> {
    const stored = await answer(this.redis.get(ACCOUNT_KEY_PREFIX + name.toLowerCase()));
    return stored === null ? undefined : parsed(stored);
  }

  async insert(row: AccountRow): Promise<boolean> {
    const { name, N, r, p } = row;
    const value = JSON.stringify({ name, salt: row.salt.toString('base64'), hash: row.hash.toString('base64'), N, r, p });
    return (await answer(this.redis.set(ACCOUNT_KEY_PREFIX + name.toLowerCase(), value, 'NX'))) === 'OK';
  }
}

/**
 * Redis's answer; while Redis is away, an error that says so (ioredis, with its offline
 * queue off, says only "Stream isn't writeable"), for the one log line the wiring writes.
 */
async function answer<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (err) {
    throw new Error(`Redis did not answer (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/**
 * A stored account. A value that is not one throws: the name is registered, but nobody can
 * log in with it (never treat it as free, which would let anyone take the name).
 */
function parsed(text: string): AccountRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: refused below
  }
  const { name, salt, hash, N, r, p } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof name !== 'string' || typeof salt !== 'string' || typeof hash !== 'string' || ![N, r, p].every((v) => Number.isSafeInteger(v) && (v as number) > 0)) {
    throw new Error(`the account ${ACCOUNT_KEY_PREFIX}${typeof name === 'string' ? name.toLowerCase() : '?'} in Redis is not a row this server can read`);
  }
  return { name, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64'), N: N as number, r: r as number, p: p as number };
}
