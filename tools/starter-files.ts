// Replacing files in a student's starter/ without ever losing their work: reset and catch-up
// first copy the student's current files to .backup/<date>_<time>/starter/, then write.

import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../app/server/pieces.js';

export interface Replacement {
  /** The file's path under starter/, as in lessons/index.js: 'server/listen.ts'. */
  file: string;
  content: Buffer;
}

/** The student's current copy of a starter file, or undefined if there is none. */
export function readStarter(file: string): Buffer | undefined {
  const full = path.join(ROOT, 'starter', file);
  return existsSync(full) ? readFileSync(full) : undefined;
}

/** Equal as text: a Windows checkout's \r\n line endings make no difference. */
export function sameText(a: Buffer | undefined, b: Buffer): boolean {
  return a !== undefined && a.toString('utf8').replace(/\r\n/g, '\n') === b.toString('utf8').replace(/\r\n/g, '\n');
}

/** Backs up then overwrites the files; returns the backup folder, relative to the project. */
export function replaceStarterFiles(replacements: Replacement[]): string {
  const backup = freshBackupFolder();
  for (const { file } of replacements) {
    const own = path.join(ROOT, 'starter', file);
    if (existsSync(own)) cpSync(own, path.join(ROOT, backup, 'starter', file));
  }
  for (const { file, content } of replacements) {
    mkdirSync(path.dirname(path.join(ROOT, 'starter', file)), { recursive: true });
    writeFileSync(path.join(ROOT, 'starter', file), content);
  }
  return backup;
}

/** How to put the backed-up files back, on each kind of system. */
export function undoHelp(backup: string): string {
  return [
    `Your own versions are saved in ${backup}/starter/. To put them back:`,
    `  macOS, Linux:  cp -R ${backup}/starter/. starter/`,
    `  Windows:       xcopy /E /Y ${backup.replace(/\//g, '\\')}\\starter starter\\`,
  ].join('\n');
}

/** .backup/2025-11-26_14-03-07 (local time), with -2, -3... if one already exists from this second. */
function freshBackupFolder(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}_${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}`;
  for (let n = 1; ; n++) {
    const folder = `.backup/${stamp}${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(path.join(ROOT, folder))) {
      mkdirSync(path.join(ROOT, folder, 'starter'), { recursive: true });
      return folder;
    }
  }
}
