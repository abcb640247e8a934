// A redis-server of our own, for lesson 19's suite and `npm run cluster`: on a free port,
// in its own temporary folder, keeping nothing on disk, stopped by whoever started it.
// Redis refuses port 0 (to Redis it means "no TCP at all"), so we find a free port by
// binding port 0 ourselves and closing it, and try another if something took it meanwhile.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOW_TO_INSTALL, isInstalled } from '../lessons/index.js';
import { FriendlyError } from '../app/cli.js';
import { freePort } from './free-port.js';

export interface RedisProcess {
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  /** Its process ID (the benchmark reads its CPU time). */
  readonly pid: number;
  /** Kills it (SIGKILL: nothing saved, as a crash), and waits until it has gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Kills it and removes its folder. */
  stop(): Promise<void>;
  /** The same, without waiting: for a process's 'exit' handler, where nothing async runs. */
  stopNow(): void;
}

const READY = /Ready to accept connections/;
const IN_USE = /Address already in use|bind: .*in use/i;

/** One line that says redis-server is missing and how to install it. */
export function redisMissing(): string | undefined {
  return isInstalled('redis-server') ? undefined : `redis-server is not installed. ${HOW_TO_INSTALL['redis-server']}`;
}

/** Starts a redis-server on a free port (a FriendlyError when there is none installed). */
export async function startRedis(deadlineMs = 10_000): Promise<RedisProcess> {
  const missing = redisMissing();
  if (missing) throw new FriendlyError(missing);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chat-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    child = await launch(port, dir, deadlineMs).catch((err: Error) => {
      if (attempt >= 5 || !IN_USE.test(err.message)) throw err;
      return undefined; // someone took the port between our close and its bind: another one
    });
  }
  const kill = async () => {
    const proc = child!;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await gone;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child!.pid!;
    },
    kill,
    async restart() {
      await kill();
      child = await launch(port, dir, deadlineMs);
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    stopNow() {
      child!.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs redis-server on `port` and resolves once it accepts connections. */
function launch(port: number, dir: string, deadlineMs: number): Promise<ChildProcess> {
  // No snapshots, no append-only file: a demo's and a suite's Redis keeps nothing.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`redis-server did not say it was ready within ${deadlineMs} ms`), deadlineMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${why}:\n${output.trim()}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (READY.test(output)) {
        clearTimeout(timer);
        proc.stdout!.off('data', read);
        proc.stdout!.resume(); // keep draining what it prints
        resolve(proc);
      }
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.once('error', (err) => fail(`redis-server could not be started: ${err.message}`));
    proc.once('exit', (code) => fail(`redis-server exited with code ${code}`));
  });
}

