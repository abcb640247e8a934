// Lesson 19's benchmark: fan-out through two servers behind one Redis, beside the same load
// on one server. Half the clients log in to each server, so every chat line crosses Redis
// once; the figure that matters is CPU per delivery, summed over both servers and Redis
// (read from /proc: Linux only, n/a elsewhere).
//
//   npm run bench -- --scenario cluster                 200 clients × 50 lines, 3 runs
//   npm run bench -- --scenario cluster --clients 50    a smaller chat

import { readFileSync } from 'node:fs';
import { startRedis } from '../redis.js';
import { LoadClient, loginMany } from './load-client.js';
import { cpuSince, round, trackOrder, until, type Figures } from './scenarios.js';
import { startServer, type ServerProcess } from './server-process.js';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds a process has used (NaN where /proc is missing). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** One run: `servers` servers (1: no Redis at all) and `clientCount` clients spread over them. */
export async function clusterFanout(command: string, flags: string[], cwd: string, servers: number, clientCount: number, lines: number): Promise<Figures> {
  const redis = servers > 1 ? await startRedis() : undefined;
  const running: ServerProcess[] = [];
  try {
    for (let i = 0; i < servers; i++) running.push(await startServer(command, [...flags, ...(redis ? ['--redis', redis.url] : [])], cwd));
    const share = Math.ceil(clientCount / servers);
    const groups = await Promise.all(running.map((s, i) => loginMany(s.port, Math.min(share, clientCount - i * share), 200, i * share)));
    const clients = groups.flat();
    await everyoneSeesEveryone(clients, clientCount);
    const expected = clientCount * (clientCount - 1) * lines;
    const stats = trackOrder(clients);
    const cpuNow = () => running.reduce((sum, s) => sum + s.cpuSeconds(), 0) + (redis ? cpuOf(redis.pid) : 0);
    const serverCpu0 = running.map((s) => s.cpuSeconds());
    const redisCpu0 = redis ? cpuOf(redis.pid) : 0;
    const cpu0 = cpuNow();
    const gen0 = process.cpuUsage();
    const t0 = performance.now();
    for (const client of clients) {
      let batch = '';
      for (let seq = 0; seq < lines; seq++) batch += LoadClient.line(seq, 40);
      client.socket.write(batch);
    }
    await until(() => stats.received >= expected, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuNow() - cpu0;
    const serversCpu = running.reduce((sum, s, i) => sum + s.cpuSeconds() - serverCpu0[i]!, 0);
    for (const c of clients) c.close();
    return {
      servers,
      clients: clientCount,
      linesEach: lines,
      deliveries: stats.received,
      deliveriesPerSecond: Math.round(stats.received / seconds),
      cpuSecondsPerMillion: round((cpu / stats.received) * 1e6, 3),
      serversCpuSecondsPerMillion: round((serversCpu / stats.received) * 1e6, 3),
      redisCpuSecondsPerMillion: redis ? round(((cpuOf(redis.pid) - redisCpu0) / stats.received) * 1e6, 3) : 0,
      lost: expected - stats.received + stats.lost,
      reordered: stats.reordered,
      loadGeneratorCpuSeconds: round(cpuSince(gen0), 2),
      seconds: round(seconds, 2),
    };
  } finally {
    await Promise.all(running.map((s) => s.stop()));
    await redis?.stop();
  }
}

/** Waits until every client's /users lists everyone: the servers have learnt of each other's users. */
async function everyoneSeesEveryone(clients: LoadClient[], count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const client of clients) {
    for (;;) {
      const users = await usersOf(client);
      if (users >= count) break;
      if (Date.now() > deadline) throw new Error(`After 30 s, client ${client.index} still saw ${users} of ${count} users online.`);
    }
  }
}

function usersOf(client: LoadClient): Promise<number> {
  return new Promise((resolve) => {
    const previous = client.onOther;
    client.onOther = (event) => {
      if (event.type !== 'users') return previous(event);
      client.onOther = previous;
      resolve(Array.isArray(event.users) ? event.users.length : 0);
    };
    client.socket.write('/users\n');
  });
}
