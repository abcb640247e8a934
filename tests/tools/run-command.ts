// Runs one of the course's commands as a student would (a real child process, its output
// piped), and waits for it to end, with a deadline that names the command.

import { Program } from '../harness/program.js';
import { PATIENCE_MS, within } from '../harness/wait.js';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import tsx FILE ARGS` in the project root; the environment on top of the suite's. */
export async function runCommand(args: string[], env: Record<string, string> = {}, ms = PATIENCE_MS * 4): Promise<Ran> {
  const program = new Program(args, { env });
  const exit = await within(program.exited, ms, () => {
    void program.stop();
    return new Error(`\`${args.join(' ')}\` did not end within ${ms} ms. It printed:\n${program.output}`);
  });
  return { code: exit.code, stdout: program.stdout, stderr: program.stderr };
}

/** A line of V8's stack trace ("    at fn (file:1:2)"): what a user's mistake must never print. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
