// Lesson 3: who is online, and sending a line to all of them.
//
// The Python original kept a dict {socket: name} and walked it under a lock in every
// thread. In Node every callback runs to completion on the one event-loop thread, so a
// plain Map is safe: no other code can touch it while one of these methods runs.

import type { Member, RegistryLike } from '../../app/server/types.js';

export class Registry<M extends Member> implements RegistryLike<M> {
  // Keyed by the lower-cased name, so that 'Alice' and 'alice' are the same user.
  private readonly members = new Map<string, M>();

  add(member: M): void {
    this.members.set(member.name.toLowerCase(), member);
  }

  remove(member: M): void {
    const key = member.name.toLowerCase();
    // Only remove this exact member: a later user may have taken the name since.
    if (this.members.get(key) === member) this.members.delete(key);
  }

  find(name: string): M | undefined {
    return this.members.get(name.toLowerCase());
  }

  names(): string[] {
    // The names as people typed them (the keys are only for finding), sorted.
    return [...this.members.values()].map((m) => m.name).sort();
  }

  get size(): number {
    return this.members.size;
  }

  // Synchronous on purpose: send() only queues the bytes, so the loop is quick, and every
  // member has the line before any later line is handled. No await, no timer.
  broadcast(line: string, except?: M): void {
    for (const member of this.members.values()) {
      if (member !== except) member.send(line);
    }
  }
}
