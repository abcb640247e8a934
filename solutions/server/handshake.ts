// Lesson 5: the handshake. A new connection gets `hello` (or SERVER_FULL); its first
// line is its username; the server answers `welcome` (and tells everyone else `join`),
// or an error, and closes. A client that sends no name in time gets TIMEOUT.
//
// Everything a client sends is untrusted: the name is trimmed, checked against the
// protocol's rules, and only then claimed.

import { encodeEvent, PROTOCOL_VERSION, TEXTS, type ErrorCode } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

/** The pending handshake timer of each client that has not logged in yet. */
const timeouts = new WeakMap<Client, NodeJS.Timeout>();

/** Called for every new connection, before it has sent anything. */
export function admit(client: Client, ctx: ServerContext): void {
  // The real limit on connections (the listen backlog only queues the ones not yet accepted).
  // The count already includes this connection, hence `>`: with maxClients 2, the 2nd is in.
  if (ctx.connectionCount > ctx.options.maxClients) {
    return refuse(client, 'SERVER_FULL', `Server is full (${ctx.options.maxClients} connections). Try again later.`);
  }
  // One machine may not take every slot. Its count works like the total: logged in or not,
  // this connection included, lowered by the wiring however a connection ends. 0: no limit.
  const perAddress = ctx.options.maxPerAddress;
  if (perAddress > 0 && ctx.connectionsFrom(client.address) > perAddress) {
    return refuse(client, 'SERVER_FULL', `Too many connections from your address (at most ${perAddress} per address). Close one and try again.`);
  }
  client.sendEvent({ type: 'hello', proto: PROTOCOL_VERSION, text: TEXTS.hello });
  // A connection that never sends a name would hold a slot forever.
  const timer = setTimeout(() => {
    if (client.name === '') refuse(client, 'TIMEOUT', `No username within ${ctx.options.handshakeTimeoutMs / 1000} s.`);
  }, ctx.options.handshakeTimeoutMs);
  timer.unref(); // a pending timer must not keep a stopping server alive
  timeouts.set(client, timer);
}

// Anchored at both ends: the whole name must match, not just some part of it.
const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_NAME_LENGTH = 20;

/** Says what is wrong with a username, or returns undefined when it is well formed. */
export function checkUsername(name: string): string | undefined {
  if (name.length === 0) return 'Username cannot be empty.';
  if (name.length > MAX_NAME_LENGTH) return `Username must be at most ${MAX_NAME_LENGTH} characters.`;
  if (!NAME_PATTERN.test(name)) return 'Username may only contain ASCII letters (A-Z, a-z), digits, _ and -.';
  return undefined;
}

/** Called with each line of a client that has not logged in yet: its username. */
export async function handshake(client: Client, line: string, ctx: ServerContext): Promise<void> {
  const name = line.trim();
  const problem = checkUsername(name);
  if (problem !== undefined) return refuse(client, 'INVALID_NAME', problem);

  // Checking that the name is free and taking it must be one step: claimName (lesson 7)
  // does both under a lock, so two clients can never both get the same name. It awaits,
  // and the server hands us no further line of this client until we return.
  const outcome = await ctx.pieces.claimName(client, name, ctx);
  switch (outcome) {
    case 'taken':
      return refuse(client, 'NAME_TAKEN', `Username '${name}' is already taken.`);
    case 'reserved':
      return refuse(client, 'INVALID_NAME', `Username '${name}' is reserved.`);
    case 'gone':
      return; // it hung up while we checked: nobody may ever see it join
    case 'ok':
      clearTimeout(timeouts.get(client));
      client.sendEvent({ type: 'welcome', user: client.name, users: ctx.registry.names(), text: TEXTS.welcome(client.name) });
      ctx.registry.broadcast(encodeEvent({ type: 'join', user: client.name }), client);
  }
}

/** Every error of the handshake ends the connection (PROTOCOL.md, "Error codes"). */
function refuse(client: Client, code: ErrorCode, text: string): void {
  client.sendEvent({ type: 'error', code, text });
  client.close();
}
