// A TCP proxy between a client and a server that records every chunk in a transcript and
// can re-cut the stream on its way: one byte at a time, or in random pieces from a seed,
// so that code which assumes "one read = one message" is caught. A failure prints the seed,
// and COURSE_SEED=<seed> replays the same cuts.

import net from 'node:net';
import { onTestFinished } from 'vitest';
import type { Transcript } from './transcript.js';

export type Cutting = 'as-sent' | 'byte-by-byte' | 'random';

export interface ProxyOptions {
  targetPort: number;
  transcript: Transcript;
  /** How the client side appears in the transcript, e.g. 'your client'. */
  clientLabel: string;
  serverLabel: string;
  /** How to cut what the server sends before the client gets it. */
  toClient?: Cutting;
  /** How to cut what the client sends before the server gets it. */
  toServer?: Cutting;
  seed?: number;
}

export interface Proxy {
  port: number;
  seed: number;
}

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const seed = options.seed ?? Number(process.env.COURSE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = mulberry32(seed);
  const sockets = new Set<net.Socket>();

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: options.targetPort, host: '127.0.0.1', allowHalfOpen: true });
    for (const s of [client, upstream]) {
      s.setNoDelay(true); // Nagle must never merge the pieces we cut
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, upstream, options.clientLabel, options.serverLabel, options.toServer ?? 'as-sent');
    pipe(upstream, client, options.serverLabel, options.clientLabel, options.toClient ?? 'as-sent');
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  function pipe(from: net.Socket, to: net.Socket, fromLabel: string, toLabel: string, cutting: Cutting): void {
    // Writes are queued so that cut pieces go out as separate TCP segments, in order.
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      options.transcript.record(fromLabel, toLabel, chunk);
      const pieces = cut(chunk, cutting, random);
      chain = chain.then(async () => {
        for (const piece of pieces) {
          if (to.destroyed) return;
          await new Promise<void>((done) => to.write(piece, () => done()));
          // Let the piece leave before the next: a timer tick separates TCP segments.
          if (pieces.length > 1) await new Promise((done) => setImmediate(done));
        }
      });
    });
    from.on('end', () => {
      chain = chain.then(() => {
        to.end();
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, seed };
}

function cut(chunk: Buffer, cutting: Cutting, random: () => number): Buffer[] {
  if (cutting === 'as-sent' || chunk.length <= 1) return [chunk];
  const pieces: Buffer[] = [];
  for (let i = 0; i < chunk.length; ) {
    const size = cutting === 'byte-by-byte' ? 1 : 1 + Math.floor(random() * Math.min(16, chunk.length - i));
    pieces.push(chunk.subarray(i, i + size));
    i += size;
  }
  return pieces;
}

/** A small seeded random number generator, so that a failing cut can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A port on which nothing listens (it was free a moment ago). */
export { freePort as closedPort } from '../../tools/free-port.js';
