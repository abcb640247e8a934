// The store the server asks whether a name may be used. A real chat would ask a
// database here, so the answer takes a round trip: that `await` is what makes the
// check-then-register race of lesson 7 possible. setImmediate models the round trip.

import type { NameStore } from './types.js';

const RESERVED = new Set(['system', 'server', 'you']);

export const reservedNames: NameStore = {
  isReserved: (name) => new Promise((resolve) => setImmediate(() => resolve(RESERVED.has(name.toLowerCase())))),
};

/** The same store, each answer `ms` later: a slow database, for lesson 7's race demo. */
export function slowNames(store: NameStore, ms: number): NameStore {
  return {
    isReserved: (name) => new Promise((resolve) => setTimeout(resolve, ms)).then(() => store.isReserved(name)),
  };
}
