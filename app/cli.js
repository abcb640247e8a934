// What every command-line program of the course shares: a user's mistake (a bad flag,
// a port in use, a server that is down) is one clear line; only a bug shows a stack.
//
// Plain JavaScript (typed with JSDoc comments, checked by tsc like the rest): the two
// commands students type most, `npm run lesson` and `npm test`, use it without loading
// the TypeScript loader, which would cost them a third of a second each time.

import path from 'node:path';
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
  refuseFlagsNpmAte(Object.keys(config.options ?? {}));
  try {
    return /** @type {ReturnType<typeof parseArgs<T>>} */ (parseArgs({ strict: true, ...config }));
  } catch (err) {
    // parseArgs explains at length; its first line is the news, without its advice on
    // quoting a positional that starts with '-' (nobody here means one).
    const first = /** @type {Error} */ (err).message.split('\n')[0];
    throw new UsageError(first.replace(/\. To specify a positional argument.*$/, '.'));
  }
}

/**
 * Flags that several programs take, some of them outside parseFlags (`--mine` is taken out first).
 * Not `ca`: npm has a setting of that name (its registry's authority), set on some machines.
 */
const COMMON_FLAGS = ['mine', 'name', 'host', 'port', 'tls', 'tls-cert', 'tls-key'];

/**
 * Stops with one line when npm kept some of this program's flags for itself. npm reads every
 * flag before a `--` as its own and leaves it in the environment (`--mine` becomes
 * npm_config_mine=true); the program never sees it. That happens when the `--` is forgotten,
 * and in PowerShell even when it is typed: PowerShell drops a bare `--` on its way to npm.
 * @param {string[]} flags the flags this program knows, without their dashes
 */
export function refuseFlagsNpmAte(flags, env = process.env, argv = process.argv) {
  // Only for the program npm itself started: the children of `npm test` inherit its variables.
  const script = env.npm_lifecycle_script;
  if (!env.npm_lifecycle_event || !script || !argv[1]) return;
  const entry = path.relative(process.cwd(), argv[1]).split(path.sep).join('/');
  if (!script.includes(entry)) return;
  const given = argv.slice(2);
  const eaten = [...new Set(flags)].filter((flag) => {
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`];
    return value !== undefined && value !== '' && !given.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
  });
  if (eaten.length === 0) return;
  // npm keeps `--name alice` as name=alice, but `--port 5051` as port=true with 5051 left over.
  const typed = eaten.map((flag) => {
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`];
    return value === 'true' ? `--${flag}` : `--${flag} ${value}`;
  });
  const retype = ['npm run', env.npm_lifecycle_event, '"--"', ...typed, ...given].join(' ');
  throw new FriendlyError(
    `npm kept ${eaten.map((f) => `--${f}`).join(' ')} for itself (flags for the program go after "--", and PowerShell drops a bare "--"). Type the "--" in quotes: ${retype}`,
  );
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
  Promise.resolve()
    .then(() => {
      refuseFlagsNpmAte(COMMON_FLAGS);
      return main();
    })
    .catch((/** @type {unknown} */ err) => {
      console.error(`[${label}] ${describeFailure(err)}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    });
}
