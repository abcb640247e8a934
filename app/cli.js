// What every command-line program of the course shares: a user's mistake (a bad flag,
// a port in use, a server that is down) is one clear line; only a bug shows a stack.
//
// Plain JavaScript (typed with JSDoc comments, checked by tsc like the rest): the two
// commands students type most, `npm run lesson` and `npm test`, use it without loading
// the TypeScript loader, which would cost them a third of a second each time.

import { parseArgs } from 'node:util';

/** A mistake in how the program was called. */
export class UsageError extends Error {}

/** An expected failure with a message written for people (port in use, connection refused). */
export class FriendlyError extends Error {}

/**
 * node:util's parseArgs, strict, with a mistake in the flags turned into a one-line UsageError.
 * @template {import('node:util').ParseArgsConfig} T
 * @param {T} config
 * @returns {ReturnType<typeof parseArgs<T>>}
 */
export function parseFlags(config) {
  try {
    return /** @type {ReturnType<typeof parseArgs<T>>} */ (parseArgs({ strict: true, ...config }));
  } catch (err) {
    // parseArgs explains at length; its first line is the news, without its advice on
    // quoting a positional that starts with '-' (nobody here means one).
    const first = /** @type {Error} */ (err).message.split('\n')[0];
    throw new UsageError(first.replace(/\. To specify a positional argument.*$/, '.'));
  }
}

/** @param {unknown} err */
export function describeFailure(err) {
  if (err instanceof UsageError) return `${err.message}\nRun with --help to see the options.`;
  if (err instanceof FriendlyError) return err.message;
  if (err instanceof Error) {
    // Errors that wrap a system error (err.cause) were written for people too.
    return err.cause !== undefined ? err.message : (err.stack ?? err.message);
  }
  return String(err);
}

/**
 * Runs a program's main function, turning a failure into one line and an exit code.
 * @param {string} label
 * @param {() => Promise<void>} main
 */
export function runMain(label, main) {
  // Piped into `head` or a pager that quits early: stop quietly, not with an EPIPE stack trace.
  process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main().catch((/** @type {unknown} */ err) => {
    console.error(`[${label}] ${describeFailure(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
