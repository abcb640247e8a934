// The file-transfer case (PROTOCOL.md, "files"; lesson 17): two users, one file through the
// server's relay on data connections of their own. Reported: MB/s from the first byte sent
// to the last byte received; the server process's memory, peak against the moment before
// (RSS from /proc: Linux; it counts buffers the garbage collector has not freed yet too);
// and the most bytes in flight (sent by alice, not yet read by bob), sampled every 10 ms.
// With `readBytesPerSecond` the receiver reads at that pace: with backpressure, alice is
// held back and the bytes in flight stay at the sockets' buffers; without, the relay hoards.

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type net from 'node:net';
import { openDataConnection } from '../../app/client/data-connection.js';
import { LoadClient } from './load-client.js';
import type { Figures } from './scenarios.js';
import type { ServerProcess } from './server-process.js';

const MB = 1024 * 1024;
const CHUNK = 256 * 1024;
/** Nothing here may wait for ever: the whole case ends within this. */
const DEADLINE_MS = 120_000;

export async function fileTransfer(server: ServerProcess, megabytes: number, readBytesPerSecond?: number): Promise<Figures> {
  const size = megabytes * MB;
  const chunk = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) chunk[i] = (i * 2654435761) >>> 24; // not all zeros, the same every run
  const hash = createHash('sha256');
  for (let sent = 0; sent < size; sent += CHUNK) hash.update(chunk);
  const sha256 = hash.digest('hex');

  const [alice, bob] = await Promise.all([LoadClient.login(server.port, 0), LoadClient.login(server.port, 1)]);
  const events = (client: LoadClient) => {
    const seen: { type: string; [k: string]: unknown }[] = [];
    const waiters: (() => void)[] = [];
    client.onOther = (event) => {
      seen.push(event);
      for (const w of waiters.splice(0)) w();
    };
    return (type: string) =>
      new Promise<{ [k: string]: unknown }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`b${client.index} got no ${type} within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
        const look = () => {
          const found = seen.find((e) => e.type === type);
          if (found) {
            clearTimeout(timer);
            return resolve(found);
          }
          waiters.push(look);
        };
        look();
      });
  };
  const aliceSees = events(alice);
  const bobSees = events(bob);
  alice.socket.write(`/offer ${LoadClient.name(1)} ${size} ${sha256} bench.bin\n`);
  const offer = await bobSees('offer');
  bob.socket.write(`/accept ${String(offer.id)}\n`);
  const [send, receive] = await Promise.all([aliceSees('transfer'), bobSees('transfer')]);
  const address = { host: '127.0.0.1', port: server.port };
  const [sender, receiver] = await Promise.all([openDataConnection(address, String(send.token)), openDataConnection(address, String(receive.token))]);

  const rssBefore = server.rssBytes();
  let rssPeak = rssBefore;
  // In flight: handed to the system by alice, not yet read by bob. With backpressure that is
  // the sockets' buffers on the way (a few MB on loopback); without, the relay's hoard too.
  const header = sender.bytesWritten; // the /file line
  let inFlightPeak = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, server.rssBytes());
    inFlightPeak = Math.max(inFlightPeak, sender.bytesWritten - sender.writableLength - header - received);
  }, 10);
  const cpuBefore = server.cpuSeconds();
  const t0 = performance.now();
  let received = 0;
  const arrived = new Promise<void>((resolve) => receiver.once('close', () => resolve()));
  // A slow receiver stops reading whenever it is ahead of its pace; a timer lets it read on.
  const allowed = () => (readBytesPerSecond === undefined ? Infinity : ((performance.now() - t0) / 1000) * readBytesPerSecond);
  receiver.on('data', (data: Buffer) => {
    received += data.length;
    if (received >= allowed()) receiver.pause();
  });
  receiver.on('error', () => {});
  const pacer = readBytesPerSecond === undefined ? undefined : setInterval(() => received < allowed() && receiver.resume(), 5);
  receiver.resume();
  await writeAll(sender, chunk, size);
  await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, DEADLINE_MS))]);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  if (pacer) clearInterval(pacer);
  const done = await Promise.all([aliceSees('transfer_done').catch(() => undefined), bobSees('transfer_done').catch(() => undefined)]);
  const figures: Figures = {
    fileMB: megabytes,
    receivedMB: round(received / MB, 1),
    done: done.every(Boolean) ? 1 : 0,
    mbPerSecond: round(received / MB / seconds, 1),
    serverCpuSeconds: round(server.cpuSeconds() - cpuBefore, 2),
    serverRssBeforeMB: round(rssBefore / MB, 1),
    serverRssPeakMB: round(rssPeak / MB, 1),
    serverRssGrowthMB: round((rssPeak - rssBefore) / MB, 1),
    inFlightPeakMB: round(inFlightPeak / MB, 1),
  };
  if (readBytesPerSecond !== undefined) figures.receiverReadsMBPerSecond = round(readBytesPerSecond / MB, 1);
  for (const c of [alice, bob]) c.close();
  sender.destroy();
  receiver.destroy();
  return figures;
}

/** Writes `size` bytes of `chunk`, waiting for 'drain' whenever write() says so. */
async function writeAll(socket: net.Socket, chunk: Buffer, size: number): Promise<void> {
  socket.on('error', () => {});
  for (let sent = 0; sent < size && !socket.destroyed; sent += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
    if (!socket.write(part)) {
      await new Promise<void>((resolve) => {
        const go = () => {
          socket.off('drain', go);
          socket.off('close', go);
          resolve();
        };
        socket.on('drain', go);
        socket.on('close', go);
      });
    }
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
