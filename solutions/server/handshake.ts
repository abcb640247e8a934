// Lesson 5: the handshake. The first line a client sends is its username; the
// server answers `welcome` (and tells everyone else `join`), or an error and closes.

import { encodeEvent, TEXTS, type ErrorEvent } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_NAME_LENGTH = 20;

/** Says what is wrong with a username, or returns undefined when it is well formed. */
export function checkUsername(name: string): string | undefined {
  if (name.length === 0) return 'Username cannot be empty.';
  if (name.length > MAX_NAME_LENGTH) return `Username must be at most ${MAX_NAME_LENGTH} characters.`;
  if (!NAME_PATTERN.test(name)) return 'Username may only contain letters, digits, _ and -.';
  return undefined;
}

export async function handshake(client: Client, line: string, ctx: ServerContext): Promise<void> {
  const name = line.trim();
  const problem = checkUsername(name);
  if (problem !== undefined) return refuse(client, 'INVALID_NAME', problem);

  // Checking that the name is free and taking it must be one step: claimName (lesson 7)
  // does both under a lock, so two clients can never both get the same name.
  const outcome = await ctx.pieces.claimName(client, name, ctx);
  switch (outcome) {
    case 'taken':
      return refuse(client, 'NAME_TAKEN', `Username '${name}' is already taken.`);
    case 'reserved':
      return refuse(client, 'INVALID_NAME', `Username '${name}' is reserved.`);
    case 'gone':
      return; // the client hung up while we checked: nobody ever saw it join
    case 'ok':
      client.sendEvent({ type: 'welcome', user: client.name, users: ctx.registry.names(), text: TEXTS.welcome(client.name) });
      ctx.registry.broadcast(encodeEvent({ type: 'join', user: client.name }), client);
  }
}

function refuse(client: Client, code: ErrorEvent['code'], text: string): void {
  client.sendEvent({ type: 'error', code, text });
  client.close();
}
