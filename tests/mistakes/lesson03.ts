import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'broadcast sends the line back to its sender too',
    file: 'server/registry.ts',
    change: [{ from: 'if (member !== except) member.send(line);', to: 'member.send(line);' }],
    says: 'got their own line back',
  },
  {
    name: 'remove() does nothing, so a client that left stays online as a ghost',
    file: 'server/registry.ts',
    change: [{ from: 'if (this.members.get(key) === member) this.members.delete(key);', to: 'void key;' }],
    says: 'yet /users still lists her',
  },
  {
    name: 'remove() deletes by name, so a late remove() throws out the new user of that name',
    file: 'server/registry.ts',
    change: [{ from: 'if (this.members.get(key) === member) this.members.delete(key);', to: 'this.members.delete(key);' }],
    says: 'removed the wrong member',
  },
  {
    name: 'names are matched with their case, so Alice and alice both get in',
    file: 'server/registry.ts',
    change: [
      { from: 'this.members.set(member.name.toLowerCase(), member);', to: 'this.members.set(member.name, member);' },
      { from: 'const key = member.name.toLowerCase();', to: 'const key = member.name;' },
      { from: 'return this.members.get(name.toLowerCase());', to: 'return this.members.get(name);' },
    ],
    says: 'without regard to case',
  },
  {
    name: 'names() in the order people joined, not sorted',
    file: 'server/registry.ts',
    change: [{ from: '.map((m) => m.name).sort();', to: '.map((m) => m.name);' }],
    says: 'the right names, not sorted',
  },
  {
    name: 'names() sorted without regard to case (localeCompare), not by code unit',
    file: 'server/registry.ts',
    change: [{ from: '.map((m) => m.name).sort();', to: '.map((m) => m.name).sort((a, b) => a.localeCompare(b));' }],
    says: 'sorted without regard to case',
  },
  {
    name: 'names() lists the lower-case keys instead of the names people typed',
    file: 'server/registry.ts',
    change: [{ from: 'return [...this.members.values()].map((m) => m.name).sort();', to: 'return [...this.members.keys()].sort();' }],
    says: "'Alice' came back as 'alice'",
  },
  {
    name: 'broadcast defers each send "so as not to block the loop", and later lines overtake it',
    file: 'server/registry.ts',
    change: [{ from: 'if (member !== except) member.send(line);', to: 'if (member !== except) setImmediate(() => member.send(line));' }],
    says: 'the whisper overtook it',
  },
  {
    name: 'broadcast is async and awaits each send',
    file: 'server/registry.ts',
    change: [
      { from: 'broadcast(line: string, except?: M): void {', to: 'async broadcast(line: string, except?: M): Promise<void> {' },
      { from: 'if (member !== except) member.send(line);', to: 'if (member !== except) await member.send(line);' },
    ],
    says: 'broadcast() returned a Promise',
  },
  {
    name: 'the busy-wait from the "Try it" step was left in broadcast',
    file: 'server/registry.ts',
    change: [{ from: 'broadcast(line: string, except?: M): void {', to: 'broadcast(line: string, except?: M): void {\n    const until = Date.now() + 3000;\n    while (Date.now() < until) {}' }],
    says: 'kept the event loop busy',
  },
  {
    name: 'broadcast loops with for...in over the Map, which visits nothing (the registry on its own)',
    file: 'server/registry.ts',
    change: [{ from: 'for (const member of this.members.values()) {', to: 'for (const member in this.members) {' }],
    says: 'the loop in broadcast() never ran its body',
  },
  {
    name: 'broadcast loops with for...in over the Map: inside the server no join reaches anyone, and the suite says so before any wait for a leave or a chat times out',
    file: 'server/registry.ts',
    change: [{ from: 'for (const member of this.members.values()) {', to: 'for (const member in this.members) {' }],
    says: 'your broadcast() sent nothing at all',
  },
  {
    name: 'broadcast loops with for...in over the Map: the failure with a thousand members shows a few of its 1000 add() calls, not all',
    file: 'server/registry.ts',
    change: [{ from: 'for (const member of this.members.values()) {', to: 'for (const member in this.members) {' }],
    says: '… 990 more calls …',
  },
];
