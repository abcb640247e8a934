// `npm run bench`: drives a chat server with many real TCP clients on loopback and prints,
// per scenario, a table and one machine-readable line (`BENCH {...}`).
//
//   npm run bench                                   every scenario, the reference server
//   npm run bench -- --scenario fanout --runs 1     one scenario, one run
//   npm run bench -- --server "node --import tsx app/server/main.ts --mine --quiet"   your own server
//   npm run bench -- --quick                        small sizes, one run (a smoke test)
//   npm run bench -- --scenario fanout --clients 200   only the fan-out case with 200 clients
//   npm run bench -- --features rooms,status        the server's extensions (history off)
//   npm run bench -- --mine 18                      the server with your lesson 18 pieces (--mine: all yours)
//   npm run bench -- --mine 18 --cpu-prof .prof     the same, writing a CPU profile to .prof (npm run profile -- .prof)
//   npm run bench -- --server "npm run server --silent -- --mine 18"   any command, through npm too
//   npm run bench -- --scenario fanout --clients 200 --irc-server ngircd
//                      the same fan-out on ngircd (an IRC server in C), runs interleaved, and the ratio
//   npm run bench -- --scenario fanout --irc 127.0.0.1:6667   an IRC server already running (no CPU figures)
//   npm run bench -- --scenario file                a file through the relay, fast and slow receiver
//   npm run bench -- --scenario cluster             fan-out over 2 servers and Redis beside 1 (lesson 19)
//
// With history on (the server's default where node:sqlite exists, or --features with
// history), each run gets a fresh database file in the system's temporary folder, removed
// afterwards (or --db FILE, kept).
//
// The server is started as a child process with --port 0 --no-rate-limit --max-clients 20000
// --max-per-address 0 added to its command (every load client comes from 127.0.0.1); its CPU
// and memory are read from /proc (Linux only; elsewhere n/a). The default command adds
// --quiet: the benchmark measures serving, not the activity log.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, runMain, UsageError } from '../../app/cli.js';
import { sqliteAvailable } from '../../app/server/sqlite.js';
import { clusterFanout } from './cluster.js';
import { fileTransfer } from './file-transfer.js';
import { IrcLoadClient } from './irc-client.js';
import { startNgircd } from './ngircd.js';
import { connect, fanout, idle, latency, slowReader, type Dialect, type Figures } from './scenarios.js';
import { startServer, type ServerProcess } from './server-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_FLAGS = ['--port', '0', '--no-rate-limit', '--max-clients', '20000', '--max-per-address', '0'];

interface Case {
  scenario: string;
  label: string;
  /** How many chat clients it runs (for --clients). */
  clients?: number;
  run: (server: ServerProcess) => Promise<Figures>;
}

function cases(quick: boolean): Case[] {
  const fanoutSizes = quick ? [10, 50] : [10, 50, 200, 1000];
  return [
    ...fanoutSizes.map((n) => ({ scenario: 'fanout', clients: n, label: `fanout ${n} clients`, run: (s: ServerProcess) => fanout(s, n, n >= 1000 ? 10 : 50) })),
    { scenario: 'latency', label: `latency ${quick ? 50 : 200} clients × 10 lines/s`, run: (s) => latency(s, quick ? 50 : 200, 10, quick ? 2 : 5) },
    { scenario: 'connect', label: `connect: ${quick ? 500 : 5000} logins at once, then 500 paced`, run: (s) => connect(s, quick ? 500 : 5000) },
    { scenario: 'idle', label: `idle: ${quick ? 1000 : 10_000} connections held`, run: (s) => idle(s, quick ? 1000 : 10_000) },
    { scenario: 'slow', label: 'slow reader among 20 talkers', run: (s) => slowReader(s, 20, 20, quick ? 4 : 8) },
    { scenario: 'file', label: `file: ${quick ? 16 : 64} MiB through the relay`, run: (s) => fileTransfer(s, quick ? 16 : 64) },
    { scenario: 'file', label: `file: ${quick ? 8 : 64} MiB to a receiver reading 16 MiB/s`, run: (s) => fileTransfer(s, quick ? 8 : 64, 16 * 1024 * 1024) },
  ];
}

