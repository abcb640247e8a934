// Every wait in a suite has a deadline and says what it waited for.

/** Default time to wait for something the server should do at once. */
export const PATIENCE_MS = Number(process.env.COURSE_PATIENCE_MS ?? 2000);

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
