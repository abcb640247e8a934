// Lesson 12: rooms. A broadcast is a question of *who*: the same chat line, sent to
// the members of one room instead of to everyone. One map of rooms to members lives
// beside the registry; the server's wiring asks it who hears what (extensions.ts).
//
// Presence (join and leave) costs the square of a room's size: N logins tell the others
// N²/2 times. So a room past the presence limit stays quiet about comings and goings,
// and lists only its first `limit` names (with `count`, its true size).

import { encodeEvent, type ErrorCode, type Event } from '../../app/protocol.js';
import type { Client, Listing, RoomsLike, ServerContext } from '../../app/server/types.js';

export const LOBBY = 'lobby';

/** One room: its members, and their names kept sorted, so a list is a slice, not a sort. */
interface Room {
  members: Set<Client>;
  names: string[];
}

// Checked as typed, lower-cased after: 'K' (the Kelvin sign, U+212A) lower-cases to 'k'.
const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,20}$/;

/** '#Games' → 'games'. Undefined for a name the protocol does not allow. */
export function roomName(typed: string): string | undefined {
  const name = typed.startsWith('#') ? typed.slice(1) : typed;
  return ROOM_PATTERN.test(name) ? name.toLowerCase() : undefined;
}

export class Rooms implements RoomsLike {
  private readonly rooms = new Map<string, Room>([[LOBBY, { members: new Set(), names: [] }]]);
  private readonly where = new Map<Client, string>();

  constructor(private readonly presenceLimit: number) {}

  roomOf(client: Client): string {
    return this.where.get(client) ?? LOBBY;
  }

  enter(client: Client): void {
    this.put(client, LOBBY);
  }

  exit(client: Client): string {
    const room = this.roomOf(client);
    this.take(client);
    return room;
  }

  tell(room: string, event: Event, except?: Client): void {
    const members = this.rooms.get(room)?.members;
    if (!members) return;
    // A join is told after the member came in, a leave after it went: the room's size at
    // the larger end of the change is what the limit is about, before and after alike.
    if (event.type === 'join' || event.type === 'leave') {
      const largest = event.type === 'join' ? members.size : members.size + 1;
      if (largest > this.presenceLimit) return;
    }
    const line = encodeEvent(event); // encoded once, however many members hear it
    for (const member of members) {
      if (member !== except) member.send(line);
    }
  }

  listing(room: string): Listing {
    const names = this.rooms.get(room)?.names ?? [];
    if (names.length <= this.presenceLimit) return { users: [...names] };
    return { users: names.slice(0, this.presenceLimit), count: names.length };
  }

  // The context is not needed here: the wiring replays a room's history after a move.
  command(client: Client, name: string, args: string, _ctx: ServerContext): boolean {
    if (name === 'rooms') {
      const rooms = [...this.rooms].map(([room, { members }]) => ({ name: room, users: members.size }));
      client.sendEvent({ type: 'rooms', rooms: rooms.sort((a, b) => (a.name < b.name ? -1 : 1)) });
      return true;
    }
    if (name !== 'join') return false;
    if (args === '') return refuse(client, 'USAGE', 'Usage: /join <room>');
    const to = roomName(args);
    if (to === undefined) {
      return refuse(client, 'INVALID_ROOM', 'Room names are 1 to 20 characters from a-z, 0-9, _ and -.');
    }
    this.move(client, to);
    return true;
  }

  /** One step, with no await inside: nobody can see the mover in both rooms, or in neither. */
  private move(client: Client, to: string): void {
    const from = this.roomOf(client);
    if (from === to) {
      client.sendEvent({ type: 'info', text: `You are already in #${to}.` });
      return;
    }
    this.take(client);
    this.tell(from, { type: 'leave', user: client.name, reason: 'moved', room: from });
    this.put(client, to);
    this.tell(to, { type: 'join', user: client.name, room: to }, client);
    client.sendEvent({ type: 'room', room: to, ...this.listing(to) });
  }

  private put(client: Client, name: string): void {
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = { members: new Set(), names: [] }));
    room.members.add(client);
    room.names.splice(sortedIndex(room.names, client.name), 0, client.name);
    this.where.set(client, name);
  }

  private take(client: Client): void {
    const name = this.where.get(client);
    const room = name === undefined ? undefined : this.rooms.get(name);
    if (!room || !room.members.delete(client)) return;
    this.where.delete(client);
    room.names.splice(sortedIndex(room.names, client.name), 1);
    // An empty room vanishes, so that /rooms never lists rooms nobody is in; the lobby stays.
    if (room.members.size === 0 && name !== LOBBY) this.rooms.delete(name!);
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

function refuse(client: Client, code: ErrorCode, text: string): true {
  client.sendEvent({ type: 'error', code, text });
  return true; // the command was ours, even though it failed
}
