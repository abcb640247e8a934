// Lesson 1: the student's joinChat() (starter/client/connect.ts) against the reference
// server, through a recording proxy so that every failure can show the wire.

import net from 'node:net';
import { describe, expect, test } from 'vitest';
import type { JoinOptions, Joined } from '../starter/client/connect.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { closedPort, startProxy } from './harness/proxy.js';
import { failure } from './harness/teach.js';
import { PATIENCE_MS, within } from './harness/wait.js';

const { joinChat } = await importMine<typeof import('../starter/client/connect.js')>('client/connect.ts');

const SECTION = {
  connect: '1 (npm run lesson 1), section "connect(): the first call"',
  events: '1, section "A socket talks in events"',
  login: '1, section "Logging in: your first protocol exchange"',
  refused: '1, section "When nobody answers: Connection refused"',
};

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
      () => failure({ problem: 'The name alice was taken; the server answered with an error and closed, but joinChat() never settled.', expected: 'a rejection carrying the error\'s text', see: SECTION.login, transcript: chat.transcript }),
    );
    if ('resolved' in outcome) {
      outcome.resolved.socket?.destroy();
      throw failure({ problem: 'joinChat() resolved although the server refused the name alice (it was taken).', expected: 'check the event\'s type: only a `welcome` resolves; an `error` rejects', see: SECTION.login, transcript: chat.transcript });
    }
    const message = outcome.rejected instanceof Error ? outcome.rejected.message : String(outcome.rejected);
    if (!message.includes('already taken')) {
      throw failure({ problem: `joinChat() rejected with ${JSON.stringify(message)}.`, expected: 'the text of the server\'s error event: "Username \'alice\' is already taken."', see: SECTION.login, transcript: chat.transcript });
    }
  });
});
