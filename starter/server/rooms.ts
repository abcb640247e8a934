// Lesson 12: rooms.
// Read the lesson first: npm run lesson 12      Check your work: npm test -- lesson12

import { encodeEvent, type ErrorCode, type Event } from '../../app/protocol.js';
import type { Client, Listing, RoomsLike, ServerContext } from '../../app/server/types.js';

export const LOBBY = 'lobby';

/** One room: its members, and their names kept sorted, so a list is a slice, not a sort. */
interface Room {
  members: Set<Client>;
  names: string[];
}

/** '#Games' → 'games'. Undefined for a name the protocol does not allow. */
export function roomName(typed: string): string | undefined {
  // TODO (lesson 12): drop one leading '#'; check the rest as typed: 1 to 20 characters
  // from A-Z a-z 0-9 _ - (anchored at both ends); only then lower-case it.
  throw new Error('TODO (lesson 12): roomName() is not written yet. Read the lesson: npm run lesson 12');
}

export class Rooms implements RoomsLike {
  // The map of rooms to members, beside the registry. The lobby always exists.
  private readonly rooms = new Map<string, Room>([[LOBBY, { members: new Set(), names: [] }]]);
  // Which room each member is in.
  private readonly where = new Map<Client, string>();

  constructor(private readonly presenceLimit: number) {}

  roomOf(client: Client): string {
    // TODO (lesson 12): the room `where` holds for this client ('lobby' if none).
    throw new Error('TODO (lesson 12): roomOf() is not written yet. Read the lesson: npm run lesson 12');
  }

  enter(client: Client): void {
    // TODO (lesson 12): a user who has just logged in goes into the lobby (see put()).
    throw new Error('TODO (lesson 12): enter() is not written yet. Read the lesson: npm run lesson 12');
  }

  exit(client: Client): string {
    // TODO (lesson 12): take the client out of its room (see take()) and return that room.
    throw new Error('TODO (lesson 12): exit() is not written yet. Read the lesson: npm run lesson 12');
  }

  tell(room: string, event: Event, except?: Client): void {
    // TODO (lesson 12):
    //  1. A join or leave only while the room is within this.presenceLimit at the larger
    //     end of the change: a join is told after the member came in (size now), a leave
    //     after it went (size now + 1).
    //  2. encodeEvent() once; send the line to every member of the room but `except`.
    throw new Error('TODO (lesson 12): tell() is not written yet. Read the lesson: npm run lesson 12');
  }

  listing(room: string): Listing {
    // TODO (lesson 12): { users } with the sorted names (a copy), or, past the presence
    // limit, { users: the first presenceLimit names, count: how many there are }.
    throw new Error('TODO (lesson 12): listing() is not written yet. Read the lesson: npm run lesson 12');
  }

  command(client: Client, name: string, args: string, _ctx: ServerContext): boolean {
    // TODO (lesson 12):
    //   /rooms → `rooms` with [{ name, users }] for every room, sorted by name
    //   /join <room> → error USAGE without a name, INVALID_ROOM for a bad one (roomName()),
    //                  otherwise move(); any other command → return false (not ours)
    throw new Error('TODO (lesson 12): command() is not written yet. Read the lesson: npm run lesson 12');
  }

  /** One step, with no await inside: nobody can see the mover in both rooms, or in neither. */
  private move(client: Client, to: string): void {
    // TODO (lesson 12): the room you are in → info. Otherwise: take() the client out, tell
    // the old room `leave` (reason 'moved', room), put() it in the new room, tell that
    // room `join` (room) except the mover, and send the mover `room` with this.listing().
    throw new Error('TODO (lesson 12): move() is not written yet. Read the lesson: npm run lesson 12');
  }

  private put(client: Client, name: string): void {
    // TODO (lesson 12): create the room if it does not exist; add the member, its name at
    // sortedIndex(), and remember where it is.
    throw new Error('TODO (lesson 12): put() is not written yet. Read the lesson: npm run lesson 12');
  }

  private take(client: Client): void {
    // TODO (lesson 12): remove the member and its name; delete the room once it is empty,
    // unless it is the lobby.
    throw new Error('TODO (lesson 12): take() is not written yet. Read the lesson: npm run lesson 12');
  }
}

/** Where `name` is, or goes, in a sorted array: by code unit, as JavaScript's sort() orders. */
function sortedIndex(names: string[], name: string): number {
  let low = 0;
  let high = names.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (names[mid]! < name) low = mid + 1;
    else high = mid;
  }
  return low;
}

// Errors of /join answer the sender and keep the connection open:
// function refuse(client: Client, code: ErrorCode, text: string): true { ... }
