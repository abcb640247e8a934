// PROTOCOL.md, "Starting a server from the command line": a mistake in a flag or a busy port
// is one clear line on stderr and a non-zero exit, never a stack trace.

import net from 'node:net';
import { type ExpectStatic, test } from 'vitest';
import { DEADLINES } from '../harness/wait.js';
import { type OnFinished, spawnServerProcess, waitExit } from './blackbox.js';

async function run(args: string[], onTestFinished: OnFinished): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnServerProcess(args);
  onTestFinished(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const { code } = await waitExit(proc, DEADLINES.childStart, `the server started with ${args.join(' ')} to exit`);
  return { code, stdout, stderr };
}

function expectOneClearLine(expect: ExpectStatic, stderr: string, mentions: RegExp): void {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length, `stderr: ${stderr}`).toBeGreaterThan(0);
  expect(lines[0], `the first stderr line should say what is wrong; stderr: ${stderr}`).toMatch(mentions);
  // a hint such as "Run with --help" may follow, but no stack trace
  expect(lines.length, `stderr: ${stderr}`).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/node:internal|\.ts:\d+:\d+/);
}

test.concurrent.for<[string[], RegExp]>([
  [['--port', 'abc'], /--port.*abc|abc.*--port/],
  [['--bogus'], /--bogus/],
  [['--max-clients', '0'], /--max-clients/],
  [['--max-per-address', 'ten'], /--max-per-address/],
  [['--rate-limit', 'fast'], /--rate-limit/],
  [['--features', 'rooms,chess'], /--features/],
  [['--presence-limit', '0'], /--presence-limit/],
  [['--max-file-bytes', 'big'], /--max-file-bytes/],
])('bad flags %j: non-zero exit, one clear line on stderr, no stack trace', async ([args, mentions], { expect, onTestFinished }) => {
  const { code, stdout, stderr } = await run(args, onTestFinished);
  expect(code).not.toBe(0);
  expect(code).not.toBeNull();
  expect(stdout).not.toMatch(/Listening on/);
  expectOneClearLine(expect, stderr, mentions);
});

test.concurrent('a port in use: non-zero exit, a clear message mentioning "in use", no stack trace', async ({ expect, onTestFinished }) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  const { code, stdout, stderr } = await run(['--port', String(port)], onTestFinished);
  expect(code).not.toBe(0);
  expect(code).not.toBeNull();
  expect(stdout).not.toMatch(/Listening on/);
  expectOneClearLine(expect, stderr, /in use/i);
  expect(stderr).toContain(String(port));
  // and how to find the program that holds it, with this system's own tool
  const tool = { win32: 'netstat -ano', darwin: 'lsof -nP' }[process.platform as string] ?? 'ss -ltnp';
  expect(stderr).toContain(`To see what holds it: ${tool}`);
});

test.concurrent('--help prints every flag and exits 0', async ({ expect, onTestFinished }) => {
  const { code, stdout } = await run(['--help'], onTestFinished);
  expect(code).toBe(0);
  for (const flag of ['--host', '--port', '--max-clients', '--max-per-address', '--handshake-timeout-ms', '--max-queued-bytes', '--rate-limit', '--no-rate-limit']) expect(stdout).toContain(flag);
});
