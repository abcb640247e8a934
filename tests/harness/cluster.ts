// Several chat servers on one Redis, for one test (lesson 19): a redis-server of the test's
// own on a free port, N reference servers in this process with the student's ClusterLink
// in them (labelled A, B, C...), one more as a child process where a test must kill one,
// and a Redis client of the suite's own to look at the keys. All stopped when the test ends.

import { Redis } from 'ioredis';
import type { Feature } from '../../app/protocol.js';
import { onTestFinished } from 'vitest';
import { startChatServer, type ChatServer } from '../../app/server/server.js';
import { NAME_KEY_PREFIX } from '../../app/server/types.js';
import { startRedis, type RedisProcess } from '../../tools/redis.js';
import { piecesWithMine, TREE } from './mine.js';
import { Program } from './program.js';
import { failure } from './teach.js';
import { TestClient, type ClientContext } from './test-client.js';
import { Transcript } from './transcript.js';
import { DEADLINES, waitUntil } from './wait.js';

export interface ClusterSetup {
  servers: number;
  see: string;
  /** A name's lease in Redis, and so how soon a dead server's users leave. */
  leaseMs: number;
  /** The servers' extensions (default none: version 1). */
  features?: Feature[];
}

export interface ClusterChat {
  redis: RedisProcess;
  /** The suite's own Redis client, to look at keys. */
  peek: Redis;
  servers: ChatServer[];
  transcript: Transcript;
  logs: string[];
  see: string;
  /** 'server A', 'server B'... */
  label(server: number): string;
  connect(server: number, label: string): Promise<TestClient>;
  login(server: number, name: string): Promise<TestClient>;
  /** One more server in this process, on the same Redis (one started later): resolves with its index. */
  addServer(): Promise<number>;
  /** A server in a child process (the code under test), on the same Redis: one a test may kill. */
  spawnServer(label: string): Promise<{ port: number; program: Program }>;
  /** A name's key in Redis: its owner and what is left of its lease (PTTL: -2 gone, -1 no expiry). */
  nameKey(name: string): Promise<{ owner: string | null; pttl: number }>;
}

export async function startCluster(setup: ClusterSetup): Promise<ClusterChat> {
  const transcript = new Transcript();
  const logs: string[] = [];
  const redis = await startRedis();
  const peek = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  peek.on('error', () => {});
  const servers: ChatServer[] = [];
  const clients: TestClient[] = [];
  const programs: Program[] = [];
  onTestFinished(async () => {
    for (const c of clients) c.close();
    await Promise.all(programs.map((p) => p.stop()));
    await Promise.all(servers.map((s) => s.shutdown()));
    peek.disconnect();
    await redis.stop();
  });
  await peek.connect();
  const pieces = await piecesWithMine('ClusterLink');
  const label = (i: number) => `server ${String.fromCharCode(65 + i)}`;
  const addServer = async () => {
    const i = servers.length;
    const options = { host: '127.0.0.1', port: 0, rateLimit: null, maxPerAddress: 0, features: setup.features ?? [], redis: redis.url, leaseMs: setup.leaseMs };
    try {
      servers.push(await startChatServer({ ...options, log: (m) => logs.push(`${label(i)}: ${m}`) }, pieces));
    } catch (err) {
      throw failure({ problem: `${label(i)} did not start: ${(err as Error).message}`, see: setup.see, logs });
    }
    return i;
  };
  for (let i = 0; i < setup.servers; i++) await addServer();
  // A starter's stub throws where the server first calls it: say so at once, not after every wait.
  const stub = logs.find((line) => line.includes('TODO (lesson 19)'));
  if (stub) {
    const why = stub.replace(/^server [A-Z]: /, '');
    throw failure({ problem: `The servers could not use your ClusterLink (${TREE}/server/cluster-link.ts): ${why}`, see: '19 (npm run lesson 19), section "Your turn"' });
  }
  const contextOf = (serverLabel: string): ClientContext => ({ transcript, logs, see: setup.see, serverLabel });

  const cluster: ClusterChat = {
    redis,
    peek,
    servers,
    transcript,
    logs,
    see: setup.see,
    label,
    addServer,
    async connect(server, name) {
      const client = await TestClient.connect(servers[server]!.port, name, contextOf(label(server)));
      clients.push(client);
      await client.next({ type: 'hello' }, `the hello of ${label(server)}`);
      return client;
    },
    async login(server, name) {
      const client = await cluster.connect(server, name);
      client.send(name);
      await client.next({ type: 'welcome' }, `the welcome after logging in as ${name} on ${label(server)}`);
      return client;
    },
    async spawnServer(serverLabel) {
      const features = setup.features && setup.features.length > 0 ? setup.features.join(',') : 'none';
      const args = ['app/server/main.ts', '--mine', '19', '--port', '0', '--features', features, '--no-rate-limit', '--max-per-address', '0', '--quiet'];
      const program = new Program([...args, '--redis', redis.url, '--lease-ms', String(setup.leaseMs)]);
      programs.push(program);
      const port = await waitUntil(
        () => {
          const listening = /Listening on [\d.]+:(\d+)/.exec(program.stdout);
          if (listening) return Number(listening[1]);
          if (program.exit) throw failure({ problem: `${serverLabel} (npm run server -- --mine 19 --redis ...) ${program.ending()} before listening:\n${program.output}`, see: setup.see });
          return undefined;
        },
        (wake) => program.onChange(wake),
        () => failure({ problem: `${serverLabel} did not say where it listens within ${DEADLINES.childStart} ms:\n${program.output}`, see: setup.see }),
        DEADLINES.childStart,
      );
      return { port, program };
    },
    async nameKey(name) {
      const key = NAME_KEY_PREFIX + name.toLowerCase();
      const [owner, pttl] = await Promise.all([peek.get(key), peek.pttl(key)]);
      return { owner, pttl };
    },
  };
  return cluster;
}

/** A TestClient connected to another server of the cluster (a child process's port). */
export async function connectTo(cluster: ClusterChat, port: number, serverLabel: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(port, name, { transcript: cluster.transcript, logs: cluster.logs, see: cluster.see, serverLabel });
  onTestFinished(() => client.close());
  await client.next({ type: 'hello' }, `the hello of ${serverLabel}`);
  return client;
}
