// `npm run cluster -- N`: lesson 19's demo. A redis-server of its own (free port, temporary
// folder, nothing kept) and N chat servers on it, on ports 5050, 5051... (or from --port),
// each printing behind its letter. Ctrl+C stops them all. Flags it does not know go to every
// server: `npm run cluster -- 3 --mine 19` runs your ClusterLink.

import { spawn, type ChildProcess } from 'node:child_process';
import { FriendlyError, runMain, UsageError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { startRedis } from './redis.js';

const USAGE = `Usage: npm run cluster -- [N] [flags]
  N                 how many chat servers (1 to 9, default 3)
  --port PORT       the first server's port (default 5050; the next ones follow)
  --help            show this help
Any other flag goes to every server (npm run server -- --help lists them),
e.g. --mine 19 to run your own ClusterLink, or --host 0.0.0.0 for a classroom.`;

runMain('CLUSTER', async () => {
  // Parsed by hand: every flag but these goes on to the servers, which check it.
  let argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return console.log(USAGE);
  let count = 3;
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    count = Number(argv[0]);
    if (!/^\d+$/.test(argv[0]) || count < 1 || count > 9) throw new UsageError(`N wants a whole number of servers from 1 to 9; got '${argv[0]}'.`);
    argv = argv.slice(1);
  }
  let first = 5050;
  const at = argv.indexOf('--port');
  if (at !== -1) {
    first = Number(argv[at + 1]);
    if (!/^\d+$/.test(argv[at + 1] ?? '') || first < 1 || first + count - 1 > 65535) {
      throw new UsageError(`--port wants the first server's port, 1 to ${65536 - count}; got '${argv[at + 1] ?? ''}'.`);
    }
    argv = argv.filter((_, i) => i !== at && i !== at + 1);
  }
  const passed = argv;

  const redis = await startRedis().catch((err: Error) => {
    throw err instanceof FriendlyError ? err : new FriendlyError(`Could not start redis-server: ${err.message}`);
  });
  console.log(`Redis: ${redis.url} (its own, keeping nothing on disk)`);
  const servers: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (code === 0) console.log('\nStopping every server, then Redis...');
    await Promise.all(servers.map((child) => stopChild(child)));
    await redis.stop();
    process.exit(code);
  };
  for (let i = 0; i < count; i++) {
    const letter = String.fromCharCode(65 + i);
    const port = first + i;
    const args = ['--import', 'tsx', 'app/server/main.ts', '--port', String(port), '--redis', redis.url, ...passed];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(child);
    prefix(child, `[${letter}:${port}] `);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // None left (a flag they all refused, every port taken): nothing to carry on with.
      if (servers.every((s) => s.exitCode !== null || s.signalCode !== null)) {
        console.log(`[${letter}:${port}] stopped (${signal ?? `exit code ${code}`}), and no server is left.`);
        return void stopAll(1);
      }
      console.log(`[${letter}:${port}] stopped (${signal ?? `exit code ${code}`}); the others carry on. Ctrl+C stops them all.`);
    });
  }
  console.log(`${count} server${count > 1 ? 's' : ''} on ports ${first}${count > 1 ? ` to ${first + count - 1}` : ''}, one chat. Connect to any: npm run chat -- --port ${first} --name alice`);
  console.log('Ctrl+C stops them all.');
  // However this ends (a pipe closed, an error), nothing it started outlives it.
  process.on('exit', () => {
    for (const child of servers) child.kill('SIGKILL');
    void redis.kill(); // the signal is sent at once
  });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
});

/** Prints a child's lines behind its label. */
function prefix(child: ChildProcess, label: string): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8').on('data', (text: string) => {
      const lines = (rest + text).split('\n');
      rest = lines.pop()!;
      for (const line of lines) console.log(label + line);
    });
  }
}

/** Asks a server to stop as Ctrl+C would, and kills it if it has not within 3 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // On Windows this ends it at once (there are no signals): it is a demo's server.
    child.kill('SIGINT');
  });
}
