// Lesson 2: the student's listen() (starter/server/listen.ts), inside the reference
// server, with the suite's clients connecting to it.

import net from 'node:net';
import { describe, onTestFinished, test } from 'vitest';
import type { Listening } from '../app/server/types.js';
import { startChat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { closedPort } from './harness/proxy.js';
import { failure } from './harness/teach.js';
import { PATIENCE_MS, within } from './harness/wait.js';

const { listen } = await importMine<typeof import('../starter/server/listen.js')>('server/listen.ts');

const SECTION = {
  create: '2 (npm run lesson 2), section "From socket() to createServer()"',
  port0: '2, section "Port 0: let the system choose"',
  inUse: '2, section "EADDRINUSE: the port is taken"',
  close: '2, section "Closing a server"',
};

/** Calls the student's listen() directly, with a deadline; closes it when the test ends. */
async function listenMine(port: number, see: string): Promise<Listening> {
  const listening = await within(listen({ host: '127.0.0.1', port }, (socket) => socket.end()), PATIENCE_MS, () =>
    failure({ problem: `listen({ host: '127.0.0.1', port: ${port} }) did not settle within ${PATIENCE_MS} ms.`, expected: "the promise resolves in the server's 'listening' event", see }),
  );
  onTestFinished(() => listening.close().catch(() => {}));
  return listening;
}

/** Tries a plain TCP connection; says whether anything answered. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('lesson 2: listen()', () => {
  test('with port 0 it reports the port the system picked, and clients get the hello there', async () => {
    const chat = await startChat({ mine: ['listen'], see: SECTION.port0 });
    if (!Number.isInteger(chat.port) || chat.port <= 0) {
      throw failure({ problem: `Asked for port 0, your listen() resolved with port ${JSON.stringify(chat.port)}.`, expected: "the real port, read from server.address() inside the 'listening' event", see: SECTION.port0 });
    }
    await chat.connect('alice');
  });

  test('it listens on the host and port it is given', async () => {
    const port = await closedPort();
    const listening = await listenMine(port, SECTION.create);
    if (listening.port !== port || listening.host !== '127.0.0.1') {
      throw failure({ problem: `Asked for 127.0.0.1:${port}, your listen() resolved with ${listening.host}:${listening.port}.`, expected: `host '127.0.0.1' and port ${port}: pass options.host and options.port to server.listen()`, see: SECTION.create });
    }
    if (!(await canConnect(port))) {
      throw failure({ problem: `listen() resolved, but nothing accepts connections on 127.0.0.1:${port}.`, expected: 'a server listening there', see: SECTION.create });
    }
  });

  test('every client that connects gets the hello: one after another, then twenty at once', async () => {
    const chat = await startChat({ mine: ['listen'], see: SECTION.create });
    for (let i = 1; i <= 3; i++) (await chat.connect(`client${i}`)).close();
    await Promise.all(Array.from({ length: 20 }, (_, i) => chat.connect(`crowd${i + 1}`)));
  });

  test('a port that is in use rejects with a message that says so', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void other.close());
    const { port } = other.address() as net.AddressInfo;

    const outcome = await within(
      listen({ host: '127.0.0.1', port }, () => {}).then(
        (listening) => ({ listening }),
        (err: unknown) => ({ err }),
      ),
      PATIENCE_MS,
      () => failure({ problem: `Port ${port} was already taken; your listen() neither resolved nor rejected within ${PATIENCE_MS} ms.`, expected: "an 'error' listener that rejects the promise", see: SECTION.inUse }),
    );
    if ('listening' in outcome) {
      void outcome.listening.close();
      throw failure({ problem: `Port ${port} was already taken by another server, yet your listen() resolved.`, expected: 'a rejection (the error event has err.code EADDRINUSE)', see: SECTION.inUse });
    }
    const message = outcome.err instanceof Error ? outcome.err.message : String(outcome.err);
    if (!/in use/i.test(message)) {
      throw failure({ problem: `listen() rejected with ${JSON.stringify(message)}.`, expected: `a message a person understands, saying that port ${port} is in use (and what to do about it)`, see: SECTION.inUse });
    }
  });

  test('close() resolves, stops new connections, and frees the port', async () => {
    const port = await closedPort();
    const listening = await listenMine(port, SECTION.close);
    const closed = await within(
      Promise.resolve(listening.close()).then(() => true),
      PATIENCE_MS,
      () => failure({ problem: `close() did not resolve within ${PATIENCE_MS} ms (no client was connected).`, expected: 'close() resolves once server.close() calls back', see: SECTION.close }),
    );
    if (closed && (await canConnect(port))) {
      throw failure({ problem: `close() resolved, but 127.0.0.1:${port} still accepts connections.`, expected: 'server.close() stops the server from accepting', see: SECTION.close });
    }
    const again = await listenMine(port, SECTION.close).catch((err: Error) => {
      throw failure({ problem: `After close(), listening on port ${port} again failed: ${err.message}`, expected: 'the port is free once close() has resolved', see: SECTION.close });
    });
    await again.close();
  });
});
