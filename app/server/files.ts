// The files feature's wiring (PROTOCOL.md, "files"); the relay that moves the bytes is
// lesson 17's piece. This file keeps the offers and decides who is told what, and when:
//   /offer → offer_sent to the sender, offer to the recipient; 60 s to answer (expired)
//   /reject → transfer_failed rejected to both
//   /accept → transfer to both, each with its own one-use token (128 random bits);
//             the relay expects them; 30 s to open both data connections (incomplete)
//   the relay ends → transfer_done, or transfer_failed incomplete / corrupt, to both
//   a user leaves → their transfers stop; the other user gets transfer_failed gone
//
// Design: how a data connection leaves the chat. It is accepted like any connection: it
// gets `hello`, counts towards maxClients and the per-address limit, and its first line
// is decoded by lesson 4's decoder. The server keeps the raw bytes of each connection until
// its first newline has passed (a few bytes: the decoder refuses a first line over 4096
// bytes anyway). If that first line is `/file <token>`, it never reaches lesson 5's
// handshake: the server stops reading, takes the socket from the line decoder (whatever
// the decoder made of the bytes after the line is thrown away), puts those raw bytes back
// in the socket (unshift), and hands it to attach() here. The Connection is marked handed
// over: to the chat's pieces it is closed, so the handshake timer, the end-of-input
// handling and shutdown's farewell leave it alone; the relay owns the socket from then on.
// Why not a port of its own: one port is one thing to open in a firewall and one flag, and
// the limits on connections cover data connections with no extra code.

import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TransferFailure } from '../protocol.js';
import { RemoteMember } from './cluster.js';
import type { Connection } from './connection.js';
import { describeThrown } from './log.js';
import type { Client, FileRelayLike, RelayOutcome, ServerContext } from './types.js';

/** `/file <token>`: the first line of a data connection. */
const FILE_LINE = /^\/file\s+(\S+)\s*$/i;
/** A file's name as offered: 1 to 255 bytes, no path separators, no control characters. */
const MAX_NAME_BYTES = 255;
const BAD_NAME_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f]/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const TEXTS = {
  remote: (user: string) => `${user} is connected to another server of this chat, and files travel only between users of the same server.`,
};

interface Offer {
  id: string;
  from: Client;
  to: Client;
  name: string;
  size: number;
  sha256: string;
  timer: NodeJS.Timeout;
  /** Set once accepted: the tokens, and the data connections attached so far. */
  accepted?: Accepted;
}

interface Accepted {
  sendToken: string;
  receiveToken: string;
  sender?: Socket;
  receiver?: Socket;
  /** The sender's bytesRead up to the end of its `/file` line: what was not file. */
  senderHeader?: number;
  /** What had been written to the receiver (its `hello`) before the relay had it. */
  receiverHeader?: number;
}

export class Files {
  private readonly offers = new Map<string, Offer>();
  /** Which offer each unused token belongs to. */
  private readonly tokens = new Map<string, { offer: Offer; role: 'send' | 'receive' }>();
  private nextId = 1;

  constructor(
    private readonly ctx: ServerContext,
    private readonly relay: FileRelayLike,
    /** Where a relay that throws is reported: it costs its transfer, never the server. */
    private readonly log: (message: string) => void,
  ) {}

  /** The token, if `line` (a connection's first line) opens a data connection. */
  tokenOf(line: string): string | undefined {
    return FILE_LINE.exec(line)?.[1];
  }

  /** Runs /offer, /accept or /reject (`name` in lower case) and returns true; false for any other command. */
  command(client: Client, name: string, args: string): boolean {
    if (name === 'offer') this.offer(client, args);
    else if (name === 'accept' || name === 'reject') this.answer(client, name, args.trim());
    else return false;
    return true;
  }

  private offer(from: Client, args: string): void {
    const usage = 'Usage: /offer <user> <size> <sha256> <name>';
    const match = /^(\S+)\s+(\d+)\s+(\S+)\s+(.+)$/s.exec(args.trim());
    if (!match) return error(from, 'USAGE', usage);
    const [, user = '', sizeText = '', sha256 = '', fileName = ''] = match;
    const size = Number(sizeText);
    if (!SHA256_HEX.test(sha256)) return error(from, 'USAGE', `${usage} (sha256: 64 lower-case hex digits)`);
    if (Buffer.byteLength(fileName) > MAX_NAME_BYTES || BAD_NAME_CHARACTERS.test(fileName)) {
      return error(from, 'USAGE', `${usage} (name: 1 to ${MAX_NAME_BYTES} bytes, no / \\ or control characters)`);
    }
    if (size < 1) return error(from, 'USAGE', `${usage} (size: at least 1 byte)`);
    const max = this.ctx.options.maxFileBytes;
    if (size > max) return error(from, 'FILE_TOO_LARGE', `Files may be at most ${max} bytes; that one has ${size}.`);
    const to = this.ctx.registry.find(user);
    if (!to) return error(from, 'NO_SUCH_USER', `User '${user}' not found or offline.`);
    if (to === from) return error(from, 'USAGE', 'You cannot send a file to yourself.');
    // Several servers (lesson 19): the two data connections would reach two servers, and
    // no relay joins them. Refused at once, rather than an offer nobody can accept.
    if (to instanceof RemoteMember) return error(from, 'USAGE', TEXTS.remote(to.name));

    const id = String(this.nextId++);
    const timer = setTimeout(() => this.fail(offer, 'expired'), this.ctx.options.offerTimeoutMs).unref();
    const offer: Offer = { id, from, to, name: fileName, size, sha256, timer };
    this.offers.set(id, offer);
    from.sendEvent({ type: 'offer_sent', id, to: to.name, name: fileName, size });
    to.sendEvent({ type: 'offer', id, from: from.name, name: fileName, size, sha256 });
  }

