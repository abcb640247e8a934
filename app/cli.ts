// What every command-line program of the course shares: a user's mistake (a bad flag,
// a port in use, a server that is down) is one clear line; only a bug shows a stack.

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the program was called. */
export class UsageError extends Error {}

/** An expected failure with a message written for people (port in use, connection refused). */
export class FriendlyError extends Error {}

/** node:util's parseArgs, strict, with a mistake in the flags turned into a one-line UsageError. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (err) {
    // parseArgs explains at length; its first sentence is the news.
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export function describeFailure(err: unknown): string {
  if (err instanceof UsageError) return `${err.message}\nRun with --help to see the options.`;
  if (err instanceof FriendlyError) return err.message;
  if (err instanceof Error) {
    // Errors that wrap a system error (err.cause) were written for people too.
    return err.cause !== undefined ? err.message : (err.stack ?? err.message);
  }
  return String(err);
}

/** Runs a program's main function, turning a failure into one line and an exit code. */
export function runMain(label: string, main: () => Promise<void>): void {
  // Piped into `head` or a pager that quits early: stop quietly, not with an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main().catch((err: unknown) => {
    console.error(`[${label}] ${describeFailure(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
