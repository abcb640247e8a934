// `npm run bench`: drives a chat server with many real TCP clients on loopback and prints,
// per scenario, a table and one machine-readable line (`BENCH {...}`).
//
//   npm run bench                                   every scenario, the reference server
//   npm run bench -- --scenario fanout --runs 1     one scenario, one run
//   npm run bench -- --server "node --import tsx app/server/main.ts --mine --quiet"   your own server
//   npm run bench -- --quick                        small sizes, one run (a smoke test)
//   npm run bench -- --scenario fanout --clients 200   only the fan-out case with 200 clients
//   npm run bench -- --features rooms,status        the server's extensions (history off)
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
import { connect, fanout, idle, latency, slowReader, type Figures } from './scenarios.js';
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
  ];
}

runMain('BENCH', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      server: { type: 'string', default: 'node --import tsx app/server/main.ts --quiet' },
      scenario: { type: 'string', default: 'all' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      clients: { type: 'string' },
      features: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run bench -- [--scenario fanout|latency|connect|idle|slow|cluster|all] [--runs N] [--quick] [--server "COMMAND"] [--clients N] [--features LIST|none] [--db FILE]');
    return;
  }
  const runs = Number(values.runs ?? (values.quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1 || runs > 10) throw new UsageError('--runs wants a number from 1 to 10.');
  if (values.scenario === 'cluster') return benchCluster(values.server, values.features ?? 'rooms,status', Number(values.clients ?? (values.quick ? 50 : 200)), runs);
  const chosen = cases(values.quick).filter((c) => (values.scenario === 'all' || c.scenario === values.scenario) && (values.clients === undefined || String(c.clients) === values.clients));
  if (chosen.length === 0) throw new UsageError(`Unknown scenario '${values.scenario}'.`);

  const features = values.features === undefined ? [] : ['--features', values.features];
  const history = values.features === undefined ? sqliteAvailable() : values.features.split(',').includes('history');
  console.log(`Server: ${values.server} ${features.join(' ')}   history: ${history ? (values.db ?? 'on, a fresh file per run') : 'off'}   runs per case: ${runs} (median shown)\n`);
  for (const c of chosen) {
    const results: Figures[] = [];
    for (let i = 0; i < runs; i++) {
      const folder = history && values.db === undefined ? mkdtempSync(path.join(os.tmpdir(), 'chat-bench-')) : undefined;
      const db = history ? ['--db', values.db ?? path.join(folder!, 'history.db')] : [];
      const server = await startServer(values.server, [...SERVER_FLAGS, ...features, ...db], ROOT);
      try {
        results.push(await c.run(server));
      } finally {
        await server.stop();
        if (folder) rmSync(folder, { recursive: true, force: true });
      }
    }
    const median = medianOf(results);
    printTable(c.label, median);
    console.log(`BENCH ${JSON.stringify({ scenario: c.scenario, label: c.label, runs, ...median })}\n`);
  }
});

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
