// The benchmark's scenarios. Each starts a fresh server, drives it with real TCP clients
// speaking PROTOCOL.md on loopback, and returns its figures. Every loop is bounded in
// count and in time.

import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.js';
import { greetMany, inParallel, LoadClient, loginMany, type Delivery } from './load-client.js';
import { startProbe } from './probe-process.js';
import type { ServerProcess } from './server-process.js';

export type Figures = Record<string, number>;

const now = () => performance.timeOrigin + performance.now();
const MB = 1024 * 1024;
/** How long the slow-reader scenario runs with everybody reading, before one stops. */
const WARM_UP_MS = 3000;

/** Load-generator CPU seconds since `start` (process.cpuUsage()). */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** Resolves true once `done()` holds (checked every 5 ms), or false after `ms`. */
export function until(done: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = now() + ms;
    const timer = setInterval(() => {
      if (done() || now() > deadline) {
        clearInterval(timer);
        resolve(done());
      }
    }, 5);
  });
}

/** What the fan-out needs of a client: the chat's (load-client.ts) or an IRC one (irc-client.ts). */
export interface FanoutClient {
  readonly socket: { write(data: string): unknown; readonly destroyed: boolean };
  onChat?: (delivery: Delivery) => void;
  chatsCounted: number;
  /** Resolves once everything the server sent this client before has arrived. */
  roundTrip(): Promise<void>;
  close(): void;
}

/** How to log a fan-out client in, and the line it sends to everyone: the chat's, or IRC's. */
export interface Dialect {
  login(port: number, index: number): Promise<FanoutClient>;
  /** How many clients log in at once. */
  loginsAtOnce: number;
  line(seq: number, size: number): string;
}

export const CHAT_DIALECT: Dialect = { login: (port, index) => LoadClient.login(port, index), loginsAtOnce: 200, line: LoadClient.line };

/** Every `checkEvery`-th client checks that each sender's lines arrive once and in order
 *  (and reports each line to `onLine`); the others only count their chat lines. */
export function trackOrder(clients: FanoutClient[], onLine?: (sentAt: number) => void, checkEvery = 1) {
  const checked = { received: 0, lost: 0, reordered: 0 };
  clients.forEach((client, i) => {
    if (i % checkEvery !== 0) return;
    const last = new Int32Array(clients.length + 1).fill(-1);
    client.onChat = ({ senderIndex, seq, sentAt }) => {
      const expected = last[senderIndex] + 1;
      if (seq < expected) checked.reordered++;
      else if (seq > expected) checked.lost += seq - expected;
      last[senderIndex] = Math.max(last[senderIndex], seq);
      checked.received++;
      onLine?.(sentAt);
    };
  });
  return {
    get received() {
      return clients.reduce((sum, c) => sum + c.chatsCounted, checked.received);
    },
    get lost() {
      return checked.lost;
    },
    get reordered() {
      return checked.reordered;
    },
  };
}

/** Fan-out at full speed: every client sends `lines` lines at once; each must reach every other client. */
export async function fanout(server: ServerProcess, clientCount: number, lines: number, dialect = CHAT_DIALECT): Promise<Figures> {
  const clients = await inParallel(clientCount, dialect.loginsAtOnce, (i) => dialect.login(server.port, i));
  await Promise.all(clients.map((c) => c.roundTrip())); // every join has been delivered
  const expected = clientCount * (clientCount - 1) * lines;
  const stats = trackOrder(clients);
  const rss0 = server.rssBytes();
  const cpu0 = server.cpuSeconds();
  const gen0 = process.cpuUsage();
  const t0 = now();
  for (const client of clients) {
    let batch = '';
    for (let seq = 0; seq < lines; seq++) batch += dialect.line(seq, 40);
    client.socket.write(batch);
  }
  // A server may cut a client it finds too slow (an IRC server's SendQ): no use waiting then.
  const disconnected = () => clients.filter((c) => c.socket.destroyed).length;
  await until(() => stats.received >= expected || disconnected() > 0, 120_000);
  const seconds = (now() - t0) / 1000;
  const cpu = server.cpuSeconds() - cpu0;
  const figures = {
    clients: clientCount,
    linesEach: lines,
    deliveries: stats.received,
    deliveriesPerSecond: Math.round(stats.received / seconds),
    serverCpuSecondsPerMillion: round((cpu / stats.received) * 1e6, 3),
    lost: expected - stats.received + stats.lost,
    reordered: stats.reordered,
    disconnected: disconnected(),
    serverRssMB: round(Math.max(rss0, server.rssBytes()) / MB, 1),
    loadGeneratorCpuSeconds: round(cpuSince(gen0), 2),
    seconds: round(seconds, 2),
  };
  for (const c of clients) c.close();
  return figures;
}

