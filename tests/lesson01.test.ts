// Lesson 1: the student's joinChat() (starter/client/connect.ts) against the reference
// server, through a recording proxy so that every failure can show the wire.

import net from 'node:net';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { JoinOptions, Joined } from '../starter/client/connect.js';
import { encodeEvent, PROTOCOL_VERSION, TEXTS } from '../app/protocol.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { closedPort, startProxy } from './harness/proxy.js';
import { failure } from './harness/teach.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, waitUntil, within } from './harness/wait.js';

const { joinChat } = await importMine<typeof import('../starter/client/connect.js')>('client/connect.ts');

const SECTION = {
  connect: '1 (npm run lesson 1), section "connect(): the first call"',
  events: '1, section "A socket talks in events"',
  login: '1, section "Logging in: your first protocol exchange"',
  refused: '1, section "When nobody answers: Connection refused"',
  yourTurn: '1, section "Your turn"',
};

const HELLO = encodeEvent({ type: 'hello', proto: PROTOCOL_VERSION, text: TEXTS.hello });

/** The reference server, and a proxy in front of it that records what your client does. */
async function serverBehindProxy(see: string): Promise<{ chat: Chat; port: number }> {
  const chat = await startChat({ mine: [], see });
  const proxy = await startProxy({ targetPort: chat.port, transcript: chat.transcript, clientLabel: 'your client', serverLabel: 'server' });
  return { chat, port: proxy.port };
}

/** Runs the student's joinChat with a deadline, turning a hang or a throw into a lesson. */
async function join(chat: Chat, options: JoinOptions): Promise<Joined> {
  let promise: Promise<Joined>;
  try {
    promise = joinChat(options);
  } catch (err) {
    throw failure({ problem: `joinChat() threw instead of returning a promise: ${(err as Error).message}`, see: SECTION.events, transcript: chat.transcript });
  }
  const joined = await within(promise, PATIENCE_MS, () =>
    failure({
      problem: `joinChat(${JSON.stringify(options)}) did not settle within ${PATIENCE_MS} ms.${diagnoseSilence(chat, options.name)}`,
      expected: 'the promise resolves with { socket, welcome } once the welcome arrives',
      see: SECTION.login,
      transcript: chat.transcript,
    }),
  ).catch((err: Error) => {
    if (err.name === 'LessonFailure') throw err;
    throw failure({ problem: `joinChat() rejected with: ${err.message}`, expected: 'it resolves: the server is running and the name is free', see: SECTION.login, transcript: chat.transcript });
  });
  if (!joined || !(joined.socket instanceof net.Socket)) {
    throw failure({ problem: `joinChat() resolved with ${JSON.stringify(joined)?.slice(0, 200)}.`, expected: '{ socket, welcome } where socket is the net.Socket you connected', see: SECTION.login, transcript: chat.transcript });
  }
  if (joined.socket.listenerCount('error') === 0) {
    joined.socket.destroy();
    throw failure({
      problem: "joinChat() resolved with a socket that has no 'error' listener left.",
      expected: "the 'error' listener stays after the promise settles: a reset after the welcome would otherwise crash the whole program (reject() then does nothing, harmlessly)",
      see: SECTION.events,
      transcript: chat.transcript,
    });
  }
  joined.socket.on('error', () => {});
  return joined;
}

type Outcome = { resolved: Joined } | { rejected: unknown };

