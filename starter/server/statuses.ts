// Lesson 13: away and busy.
// Read the lesson first: npm run lesson 13      Check your work: npm test -- lesson13

import { encodeEvent, type StatusEntry, type UserStatus } from '../../app/protocol.js';
import type { Client, ServerContext, StatusesLike } from '../../app/server/types.js';

const NOTE_LIMIT = 100; // code points

const COMMANDS: ReadonlyMap<string, UserStatus> = new Map([
  ['away', 'away'],
  ['busy', 'busy'],
  ['back', 'online'],
]);

export class Statuses implements StatusesLike {
  // Keyed by the connection, not the name (a WeakMap lets a departed user's entry go).
  private readonly entries = new WeakMap<Client, StatusEntry>();

  command(client: Client, name: string, args: string, ctx: ServerContext): boolean {
    // TODO (lesson 13): not in COMMANDS → return false. Otherwise:
    //  1. The note (not for /back): ctx.pieces.stripControl(args), trimmed, cut to
    //     NOTE_LIMIT code points ([...text], not .slice: an emoji is two code units).
    //     An empty note is none: no `note` field at all.
    //  2. Remember the entry (forget it on /back), then ctx.registry.broadcast() a
    //     `status` event (user, status, note?) to the room, the user included.
    throw new Error('TODO (lesson 13): command() is not written yet. Read the lesson: npm run lesson 13');
  }

  statusesOf(names: readonly string[], ctx: ServerContext): Record<string, StatusEntry> {
    // TODO (lesson 13): an entry for each listed name whose client (ctx.registry.find)
    // is not online. Build it with Object.fromEntries: '__proto__' is a valid username.
    throw new Error('TODO (lesson 13): statusesOf() is not written yet. Read the lesson: npm run lesson 13');
  }

  whisperNotice(to: Client): string | undefined {
    // TODO (lesson 13): 'bob is away: lunch', 'bob is busy.', or undefined when online.
    throw new Error('TODO (lesson 13): whisperNotice() is not written yet. Read the lesson: npm run lesson 13');
  }
}
