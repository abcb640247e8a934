// Lesson 5: the handshake.
// Read the lesson first: npm run lesson 5      Check your work: npm test -- lesson5

import { encodeEvent, PROTOCOL_VERSION, TEXTS } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

/** Called for every new connection, before it sends anything. */
export function admit(client: Client, ctx: ServerContext): void {
  // TODO (lesson 5): refuse with SERVER_FULL when ctx.connectionCount is over the limit;
  // otherwise send `hello` and give the client handshakeTimeoutMs to send its name.
  throw new Error('TODO (lesson 5): admit() is not written yet. Read the lesson: npm run lesson 5');
}

/** Says what is wrong with a username, or returns undefined when it is well formed. */
export function checkUsername(name: string): string | undefined {
  // TODO (lesson 5): 1 to 20 characters from A-Z a-z 0-9 _ -
  throw new Error('TODO (lesson 5): checkUsername() is not written yet. Read the lesson: npm run lesson 5');
}

export async function handshake(client: Client, line: string, ctx: ServerContext): Promise<void> {
  // TODO (lesson 5): check the name, claim it with ctx.pieces.claimName(), then send
  // `welcome` to the client and `join` to everyone else, or an error and close.
  throw new Error('TODO (lesson 5): handshake() is not written yet. Read the lesson: npm run lesson 5');
}
