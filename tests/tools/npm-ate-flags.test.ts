// PowerShell drops the bare "--" of `npm run server -- --mine`, so npm keeps the flag and
// leaves it in the environment (npm_config_mine=true). Every program must then stop with one
// line that says what to type, never run without the flag (the reference server instead of
// the student's own). These runs set the environment npm would leave.

import { expect, test } from 'vitest';
import { refuseFlagsNpmAte } from '../../app/cli.js';
import { Program } from '../harness/program.js';
import { DEADLINES, waitUntil } from '../harness/wait.js';

/** What npm puts in a script's environment when it ran `npm run NAME` and kept some flags. */
function npmLeft(script: string, entry: string, flags: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { npm_lifecycle_event: script, npm_lifecycle_script: `node --import tsx ${entry}` };
  for (const [flag, value] of Object.entries(flags)) env[`npm_config_${flag.replace(/-/g, '_')}`] = value;
  return env;
}

async function runUntilExit(entry: string, args: string[], env: Record<string, string>): Promise<Program> {
  const program = new Program([entry, ...args], { env });
  try {
    await waitUntil(
      () => program.exit,
      (wake) => program.onChange(wake),
      () => new Error(`waited ${DEADLINES.childStart} ms for ${entry} to stop; it printed:\n${program.output}`),
      DEADLINES.childStart,
    );
  } finally {
    await program.stop();
  }
  return program;
}

test('npm run server --mine, the "--" lost: the server refuses to start and says how to type it', async () => {
  const entry = 'app/server/main.ts';
  // `--port 0` reached the server here: npm kept `--mine` only.
  const server = await runUntilExit(entry, ['--port', '0'], npmLeft('server', entry, { mine: 'true' }));
  expect(server.stdout, 'it must not start the reference server in place of the student\'s').not.toMatch(/Listening/);
  expect(server.exit?.code).toBe(1);
  const lines = server.stderr.trim().split('\n');
  expect(lines, server.stderr).toHaveLength(1);
  expect(lines[0]).toContain('npm kept --mine for itself');
  expect(lines[0]).toContain('PowerShell');
  expect(lines[0]).toContain('npm run server "--" --mine --port 0');
});

test('npm run join -- --name alice, the "--" lost: one line naming --name, not a usage error', async () => {
  const entry = 'app/client/try-join.ts';
  const join = await runUntilExit(entry, [], npmLeft('join', entry, { name: 'alice' }));
  expect(join.exit?.code).toBe(1);
  expect(join.stderr.trim()).toBe('[JOIN] npm kept --name for itself (flags for the program go after "--", and PowerShell drops a bare "--"). Type the "--" in quotes: npm run join "--" --name alice');
});

test('a flag npm kept as true and its value left behind as an argument are put back together', () => {
  const env = npmLeft('raw', 'app/client/raw.ts', { port: 'true' });
  const argv = ['node', `${process.cwd()}/app/client/raw.ts`, '5051'];
  expect(() => refuseFlagsNpmAte(['host', 'port'], env, argv)).toThrow('Type the "--" in quotes: npm run raw "--" --port 5051');
});

test('no refusal when the flag did arrive, or in a program npm did not start itself', () => {
  const env = npmLeft('server', 'app/server/main.ts', { mine: 'true' });
  // The "--" was typed in quotes: the flag is in the arguments too.
  expect(() => refuseFlagsNpmAte(['mine'], env, ['node', `${process.cwd()}/app/server/main.ts`, '--mine'])).not.toThrow();
  // A server a suite starts under `npm test` inherits npm's variables, but npm ran tools/test.js.
  const underNpmTest = { ...env, npm_lifecycle_event: 'test', npm_lifecycle_script: 'node tools/test.js' };
  expect(() => refuseFlagsNpmAte(['mine'], underNpmTest, ['node', `${process.cwd()}/app/server/main.ts`])).not.toThrow();
  // Not under npm at all.
  expect(() => refuseFlagsNpmAte(['mine'], { npm_config_mine: 'true' }, ['node', `${process.cwd()}/app/server/main.ts`])).not.toThrow();
});
