// What both chat clients (the CLI and the full-screen chat) do for files (PROTOCOL.md,
// "files"), around lesson 17's client piece:
//
//   /send bob song.ogg   → describeFile() → "/offer bob SIZE SHA256 song.ogg"
//   offer (to you)       → remembered; "/accept" alone takes the newest
//   transfer, role send  → a data connection → sendFile()
//   transfer, receive    → a data connection → receiveFile() into the downloads folder
//   transfer_done/failed → forgotten
//
// It draws nothing: it tells the client what to show (say) and how far each file has got
// (progress), and the client prints a line or draws a bar.

import type { Duplex } from 'node:stream';
import type { OfferEvent, UnknownEvent, WireEvent } from '../protocol.js';
import { openDataConnection, type DataAddress } from './data-connection.js';

/** Lesson 17's client piece (client/file-transfer.ts), from whichever tree runs. */
export interface FilePiece {
  describeFile(file: string): Promise<{ name: string; size: number; sha256: string }>;
  sendFile(socket: Duplex, file: string, onProgress?: (sent: number) => void): Promise<void>;
  receiveFile(socket: Duplex, folder: string, offer: { name: string; size: number; sha256: string }, onProgress?: (received: number) => void): Promise<string>;
}

/** One file on the move, as a progress bar shows it. */
export interface TransferProgress {
  id: string;
  role: 'send' | 'receive';
  name: string;
  /** The other user. */
  peer: string;
  size: number;
  /** Bytes so far. */
  done: number;
}

export interface FileClient {
  /** Where data connections go: the chat server's address. */
  address: DataAddress;
  /** Where received files are saved. */
  downloads: string;
  piece: FilePiece;
  /** Sends one line on the chat connection. */
  send(line: string): void;
  /** A line for the user. */
  say(kind: 'info' | 'error', text: string): void;
  /** A file moved on (or, with `ended`, stopped moving: its bar goes). */
  progress(transfer: TransferProgress, ended?: boolean): void;
}

/** The least time between two progress reports of one transfer. */
const PROGRESS_EVERY_MS = 100;

/** The commands this handles, for /help texts. */
export const FILE_COMMANDS = '/send USER PATH, /accept [ID], /reject [ID]';

export class FileTransfers {
  /** Offers made to us, by id, oldest first. */
  private readonly offered = new Map<string, OfferEvent>();
  /** Our /offer lines not answered yet: matched to offer_sent by name, size and user. */
  private readonly asked: { to: string; name: string; size: number; file: string }[] = [];
  /** Our offers, by id. */
  private readonly ours = new Map<string, { to: string; name: string; size: number; file: string }>();
  /** Transfers whose bytes move now, by id. */
  private readonly moving = new Map<string, TransferProgress>();

  constructor(private readonly client: FileClient) {}

  /** Runs /send, /accept or /reject and returns true; false for any other line. */
  command(line: string): boolean {
    const match = /^\/(send|accept|reject)(?:\s+(.*))?$/is.exec(line.trim());
    if (!match) return false;
    const name = match[1]!.toLowerCase();
    const args = (match[2] ?? '').trim();
    if (name === 'send') void this.offer(args);
    else this.answer(name as 'accept' | 'reject', args);
    return true;
  }

  /** Every event from the server passes here (those that are not about files are ignored). */
  onEvent(event: WireEvent | UnknownEvent): void {
    switch (event.type) {
      case 'offer':
        this.offered.set(String(event.id), event);
        return;
      case 'offer_sent': {
        const at = this.asked.findIndex((a) => a.name === event.name && a.size === event.size && a.to.toLowerCase() === String(event.to).toLowerCase());
        if (at !== -1) this.ours.set(String(event.id), this.asked.splice(at, 1)[0]!);
        return;
      }
      case 'transfer':
        return void this.start(String(event.id), event.role, String(event.token));
      case 'transfer_done':
      case 'transfer_failed':
        this.offered.delete(String(event.id));
        this.ours.delete(String(event.id));
        return;
    }
  }

  private async offer(args: string): Promise<void> {
    const match = /^(\S+)\s+(.+)$/.exec(args);
    if (!match) return this.client.say('error', 'Usage: /send USER PATH (the path of a file on this computer)');
    const [, to = '', typed = ''] = match;
    const file = typed.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    let facts;
    try {
      facts = await this.client.piece.describeFile(file);
    } catch (err) {
      return this.client.say('error', `Cannot send ${file}: ${reason(err)}`);
    }
    this.asked.push({ to, name: facts.name, size: facts.size, file });
    this.client.send(`/offer ${to} ${facts.size} ${facts.sha256} ${facts.name}`);
  }

  private answer(name: 'accept' | 'reject', id: string): void {
    const chosen = id !== '' ? id : [...this.offered.keys()].pop();
    if (chosen === undefined) return this.client.say('error', `No offer to ${name}.`);
    this.client.send(`/${name} ${chosen}`);
  }

  private async start(id: string, role: 'send' | 'receive', token: string): Promise<void> {
    const offer = role === 'send' ? this.ours.get(id) : this.offered.get(id);
    if (!offer) return; // not ours to move (another client of this user, or forgotten)
    const size = Number(offer.size);
    const name = String(offer.name);
    const peer = 'from' in offer ? String(offer.from) : offer.to;
    const progress: TransferProgress = { id, role, name, peer, size, done: 0 };
    this.moving.set(id, progress);
    this.client.progress(progress);
    // A chunk is 64 KiB: a 60 MB file is a thousand of them. Redrawing for each would slow
    // the transfer down, so progress is told at most every 100 ms (and at the end).
    let toldAt = 0;
    const onProgress = (done: number) => {
      progress.done = done;
      const now = Date.now();
      if (now - toldAt < PROGRESS_EVERY_MS && done < size) return;
      toldAt = now;
      this.client.progress(progress);
    };
    try {
      const socket = await openDataConnection(this.client.address, token);
      if (role === 'send') {
        await this.client.piece.sendFile(socket, (offer as { file: string }).file, onProgress);
      } else {
        const saved = await this.client.piece.receiveFile(socket, this.client.downloads, offer as OfferEvent, onProgress);
        this.client.say('info', `Saved ${name} from ${peer} as ${saved}`);
      }
    } catch (err) {
      this.client.say('error', `${role === 'send' ? 'Sending' : 'Receiving'} ${name} stopped: ${reason(err)}`);
    } finally {
      this.moving.delete(id);
      this.client.progress(progress, true);
    }
  }
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EISDIR') return 'that is a folder, not a file';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message ?? String(err);
}