/** Calls joinChat and waits for it to settle either way; a hang fails with `hung()`. */
function settle(options: JoinOptions, hung: () => Error): Promise<Outcome> {
  return within(
    joinChat(options).then(
      (joined): Outcome => ({ resolved: joined }),
      (err: unknown): Outcome => ({ rejected: err }),
    ),
    PATIENCE_MS,
    hung,
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A server that is not the chat server (`label` says what it is), behind the recording proxy.
 * `serve` runs for each connection; `closedByClient` resolves once your client has closed.
 */
async function impostor(label: string, serve: (socket: net.Socket) => void): Promise<{ port: number; transcript: Transcript; closedByClient: Promise<void>; received: () => string }> {
  const transcript = new Transcript();
  let clientClosed!: () => void;
  const closedByClient = new Promise<void>((resolve) => (clientClosed = resolve));
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('end', clientClosed);
    socket.on('close', clientClosed);
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const proxy = await startProxy({ targetPort: (server.address() as net.AddressInfo).port, transcript, clientLabel: 'your client', serverLabel: label });
  return { port: proxy.port, transcript, closedByClient, received: () => received };
}

/** Explains the usual reasons the server never answered. */
function diagnoseSilence(chat: Chat, name: string): string {
  const sent = Buffer.concat(chat.transcript.entries.filter((e) => e.from === 'your client').map((e) => e.bytes)).toString('utf8');
  if (chat.transcript.entries.length === 0) return '\nYour client never connected: did you call net.connect({ host, port }) with the port you were given?';
  if (sent === '') return '\nYour client connected and got the hello, but never sent anything: send the name after the first \'data\' event.';
  if (!sent.includes('\n')) return `\nYour client sent ${JSON.stringify(sent)} with no '\\n' at the end, so the server is still waiting for the end of that line.`;
  if (!sent.startsWith(name)) return `\nYour client sent ${JSON.stringify(sent)}, but the first line must be the username (${JSON.stringify(name)}).`;
  return '\nThe server answered with its welcome: are you resolving the promise when that second message arrives?';
}

describe('lesson 1: joinChat()', () => {
  test('connects, sends the name, and resolves with the welcome', async () => {
    const { chat, port } = await serverBehindProxy(SECTION.login);
    const { welcome } = await join(chat, { host: '127.0.0.1', port, name: 'alice' });
    if (welcome?.type !== 'welcome' || welcome.user !== 'alice') {
      throw failure({ problem: `joinChat() resolved, but its welcome was ${JSON.stringify(welcome)}.`, expected: 'the parsed welcome event: { type: "welcome", user: "alice", users: [...], ... }', see: SECTION.login, transcript: chat.transcript });
    }
    expect(welcome.users).toContain('alice');
  });

  test('the server really lets you in: others see you join', async () => {
    const { chat, port } = await serverBehindProxy(SECTION.login);
    const bob = await chat.login('bob');
    await join(chat, { host: '127.0.0.1', port, name: 'alice' });
    await bob.next({ type: 'join', user: 'alice' }, 'the join of alice (your client)');
  });

  test('the socket you return stays connected and usable', async () => {
    const { chat, port } = await serverBehindProxy(SECTION.events);
    const bob = await chat.login('bob');
    const { socket } = await join(chat, { host: '127.0.0.1', port, name: 'alice' });
    if (socket.destroyed || !socket.writable) {
      throw failure({ problem: 'The socket joinChat() resolved with is already closed.', expected: 'an open socket the caller can chat on', see: SECTION.events, transcript: chat.transcript });
    }
    socket.write('hello from alice\n');
    await bob.next({ type: 'chat', from: 'alice', text: 'hello from alice' }, 'a chat line written on the socket your joinChat returned');
    socket.destroy();
  });

  test('a refused connection rejects with "Connection refused. Is the server running?"', async () => {
    const port = await closedPort();
    const outcome = await within(
      joinChat({ host: '127.0.0.1', port, name: 'alice' }).then(
        (joined) => ({ resolved: joined }),
        (err: unknown) => ({ rejected: err }),
      ),
      PATIENCE_MS,
      () => failure({ problem: `Nothing listens on port ${port}, and joinChat() neither resolved nor rejected within ${PATIENCE_MS} ms.`, expected: 'an \'error\' listener that rejects the promise', see: SECTION.refused }),
    );
    if ('resolved' in outcome) {
      throw failure({ problem: `Nothing listens on port ${port}, yet joinChat() resolved.`, expected: 'a rejection', see: SECTION.refused });
    }
    const message = outcome.rejected instanceof Error ? outcome.rejected.message : String(outcome.rejected);
    if (message !== 'Connection refused. Is the server running?') {
      throw failure({ problem: `joinChat() rejected with ${JSON.stringify(message)}.`, expected: 'an Error with the message "Connection refused. Is the server running?" (when err.code is \'ECONNREFUSED\')', see: SECTION.refused });
    }
  });

  test('a name that is taken rejects with the server\'s own words', async () => {
    const { chat, port } = await serverBehindProxy(SECTION.login);
    await chat.login('alice');
    const outcome = await within(
      joinChat({ host: '127.0.0.1', port, name: 'alice' }).then(
        (joined) => ({ resolved: joined }),
        (err: unknown) => ({ rejected: err }),
      ),
      PATIENCE_MS,
      () => {
        // A name without its '\n' never reaches the server as a line: it never answers at all.
        const sent = Buffer.concat(chat.transcript.entries.filter((e) => e.from === 'your client').map((e) => e.bytes)).toString('utf8');
        const answered = sent.includes('\n');
        return failure({
          problem: answered
            ? 'The name alice was taken; the server answered with an error and closed, but joinChat() never settled.'
            : `joinChat() never settled.${diagnoseSilence(chat, 'alice')}`,
          expected: answered ? "a rejection carrying the error's text" : "the name and '\\n' after the hello; then a rejection with the text of the server's error",
          see: SECTION.login,
          transcript: chat.transcript,
        });
      },
    );
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: 'joinChat() resolved although the server refused the name alice (it was taken).', expected: 'check the event\'s type: only a `welcome` resolves; an `error` rejects', see: SECTION.login, transcript: chat.transcript });
    }
    const message = outcome.rejected instanceof Error ? outcome.rejected.message : String(outcome.rejected);
    if (message !== "Username 'alice' is already taken.") {
      throw failure({
        problem: `The server answered {"type":"error","code":"NAME_TAKEN","text":"Username 'alice' is already taken."}, and joinChat() rejected with ${JSON.stringify(message)}.`,
        expected: 'new Error(event.text) for an error event: exactly its text, "Username \'alice\' is already taken.", with nothing around it (that sentence is written for people)',
        see: SECTION.login,
        transcript: chat.transcript,
      });
    }
  });

  test('after the welcome the socket is the caller\'s: chat that arrives later reaches the caller, and the socket stays open', async () => {
    const { chat, port } = await serverBehindProxy(SECTION.login);
    const bob = await chat.login('bob');
    const { socket } = await join(chat, { host: '127.0.0.1', port, name: 'alice' });
    await bob.next({ type: 'join', user: 'alice' }, 'the join of alice (your client)');
    // The caller reads the socket from here on, as `npm run join` and lesson 10's client do.
    let heard = '';
    socket.on('data', (chunk: Buffer) => (heard += chunk.toString('utf8')));
    bob.send('hi alice');
    await waitUntil(
      () => (heard.includes('"hi alice"') || socket.destroyed ? true : undefined),
      (wake) => {
        socket.on('data', wake).on('close', wake);
        return () => socket.off('data', wake).off('close', wake);
      },
      () => failure({ problem: `bob said "hi alice" after your joinChat() had resolved; within ${PATIENCE_MS} ms that chat line never reached the socket it resolved with.`, expected: 'the chat event on the socket: once resolved, joinChat() leaves the socket to its caller', see: SECTION.login, transcript: chat.transcript }),
    );
    if (socket.destroyed || !socket.writable) {
      throw failure({
        problem: 'bob said "hi alice" after your joinChat() had resolved, and right then your code closed the socket. joinChat() still listened for \'data\' after the welcome, took the chat line for the answer to the name (it is no welcome), and gave up on the connection.',
        expected: "once the welcome has come, stop listening: socket.off('data', onData) (or use socket.once), and leave the socket open to the caller",
        see: SECTION.login,
        transcript: chat.transcript,
      });
    }
    socket.write('hi bob\n');
    await bob.next({ type: 'chat', from: 'alice', text: 'hi bob' }, 'a chat line alice wrote after bob\'s, on the socket joinChat() resolved with');
    socket.destroy();
  });

  test('a server that hangs up without welcoming you: joinChat() rejects, not waits for ever', async () => {
    const server = await impostor('server', (socket) => {
      socket.write(HELLO);
      socket.once('data', () => socket.end()); // reads the name, then hangs up without a word
    });
    const outcome = await settle({ host: '127.0.0.1', port: server.port, name: 'alice' }, () =>
      failure({
        problem: `The server sent its hello, read the name and then closed the connection without an answer; ${PATIENCE_MS} ms later joinChat() had neither resolved nor rejected.`,
        expected: "a rejection when the socket closes before the welcome: socket.on('close', () => reject(...)) (once resolved, that reject does nothing)",
        see: SECTION.events,
        transcript: server.transcript,
      }),
    );
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: 'The server closed the connection without a welcome, yet joinChat() resolved.', expected: 'only a welcome resolves', see: SECTION.login, transcript: server.transcript });
    }
    const message = messageOf(outcome.rejected);
    if (!server.received().includes('alice\n')) {
      const what = server.received().includes('alice') ? `after sending the name without its '\\n' (${JSON.stringify(server.received())}), so the server was still waiting for the end of that line` : 'before it had sent the name (the server had sent its hello)';
      throw failure({ problem: `joinChat() rejected with ${JSON.stringify(message)} ${what}.`, expected: "the name and '\\n' after the hello; then a rejection once the server hangs up", see: SECTION.login, transcript: server.transcript });
    }
    if (message.trim() === '' || message === 'Connection refused. Is the server running?') {
      throw failure({
        problem: `The server sent its hello, read the name and hung up; joinChat() rejected with ${JSON.stringify(message)}.`,
        expected: 'a message that says what happened: the server closed the connection before welcoming you (it did answer the connection: it was not refused)',
        see: SECTION.yourTurn,
        transcript: server.transcript,
      });
    }
  });

  test('something that is not the chat server answers (an SSH server speaks first too): joinChat() rejects with what arrived, and closes the connection', async () => {
    const server = await impostor('ssh server', (socket) => {
      socket.write('SSH-2.0-OpenSSH_9.6\r\n');
      socket.on('data', () => socket.write('Invalid SSH identification string.\r\n')); // and stays open
    });
    const outcome = await settle({ host: '127.0.0.1', port: server.port, name: 'alice' }, () =>
      failure({
        problem: `An SSH server, not a chat server, listened on that port; it sent a line that is no chat event and kept the connection open. ${PATIENCE_MS} ms later joinChat() had neither resolved nor rejected.`,
        expected: 'a rejection as soon as a line arrives that is neither the hello, a welcome nor an error',
        see: SECTION.yourTurn,
        transcript: server.transcript,
      }),
    );
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: 'An SSH server answered, and joinChat() resolved as if it had been welcomed.', expected: 'only a welcome resolves', see: SECTION.login, transcript: server.transcript });
    }
    const message = messageOf(outcome.rejected);
    if (!message.includes('SSH-2.0-OpenSSH_9.6') && !message.includes('Invalid SSH identification string')) {
      throw failure({
        problem: `An SSH server answered instead of a chat server, and joinChat() rejected with ${JSON.stringify(message)}.`,
        expected: 'a message that shows what arrived (for example "Expected a welcome, got: SSH-2.0-OpenSSH_9.6"): it tells the user they reached the wrong program',
        see: SECTION.yourTurn,
        transcript: server.transcript,
      });
    }
    await within(server.closedByClient, PATIENCE_MS, () =>
      failure({
        problem: `joinChat() rejected (${JSON.stringify(message)}), but ${PATIENCE_MS} ms later its connection to the SSH server was still open: nobody holds that socket any more, so nobody will ever close it, and it keeps the program from exiting.`,
        expected: 'socket.destroy() before reject(): a rejected joinChat() leaves no connection behind',
        see: SECTION.yourTurn,
        transcript: server.transcript,
      }),
    );
  });

  test('a server that accepts and then resets the connection is not "refused": the rejection says what happened', async () => {
    let accepted = 0;
    const server = net.createServer((socket) => {
      accepted++;
      socket.resetAndDestroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    const { port } = server.address() as net.AddressInfo;
    const outcome = await settle({ host: '127.0.0.1', port, name: 'alice' }, () =>
      failure({ problem: `The server accepted the connection and reset it at once (an RST: err.code ECONNRESET); ${PATIENCE_MS} ms later joinChat() had neither resolved nor rejected.`, expected: 'a rejection from the \'error\' listener', see: SECTION.refused }),
    );
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: 'The server reset the connection, yet joinChat() resolved.', expected: 'a rejection', see: SECTION.refused });
    }
    const message = messageOf(outcome.rejected);
    if (accepted === 0) {
      throw failure({ problem: `joinChat() rejected with ${JSON.stringify(message)}, and the server never saw a connection.`, expected: 'net.connect({ host, port }) first; this server accepts, then resets', see: SECTION.connect });
    }
    if (message.trim() === '' || message === 'Connection refused. Is the server running?') {
      throw failure({
        problem: `The server was running: it accepted the connection, then reset it (err.code ECONNRESET). joinChat() rejected with ${JSON.stringify(message)}.`,
        expected: "\"Connection refused. Is the server running?\" only when err.code is 'ECONNREFUSED'; any other error gets a message of its own that says what happened, e.g. `Could not reach ${host}:${port}: ${err.message}`",
        see: SECTION.refused,
      });
    }
  });
});
