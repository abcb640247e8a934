// node:sqlite, loaded only when the history feature runs. It exists from Node 22.13 on (and
// in 24); on an older Node every other feature still works, and asking for history is one
// clear line. Node 22 also warns, on every start, that SQLite is experimental: the course
// keeps its output clean by letting that one warning go unprinted.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FriendlyError } from '../cli.js';
import type { SqlDatabase } from './types.js';

interface SqliteModule {
  DatabaseSync: new (file: string) => SqlDatabase;
}

export const HISTORY_NEEDS = `History and auth need Node 22.13 or newer (node:sqlite); this is Node ${process.versions.node}.`;

let sqlite: SqliteModule | null | undefined; // undefined: not tried yet; null: this Node has none

function load(): SqliteModule | null {
  if (sqlite !== undefined) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (!String(typeof warning === 'string' ? warning : warning.message).includes('SQLite')) {
      (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
    }
  } as typeof process.emitWarning;
  try {
    sqlite = createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  } catch {
    sqlite = null; // Node 20, or 22 before 22.13 (where it hides behind a flag)
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}

/** True where this Node has node:sqlite. */
export function sqliteAvailable(): boolean {
  return load() !== null;
}

/** Opens (or creates) a database file, or ':memory:'. A failure is one line for people. */
export function openDatabase(file: string): SqlDatabase {
  const module = load();
  if (!module) throw new FriendlyError(HISTORY_NEEDS);
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new module.DatabaseSync(file);
    // Two servers on one file (a student's and the reference) take turns instead of failing.
    db.exec('PRAGMA busy_timeout = 2000');
    return db;
  } catch (err) {
    throw new FriendlyError(`Cannot open the history database ${file}: ${(err as Error).message}`);
  }
}
