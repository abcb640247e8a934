// The command-line client (solutions/client/cli.ts) and lesson 16's connection lines: it says
// when the connection is encrypted, and a server that hangs up before its hello gets a line
// of its own (often a TLS port reached in plain text), not lesson 10's "lost". The client
// runs in this process, typing into a pipe; tls-clients.test.tsx runs the same cases as
// programs, too slowly for `npm run mutate`, which grades lesson 10's client with this file.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { onTestFinished, test } from 'vitest';
import { CLOSED_BEFORE_HELLO } from '../../app/client/connect-errors.js';
import { TEXTS } from '../../app/protocol.js';
import { assemblePieces, importFromTree } from '../../app/server/pieces.js';
import { startChatServer } from '../../app/server/server.js';
import { keyFromPem, makeAuthority, makeServerCertificate } from '../../tools/certificates.js';
import { failure } from '../harness/teach.js';
import { PATIENCE_MS, waitUntil, within } from '../harness/wait.js';

const { runCli } = await importFromTree<typeof import('../../solutions/client/cli.js')>('solutions', 'client/cli.ts');
const SEE = '16 (npm run lesson 16), section "Two ways to get it wrong"';

/** One CLI session in a pipe: what it printed, its exit code, and a way to type. */
function cli(port: number, tls?: { ca?: string }) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (d: string) => (printed += d));
  const ended = runCli({ host: '127.0.0.1', port, tls, input, output });
  onTestFinished(async () => {
    input.end();
    await ended;
  });
  return {
    type: (line: string) => input.write(line + '\n'),
    lines: () => printed.split('\n').filter((l) => l !== ''),
    waitFor: (line: string) =>
      waitUntil(
        () => (printed.split('\n').includes(line) ? true : undefined),
        (wake) => (output.on('data', wake), () => output.off('data', wake)),
        () => failure({ problem: `The CLI did not print ${JSON.stringify(line)} within ${PATIENCE_MS} ms. It printed:\n${printed}`, expected: line, see: SEE }),
      ),
    ended: () => within(ended, PATIENCE_MS, () => failure({ problem: `runCli() did not end within ${PATIENCE_MS} ms. It printed:\n${printed}`, expected: 'it resolves with its exit code', see: SEE })),
  };
}

/** A server that says no hello: it ends the connection at once, or resets it when the client's first bytes come. */
async function hangUpServer(how: 'end' | 'reset'): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    if (how === 'end') socket.end();
    else socket.once('data', () => socket.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

test('over TLS, "Connected to ..., encrypted (TLS)."; in plain text, no such claim', async () => {
  const key = keyFromPem(readFileSync(new URL('../harness/tls-test-key.pem', import.meta.url), 'utf8'));
  const authority = makeAuthority('Course CA (cli-connection test)', key);
  const made = makeServerCertificate(authority, { names: ['localhost', '127.0.0.1'], key });
  const pieces = await assemblePieces('solutions', []);
  for (const tls of [{ cert: made.certPem, key: made.keyPem }, null]) {
    const server = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null, maxPerAddress: 0, features: [], tls, handshakeTimeoutMs: 30_000, log: () => {} }, pieces);
    onTestFinished(() => server.shutdown());
    const client = cli(server.port, tls ? { ca: authority.certPem } : undefined);
    const connected = `[CLIENT] Connected to 127.0.0.1:${server.port}${tls ? ', encrypted (TLS)' : ''}.`;
    await client.waitFor(TEXTS.hello);
    if (client.lines()[0] !== connected) {
      throw failure({ problem: `Connected ${tls ? 'over TLS' : 'in plain text'}, the CLI's first line was ${JSON.stringify(client.lines()[0])}.`, expected: JSON.stringify(connected), see: '16 (npm run lesson 16), section "Try it: the chat over TLS"' });
    }
    client.type('/quit');
    await client.ended();
  }
});

test('a server that hangs up before its hello: the line that suggests --tls, exit code 1', async () => {
  const client = cli(await hangUpServer('end'));
  await client.waitFor(`[CLIENT] ${CLOSED_BEFORE_HELLO}`);
  const code = await client.ended();
  if (code !== 1) throw failure({ problem: `runCli() resolved with ${code} after a server hung up before its hello.`, expected: '1', see: SEE });
});

test('a server that resets the connection before its hello, when the client types first: why, with the address, exit code 1', async () => {
  const port = await hangUpServer('reset');
  const client = cli(port);
  client.type('alice');
  const code = await client.ended();
  const why = client.lines().find((l) => l.startsWith(`[CLIENT] Could not reach 127.0.0.1:${port}: `));
  if (code !== 1 || why === undefined) {
    throw failure({ problem: `The client typed "alice" before any hello, and the server reset the connection. runCli() resolved with ${code} and printed:\n${client.lines().join('\n')}`, expected: `"[CLIENT] Could not reach 127.0.0.1:${port}: ..." (Node's reason), and exit code 1`, see: SEE });
  }
});
