// A chat server for one test: the reference server on port 0, with some of its pieces
// replaced by the student's, plus clients that log in through it. Everything started
// here is stopped when the test ends.

import { onTestFinished } from 'vitest';
import { startChatServer, type ChatServer, type StartOptions } from '../../app/server/server.js';
import type { ServerPieces } from '../../app/server/types.js';
import { piecesWithMine } from './mine.js';
import { failure } from './teach.js';
import { TestClient, type ClientContext } from './test-client.js';
import { Transcript } from './transcript.js';

export interface ChatSetup {
  /** The pieces to take from the student's code; the rest are the reference's. */
  mine: (keyof ServerPieces)[];
  /** The lesson section failures point to. */
  see: string;
  /** Server options; port 0, no rate limit, no per-address limit (every client of a suite comes from 127.0.0.1) and no extensions (exact version 1) unless given. */
  options?: StartOptions;
  /** A concurrent test's own onTestFinished (from its context): vitest's global one cannot tell concurrent tests apart. */
  onTestFinished?: typeof onTestFinished;
}

export interface Chat extends ClientContext {
  server: ChatServer;
  port: number;
  /** Connects and waits for `hello`, without logging in. */
  connect(label: string): Promise<TestClient>;
  /** Connects, sends the name, waits for `welcome`. */
  login(name: string): Promise<TestClient>;
  loginAll(names: string[]): Promise<TestClient[]>;
}

export async function startChat(setup: ChatSetup): Promise<Chat> {
  const transcript = new Transcript();
  const logs: string[] = [];
  const serverLabel = 'server';
  const pieces = await piecesWithMine(...setup.mine);
  let server: ChatServer;
  try {
    server = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null, maxPerAddress: 0, features: [], log: (m) => logs.push(m), ...setup.options }, pieces);
  } catch (err) {
    throw failure({ problem: `The server did not start: ${(err as Error).message}`, see: setup.see });
  }
  const clients: TestClient[] = [];
  (setup.onTestFinished ?? onTestFinished)(async () => {
    for (const c of clients) c.close();
    await server.shutdown();
  });

  const chat: Chat = {
    server,
    port: server.port,
    transcript,
    logs,
    see: setup.see,
    serverLabel,
    async connect(label) {
      const client = await TestClient.connect(server.port, label, chat);
      clients.push(client);
      await client.next({ type: 'hello' }, 'the server\'s hello');
      return client;
    },
    async login(name) {
      const client = await chat.connect(name);
      client.send(name);
      await client.next({ type: 'welcome' }, `the welcome after logging in as ${name}`);
      return client;
    },
    loginAll(names) {
      return Promise.all(names.map((n) => chat.login(n)));
    },
  };
  return chat;
}
