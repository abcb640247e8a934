// Starts the latency probe (probe.ts) in a process of its own and reads its figures.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FriendlyError } from '../../app/cli.js';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe.ts');

export interface ProbeFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Resolves once the probe's clients are logged in; `result` then resolves after `seconds`. */
export async function startProbe(port: number, seconds: number): Promise<{ result: Promise<ProbeFigures> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, String(port), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // The next line the probe prints, or an error naming what it waited for.
  const nextLine = async (what: string, ms: number): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FriendlyError(`The latency probe did not print ${what} within ${ms / 1000} s.`)), ms);
    });
    try {
      const line = await Promise.race([lines.next(), late]);
      if (line.done) throw new FriendlyError(`The latency probe exited before it printed ${what}.`);
      return line.value;
    } catch (err) {
      child.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  await nextLine('ready', 15_000);
  return { result: nextLine('its figures', seconds * 1000 + 15_000).then((line) => JSON.parse(line) as ProbeFigures) };
}
