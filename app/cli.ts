// What every command-line program of the course shares: a user's mistake (a bad flag,
// a port in use, a server that is down) is one clear line; only a bug shows a stack.

/** A mistake in how the program was called. */
export class UsageError extends Error {}

/** An expected failure with a message written for people (port in use, connection refused). */
export class FriendlyError extends Error {}

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
