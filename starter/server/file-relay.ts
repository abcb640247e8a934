// Lesson 17: the file relay.
// Read the lesson first: npm run lesson 17      Check your work: npm test -- lesson17

import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AcceptedTransfer, FileRelayLike, RelayOutcome } from '../../app/server/types.js';

/** What one token opens: a side of a transfer. */
interface Side {
  transfer: AcceptedTransfer;
  role: 'send' | 'receive';
}

/** A transfer's data connections, as they arrive. */
interface Ends {
  sender?: Socket;
  receiver?: Socket;
}

export class FileRelay implements FileRelayLike {
  /** Every token not used yet. Using one deletes it: a token is good once. */
  private readonly tokens = new Map<string, Side>();
  /** The transfers accepted and not ended yet, by id. */
  private readonly transfers = new Map<string, Ends>();

  expect(transfer: AcceptedTransfer): void {
    // TODO (lesson 17): both tokens point at their side of the transfer; the transfer has no ends yet.
    throw new Error('TODO (lesson 17): expect() is not written yet. Read the lesson: npm run lesson 17');
  }

  attach(token: string, socket: Socket): boolean {
    // TODO (lesson 17):
    //  1. An unknown token (or one used already): return false, take nothing.
    //  2. Delete the token (good once), keep the socket as its transfer's sender or receiver.
    //  3. When both ends are there, start the copy (without awaiting it here). Return true.
    throw new Error('TODO (lesson 17): attach() is not written yet. Read the lesson: npm run lesson 17');
  }

  /** Runs one transfer's copy, closes both sockets, and tells `ended` (unless cancelled meanwhile). */
  private async run(transfer: AcceptedTransfer, sender: Socket, receiver: Socket): Promise<void> {
    // TODO (lesson 17): outcome = await copy(...) ('incomplete' if it throws); destroy both
    // sockets; call transfer.ended(outcome) only if the transfer was still in this.transfers.
    throw new Error('TODO (lesson 17): run() is not written yet. Read the lesson: npm run lesson 17');
  }

  cancel(id: string): void {
    // TODO (lesson 17): forget the transfer and its unused tokens, destroy its sockets.
    // Its `ended` must never be called after this.
    throw new Error('TODO (lesson 17): cancel() is not written yet. Read the lesson: npm run lesson 17');
  }
}

/** Copies exactly `size` bytes from `sender` to `receiver` with backpressure, hashing them. */
export async function copy(sender: Socket, receiver: Socket, file: { size: number; sha256: string }): Promise<RelayOutcome> {
  // TODO (lesson 17):
  //  - for await (const chunk of sender): count it and hash it (createHash('sha256')).
  //    A chunk that takes the count past file.size: 'incomplete' (more than announced).
  //  - receiver.write(chunk); when it returns false, wait for 'drain' (or 'close') before
  //    reading on: that wait is the backpressure.
  //  - At exactly file.size, stop reading. Fewer bytes when the loop ends: 'incomplete'.
  //  - End the receiver, wait until it has taken everything, and compare the hash:
  //    'done', or 'corrupt'.
  void createHash;
  throw new Error('TODO (lesson 17): copy() is not written yet. Read the lesson: npm run lesson 17');
}
