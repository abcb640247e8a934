// Lesson 17, the client's side of a file: its size and SHA-256 for /offer, its bytes sent on
// a data connection, and a received file saved in a downloads folder, checked, never over
// another. The data connection comes from app/client/data-connection.ts, already past its
// `/file <token>` line: from here on it is a stream of raw bytes, like a file.
//
//   disk ─ for await ─> write(), 'drain' ─> data connection     (send: the relay's loop)
//   data connection ─> count, hash ─> createWriteStream ─ disk  (receive: pipeline)
//
// Both carry backpressure: a full socket stops the file being read, a slow disk stops the
// socket being read. pipeline() also destroys every stream if one fails.

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
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { name: path.basename(file), size, sha256: hash.digest('hex') };
}

/**
 * Sends a file's bytes on a data connection, then waits for the server to close it: the
 * server closes once it has every byte. `onProgress` hears the bytes sent so far.
 */
export async function sendFile(socket: Duplex, file: string, onProgress: (sent: number) => void = () => {}): Promise<void> {
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.resume(); // nothing comes on this connection, but only a socket that reads sees it close
  let sent = 0;
  let full = false;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    // Wait before the next write, not after the last: once the last byte is out, the
    // server may close at any moment, and that close is success, not a failed wait.
    if (full) await drained(socket);
    full = !socket.write(chunk);
    sent += chunk.length;
    onProgress(sent);
  }
  await closed;
}

/** Resolves on 'drain'; rejects if the socket closes first (the server gave up on the transfer). */
function drained(socket: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('the server closed the data connection'));
    // Between the full write and this wait the file was read (an await): the socket may have
    // drained meanwhile. A TLS socket often has, and its 'drain' will not come again.
    if (!socket.writableNeedDrain) return resolve();
    const onDrain = () => {
      socket.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      socket.off('drain', onDrain);
      reject(new Error('the server closed the data connection'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
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
  const { file, handle } = await createUnique(folder, offer.name);
  const hash = createHash('sha256');
  let received = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > offer.size) return done(new Error(`more than the ${offer.size} bytes offered arrived`));
      hash.update(chunk);
      onProgress(received);
      done(null, chunk);
    },
  });
  try {
    await pipeline(socket, check, handle.createWriteStream());
    if (received < offer.size) throw new Error(`only ${received} of ${offer.size} bytes arrived`);
    if (hash.digest('hex') !== offer.sha256) throw new Error('the bytes that arrived are not the ones offered (their SHA-256 differs)');
    return file;
  } catch (err) {
    await handle.close().catch(() => {}); // pipeline closed it, unless it failed before starting
    await unlink(file).catch(() => {}); // a half or wrong file must not look like the real one
    throw err;
  }
}

/**
 * Creates a file in `folder` that did not exist a moment before. The 'wx' flag makes
 * "create, but fail if it exists" one step for the operating system: checking first with
 * existsSync() and then opening would leave a moment in which another program could make it.
 */
export async function createUnique(folder: string, name: string): Promise<{ file: string; handle: FileHandle }> {
  await mkdir(folder, { recursive: true });
  // A name from the network: its last part only, and no control characters.
  const safe = path.basename(name.replace(/[\\/]/g, '/')).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  const base = safe === '' || safe === '.' || safe === '..' ? 'file' : safe;
  const { name: stem, ext } = path.parse(base);
  for (let n = 0; ; n++) {
    const file = path.join(folder, n === 0 ? base : `${stem} (${n})${ext}`);
    try {
      return { file, handle: await open(file, 'wx') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

