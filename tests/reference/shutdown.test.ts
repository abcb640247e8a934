// PROTOCOL.md: "On SIGINT or SIGTERM the server stops accepting, sends `shutdown` to every
// connection, closes them, and exits within 2 seconds."

import net from 'node:net';
import { describe, test } from 'vitest';
import { serverForTest, Session, SOON, within } from './blackbox.js';

/** Resolves with how a fresh connection attempt ended: refused, or what it received. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    socket.on('close', () => resolve(`closed after ${JSON.stringify(data)}`));
  });
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
  test.concurrent(`every client (logged in or mid-handshake) gets shutdown, then close; the process exits 0 within 2 s`, async ({ expect, onTestFinished }) => {
    const srv = await serverForTest(['--no-rate-limit'], onTestFinished);
    const s = new Session(srv, onTestFinished);
    s.serverMayExit = true;
    const [alice, bob] = await s.loginAll('alice', 'bob');
    await alice!.expectNext('join', 'join of bob');
    const greeted = await s.greeted('mid-handshake');
    const typing = await s.greeted('typing');
    await typing.write('half-a-na');
    const clients = [alice!, bob!, greeted, typing];

    const sent = Date.now();
    srv.signal(signal);
    const exit = await within(srv.exited, SOON, `the server to exit after ${signal}`);
    const took = Date.now() - sent;
    for (const c of clients) {
      const e = await c.expectNext('shutdown', `shutdown after ${signal}`);
      expect(typeof e.text).toBe('string');
      expect((e.text as string).length).toBeGreaterThan(0);
      await c.waitClosed(`the server to close the connection after shutdown`);
      expect(c.queue, `${c.label} got events after shutdown`).toEqual([]);
    }
    expect(exit).toEqual({ code: 0, signal: null });
    expect(took, `ms from ${signal} to exit`).toBeLessThan(2000);
    expect(await tryConnect(srv.port)).toBe('ECONNREFUSED');
    expect(srv.stderr()).not.toMatch(/^\s+at /m);
  });
});

test.concurrent('shutdown also reaches a client that is not reading, and the process still exits within 2 s', async ({ expect, onTestFinished }) => {
  const srv = await serverForTest(['--no-rate-limit'], onTestFinished);
  const s = new Session(srv, onTestFinished);
  s.serverMayExit = true;
  const [alice, stuck] = await s.loginAll('alice', 'stuck');
  await alice!.expectNext('join', 'join of stuck');
  stuck!.socket.pause();
  // fill stuck's path with chat it never reads (below the slow-reader bound)
  const line = 'y'.repeat(4000) + '\n';
  await alice!.write(line.repeat(100));
  await alice!.barrier();
  const sent = Date.now();
  srv.signal('SIGINT');
  const exit = await within(srv.exited, SOON, 'the server to exit after SIGINT');
  const took = Date.now() - sent;
  expect(exit.code).toBe(0);
  expect(took, 'ms from SIGINT to exit').toBeLessThan(2000);
  expect((await alice!.expectNext('shutdown', 'shutdown')).type).toBe('shutdown');
  await alice!.waitClosed();
});
