// Lesson 17, the client's side of a file.
// Read the lesson first: npm run lesson 17      Check your work: npm test -- lesson17

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What /offer announces of a file. */
export interface FileFacts {
  /** The base name, without its folder. */
  name: string;
  size: number;
  /** 64 lower-case hex digits. */
  sha256: string;
}

/** Reads a file once, in chunks (never whole into memory): its name, size and SHA-256. */
export async function describeFile(file: string): Promise<FileFacts> {
  // TODO (lesson 17): for await over createReadStream(file): hash.update() each chunk and
  // add up the sizes. The name is path.basename(file).
  void [createHash, createReadStream];
  throw new Error('TODO (lesson 17): describeFile() is not written yet. Read the lesson: npm run lesson 17');
}

/**
 * Sends a file's bytes on a data connection, then waits for the server to close it: the
 * server closes once it has every byte. `onProgress` hears the bytes sent so far.
 */
export async function sendFile(socket: Duplex, file: string, onProgress: (sent: number) => void = () => {}): Promise<void> {
  // TODO (lesson 17): socket.resume() (a paused socket never notices its close), then
  // for await over createReadStream(file): write each chunk, count it, call onProgress.
  // Before each write, if socket.writableNeedDrain (a write() returned false and no 'drain'
  // came since), wait for 'drain' (or 'close': reject). Not the last write()'s false: the
  // 'drain' may have come while the file was read.
  // After the last chunk, wait for the socket's 'close': the server closes once it has all.
  void [pipeline, Transform];
  throw new Error('TODO (lesson 17): sendFile() is not written yet. Read the lesson: npm run lesson 17');
}

/**
 * Receives an offered file into `folder`, under its name or, if a file has it already, the
 * first free "name (1).ext", "name (2).ext"... Resolves with the path once exactly `size`
 * bytes with the offered SHA-256 are on disk; otherwise the file is deleted and it rejects.
 */
export async function receiveFile(
  socket: Duplex,
  folder: string,
  offer: { name: string; size: number; sha256: string },
  onProgress: (received: number) => void = () => {},
): Promise<string> {
  // TODO (lesson 17):
  //  1. createUnique(folder, offer.name) gives the file and its handle.
  //  2. pipeline(socket, a Transform that counts, hashes and reports, handle.createWriteStream()).
  //     More bytes than offer.size: fail the Transform (done(new Error(...))).
  //  3. Fewer than offer.size, or another SHA-256: throw.
  //  4. On any failure: unlink the file, then throw. A wrong file must not stay.
  void unlink;
  throw new Error('TODO (lesson 17): receiveFile() is not written yet. Read the lesson: npm run lesson 17');
}

/** Creates a file in `folder` that did not exist a moment before: name, "name (1).ext", ... */
export async function createUnique(folder: string, name: string): Promise<{ file: string; handle: FileHandle }> {
  // TODO (lesson 17): mkdir(folder, { recursive: true }); keep only the name's last part
  // (path.basename, after turning \ into /) without its control characters ('file' if
  // nothing, '.' or '..' is left); then try open(candidate, 'wx') for each name in turn:
  // EEXIST means "taken, try the next one"; any other error is thrown.
  void [mkdir, open, path];
  throw new Error('TODO (lesson 17): createUnique() is not written yet. Read the lesson: npm run lesson 17');
}
