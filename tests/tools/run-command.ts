// Runs one of the course's commands as npm runs it (a real child process, its output piped):
// a plain JavaScript tool with node alone, a TypeScript program with the tsx loader. Waits for
// it to end, with a deadline that names the command.

import { spawn } from 'node:child_process';
import { ROOT } from '../../app/server/pieces.js';
import { TREE } from '../harness/mine.js';
import { PATIENCE_MS, within } from '../harness/wait.js';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node FILE ARGS` in the project root (`--import tsx` for a .ts file); `env` on top of the suite's. */
export async function runCommand(args: string[], env: Record<string, string> = {}, ms = PATIENCE_MS * 4): Promise<Ran> {
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, ...args], {
    cwd: ROOT,
    env: { ...process.env, COURSE_TREE: TREE, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // 'close', not 'exit': by then everything it printed has been read.
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const code = await within(closed, ms, () => {
    child.kill('SIGKILL');
    return new Error(`\`node ${args.join(' ')}\` did not end within ${ms} ms. It printed:\n${stdout}${stderr}`);
  });
  return { code, stdout, stderr };
}

/** A line of V8's stack trace ("    at fn (file:1:2)"): what a user's mistake must never print. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
