// Lesson 5: the handshake.
// Read the lesson first: npm run lesson 5      Check your work: npm test -- lesson5

import { encodeEvent, PROTOCOL_VERSION, TEXTS, type ErrorCode } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

/** Called for every new connection, before it has sent anything. */
export function admit(client: Client, ctx: ServerContext): void {
  // TODO (lesson 5):
  //  1. If ctx.connectionCount (which already counts this connection) is over
  //     ctx.options.maxClients, send error SERVER_FULL and close: no hello.
  //  2. The same per address: if ctx.options.maxPerAddress is not 0 and
  //     ctx.connectionsFrom(client.address) (this connection included, logged in or
  //     not) is over it, send error SERVER_FULL with a text that says the limit is per
  //     address, and close.
  //  3. Otherwise send `hello` with proto PROTOCOL_VERSION and text TEXTS.hello.
  //  4. Start a timer of ctx.options.handshakeTimeoutMs: if the client still has no
  //     name when it fires, send error TIMEOUT and close. A client that logs in in time
  //     must never be cut by it.
  throw new Error('TODO (lesson 5): admit() is not written yet. Read the lesson: npm run lesson 5');
}

/** Says what is wrong with a username, or returns undefined when it is well formed. */
export function checkUsername(name: string): string | undefined {
  // TODO (lesson 5): 1 to 20 characters, each from A-Z a-z 0-9 _ -
  // Return a sentence for a person ('Username cannot be empty.') or undefined.
  throw new Error('TODO (lesson 5): checkUsername() is not written yet. Read the lesson: npm run lesson 5');
}

/** Called with each line of a client that has not logged in yet: its username. */
export async function handshake(client: Client, line: string, ctx: ServerContext): Promise<void> {
  // TODO (lesson 5):
  //  1. Trim the line; if checkUsername() finds a problem, send error INVALID_NAME and close.
  //  2. Claim the name: await ctx.pieces.claimName(client, name, ctx). Its outcome is
  //     'taken' (error NAME_TAKEN, close), 'reserved' (error INVALID_NAME, close),
  //     'gone' (the client hung up meanwhile: send nothing to anyone) or 'ok'.
  //  3. On 'ok': send `welcome` (user, users: ctx.registry.names(), text TEXTS.welcome(name))
  //     to the client, and `join` to everyone else.
  throw new Error('TODO (lesson 5): handshake() is not written yet. Read the lesson: npm run lesson 5');
}

// Every handshake error is followed by closing the connection. A helper saves repeating it:
// function refuse(client: Client, code: ErrorCode, text: string): void { ... }
