// Lesson 13: away and busy. A small feature on purpose: one command, one event, one
// field, end to end. /away, /busy and /back set a status and tell the user's room
// (`status`); member lists carry `statuses`; a whisper to someone away says so.

import { encodeEvent, type StatusEntry, type UserStatus } from '../../app/protocol.js';
import type { Client, ServerContext, StatusesLike } from '../../app/server/types.js';

const NOTE_LIMIT = 100; // code points

const COMMANDS: ReadonlyMap<string, UserStatus> = new Map([
  ['away', 'away'],
  ['busy', 'busy'],
  ['back', 'online'],
]);

export class Statuses implements StatusesLike {
  // Keyed by the connection, not the name: a user who leaves takes their status along
  // (a WeakMap lets it go), and whoever logs in next with that name starts online.
  private readonly entries = new WeakMap<Client, StatusEntry>();
  // Who is away or busy, so that a welcome in a room where nobody is skips the look-ups
  // (5,000 logins into a lobby of 500 listed names would otherwise make 2.5 million).
  private readonly notOnline = new Set<Client>();

  command(client: Client, name: string, args: string, ctx: ServerContext): boolean {
    const status = COMMANDS.get(name);
    if (status === undefined) return false;
    // The note is untrusted text that others will see: no control characters, trimmed, bounded.
    const note = status === 'online' ? '' : [...ctx.pieces.stripControl(args).trim()].slice(0, NOTE_LIMIT).join('');
    const entry: StatusEntry = note === '' ? { status } : { status, note };
    if (status === 'online') this.entries.delete(client);
    else this.entries.set(client, entry);
    if (status === 'online') this.notOnline.delete(client);
    else this.notOnline.add(client);
    // ctx.registry is the user's room (everyone, without rooms); the user hears it too.
    ctx.registry.broadcast(encodeEvent({ type: 'status', user: client.name, ...entry }));
    return true;
  }

  statusesOf(names: readonly string[], ctx: ServerContext): Record<string, StatusEntry> {
    for (const client of this.notOnline) if (client.closed) this.notOnline.delete(client); // gone since
    if (this.notOnline.size === 0) return {};
    // Online users get no entry: `{}` when all are. fromEntries, not statuses[name] = ...:
    // '__proto__' is a valid username, and assigning it would set the object's prototype.
    return Object.fromEntries(names.flatMap((name) => {
      const client = ctx.registry.find(name);
      const entry = client && this.entries.get(client);
      return entry ? [[name, entry]] : [];
    }));
  }

  whisperNotice(to: Client): string | undefined {
    const entry = this.entries.get(to);
    if (!entry) return undefined;
    return entry.note ? `${to.name} is ${entry.status}: ${entry.note}` : `${to.name} is ${entry.status}.`;
  }
}
