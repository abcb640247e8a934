// Paging long text on a terminal the way git and man do: through $PAGER if it is set,
// else `less -R` (colours pass through) with LESS=FRX unless LESS says otherwise: quit at
// once if it fits one screen (F), keep colours (R), leave the text on screen after (X).
// Where there is no pager (Windows without $PAGER, or less not installed) the text is
// simply printed. Plain JavaScript: `npm run lesson N` must start at once.

import { spawn } from 'node:child_process';

/**
 * @typedef {object} Pager
 * @property {string} command
 * @property {string[]} args
 * @property {boolean} shell $PAGER is a command line ("less -S"), run by the shell as git does.
 * @property {NodeJS.ProcessEnv} env
 */

/**
 * The pager to use, or undefined to print.
 * @param {NodeJS.ProcessEnv} env
 * @param {NodeJS.Platform} platform
 * @returns {Pager | undefined}
 */
export function choosePager(env = process.env, platform = process.platform) {
  const chosen = env.PAGER?.trim();
  if (chosen) return chosen === 'cat' ? undefined : { command: chosen, args: [], shell: true, env: { ...env, LESS: env.LESS ?? 'FRX' } };
  if (platform === 'win32') return undefined; // no less to count on; the console scrolls back
  return { command: 'less', args: ['-R'], shell: false, env: { ...env, LESS: env.LESS ?? 'FRX' } };
}

/**
 * Shows `text` through `pager`; prints it to `out` instead if the pager cannot be started.
 * Resolves once the pager has quit (or the text is printed).
 * @param {string} text
 * @param {Pager | undefined} pager
 * @param {NodeJS.WritableStream} out
 * @returns {Promise<void>}
 */
export function page(text, pager, out = process.stdout) {
  if (!pager) {
    out.write(text);
    return Promise.resolve();
  }
  // Ctrl+C belongs to the pager (less uses it to stop a search), as in git: we wait for it.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', ignore);
      resolve();
    };
    const child = spawn(pager.command, pager.args, { shell: pager.shell, env: pager.env, stdio: ['pipe', 'inherit', 'inherit'] });
    let started = false;
    child.on('spawn', () => (started = true));
    // Not installed (or, through the shell, "not found": code 127): print the text instead.
    child.on('error', () => {
      if (!started) out.write(text);
      done();
    });
    child.on('close', (code) => {
      if (code === 127 && pager.shell) out.write(text);
      done();
    });
    // The reader may quit before reading everything (q): that is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(text);
  });
}
