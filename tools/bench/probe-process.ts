// Starts the latency probe (probe.ts) in a process of its own and reads its figures.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe.ts');

export interface ProbeFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Resolves once the probe's clients are logged in; `result` then resolves after `seconds`. */
export function startProbe(port: number, seconds: number): Promise<{ result: Promise<ProbeFigures> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, String(port), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let waiting: (() => void) | undefined;
  let carry = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    lines.push(...parts);
    waiting?.();
  });
  const nextLine = (what: string, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`The latency probe did not print ${what} within ${ms / 1000} s.`));
      }, ms);
      const check = () => {
        const line = lines.shift();
        if (line === undefined) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve(line);
      };
      waiting = check;
      check();
    });
  return nextLine('ready', 15_000).then(() => ({
    result: nextLine('its figures', seconds * 1000 + 15_000).then((line) => JSON.parse(line) as ProbeFigures),
  }));
}
