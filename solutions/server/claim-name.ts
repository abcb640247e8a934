// Lesson 7: check a name and take it, as one step.
//
// Without the lock this is the Python original's race: two logins both see the name
// free, both await the store, both register. The lock makes the check, the await and
// the registration one step that no other login can enter halfway.

import type { Client, ClaimOutcome, ServerContext } from '../../app/server/types.js';

export async function claimName(client: Client, name: string, ctx: ServerContext): Promise<ClaimOutcome> {
  return ctx.loginLock.runExclusive(async () => {
    if (ctx.registry.find(name)) return 'taken';
    if (await ctx.names.isReserved(name)) return 'reserved';
    if (client.closed) return 'gone'; // it hung up while it waited: never register a ghost
    client.name = name;
    ctx.registry.add(client);
    return 'ok';
  });
}
