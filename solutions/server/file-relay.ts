// Lesson 17: the file relay. A file never travels on the chat connection: each side opens
// a data connection of its own and sends `/file <token>`; the wiring (app/server/files.ts)
// hands that socket here. The relay pairs the two by their tokens and copies the sender's
// bytes to the receiver, no faster than the receiver takes them, checking them as they pass.
//
//   sender ──bytes──> [ socket buffer ] ─ for await ─> hash, count ─ write() ─> [ buffer ] ──> receiver
//                          ≤ 64 KiB                                              ≤ 64 KiB
//   write() returns false: stop reading until 'drain'. The sender's socket fills, TCP's
//   window closes, and the sender's own write() waits: a slow receiver slows the sender.
//
// Python:  while n < size: chunk = a.recv(65536); b.sendall(chunk)   (sendall blocks the thread)
// Node:    one thread, so nothing may block: await 'drain' is our sendall().

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
    this.tokens.set(transfer.sendToken, { transfer, role: 'send' });
    this.tokens.set(transfer.receiveToken, { transfer, role: 'receive' });
    this.transfers.set(transfer.id, {});
  }

  attach(token: string, socket: Socket): boolean {
    const side = this.tokens.get(token);
    if (side === undefined) return false; // unknown, or used already
    this.tokens.delete(token);
    const ends = this.transfers.get(side.transfer.id)!;
    if (side.role === 'send') ends.sender = socket;
    else ends.receiver = socket;
    // The first to arrive waits (its socket stays paused); the second starts the copy.
    if (ends.sender && ends.receiver) void this.run(side.transfer, ends.sender, ends.receiver);
    return true;
  }

  cancel(id: string): void {
    const ends = this.transfers.get(id);
    if (ends === undefined) return;
    this.transfers.delete(id);
    for (const [token, side] of this.tokens) if (side.transfer.id === id) this.tokens.delete(token);
    ends.sender?.destroy();
    ends.receiver?.destroy();
  }

  private async run(transfer: AcceptedTransfer, sender: Socket, receiver: Socket): Promise<void> {
    // A receiver that hangs up ends the copy: no more reading from a sender nobody listens to.
    receiver.once('close', () => sender.destroy());
    let outcome: RelayOutcome;
    try {
      outcome = await copy(sender, receiver, transfer);
    } catch {
      outcome = 'incomplete'; // a reset, or a side closed while we waited for it
    }
    sender.destroy(); // done reading: bytes past `size` that come later count for nothing
    receiver.destroy(); // copy() waited until every byte was handed to the system
    if (!this.transfers.delete(transfer.id)) return; // cancelled meanwhile: nobody is told twice
    transfer.ended(outcome);
  }
}

/** Copies exactly `size` bytes from `sender` to `receiver` with backpressure, hashing them. */
export async function copy(sender: Socket, receiver: Socket, file: { size: number; sha256: string }): Promise<RelayOutcome> {
  const hash = createHash('sha256');
  let passed = 0;
  // Each turn takes one chunk the socket has buffered; while this loop waits, nothing is read.
  for await (const chunk of sender as AsyncIterable<Buffer>) {
    if (passed + chunk.length > file.size) return 'incomplete'; // more than announced
    passed += chunk.length;
    hash.update(chunk);
    if (!receiver.write(chunk)) await drained(receiver); // its buffer is full: wait, read nothing
    if (passed === file.size) break;
  }
  if (passed < file.size) return 'incomplete'; // the sender stopped early
  await finished(receiver);
  return hash.digest('hex') === file.sha256 ? 'done' : 'corrupt';
}

/** Resolves on 'drain'; rejects if the socket closes first (a 'drain' that never comes would hang us). */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('the receiver closed'));
    const onDrain = () => {
      socket.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      socket.off('drain', onDrain);
      reject(new Error('the receiver closed'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/** Ends the socket and resolves once everything written is handed to the system. */
function finished(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('the receiver closed'));
    socket.once('close', () => reject(new Error('the receiver closed')));
    socket.end(resolve);
  });
}
