// Lesson 3: who is online, and sending a line to all of them.
// Read the lesson first: npm run lesson 3      Check your work: npm test -- lesson3

import type { Member, RegistryLike } from '../../app/server/types.js';

const todo = (what: string) => new Error(`TODO (lesson 3): Registry.${what} is not written yet. Read the lesson: npm run lesson 3`);

export class Registry<M extends Member> implements RegistryLike<M> {
  // TODO (lesson 3): keep the members somewhere. Names are unique without regard to case.

  add(member: M): void {
    throw todo('add()');
  }

  remove(member: M): void {
    throw todo('remove()');
  }

  find(name: string): M | undefined {
    throw todo('find()');
  }

  names(): string[] {
    throw todo('names()');
  }

  get size(): number {
    throw todo('size');
  }

  broadcast(line: string, except?: M): void {
    throw todo('broadcast()');
  }
}
