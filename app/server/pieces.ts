// Where each server piece lives, and how to put a server together from pieces taken
// from different trees: the student's starter/, the reference solutions/, or a
// typical-mistake variant. A file a tree does not have comes from solutions/.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LESSONS } from '../../lessons/index.js';
import type { ServerPieces } from './types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type PieceName = keyof ServerPieces;

/** Each piece, and the file (the same path under starter/ and solutions/) that exports it. */
export const PIECE_FILES: { [K in PieceName]: string } = {
  listen: 'server/listen.ts',
  Registry: 'server/registry.ts',
  LineDecoder: 'server/line-decoder.ts',
  admit: 'server/handshake.ts',
  handshake: 'server/handshake.ts',
  handleLine: 'server/commands.ts',
  Mutex: 'server/mutex.ts',
  claimName: 'server/claim-name.ts',
  watchEnds: 'server/lifecycle.ts',
  shutdown: 'server/lifecycle.ts',
  stopOnSignals: 'server/lifecycle.ts',
  writeBounded: 'server/write-bounded.ts',
  RateLimiter: 'server/rate-limiter.ts',
  stripControl: 'server/strip-control.ts',
  Rooms: 'server/rooms.ts',
  Statuses: 'server/statuses.ts',
  HistoryStore: 'server/history-store.ts',
};

export const ALL_PIECES = Object.keys(PIECE_FILES) as PieceName[];

/** Imports one file of a tree (a folder under the project), falling back to solutions/. */
export async function importFromTree<T>(tree: string, file: string): Promise<T> {
  const own = path.resolve(ROOT, tree, file);
  const chosen = existsSync(own) ? own : path.join(ROOT, 'solutions', file);
  return (await import(pathToFileURL(chosen).href)) as T;
}

/** The reference pieces, with the named ones taken from `tree` instead. */
export async function assemblePieces(tree: string, mine: readonly PieceName[]): Promise<ServerPieces> {
  const pieces: Partial<Record<PieceName, unknown>> = {};
  for (const name of ALL_PIECES) {
    const module = await importFromTree<Record<string, unknown>>(mine.includes(name) ? tree : 'solutions', PIECE_FILES[name]);
    pieces[name] = module[name];
  }
  return pieces as ServerPieces;
}

/** The server pieces that the given lessons ask students to write. */
export function piecesOfLessons(numbers: readonly number[]): PieceName[] {
  const files = LESSONS.filter((l) => numbers.includes(l.number)).flatMap((l) => l.edits);
  return ALL_PIECES.filter((name) => files.includes(PIECE_FILES[name]));
}
