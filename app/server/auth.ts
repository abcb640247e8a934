// The auth feature's wiring (PROTOCOL.md, "auth"); the accounts themselves (hashing,
// checking, the late answer and the limit on tries) are lesson 15's piece. This file
// decides *when*:
//
//   C: alice            ── registered, and not online? ──no──> lesson 5's handshake, as ever
//                                 │yes
//   S: password  <────────────────┘
//   C: (password)       ── accounts.checkPassword() ──right──> lesson 5's handshake, with the
//                                 │wrong                        name as registered: welcome
//   S: error AUTH_FAILED, close <─┘  (no sooner than 500 ms after the password line)
//
// Design. Lesson 5's handshake piece stays exactly as students wrote it: the password step
// runs in front of it and hands it the name only once the password is right. Until then the
// client's name is still '', so lesson 5's one handshake timer, started at connect, covers
// the password line too. A registered name that is online goes straight to the handshake,
// which answers NAME_TAKEN at once, with no password asked. The password line is never kept,
// logged or sent anywhere: it goes to the accounts piece and nowhere else.
// The accounts keep their rows in a store (SQLite, or Redis with --redis: extensions.ts
// picks), so looking a name up takes a round trip: the client may hang up meanwhile. A
// store that cannot answer (Redis away) costs the login or /register, never the server:
// the client is told in an `info`, and a login is closed, since nobody can say whether
// its name needs a password.

import { describeThrown } from './log.js';
import type { AccountsLike, Client, ServerContext } from './types.js';

/** How the log line begins when the accounts piece (or its store) throws. */
export const ACCOUNTS_FAILED = 'The accounts piece (or its store) failed';

/** PROTOCOL.md: a password is 8 to 128 characters. */
export const PASSWORD_LENGTH = { min: 8, max: 128 };

export class Auth {
  /** Clients that were asked for a password: the name they log in as, as registered. */
  private readonly asked = new WeakMap<Client, string>();

  constructor(
    private readonly accounts: AccountsLike,
    private readonly log: (message: string) => void,
  ) {}

  /** True when the client's next line is its password (never log that line). */
  awaitsPassword(client: Client): boolean {
    return this.asked.has(client);
  }

  /**
   * A line of a client that has not logged in. Returns the name to hand lesson 5's
   * handshake, or undefined when the password step has taken the line.
   */
  async beforeHandshake(client: Client, line: string, ctx: ServerContext): Promise<string | undefined> {
    const registered = this.asked.get(client);
    if (registered === undefined) {
      const name = line.trim();
      const owner = await this.ask(client, () => this.accounts.registeredName(name));
      if (owner === UNAVAILABLE || client.closed) return undefined; // hung up or timed out meanwhile
      if (owner === undefined || ctx.registry.find(owner)) return line; // version 1's path, NAME_TAKEN included
      this.asked.set(client, owner);
      client.sendEvent({ type: 'password', text: `Password for ${owner}:` });
      return undefined;
    }
    this.asked.delete(client);
    const right = await this.ask(client, () => this.accounts.checkPassword(registered, line.trim()));
    if (right === UNAVAILABLE || client.closed) return undefined; // timed out or hung up meanwhile
    if (right) return registered;
    client.sendEvent({ type: 'error', code: 'AUTH_FAILED', text: `Wrong password for ${registered}.` });
    client.close();
    return undefined;
  }

  /** Runs /register <password>: resolves true once answered, or returns false for any other command. */
  command(client: Client, name: string, args: string): Promise<true> | false {
    if (name !== 'register') return false;
    return this.register(client, args.trim());
  }

  private async register(client: Client, password: string): Promise<true> {
    const { min, max } = PASSWORD_LENGTH;
    if ([...password].length < min || [...password].length > max) {
      client.sendEvent({ type: 'error', code: 'USAGE', text: `Usage: /register <password>, ${min} to ${max} characters.` });
      return true;
    }
    const done = await this.ask(client, () => this.accounts.register(client.name, password));
    if (done === UNAVAILABLE) {
      client.sendEvent({ type: 'info', text: `${client.name} could not be registered: the accounts cannot be reached right now. Try again in a moment.` });
    } else if (!done) {
      client.sendEvent({ type: 'error', code: 'USAGE', text: `${client.name} is registered already.` });
    } else {
      client.sendEvent({ type: 'info', text: `${client.name} is registered: from now on, logging in as ${client.name} asks for this password.` });
    }
    return true;
  }

  /**
   * Runs one call of the accounts piece. If it fails (its store could not answer, or the
   * piece threw), the server logs why and, for a client still logging in, says so and
   * closes the connection; the caller gets UNAVAILABLE.
   */
  private async ask<T>(client: Client, call: () => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    try {
      return await call();
    } catch (err) {
      this.log(`${ACCOUNTS_FAILED} for connection ${client.id}: ${describeThrown(err)}`);
      if (client.name === '' && !client.closed) {
        client.sendEvent({ type: 'info', text: 'Registered names cannot be checked right now: try again in a moment.' });
        client.close();
      }
      return UNAVAILABLE;
    }
  }
}

/** What Auth.ask() gives when the accounts could not answer. */
const UNAVAILABLE = Symbol('unavailable');
