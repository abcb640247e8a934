// Which code the suites grade. By default the student's starter/; `COURSE_TREE=solutions`
// grades the reference (what the check command does); any other folder under the project
// (a typical-mistake variant, made by tools/check.ts) overrides only the files it holds
// and takes the rest from solutions/.

import { assemblePieces, importFromTree, type PieceName } from '../../app/server/pieces.js';
import type { ServerPieces } from '../../app/server/types.js';

export const TREE = process.env.COURSE_TREE ?? 'starter';

/** Imports one file (e.g. 'client/connect.ts') of the code under test. */
export function importMine<T>(file: string): Promise<T> {
  return importFromTree<T>(TREE, file);
}

/** The reference pieces, with the named ones replaced by the code under test. */
export function piecesWithMine(...names: PieceName[]): Promise<ServerPieces> {
  return assemblePieces(TREE, names);
}
