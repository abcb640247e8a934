// Starts the server under test as a child process and reads its CPU time and memory
// from /proc (Linux). Any server that takes PROTOCOL.md's flags and prints
// `Listening on HOST:PORT` can be benchmarked, started through npm too (`npm run server
// --silent -- --mine 18`): the figures are those of the whole process tree, npm's shell
// and the server it starts included, and stopping it stops them all.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { FriendlyError } from '../../app/cli.js';

export interface ServerProcess {
  port: number;
  pid: number;
  /** User + system CPU seconds the server has used so far (NaN where /proc is missing). */
  cpuSeconds(): number;
  /** Resident memory in bytes (NaN where /proc is missing). */
  rssBytes(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
/** How long a server may take to exit after Ctrl+C before it is killed. */
const STOP_GRACE_MS = 3000;

export function startServer(command: string, extraFlags: string[], cwd: string): Promise<ServerProcess> {
  const [program, ...args] = splitCommand(command);
  const child = spawn(program === 'node' ? process.execPath : program, [...args, ...extraFlags], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so that stop() reaches what it starts (npm's shell, node).
    detached: process.platform !== 'win32',
    // npm is npm.cmd on Windows, which only a shell runs.
    shell: process.platform === 'win32' && program !== 'node',
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new FriendlyError(`The server did not print "Listening on HOST:PORT" within 10 s. It printed:\n${out}`));
    }, 10_000);
    const onData = (data: Buffer) => {
      out += data.toString();
      const match = /Listening on \S+:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(wrap(child, Number(match[1])));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new FriendlyError(`The server exited (code ${code}) before listening. It printed:\n${out}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new FriendlyError(`Could not start the server with "${command}": ${err.message}`));
    });
  });
}

function wrap(child: ChildProcess, port: number): ServerProcess {
  const pid = child.pid!;
  return {
    port,
    pid,
    ...processFigures(pid),
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const signal = (name: NodeJS.Signals) => {
          try {
            process.kill(process.platform === 'win32' ? pid : -pid, name); // the whole group
          } catch {
            child.kill(name);
          }
        };
        // Ctrl+C first: a server run with --cpu-prof writes its profile as it exits.
        const kill = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        signal('SIGINT');
      });
    },
  };
}

/** CPU seconds and memory of a process and everything it started, read from /proc (NaN elsewhere). */
export function processFigures(pid: number): Pick<ServerProcess, 'cpuSeconds' | 'rssBytes'> {
  return {
    cpuSeconds() {
      try {
        let ticks = 0;
        for (const p of processTree(pid)) {
          const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
          // Fields after the command name (which may hold spaces, hence the lastIndexOf).
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          ticks += Number(fields[11]) + Number(fields[12]);
        }
        return ticks / CLOCK_TICKS;
      } catch {
        return NaN;
      }
    },
    rssBytes() {
      try {
        let kB = 0;
        for (const p of processTree(pid)) kB += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
        return kB * 1024;
      } catch {
        return NaN;
      }
    },
  };
}

/** `pid` and its descendants, from each process's parent in /proc/N/stat. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** Splits a command line on spaces, keeping "quoted parts" together. */
function splitCommand(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}
