// Lesson 7: check a name and take it, as one step.
// Read the lesson first: npm run lesson 7      Check your work: npm test -- lesson7

import type { Client, ClaimOutcome, ServerContext } from '../../app/server/types.js';

// This works when logins arrive one at a time, and breaks when they do not: the `await`
// lets another login run between the check and the registration, and both see the name free.
// TODO (lesson 7): make the check, the await and the registration one step, by running all
// three inside ctx.loginLock.runExclusive(). Keep the `client.closed` check: a client that
// hangs up while it waits for the lock must not be registered.
export async function claimName(client: Client, name: string, ctx: ServerContext): Promise<ClaimOutcome> {
  if (ctx.registry.find(name)) return 'taken';
  if (await ctx.names.isReserved(name)) return 'reserved';
  if (client.closed) return 'gone';
  client.name = name;
  ctx.registry.add(client);
  return 'ok';
}
