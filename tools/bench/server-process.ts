// Starts the server under test as a child process and reads its CPU time and memory
// from /proc (Linux). Any server that takes PROTOCOL.md's flags and prints
// `Listening on HOST:PORT` can be benchmarked.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

export function startServer(command: string, extraFlags: string[], cwd: string): Promise<ServerProcess> {
  const [program, ...args] = splitCommand(command);
  const child = spawn(program === 'node' ? process.execPath : program, [...args, ...extraFlags], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
    cpuSeconds() {
      try {
        // Fields after the command name (which may hold spaces, hence the lastIndexOf).
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      } catch {
        return NaN;
      }
    },
    rssBytes() {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) * 1024 : NaN;
      } catch {
        return NaN;
      }
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
  };
}

/** Splits a command line on spaces, keeping "quoted parts" together. */
function splitCommand(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}
