// A name store whose answers a test can hold back, the way a slow database's would:
// it lets a test hang up a client, or line up many logins, exactly while names are checked.

import { EventEmitter } from 'node:events';
import { reservedNames } from '../../app/server/name-store.js';
import type { NameStore } from '../../app/server/types.js';
import { waitUntil } from './wait.js';

/**
 * A name store whose answers can be held back: while held, every question waits, the way a
 * slow database would. Lets a test hang up a client exactly while its name is being checked.
 */
export function heldNameStore() {
  let held: (() => void)[] | undefined;
  const asked = new EventEmitter();
  const store: NameStore = {
    isReserved: (name) =>
      new Promise((resolve) => {
        // Asked at once, so that on release the answer is ready: the claim then completes in
        // the same tick, before any line another client sends afterwards is read.
        const answer = reservedNames.isReserved(name);
        if (!held) return void answer.then(resolve);
        held.push(() => void answer.then(resolve));
        asked.emit('asked');
      }),
  };
  return {
    store,
    hold: () => void (held = []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    /** Waits until some question is being held. */
    asked: (onTimeout: () => Error) =>
      waitUntil(
        () => (held && held.length > 0 ? true : undefined),
        (wake) => {
          asked.on('asked', wake);
          return () => asked.off('asked', wake);
        },
        onTimeout,
      ),
  };
}
