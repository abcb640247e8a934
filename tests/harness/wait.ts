// Every wait in a suite has a deadline and says what it waited for.

/** Default time to wait for something the server should do at once. */
export const PATIENCE_MS = Number(process.env.COURSE_PATIENCE_MS ?? 2000);

// A machine that needs more patience for a wait needs it for everything else too. Raising
// COURSE_PATIENCE_MS stretches every longer deadline alike; lowering it never shortens them.
const stretch = Math.max(1, PATIENCE_MS / 2000);

/** The deadlines longer than one wait, all computed here from PATIENCE_MS. */
export const DEADLINES = {
  /** A child process (a server run with tsx) compiles before it listens: slow on a busy machine. */
  childStart: 10_000 * stretch,
  /** A whole program (a client with its screen) started with tsx, up to its first prompt. */
  cliBoot: 15_000 * stretch,
  /** Anything a running child should do at once, seen from outside the process. */
  step: 5000 * stretch,
  /** One test (vitest's testTimeout and hookTimeout). */
  test: 16_000 * stretch,
  /** A test that starts several programs or moves megabytes. */
  longTest: 30_000 * stretch,
};

/**
 * Resolves with the first value `check` returns that is not undefined. `check` runs now and
 * again whenever `subscribe`'s callback fires; after `ms` the wait fails with `onTimeout()`.
 */
export function waitUntil<T>(
  check: () => T | undefined,
  subscribe: (wake: () => void) => () => void,
  onTimeout: () => Error,
  ms: number = PATIENCE_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(onTimeout());
    }, ms);
    const wake = () => {
      let value: T | undefined;
      try {
        value = check();
      } catch (err) {
        clearTimeout(timer);
        unsubscribe();
        reject(err);
        return;
      }
      if (value !== undefined) {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      }
    };
    unsubscribe = subscribe(wake);
    wake();
  });
}

/** Races a promise against a deadline. */
export function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