/** Fan-out at a fixed rate, for latency: each client sends `perSecond` lines a second for
 *  `seconds`, while the probe (probe.ts, a process of its own) times whispers through the server. */
export async function latency(server: ServerProcess, clientCount: number, perSecond: number, seconds: number): Promise<Figures> {
  const clients = await loginMany(server.port, clientCount);
  await Promise.all(clients.map((c) => c.roundTrip()));
  const histogram = new Histogram();
  // Timing every line would make the load generator, on the same cores, the bottleneck
  // (about 400,000 lines a second at 200 clients): one receiver in ten times and checks.
  const stats = trackOrder(clients, (sentAt) => histogram.add(now() - sentAt), 10);
  const linesEach = Math.round(perSecond * seconds);
  const probe = await startProbe(server.port, seconds);
  const cpu0 = server.cpuSeconds();
  const gen0 = process.cpuUsage();
  await sendAtRate(clients, perSecond, linesEach, 40);
  const expected = clientCount * (clientCount - 1) * linesEach;
  await until(() => stats.received >= expected, 10_000);
  const probed = await probe.result;
  const figures = {
    clients: clientCount,
    linesPerSecondEach: perSecond,
    deliveries: stats.received,
    // As the load clients see it: includes the load generator's own waiting.
    p50Ms: histogram.percentile(0.5),
    p99Ms: histogram.percentile(0.99),
    maxMs: round(histogram.max, 1),
    // As the probe sees it, from a process with nothing else to do: the server's delay.
    probeSamples: probed.samples,
    probeP50Ms: probed.p50Ms,
    probeP99Ms: probed.p99Ms,
    probeMaxMs: probed.maxMs,
    lost: expected - stats.received + stats.lost,
    reordered: stats.reordered,
    serverCpuSeconds: round(server.cpuSeconds() - cpu0, 2),
    loadGeneratorCpuSeconds: round(cpuSince(gen0), 2),
    seconds,
  };
  for (const c of clients) c.close();
  return figures;
}

/** Logins: `burst` clients at once, then 500 one after another to time each. */
export async function connect(server: ServerProcess, burst: number): Promise<Figures> {
  const t0 = now();
  // A burst that does not finish within the load client's 30 s per login is reported as n/a.
  const burstClients = await loginMany(server.port, burst, burst).catch(() => [] as LoadClient[]);
  const burstSeconds = burstClients.length === burst ? (now() - t0) / 1000 : NaN;
  for (const c of burstClients) c.close();

  // Paced: one login every millisecond; how long does each take?
  const paced = new Histogram();
  const pacedClients: LoadClient[] = [];
  try {
    for (let i = 0; i < 500; i++) {
      const start = now();
      pacedClients.push(await LoadClient.login(server.port, 1_000_000 + i));
      paced.add(now() - start);
      await new Promise((r) => setTimeout(r, 1));
    }
  } catch {
    // A server still swamped by the burst: the paced figures stay n/a.
  }
  for (const c of pacedClients) c.close();
  return {
    burstClients: burst,
    burstLoginSeconds: round(burstSeconds, 2),
    pacedLoginP50Ms: paced.percentile(0.5),
    pacedLoginP99Ms: paced.percentile(0.99),
  };
}

/** Memory per idle connection, twice: `count` connections that never log in (what a
 *  connection itself costs), then `count` clients logged in (500 at a time) and held. Every
 *  join goes to everyone, so those logins deliver count² / 2 events, and what that traffic
 *  leaves on the server's heap (V8 keeps the pages) is counted in the second figure too. */
