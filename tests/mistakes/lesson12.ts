import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'tells every room, not the one asked for',
    file: 'server/rooms.ts',
    change: [{ from: 'const members = this.rooms.get(room)?.members;', to: 'const members = new Set([...this.rooms.values()].flatMap((r) => [...r.members]));' }],
    says: 'chat never crosses rooms',
  },
  {
    name: 'tells the old room before taking the mover out of it',
    file: 'server/rooms.ts',
    change: [
      {
        from: "this.take(client);\n    this.tell(from, { type: 'leave', user: client.name, reason: 'moved', room: from });",
        to: "this.tell(from, { type: 'leave', user: client.name, reason: 'moved', room: from });\n    this.take(client);",
      },
    ],
    says: 'no leave or join of its own',
  },
  {
    name: 'never deletes an empty room',
    file: 'server/rooms.ts',
    change: [{ from: 'if (room.members.size === 0 && name !== LOBBY) this.rooms.delete(name!);', to: '' }],
    says: 'take() deletes a room once its last member leaves',
  },
  {
    name: 'deletes the lobby too when it empties',
    file: 'server/rooms.ts',
    change: [{ from: 'if (room.members.size === 0 && name !== LOBBY)', to: 'if (room.members.size === 0)' }],
    says: 'it always exists',
  },
  {
    name: 'lower-cases the room name before checking it',
    file: 'server/rooms.ts',
    change: [{ from: 'return ROOM_PATTERN.test(name) ? name.toLowerCase() : undefined;', to: 'return ROOM_PATTERN.test(name.toLowerCase()) ? name.toLowerCase() : undefined;' }],
    says: 'check the name as typed',
  },
  {
    name: 'keeps the leading #',
    file: 'server/rooms.ts',
    change: [{ from: "const name = typed.startsWith('#') ? typed.slice(1) : typed;", to: 'const name = typed;' }],
    says: 'a leading # is dropped',
  },
  {
    name: 'counts a leave\'s room after the change only',
    file: 'server/rooms.ts',
    change: [{ from: "const largest = event.type === 'join' ? members.size : members.size + 1;", to: 'const largest = members.size;' }],
    says: 'the limit holds for before and after',
  },
  {
    name: 'never cuts a member list',
    file: 'server/rooms.ts',
    change: [{ from: 'if (names.length <= this.presenceLimit) return { users: [...names] };', to: 'return { users: [...names] };' }],
    says: 'the first 3 names in sorted order',
  },
  {
    name: 'lists rooms in the order they were made',
    file: 'server/rooms.ts',
    change: [{ from: 'rooms: rooms.sort((a, b) => (a.name < b.name ? -1 : 1))', to: 'rooms' }],
    says: 'sorted by name',
  },
  {
    name: 'forgets to return true after answering /rooms',
    file: 'server/rooms.ts',
    change: [{ from: "rooms.sort((a, b) => (a.name < b.name ? -1 : 1)) });\n      return true;\n", to: "rooms.sort((a, b) => (a.name < b.name ? -1 : 1)) });\n" }],
    says: 'command() must return true for /rooms',
  },
  {
    name: 'applies the presence limit to every event, chat included',
    file: 'server/rooms.ts',
    change: [{ from: "if (event.type === 'join' || event.type === 'leave') {", to: '{' }],
    says: 'the limit is about join and leave only',
  },
  {
    name: 'take() leaves the name in the sorted names',
    file: 'server/rooms.ts',
    change: [{ from: 'room.names.splice(sortedIndex(room.names, client.name), 1);', to: '' }],
    says: "from the room's sorted names",
  },
  {
    name: 'cuts a list of exactly the limit',
    file: 'server/rooms.ts',
    change: [{ from: 'if (names.length <= this.presenceLimit)', to: 'if (names.length < this.presenceLimit)' }],
    says: 'a list of exactly the limit is not cut',
  },
];
