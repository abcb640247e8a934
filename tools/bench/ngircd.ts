// Starts ngircd, a small IRC server written in C (Debian/Ubuntu: apt-get install ngircd;
// macOS: brew install ngircd), on a free port of 127.0.0.1 with a configuration file of its
// own in a temporary folder: no root, no system files, nothing left behind. `npm run bench
// -- --irc-server ngircd` runs the same fan-out on it as on the chat server, to compare.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FriendlyError } from '../../app/cli.js';
import { freePort } from '../free-port.js';
import { processFigures, type ServerProcess } from './server-process.js';

/** The configuration: the benchmark's clients all come from 127.0.0.1 and send in bursts. */
function config(port: number, folder: string): string {
  return `[Global]
  Name = bench.irc.local
  Info = ngircd for npm run bench
  Listen = 127.0.0.1
  Ports = ${port}
  MotdPhrase = "bench"
  PidFile = ${path.join(folder, 'ngircd.pid')}
[Limits]
  MaxConnections = 0
  MaxConnectionsIP = 0
  MaxJoins = 0
  MaxPenaltyTime = 0
  PingTimeout = 600
  PongTimeout = 600
[Options]
  DNS = no
  Ident = no
  PAM = no
`;
}

/** Starts `program` (ngircd, or a path to it) and resolves once it accepts connections. */
export async function startNgircd(program: string): Promise<ServerProcess> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'bench-ngircd-'));
  const port = await freePort();
  const file = path.join(folder, 'ngircd.conf');
  writeFileSync(file, config(port, folder));
  // -n: stay in the foreground (it is our child, stopped with the benchmark).
  const child = spawn(program, ['-n', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const cleanUp = () => rmSync(folder, { recursive: true, force: true });
  child.once('exit', cleanUp);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanUp();
      reject(
        new FriendlyError(
          err.code === 'ENOENT'
            ? `ngircd is not installed (no "${program}" on the PATH). Install it (Debian/Ubuntu: sudo apt-get install ngircd; macOS: brew install ngircd), or point --irc at a running IRC server.`
            : `Could not start ${program}: ${err.message}`,
        ),
      );
    });
    child.once('exit', (code) => reject(new FriendlyError(`${program} exited (code ${code}) before it listened on port ${port}. It printed:\n${out}`)));
  });
  let ended = false; // it failed to start, or exited: stop waiting for it
  child.once('error', () => (ended = true));
  child.once('exit', () => (ended = true));
  const deadline = Date.now() + 10_000;
  const listening = (async () => {
    while (!(await accepts(port))) {
      if (ended) return;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new FriendlyError(`${program} did not accept connections on port ${port} within 10 s. It printed:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await Promise.race([listening, failed]);
  failed.catch(() => {}); // it exits when stopped: not an error any more
  return { port, pid: child.pid!, ...processFigures(child.pid!), stop: () => stopChild(child) };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
