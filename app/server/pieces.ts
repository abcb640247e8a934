// Where each server piece lives, and how to put a server together from pieces taken
// from different trees: the student's starter/, the reference solutions/, or a
// typical-mistake variant. A file a tree does not have comes from solutions/.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LESSONS } from '../../lessons/index.js';
import { FriendlyError } from '../cli.js';
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
  Accounts: 'server/accounts.ts',
  listenTls: 'server/listen-tls.ts',
  FileRelay: 'server/file-relay.ts',
  Outbox: 'server/batching.ts',
  Flusher: 'server/batching.ts',
  ClusterLink: 'server/cluster-link.ts',
};

export const ALL_PIECES = Object.keys(PIECE_FILES) as PieceName[];

/** Imports one file of a tree (a folder under the project), falling back to solutions/. */
export async function importFromTree<T>(tree: string, file: string): Promise<T> {
  const own = path.resolve(ROOT, tree, file);
  const chosen = existsSync(own) ? own : path.join(ROOT, 'solutions', file);
  try {
    return (await import(pathToFileURL(chosen).href)) as T;
  } catch (err) {
    throw new FriendlyError(cannotLoad(chosen, err));
  }
}

/**
 * Why a file could not be loaded, in one line that starts with file:line:column where there is
 * one: the build tool's (esbuild's, through tsx) message without its stack.
 */
function cannotLoad(file: string, err: unknown): string {
  const fromRoot = (f: string) => path.relative(ROOT, path.resolve(ROOT, f)).replace(/\\/g, '/');
  const relative = fromRoot(file);
  const message = (err instanceof Error ? err.message : String(err)).replace(/\x1b\[[0-9;]*m/g, '');
  const advice = '(the file cannot be loaded: fix this first)';
  // esbuild (tsx): "Transform failed with 1 error:\n/abs/file.ts:9:7: ERROR: Unexpected \"clas\""
  const esbuild = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (esbuild) return `${fromRoot(esbuild[1])}:${esbuild[2]}:${esbuild[3]}: ${esbuild[4]} ${advice}`;
  // oxc (vitest): "[PARSE_ERROR] Expected `,` but found `{`", then a code frame headed "[ file:9:7 ]"
  const oxc = /\[[A-Z_]+\] *(.+)\n[\s\S]*?\[ (.+?):(\d+):(\d+) \]/.exec(message);
  if (oxc) return `${fromRoot(oxc[2])}:${oxc[3]}:${oxc[4]}: ${oxc[1]} ${advice}`;
  // Thrown while the file ran (a ReferenceError at the top level...): where, if the stack says.
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const where = new RegExp(`(?:${escape(file)}|${escape(pathToFileURL(file).href)}):(\\d+):(\\d+)`).exec(stack);
  const position = where ? `${where[1]}:${where[2]}` : '';
  return `${relative}${position ? `:${position}` : ''}: ${message.split('\n')[0]} ${advice}`;
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

/** The lessons that ask students to write a server piece: 2 to 9. */
export const SERVER_LESSONS = LESSONS.filter((l) => ALL_PIECES.some((name) => l.edits.includes(PIECE_FILES[name]))).map((l) => l.number);

/**
 * A starter stub: a line that throws (or rejects with) `TODO (lesson 3): Registry.add() is not
 * written yet`. Only a line that throws counts: a finished file may keep the TODO comments.
 */
const UNWRITTEN = /^\s*(?:throw|reject\().*TODO \(lesson \d+\).*is not written yet/m;

/** The server files (as under starter/, e.g. 'server/mutex.ts') of a lesson. */
export function serverFilesOf(lesson: number): string[] {
  return [...new Set(piecesOfLessons([lesson]).map((name) => PIECE_FILES[name]))];
}

/** Whether `tree`'s copy of a file still holds a starter stub (a file it lacks comes from solutions/). */
export function isUnwritten(tree: string, file: string): boolean {
  const own = path.resolve(ROOT, tree, file);
  return existsSync(own) && UNWRITTEN.test(readFileSync(own, 'utf8'));
}

/** The server pieces that the given lessons ask students to write. */
export function piecesOfLessons(numbers: readonly number[]): PieceName[] {
  const files = LESSONS.filter((l) => numbers.includes(l.number)).flatMap((l) => l.edits);
  return ALL_PIECES.filter((name) => files.includes(PIECE_FILES[name]));
}