export async function idle(server: ServerProcess, count: number): Promise<Figures> {
  const settled = () => new Promise((r) => setTimeout(r, 500)).then(() => server.rssBytes());
  const rssEmpty = server.rssBytes();
  const greeted = await greetMany(server.port, count, 500).catch(() => [] as LoadClient[]);
  const rssGreeted = await settled();
  for (const c of greeted) c.close();
  await new Promise((r) => setTimeout(r, 1000)); // the server notices the hang-ups

  const rssBefore = await settled();
  const held = await loginMany(server.port, count, 500).catch(() => [] as LoadClient[]);
  const rssHeld = await settled();
  for (const c of held) c.close();
  return {
    idleClients: held.length,
    rssEmptyMB: round(rssEmpty / MB, 1),
    rssPerConnectionKB: greeted.length === count ? round((rssGreeted - rssEmpty) / count / 1024, 2) : NaN,
    rssHeldMB: round(rssHeld / MB, 1),
    rssPerLoggedInClientKB: held.length === count ? round((rssHeld - rssBefore) / count / 1024, 2) : NaN,
  };
}

/** While `talkers` chat at a steady rate with big lines, one more client stops reading
 *  after a warm-up and stays stopped for `seconds`. Memory is counted from the end of the
 *  warm-up: what the traffic alone costs (the heap growing to its working size, about
 *  3 s) is reported apart, as rssWarmUpMB. */
export async function slowReader(server: ServerProcess, talkers: number, perSecond: number, seconds: number): Promise<Figures> {
  const clients = await loginMany(server.port, talkers);
  const slow = await LoadClient.login(server.port, talkers); // b<talkers>: stops reading
  await Promise.all(clients.map((c) => c.roundTrip()));
  const rssIdle = server.rssBytes();
  let rssWarm = NaN;
  let rssMax = NaN;
  let t0 = NaN;
  const stopReading = setTimeout(() => {
    rssWarm = rssMax = server.rssBytes();
    slow.socket.pause();
    t0 = now();
  }, WARM_UP_MS);

  let droppedAt = NaN;
  const lastSeen = new Float64Array(talkers).fill(now());
  let longestGap = 0;
  const stats = trackOrder(clients);
  clients.forEach((client, i) => {
    const track = client.onChat;
    client.onChat = (d) => {
      if (d.senderIndex === talkers) return; // the slow one does not talk
      const t = now();
      longestGap = Math.max(longestGap, t - lastSeen[i]);
      lastSeen[i] = t;
      track?.(d);
    };
    client.onOther = (event) => {
      if (event.type === 'leave' && event.user === LoadClient.name(talkers) && event.reason === 'slow' && Number.isNaN(droppedAt)) droppedAt = now() - t0;
    };
  });

  const linesEach = Math.round(perSecond * (WARM_UP_MS / 1000 + seconds));
  const sampler = setInterval(() => {
    if (!Number.isNaN(rssWarm)) rssMax = Math.max(rssMax, server.rssBytes());
  }, 100);
  await sendAtRate(clients, perSecond, linesEach, 4000);
  await Promise.all(clients.map((c) => c.roundTrip()));
  clearTimeout(stopReading);
  clearInterval(sampler);
  const expected = talkers * (talkers - 1) * linesEach;
  const figures = {
    talkers,
    linesPerSecondEach: perSecond,
    othersReceivedPercent: round((stats.received / expected) * 100, 2),
    othersLongestGapMs: round(longestGap, 1),
    slowDroppedAfterSeconds: round(droppedAt / 1000, 2),
    rssWarmUpMB: round((rssWarm - rssIdle) / MB, 1),
    rssGrowthMB: round((rssMax - rssWarm) / MB, 1),
    lost: stats.lost + (expected - stats.received),
    reordered: stats.reordered,
  };
  for (const c of [...clients, slow]) c.close();
  return figures;
}

/** Every client sends `count` lines of `size` bytes at `perSecond`, the clients spread over one interval. */
function sendAtRate(clients: LoadClient[], perSecond: number, count: number, size: number): Promise<void[]> {
  const interval = 1000 / perSecond;
  return Promise.all(
    clients.map(
      (client, i) =>
        new Promise<void>((resolve) => {
          let seq = 0;
          setTimeout(() => {
            const timer = setInterval(() => {
              client.socket.write(LoadClient.line(seq++, size));
              if (seq >= count) {
                clearInterval(timer);
                resolve();
              }
            }, interval);
          }, (i * interval) / clients.length);
        }),
    ),
  );
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
