// `npm run profile` (tools/profile.ts) on a real CPU profile written by node --cpu-prof, and
// the benchmark's ngircd starter when ngircd is missing: one clear line, no stack.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startNgircd } from '../../tools/bench/ngircd.js';
import { DEADLINES } from '../harness/wait.js';
import { runCommand, STACK_LINE } from './run-command.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'profile-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('it lists the function that took the time first, by self time, from a file or from the folder', async () => {
  // A program that spends its time in one function of its own, profiled by node itself.
  const program = path.join(folder, 'busy.js');
  writeFileSync(program, 'function spinHere() { const end = Date.now() + 300; let n = 0; while (Date.now() < end) n++; return n; }\nspinHere();\n');
  const made = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', folder, program], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  const ran = await runCommand(['tools/profile.ts', folder, '--top', '3']);
  expect(ran.code, ran.stderr).toBe(0);
  const rows = ran.stdout.split('\n').filter((l) => /^\s+\d+\.\d+\s+\d+\.\d+%/.test(l));
  expect(rows.length, ran.stdout).toBeGreaterThan(0);
  expect(rows.length, ran.stdout).toBeLessThanOrEqual(3);
  expect(rows[0], ran.stdout).toContain('spinHere');
}, DEADLINES.longTest);

test('a file that is not a profile, or no file at all, is one line without a stack', async () => {
  const notProfile = path.join(folder, 'notes.cpuprofile');
  writeFileSync(notProfile, 'hello');
  for (const args of [[notProfile], [path.join(folder, 'missing.cpuprofile')], []]) {
    const ran = await runCommand(['tools/profile.ts', ...args]);
    expect(ran.code, ran.stdout).not.toBe(0);
    expect(ran.stderr.trim().split('\n').length, ran.stderr).toBeLessThanOrEqual(2);
    expect(ran.stderr).not.toMatch(STACK_LINE);
  }
}, DEADLINES.longTest);

test('the benchmark says in one line that ngircd is not installed, and how to install it', async () => {
  await expect(startNgircd(path.join(folder, 'no-such-ngircd'))).rejects.toThrow(/is not installed.*apt-get install ngircd/);
});