runMain('BENCH', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      server: { type: 'string' },
      mine: { type: 'string' },
      'cpu-prof': { type: 'string' },
      scenario: { type: 'string', default: 'all' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      clients: { type: 'string' },
      features: { type: 'string' },
      db: { type: 'string' },
      irc: { type: 'string' },
      'irc-server': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run bench -- [--scenario fanout|latency|connect|idle|slow|file|cluster|all] [--runs N] [--quick] [--server "COMMAND" | --mine LESSONS] [--cpu-prof DIR] [--clients N] [--features LIST|none] [--db FILE] [--irc HOST:PORT | --irc-server ngircd]');
    return;
  }
  const command = serverCommand(values.server, values.mine, values['cpu-prof']);
  const irc = ircTarget(values.irc, values['irc-server']);
  if (irc && values.scenario !== 'fanout') throw new UsageError('An IRC server runs the fan-out only: add --scenario fanout (and --clients 200 for one size).');
  const runs = Number(values.runs ?? (values.quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1 || runs > 10) throw new UsageError('--runs wants a number from 1 to 10.');
  if (values.scenario === 'cluster') return benchCluster(command, values.features ?? 'rooms,status', Number(values.clients ?? (values.quick ? 50 : 200)), runs);
  const chosen = cases(values.quick).filter((c) => (values.scenario === 'all' || c.scenario === values.scenario) && (values.clients === undefined || String(c.clients) === values.clients));
  if (chosen.length === 0) throw new UsageError(`Unknown scenario '${values.scenario}'.`);

  const features = values.features === undefined ? [] : ['--features', values.features];
  // History and auth (registered names) keep their rows in the database: a fresh file per run.
  const history = values.features === undefined ? sqliteAvailable() : values.features.split(',').some((f) => f === 'history' || f === 'auth');
  console.log(`Server: ${command} ${features.join(' ')}   history: ${history ? (values.db ?? 'on, a fresh file per run') : 'off'}   runs per case: ${runs} (median shown)\n`);
  if (irc) console.log(`IRC server: ${irc.label}, the same fan-out (JOIN ${'#bench'}, PRIVMSG), runs interleaved with the chat server's\n`);
  for (const c of chosen) {
    const results: Figures[] = [];
    const ircResults: Figures[] = [];
    for (let i = 0; i < runs; i++) {
      const folder = history && values.db === undefined ? mkdtempSync(path.join(os.tmpdir(), 'chat-bench-')) : undefined;
      const db = history ? ['--db', values.db ?? path.join(folder!, 'history.db')] : [];
      const server = await startServer(command, [...SERVER_FLAGS, ...features, ...db], ROOT);
      try {
        results.push(await c.run(server));
      } finally {
        await server.stop();
        if (folder) rmSync(folder, { recursive: true, force: true });
      }
      if (irc && c.clients !== undefined) {
        const ircServer = await irc.start();
        try {
          ircResults.push(await fanout(ircServer, c.clients, c.clients >= 1000 ? 10 : 50, irc.dialect));
        } finally {
          await ircServer.stop();
        }
      }
    }
    const cut = [...results, ...ircResults].filter((r) => r.disconnected > 0).length;
    if (cut > 0) console.log(`Warning: in ${cut} run(s) the server cut clients it found too slow (disconnected): those figures do not compare. A quieter machine, or fewer clients, helps.\n`);
    const median = medianOf(results);
    printTable(c.label, median);
    console.log(`BENCH ${JSON.stringify({ scenario: c.scenario, label: c.label, runs, ...median })}\n`);
    if (ircResults.length > 0) {
      const ircMedian = medianOf(ircResults);
      printTable(`${c.label}, on ${irc!.label}`, ircMedian);
      console.log(`BENCH ${JSON.stringify({ scenario: c.scenario, label: `${c.label}, ${irc!.label}`, server: 'irc', runs, ...ircMedian })}`);
      const ratio = median.serverCpuSecondsPerMillion / ircMedian.serverCpuSecondsPerMillion;
      console.log(`CPU per delivery, chat / ${irc!.label}: ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}× (${median.serverCpuSecondsPerMillion} / ${ircMedian.serverCpuSecondsPerMillion} CPU-s per million)` : 'n/a (no CPU figures for a server the benchmark did not start)'}\n`);
    }
  }
});

/** The server's command: --server as given, or the course's server (with --mine, the student's pieces; with --cpu-prof, profiled). */
function serverCommand(server: string | undefined, mine: string | undefined, profileDir: string | undefined): string {
  if (server !== undefined && (mine !== undefined || profileDir !== undefined)) {
    throw new UsageError('--mine and --cpu-prof choose the course\'s server: leave out --server (or put node --cpu-prof in your own command).');
  }
  if (server !== undefined) return server;
  const profile = profileDir === undefined ? '' : ` --cpu-prof --cpu-prof-dir "${profileDir}"`;
  return `node${profile} --import tsx app/server/main.ts --quiet${mine === undefined ? '' : ` --mine ${mine}`}`;
}

interface IrcTarget {
  label: string;
  dialect: Dialect;
  start(): Promise<ServerProcess>;
}

/** `--irc HOST:PORT` (a running IRC server) or `--irc-server PROGRAM` (ngircd, started per run). */
function ircTarget(address: string | undefined, program: string | undefined): IrcTarget | undefined {
  if (address !== undefined && program !== undefined) throw new UsageError('Give --irc HOST:PORT or --irc-server ngircd, not both.');
  if (program !== undefined) {
    return { label: path.basename(program), dialect: ircDialect('127.0.0.1'), start: () => startNgircd(program) };
  }
  if (address === undefined) return undefined;
  const match = /^(.+):(\d+)$/.exec(address);
  if (!match) throw new UsageError(`--irc ${address}: expected HOST:PORT, e.g. --irc 127.0.0.1:6667.`);
  const [, host, port] = match;
  const external: ServerProcess = { port: Number(port), pid: NaN, cpuSeconds: () => NaN, rssBytes: () => NaN, stop: async () => {} };
  return { label: `IRC at ${address}`, dialect: ircDialect(host), start: async () => external };
}

function ircDialect(host: string): Dialect {
  // An IRC server cuts a client whose unsent replies pass its own bound (ngircd: the
  // write buffer), and each JOIN goes to everyone in the channel: on a busy machine, 200
  // at once once cost a client its connection before it had joined. 20 at a time is gentler.
  return { login: (port, index) => IrcLoadClient.login(port, index, 30_000, host), loginsAtOnce: 20, line: IrcLoadClient.line };
}

/** Lesson 19: the same fan-out on one server and on two behind one Redis, runs interleaved. */
async function benchCluster(command: string, features: string, clients: number, runs: number): Promise<void> {
  if (!Number.isInteger(clients) || clients < 2) throw new UsageError('--clients wants a number of clients, 2 or more.');
  if (features.split(',').includes('history')) throw new UsageError('--scenario cluster compares like with like: history would be SQLite on one server and Redis on two; leave it out of --features.');
  const flags = [...SERVER_FLAGS, '--features', features];
  console.log(`Server: ${command} --features ${features}   runs per case: ${runs} (median shown), one server and two alternating\n`);
  const results: Figures[][] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [at, servers] of [1, 2].entries()) results[at]!.push(await clusterFanout(command, flags, ROOT, servers, clients, 50));
  }
  for (const [at, servers] of [1, 2].entries()) {
    const label = servers === 1 ? `fanout ${clients} clients, one server` : `fanout ${clients} clients, ${servers} servers behind one Redis`;
    const median = medianOf(results[at]!);
    printTable(label, median);
    console.log(`BENCH ${JSON.stringify({ scenario: 'cluster', label, runs, ...median })}\n`);
  }
}

function medianOf(results: Figures[]): Figures {
  const out: Figures = {};
  for (const key of Object.keys(results[0])) {
    const values = results.map((r) => r[key]).sort((a, b) => a - b);
    out[key] = values[Math.floor(values.length / 2)];
  }
  return out;
}

function printTable(label: string, figures: Figures): void {
  console.log(label);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) {
    console.log(`  ${key.padEnd(width)}  ${Number.isNaN(value) ? 'n/a' : value.toLocaleString('en-US')}`);
  }
}
