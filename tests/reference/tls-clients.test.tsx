// Lesson 16's flags in the course's programs (PROTOCOL.md, "TLS"): the server takes
// --tls-cert/--tls-key and says tls in its banner; `npm run cli` and `npm run raw` take
// --tls and --ca, log in over TLS, and say in one line why a connection failed (an
// unknown authority, a plain server, a plain client on a TLS port); the chat's status
// bar says the connection is encrypted. Certificates are made once, in a temporary folder.

import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createElement as h } from 'react';
import { afterAll, beforeAll, describe, onTestFinished, test } from 'vitest';
import { assemblePieces, importFromTree } from '../../app/server/pieces.js';
import { startChatServer, type ChatServer } from '../../app/server/server.js';
import type { TlsIdentity } from '../../app/server/types.js';
import { makeAuthority, makeServerCertificate, newKey } from '../../tools/certificates.js';
import { Program } from '../harness/program.js';
import { DEADLINES, PATIENCE_MS, waitUntil } from '../harness/wait.js';

type HookModule = typeof import('../../solutions/client/tui/use-chat.js');
type ScreenModule = typeof import('../../solutions/client/tui/chat-screen.js');

let folder = '';
let caFile = '';
let identity: TlsIdentity;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'tls-clients-'));
  const key = newKey();
  const authority = makeAuthority('Course CA (tls-clients test)', key);
  const made = makeServerCertificate(authority, { names: ['localhost', '127.0.0.1'], key });
  identity = { cert: made.certPem, key: made.keyPem };
  caFile = path.join(folder, 'ca.pem');
  writeFileSync(caFile, authority.certPem);
  writeFileSync(path.join(folder, 'server.pem'), made.certPem);
  writeFileSync(path.join(folder, 'server-key.pem'), made.keyPem);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The reference server on port 0: TLS with the test's certificate, or plain. */
async function server(tls: boolean, handshakeTimeoutMs = 30_000): Promise<ChatServer> {
  const started = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null, maxPerAddress: 0, features: [], tls: tls ? identity : null, handshakeTimeoutMs, log: () => {} }, await assemblePieces('solutions', []));
  onTestFinished(() => started.shutdown());
  return started;
}

function program(args: string[]): Program {
  const run = new Program(args, { stdin: true, env: { COURSE_TREE: 'solutions' } });
  onTestFinished(() => run.stop());
  return run;
}

function printed(run: Program, what: string, check: (output: string) => boolean, ms = DEADLINES.cliBoot): Promise<string> {
  return waitUntil(
    () => (check(run.output) ? run.output : undefined),
    (wake) => run.onChange(wake),
    () => new Error(`waited ${ms} ms for ${what}; it printed:\n${run.output}`),
    ms,
  );
}

function oneLine(expect: (v: unknown, m?: string) => { toMatch(r: RegExp): void; toBe(v: unknown): void }, output: string, mentions: RegExp): void {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => mentions.test(l));
  expect(line, `one line that says why; it printed:\n${output}`).toMatch(mentions);
  expect(/^\s+at |node:internal/m.test(output), `no stack trace:\n${output}`).toBe(false);
}

describe('npm run server with --tls-cert and --tls-key', () => {
  test('the banner says tls; a key that is not the certificate\'s is one line', async ({ expect }) => {
    const cert = path.join(folder, 'server.pem');
    const good = program(['app/server/main.ts', '--port', '0', '--tls-cert', cert, '--tls-key', path.join(folder, 'server-key.pem')]);
    await printed(good, 'the banner', (o) => o.includes('Process ID'), DEADLINES.childStart);
    expect(good.output).toMatch(/Listening on 127\.0\.0\.1:\d+, tls/);
    const wrong = program(['app/server/main.ts', '--port', '0', '--tls-cert', cert, '--tls-key', cert]);
    await wrong.exited;
    expect(wrong.exit?.code).not.toBe(0);
    oneLine(expect, wrong.stderr, /--tls-key|--tls-cert/);
    const alone = program(['app/server/main.ts', '--tls-cert', cert]);
    await alone.exited;
    oneLine(expect, alone.stderr, /both --tls-cert FILE and --tls-key FILE/);
  });
});

