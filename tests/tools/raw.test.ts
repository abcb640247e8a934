// `npm run raw` (app/client/raw.ts) against a plain TCP server of the test's own, which
// records every chunk it receives: the end of input is a half-close on every system, and
// --chunk/--delay-ms really cut what is typed into separate writes.

import net from 'node:net';
import { describe, test } from 'vitest';
import { Program } from '../harness/program.js';
import { DEADLINES, waitUntil } from '../harness/wait.js';

type OnFinished = (fn: () => void | Promise<void>) => void;

interface Peer {
  port: number;
  /** Every chunk received, in order, as text. */
  chunks: string[];
  /** Set once raw sent FIN. */
  ended: boolean;
  onChange(wake: () => void): () => void;
}

/** A server that records what one client sends, and answers a FIN with a line and its own FIN. */
async function startPeer(onTestFinished: OnFinished): Promise<Peer> {
  const wakers = new Set<() => void>();
  const wake = () => wakers.forEach((w) => w());
  const peer: Peer = { port: 0, chunks: [], ended: false, onChange: (w) => (wakers.add(w), () => wakers.delete(w)) };
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk) => {
      peer.chunks.push(chunk.toString('utf8'));
      wake();
    });
    socket.on('end', () => {
      peer.ended = true;
      wake();
      socket.end('{"type":"shutdown","text":"bye after your FIN","ts":1}\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  peer.port = (server.address() as net.AddressInfo).port;
  return peer;
}

function startRaw(onTestFinished: OnFinished, peer: Peer, flags: string[] = []): Program {
  const raw = new Program(['app/client/raw.ts', '--port', String(peer.port), ...flags], { stdin: true });
  onTestFinished(() => raw.stop());
  return raw;
}

function until<T>(raw: Program, peer: Peer, what: string, check: () => T | undefined, ms = DEADLINES.cliBoot): Promise<T> {
  return waitUntil(
    check,
    (wake) => {
      const offRaw = raw.onChange(wake);
      const offPeer = peer.onChange(wake);
      return () => (offRaw(), offPeer());
    },
    () => new Error(`waited ${ms} ms for ${what}; the server received ${JSON.stringify(peer.chunks)}; raw printed:\n${raw.output}`),
    ms,
  );
}

const endKey = process.platform === 'win32' ? 'Ctrl+Z then Enter' : 'Ctrl+D';

describe.concurrent('npm run raw', () => {
  test.for([
    ['Ctrl+Z, as a Windows console sends it', '\x1a'],
    ['Ctrl+D, as a console may send it', '\x04'],
  ])('a line of a lone %s half-closes: the server gets FIN and raw still shows its answer', async ([, key], { expect, onTestFinished }) => {
    const peer = await startPeer(onTestFinished);
    const raw = startRaw(onTestFinished, peer);
    await until(raw, peer, 'the banner', () => (raw.stdout.includes('Connected') ? true : undefined));
    expect(raw.stdout).toContain(`${endKey} to hang up`);
    raw.type(`bob\n${key}\n`);
    await until(raw, peer, 'raw to send FIN', () => (peer.ended ? true : undefined));
    expect(peer.chunks.join('')).toBe('bob\n');
    await until(raw, peer, 'raw to exit after the server closed', () => raw.exit);
    expect(raw.stdout).toContain('bye after your FIN');
    expect(raw.stdout).toContain('The server closed the connection.');
    expect(raw.exit?.code).toBe(0);
  });

  test('--chunk 2 --delay-ms 100 sends a line in pieces of two bytes, one write each', async ({ expect, onTestFinished }) => {
    const peer = await startPeer(onTestFinished);
    const raw = startRaw(onTestFinished, peer, ['--chunk', '2', '--delay-ms', '100']);
    await until(raw, peer, 'the banner', () => (raw.stdout.includes('Connected') ? true : undefined));
    expect(raw.stdout).toContain('2 byte(s) every 100 ms');
    raw.type('carol\n');
    await until(raw, peer, 'the whole line', () => (peer.chunks.join('') === 'carol\n' ? true : undefined));
    // 100 ms apart, the pieces arrive one by one: the first is not yet the line.
    expect(peer.chunks[0]).toBe('ca');
    expect(peer.chunks.length).toBeGreaterThanOrEqual(2);
  });

  test('lines typed within one delay leave together, in one write', async ({ expect, onTestFinished }) => {
    const peer = await startPeer(onTestFinished);
    const raw = startRaw(onTestFinished, peer, ['--delay-ms', '200']);
    await until(raw, peer, 'the banner', () => (raw.stdout.includes('Connected') ? true : undefined));
    raw.type('alice\nhello\n');
    await until(raw, peer, 'both lines', () => (peer.chunks.join('') === 'alice\nhello\n' ? true : undefined));
    expect(peer.chunks).toEqual(['alice\nhello\n']);
  });

  test('a bad --chunk is one line and exit code 2', async ({ expect, onTestFinished }) => {
    const peer = await startPeer(onTestFinished);
    const raw = startRaw(onTestFinished, peer, ['--chunk', '0']);
    await until(raw, peer, 'raw to exit', () => raw.exit);
    expect(raw.exit?.code).toBe(2);
    expect(raw.stderr).toContain("--chunk wants a whole number of bytes, 1 or more; got '0'.");
    expect(raw.stderr).not.toMatch(/^\s+at /m);
  });
});