  private answer(client: Client, name: 'accept' | 'reject', id: string): void {
    if (id === '') return error(client, 'USAGE', `Usage: /${name} <id>`);
    const offer = this.offers.get(id);
    if (!offer || offer.to !== client || offer.accepted) {
      return error(client, 'NO_SUCH_OFFER', `No offer ${id} waits for your answer.`);
    }
    if (name === 'reject') return this.fail(offer, 'rejected');

    clearTimeout(offer.timer);
    const sendToken = randomBytes(16).toString('hex');
    const receiveToken = randomBytes(16).toString('hex');
    offer.accepted = { sendToken, receiveToken };
    this.tokens.set(sendToken, { offer, role: 'send' });
    this.tokens.set(receiveToken, { offer, role: 'receive' });
    offer.timer = setTimeout(() => this.fail(offer, 'incomplete'), this.ctx.options.dataConnectTimeoutMs).unref();
    this.relay.expect({
      id,
      sendToken,
      receiveToken,
      size: offer.size,
      sha256: offer.sha256,
      ended: (outcome) => this.ended(offer, outcome),
    });
    offer.from.sendEvent({ type: 'transfer', id, token: sendToken, role: 'send' });
    offer.to.sendEvent({ type: 'transfer', id, token: receiveToken, role: 'receive' });
  }

  /**
   * A connection whose first line was `/file <token>`; `glued` are the bytes that came
   * after that line. A good token: the relay has the socket. A bad one: NO_SUCH_OFFER, closed.
   */
  attach(client: Connection, token: string, glued: Buffer): void {
    const socket = client.socket;
    socket.pause();
    if (glued.length > 0) socket.unshift(glued);
    const headerBytes = socket.bytesRead - glued.length;
    // The relay alone says whether a token is good: a relay that took a used one shows in the suite.
    let taken = false;
    try {
      taken = this.relay.attach(token, socket);
    } catch (err) {
      this.log(`The file relay threw in attach(): ${describeThrown(err)}`);
    }
    if (!taken) {
      client.sendEvent({ type: 'error', code: 'NO_SUCH_OFFER', text: 'That token is unknown or used: a token opens one data connection, once.' });
      return client.close();
    }
    client.handOver(); // the chat's pieces never touch this socket again
    const entry = this.tokens.get(token);
    if (!entry) return;
    this.tokens.delete(token);
    const accepted = entry.offer.accepted!;
    if (entry.role === 'send') {
      accepted.sender = socket;
      accepted.senderHeader = headerBytes;
    } else {
      accepted.receiver = socket;
      accepted.receiverHeader = socket.bytesWritten; // its hello
    }
    if (accepted.sender && accepted.receiver) clearTimeout(entry.offer.timer); // both open in time
  }

  /**
   * Bytes the relay holds now, over every transfer: read from the sender and not yet handed
   * to the system for the receiver (in socket buffers, in the relay's own code, anywhere).
   */
  heldBytes(): number {
    let held = 0;
    for (const { accepted } of this.offers.values()) {
      if (!accepted?.sender || !accepted.receiver) continue;
      const read = accepted.sender.bytesRead - (accepted.senderHeader ?? 0);
      const delivered = accepted.receiver.bytesWritten - accepted.receiver.writableLength - (accepted.receiverHeader ?? 0);
      held += Math.max(0, read - delivered);
    }
    return held;
  }

  /** A logged-in user is gone: each of their transfers stops, and the other user is told. */
  depart(client: Client): void {
    for (const offer of [...this.offers.values()]) {
      if (offer.from !== client && offer.to !== client) continue;
      this.stop(offer);
      const other = offer.from === client ? offer.to : offer.from;
      other.sendEvent({ type: 'transfer_failed', id: offer.id, reason: 'gone' });
    }
  }

  /** The server is stopping: every transfer stops, its data connections closed. */
  close(): void {
    for (const offer of [...this.offers.values()]) this.stop(offer);
  }

  private ended(offer: Offer, outcome: RelayOutcome): void {
    if (!this.offers.has(offer.id)) return;
    if (outcome !== 'done') return this.fail(offer, outcome);
    this.stop(offer);
    for (const user of [offer.from, offer.to]) user.sendEvent({ type: 'transfer_done', id: offer.id });
  }

  private fail(offer: Offer, reason: TransferFailure): void {
    if (!this.offers.has(offer.id)) return;
    this.stop(offer);
    for (const user of [offer.from, offer.to]) user.sendEvent({ type: 'transfer_failed', id: offer.id, reason });
  }

  /** Forgets an offer: its timer, its unused tokens, and (if it was accepted) the relay's part. */
  private stop(offer: Offer): void {
    clearTimeout(offer.timer);
    this.offers.delete(offer.id);
    if (!offer.accepted) return;
    this.tokens.delete(offer.accepted.sendToken);
    this.tokens.delete(offer.accepted.receiveToken);
    try {
      this.relay.cancel(offer.id);
    } catch (err) {
      this.log(`The file relay threw in cancel(): ${describeThrown(err)}`);
    }
  }
}

function error(client: Client, code: 'USAGE' | 'NO_SUCH_USER' | 'FILE_TOO_LARGE' | 'NO_SUCH_OFFER', text: string): void {
  client.sendEvent({ type: 'error', code, text });
}
