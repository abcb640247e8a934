// Which code the suites grade. By default the student's starter/; `COURSE_TREE=solutions`
// grades the reference (what the check command does); any other folder under the project
// (a typical-mistake variant, made by tools/check.ts) overrides only the files it holds
// and takes the rest from solutions/.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerPieces } from '../../app/server/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TREE = process.env.COURSE_TREE ?? 'starter';

/** True when the code under test is the reference itself. */
export const GRADING_REFERENCE = TREE === 'solutions';

/** Imports one file (e.g. 'server/registry.ts') of the code under test. */
export async function importMine<T>(file: string): Promise<T> {
  const own = path.join(ROOT, TREE, file);
  const chosen = existsSync(own) ? own : path.join(ROOT, 'solutions', file);
  return (await import(pathToFileURL(chosen).href)) as T;
}

/** The reference server pieces, for everything the lesson under test does not cover. */
export async function referencePieces(): Promise<ServerPieces> {
  return (await import('../../solutions/server/index.js')).pieces;
}

/** Where each server piece lives, so a suite can take just that one from the student. */
export const PIECE_FILES: { [K in keyof ServerPieces]: string } = {
  listen: 'server/listen.ts',
  Registry: 'server/registry.ts',
  LineDecoder: 'server/line-decoder.ts',
  handshake: 'server/handshake.ts',
  handleLine: 'server/commands.ts',
  Mutex: 'server/mutex.ts',
  claimName: 'server/claim-name.ts',
  RateLimiter: 'server/rate-limiter.ts',
  stripControl: 'server/strip-control.ts',
};

/** The reference pieces, with the named ones replaced by the student's. */
export async function piecesWithMine(...names: (keyof ServerPieces)[]): Promise<ServerPieces> {
  const pieces = { ...(await referencePieces()) };
  for (const name of names) {
    const module = await importMine<Record<string, unknown>>(PIECE_FILES[name]);
    (pieces as Record<string, unknown>)[name] = module[name];
  }
  return pieces;
}
