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
  halfOpen: '2, section "allowHalfOpen, in one sentence"',
};

/** Calls the student's listen() directly, with a deadline; closes it when the test ends. */
async function listenMine(port: number, see: string): Promise<Listening> {
  const listening = await within(listen({ host: '127.0.0.1', port }, (socket) => socket.end()), PATIENCE_MS, () =>
    failure({ problem: `listen({ host: '127.0.0.1', port: ${port} }) did not settle within ${PATIENCE_MS} ms.`, expected: "the promise resolves in the server's 'listening' event", see }),
  );
  onTestFinished(() => listening.close().catch(() => {}));
  return listening;
}

/** Calls the student's listen() and expects it to reject; returns the error. */
async function listenFails(host: string, port: number, why: string, see: string): Promise<Error & { cause?: unknown }> {
  const outcome = await within(
    listen({ host, port }, () => {}).then(
      (listening) => ({ listening }),
      (err: unknown) => ({ err }),
    ),
    PATIENCE_MS,
    () => failure({ problem: `${why}; your listen() neither resolved nor rejected within ${PATIENCE_MS} ms.`, expected: "an 'error' listener that rejects the promise", see }),
  );
  if ('listening' in outcome) {
    void outcome.listening.close();
    throw failure({ problem: `${why}, yet your listen() resolved.`, expected: "a rejection: listening failed with an 'error' event", see });
  }
  const err = outcome.err instanceof Error ? outcome.err : new Error(String(outcome.err));
  return err;
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

  test('a port that is in use rejects with a message that says so, and what to do', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void other.close());
    const { port } = other.address() as net.AddressInfo;

    const err = await listenFails('127.0.0.1', port, `Port ${port} was already taken by another server`, SECTION.inUse);
    const message = err.message;
    if (!/in use/i.test(message) || !message.includes(String(port))) {
      throw failure({ problem: `listen() rejected with ${JSON.stringify(message)}.`, expected: `a message a person understands, saying that port ${port} is in use (and what to do about it)`, see: SECTION.inUse });
    }
    if (!/--port|another port|other port|different port/i.test(message)) {
      throw failure({ problem: `Port ${port} was in use, and listen() rejected with ${JSON.stringify(message)}: it says what went wrong, but not what to do.`, expected: 'a way out, e.g. "Stop it, or pick another port with --port (0 picks a free one)": write the message yourself for err.code EADDRINUSE', see: SECTION.inUse });
    }
    const cause = err.cause as NodeJS.ErrnoException | undefined;
    if (cause?.code !== 'EADDRINUSE') {
      throw failure({
        problem: `listen() rejected with ${JSON.stringify(message)}, whose cause is ${cause === undefined ? 'missing' : JSON.stringify(String(cause))}. Without the original error as its cause, \`npm run server\` takes it for a bug and prints a stack trace instead of your one line.`,
        expected: "new Error(message, { cause: err }), with Node's own error (err.code 'EADDRINUSE') as the cause",
        see: SECTION.inUse,
      });
    }
  });

  test('a host that is not an address of this machine rejects with its own explanation, not "in use"', async () => {
    // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it, so listening fails with EADDRNOTAVAIL.
    const err = await listenFails('192.0.2.1', 0, 'Asked to listen on 192.0.2.1, an address this machine does not have', SECTION.inUse);
    const message = err.message;
    if (/in use/i.test(message)) {
      throw failure({ problem: `listen() on host 192.0.2.1 (not an address of this machine: err.code EADDRNOTAVAIL) rejected with ${JSON.stringify(message)}.`, expected: "\"in use\" only when err.code is 'EADDRINUSE': switch on err.code, a message for each", see: SECTION.inUse });
    }
    if (!message.includes('192.0.2.1') || !/127\.0\.0\.1|0\.0\.0\.0/.test(message)) {
      throw failure({ problem: `listen() on host 192.0.2.1 (err.code EADDRNOTAVAIL) rejected with ${JSON.stringify(message)}.`, expected: 'a message that names the host, says it is not an address of this machine, and what to use instead: 127.0.0.1, or 0.0.0.0 for every interface', see: SECTION.inUse });
    }
  });

  test('a client that has finished sending (FIN) still gets the replies the server sends after it', async () => {
    // A tiny server on your listen(): it answers each client only after that client's FIN.
    const listening = await within(
      listen({ host: '127.0.0.1', port: 0 }, (socket) => {
        socket.on('error', () => {});
        // Like the chat server's answers (a login awaits the name check), this one comes a
        // moment after the FIN was read: by then Node has closed a socket that is not half-open.
        socket.on('end', () => setImmediate(() => socket.end('your FIN arrived; here is the answer\n')));
        socket.resume(); // read (and drop) what it sends: 'end' comes after the last byte read
      }),
      PATIENCE_MS,
      () => failure({ problem: `listen({ host: '127.0.0.1', port: 0 }) did not settle within ${PATIENCE_MS} ms.`, expected: "the promise resolves in the server's 'listening' event", see: SECTION.port0 }),
    );
    onTestFinished(() => listening.close().catch(() => {}));
    const client = net.connect({ host: '127.0.0.1', port: listening.port });
    client.on('error', () => {});
    let heard = '';
    client.on('data', (chunk: Buffer) => (heard += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    client.end('alice\n/users\n'); // its last lines, then FIN: `printf ... | nc -N` does this
    await within(closed, PATIENCE_MS, () => failure({ problem: `The client sent its last lines and FIN; ${PATIENCE_MS} ms later the connection was still open.`, expected: 'the server answers, then closes', see: SECTION.halfOpen }));
    if (!heard.includes('here is the answer')) {
      throw failure({
        problem: `A client sent "alice\\n/users\\n" and then FIN (it is done sending, but still reading). The server answered in its 'end' listener, yet the client got ${JSON.stringify(heard)} before the connection closed: Node had already closed the server's side when the FIN arrived.`,
        expected: 'net.createServer({ allowHalfOpen: true }, onConnection): our side stays open after the client\'s FIN, so the server can still send its replies',
        see: SECTION.halfOpen,
      });
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

  test('close() resolves only once the connections still open have ended', async () => {
    const listening = await within(
      listen({ host: '127.0.0.1', port: 0 }, (socket) => {
        socket.on('error', () => {});
        socket.on('end', () => socket.end()); // the client has gone: close our side too
        socket.resume(); // reading is how a server notices that the client has gone
      }),
      PATIENCE_MS,
      () => failure({ problem: `listen({ host: '127.0.0.1', port: 0 }) did not settle within ${PATIENCE_MS} ms.`, expected: "the promise resolves in the server's 'listening' event", see: SECTION.port0 }),
    );
    const client = net.connect({ host: '127.0.0.1', port: listening.port });
    client.on('error', () => {});
    onTestFinished(() => void client.destroy());
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    let resolved = false;
    const closing = Promise.resolve(listening.close()).then(() => (resolved = true));
    // A refused connection is a round trip: long enough for a close() that does not wait to resolve.
    if (await canConnect(listening.port)) {
      throw failure({ problem: `close() was called, but 127.0.0.1:${listening.port} still accepts new connections.`, expected: 'server.close() stops the server from accepting at once', see: SECTION.close });
    }
    if (resolved) {
      throw failure({
        problem: 'close() resolved while a client was still connected. The server only stops when its last connection has ended: `npm run server` prints "[SERVER] Stopped." too early, while clients are still being told goodbye.',
        expected: "resolve in server.close()'s callback: server.close(() => done()), which Node calls once the last connection has ended",
        see: SECTION.close,
      });
    }
    client.destroy();
    await within(closing, PATIENCE_MS, () => failure({ problem: `The last client disconnected, and ${PATIENCE_MS} ms later close() had still not resolved.`, expected: "close() resolves in server.close()'s callback", see: SECTION.close }));
  });
});