describe('npm run cli and npm run raw with --tls and --ca', () => {
  test('cli --ca logs in over TLS and says it is encrypted', async ({ expect }) => {
    const chat = await server(true);
    const cli = program(['app/client/cli-main.ts', '127.0.0.1', String(chat.port), '--ca', caFile]);
    await printed(cli, 'the hello', (o) => o.includes('Enter your username'));
    expect(cli.output).toContain(`Connected to 127.0.0.1:${chat.port}, encrypted (TLS).`);
    cli.type('alice\n');
    await printed(cli, 'the welcome', (o) => o.includes('Welcome, alice!'));
    cli.type('/quit\n');
    await cli.exited;
    expect(cli.exit?.code).toBe(0);
  });

  test('cli --tls without the course\'s authority: one line, unknown authority, exit 1', async ({ expect }) => {
    const chat = await server(true);
    const cli = program(['app/client/cli-main.ts', '127.0.0.1', String(chat.port), '--tls']);
    await cli.exited;
    expect(cli.exit?.code).toBe(1);
    oneLine(expect, cli.output, /unknown authority.*--ca/);
    expect(cli.output).not.toContain('Connected to');
  });

  test('a plain cli on a TLS port: closed within the handshake timeout, with a line that suggests --tls', async ({ expect }) => {
    const chat = await server(true, 300);
    const cli = program(['app/client/cli-main.ts', '127.0.0.1', String(chat.port)]);
    await printed(cli, 'the line about a server that said no hello', (o) => o.includes('without saying hello'), DEADLINES.cliBoot);
    await cli.exited;
    expect(cli.exit?.code).toBe(1);
    oneLine(expect, cli.output, /without saying hello.*--tls/);
  });

  test('raw --ca speaks TLS; raw --tls on a plain port says it does not speak TLS', async ({ expect }) => {
    const secure = await server(true);
    const raw = program(['app/client/raw.ts', '--port', String(secure.port), '--ca', caFile]);
    await printed(raw, 'the hello, decrypted', (o) => o.includes('"type":"hello"'));
    expect(raw.output).toContain('encrypted (TLS)');
    const plain = await server(false);
    const mismatch = program(['app/client/raw.ts', '--port', String(plain.port), '--tls']);
    await mismatch.exited;
    expect(mismatch.exit?.code).toBe(1);
    oneLine(expect, mismatch.output, /does not speak TLS/);
  });

  test('--ca with a file that is not a certificate: one line', async ({ expect }) => {
    const raw = program(['app/client/raw.ts', '--ca', path.join(folder, 'server-key.pem')]);
    await raw.exited;
    expect(raw.exit?.code).not.toBe(0);
    oneLine(expect, raw.output, /not a certificate/);
  });
});

test('the chat\'s status bar says the connection is encrypted', async ({ expect }) => {
  const chat = await server(true);
  const { useChat } = await importFromTree<HookModule>('solutions', 'client/tui/use-chat.ts');
  const { ChatScreen } = await importFromTree<ScreenModule>('solutions', 'client/tui/chat-screen.tsx');
  const { readFileSync } = await import('node:fs');
  const tls = { ca: readFileSync(caFile, 'utf8') };
  function App() {
    return h(ChatScreen, { chat: useChat({ host: '127.0.0.1', port: chat.port, name: 'alice', tls }) });
  }
  const ink = render(h(Text, null, ''));
  Object.defineProperty(ink.stdout, 'columns', { get: () => 100, configurable: true });
  Object.defineProperty(ink.stdout, 'rows', { get: () => 24, configurable: true });
  ink.rerender(h(App));
  onTestFinished(() => ink.unmount());
  const frame = await waitUntil(
    () => {
      const text = (ink.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
      return text.includes('Welcome, alice!') ? text : undefined;
    },
    (wake) => {
      const timer = setInterval(wake, 5);
      return () => clearInterval(timer);
    },
    () => new Error(`the chat did not log in over TLS within ${PATIENCE_MS} ms:\n${ink.lastFrame()}`),
  );
  expect(frame).toContain(`alice @ 127.0.0.1:${chat.port} (TLS, encrypted)`);
});
