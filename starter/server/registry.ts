// Lesson 3: who is online, and sending a line to all of them.
// Read the lesson first: npm run lesson 3      Check your work: npm test -- lesson3

import type { Member, RegistryLike } from '../../app/server/types.js';

// The server keeps one Registry of the users who are logged in. A member is anything with a
// `name` and a `send(line)`; in the server it is a client's connection. Everything here runs
// on the one event-loop thread, so a plain Map or Set needs no lock.
export class Registry<M extends Member> implements RegistryLike<M> {
  // TODO (lesson 3): keep the members somewhere. Names are unique without regard to case:
  // 'Alice' and 'alice' are the same user.

  /** TODO: remember this member (its name is already checked and free). */
  add(member: M): void {
    throw new Error('TODO (lesson 3): Registry.add() is not written yet. Read the lesson: npm run lesson 3');
  }

  /** TODO: forget this exact member. The server calls it when a client leaves. A member who is
   *  not here (any more) changes nothing, and neither does an older member whose name a
   *  new user has taken since. */
  remove(member: M): void {
    throw new Error('TODO (lesson 3): Registry.remove() is not written yet. Read the lesson: npm run lesson 3');
  }

  /** TODO: the member with this name, without regard to case ('ALICE' finds Alice), or undefined. */
  find(name: string): M | undefined {
    throw new Error('TODO (lesson 3): Registry.find() is not written yet. Read the lesson: npm run lesson 3');
  }

  /** TODO: every member's name as it was given ('Alice', not 'alice'), sorted. */
  names(): string[] {
    throw new Error('TODO (lesson 3): Registry.names() is not written yet. Read the lesson: npm run lesson 3');
  }

  /** TODO: how many members there are. */
  get size(): number {
    throw new Error('TODO (lesson 3): Registry.size is not written yet. Read the lesson: npm run lesson 3');
  }

  /** TODO: member.send(line) for every member except `except` (the sender), once each, before
   *  returning. No async, no await, no timers: send() only queues the bytes, so it is fast. */
  broadcast(line: string, except?: M): void {
    throw new Error('TODO (lesson 3): Registry.broadcast() is not written yet. Read the lesson: npm run lesson 3');
  }
}
