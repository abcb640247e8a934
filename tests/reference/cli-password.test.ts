// The command-line client (solutions/client/cli.ts) and lesson 15's passwords: asked for by
// `password`, and twice by `/register` alone, each typed unseen (no byte of it reaches the
// terminal), sent as typed, and never kept for the up arrow. The client runs in this process
// on a FakeTerminal (readline in terminal mode); the server is a scripted one on port 0 that
// plays the protocol's auth lines and records what it receives.

import net from 'node:net';
import { PassThrough } from 'node:stream';
import { onTestFinished, test } from 'vitest';
import { encodeEvent, TEXTS, type Event } from '../../app/protocol.js';
import { failure } from '../harness/teach.js';
import { cliOnTerminal, runCli } from './cli-on-terminal.js';
import { PATIENCE_MS, waitUntil } from '../harness/wait.js';

const SEE = '15 (npm run lesson 15), section "The password step of the handshake"';

/**
 * A server that says hello, asks alice's password, welcomes her, and answers /quit; it keeps
 * every line, and `say` sends the client an event of the test's (another user's chat, say).
 */
async function scriptedServer(): Promise<{ port: number; lines: string[]; arrived: (what: string, line: string) => Promise<void>; say: (event: Event) => void }> {
  const lines: string[] = [];
  let client: net.Socket | undefined;
  const waiters = new Set<() => void>();
  const send = (socket: net.Socket, event: Event) => socket.write(encodeEvent(event));
  const server = net.createServer((socket) => {
    client = socket;
    socket.on('error', () => {});
    send(socket, { type: 'hello', proto: 1, text: TEXTS.hello, features: ['auth'] });
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(line);
        if (lines.length === 1) send(socket, { type: 'password', text: 'Password for alice:' });
        if (lines.length === 2) send(socket, { type: 'welcome', user: 'alice', users: ['alice'], text: TEXTS.welcome('alice') });
        if (line === '/quit') {
          send(socket, { type: 'bye', text: TEXTS.bye });
          socket.end();
        }
      }
      waiters.forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as net.AddressInfo).port;
  const arrived = (what: string, line: string) =>
    waitUntil(
      () => (lines.includes(line) ? true : undefined),
      (wake) => (waiters.add(wake), () => waiters.delete(wake)),
      () => failure({ problem: `The server did not receive ${what} within ${PATIENCE_MS} ms; it got ${JSON.stringify(lines)}.`, expected: JSON.stringify(line), see: SEE }),
    ).then(() => undefined);
  return { port, lines, arrived, say: (event) => send(client!, event) };
}

test('the CLI asks for the password unseen, /register asks twice unseen, and the up arrow never brings one back', async () => {
  const { port, lines, arrived, say } = await scriptedServer();
  const { terminal, keyboard, ended, screen, until } = cliOnTerminal(port, SEE);
  const secrets = ['hunter2 horse', 'sup3r secret', 'sup3r secreT'];
  const neverShown = (when: string) => {
    const shown = secrets.filter((s) => terminal.written.includes(s) || terminal.written.includes(s.slice(0, 6)));
    if (shown.length > 0) throw failure({ problem: `${when}, the terminal was sent ${shown.map((s) => JSON.stringify(s)).join(', ')} (or its start). The screen:\n${screen()}`, expected: 'a password typed with nothing of it echoed', see: SEE });
  };

  await until('the question for a username', () => terminal.lines().some((r) => r.startsWith(TEXTS.hello)));
  keyboard.write('alice\r');
  await until('"Password for alice:" as the prompt', () => terminal.cursorRow().startsWith('Password for alice:'));
  if (terminal.cursorColumn() !== 'Password for alice: '.length) {
    throw failure({ problem: `The cursor stood at column ${terminal.cursorColumn() + 1} of the question's row:\n${screen()}`, expected: `column ${'Password for alice: '.length + 1}: one space after the question (its prompt is the question and a space), where the unseen typing goes`, see: SEE });
  }
  for (const key of secrets[0]!) keyboard.write(key); // one key at a time, as a person types
  keyboard.write('\r');
  await arrived('the password line', secrets[0]!);
  await until('the prompt "> " after the welcome', () => terminal.cursorRow() === '>' && terminal.lines().some((r) => r.includes('Welcome, alice!')));
  neverShown('After the password was typed');
  if (!terminal.lines().some((r) => r.startsWith('Password for alice:'))) {
    throw failure({ problem: `After the password and Enter, the question's row was gone: what came next was written over it.\n${screen()}`, expected: "the question left on its row, as sudo leaves it: the Enter was not echoed either, so the client writes the '\\n' itself", see: SEE });
  }

  keyboard.write('/register\r');
  await until('"New password" as the prompt', () => terminal.cursorRow().startsWith('New password'));
  for (const key of secrets[1]!) keyboard.write(key);
  // Others talk while a password is typed: their line shows above, the question stays.
  say({ type: 'chat', from: 'bob', text: 'lunch?' });
  await until('bob\'s "lunch?" above the question "New password", still on the cursor\'s row (what was typed stays unseen)', () => terminal.rowAbove().includes('bob: lunch?') && terminal.cursorRow().startsWith('New password'));
  neverShown('After bob\'s line arrived while the new password was typed');
  keyboard.write('\r');
  await until('"The same password again:" as the prompt', () => terminal.cursorRow().startsWith('The same password again:'));
  keyboard.write(`${secrets[1]}\r`);
  await arrived('/register with the password', `/register ${secrets[1]}`);
  neverShown('After /register and the new password twice');
  await until('the prompt "> " at once after the second password, before any answer from the server', () => terminal.cursorRow() === '>');

  // Spaces around a command do not matter: "/register " (a space after it) asks too.
  keyboard.write('/register \r');
  await until('"New password" as the prompt', () => terminal.cursorRow().startsWith('New password'));
  keyboard.write(`${secrets[1]}\r`);
  await until('"The same password again:" as the prompt', () => terminal.cursorRow().startsWith('The same password again:'));
  keyboard.write(`${secrets[2]}\r`);
  await until('that the two passwords differ', () => terminal.lines().some((r) => r.includes('The two passwords differ')));
  if (lines.includes(`/register ${secrets[2]}`)) throw failure({ problem: 'Two different passwords, and the client sent /register anyway.', expected: 'nothing sent', see: SEE });

  // The up arrow walks back through what was typed: /register, then the name, never a password.
  keyboard.write('\x1b[A');
  await until('"> /register" after a press of the up arrow', () => terminal.cursorRow() === '> /register');
  keyboard.write('\x1b[A');
  await until('"> alice" after a second press of the up arrow', () => terminal.cursorRow() === '> alice');
  neverShown('After the up arrow was pressed twice');

  keyboard.write('\x15/quit\r'); // Ctrl+U clears the line first
  const code = await ended;
  if (code !== 0 || lines.at(-1) !== '/quit') throw failure({ problem: `After /quit, runCli() resolved with ${code}; the server got ${JSON.stringify(lines)}.`, expected: '0, after /quit', see: SEE });
});

test('in a pipe, the password question is a line of its own; a /register typed with its password stays out of the up arrow too', async () => {
  // A pipe: no terminal to hide anything on, so the question is printed as a plain line.
  const piped = await scriptedServer();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (d: string) => (printed += d));
  const pipeEnded = runCli({ host: '127.0.0.1', port: piped.port, input, output });
  onTestFinished(() => void input.end());
  input.write('alice\n');
  await waitUntil(
    () => (printed.includes('\nPassword for alice:\n') ? true : undefined),
    (wake) => (output.on('data', wake), () => output.off('data', wake)),
    () => failure({ problem: `In a pipe, the CLI did not print "Password for alice:" as a line of its own within ${PATIENCE_MS} ms. It printed:\n${printed}`, expected: 'the question, then a newline (a script reads lines)', see: SEE }),
  );
  input.write('hunter2 horse\n');
  await piped.arrived('the password line', 'hunter2 horse');
  await waitUntil(
    () => (printed.includes('Welcome, alice!') ? true : undefined),
    (wake) => (output.on('data', wake), () => output.off('data', wake)),
    () => failure({ problem: `In a pipe, the CLI did not print the welcome within ${PATIENCE_MS} ms after the password. It printed:\n${printed}`, expected: '[SYSTEM]: Welcome, alice!', see: SEE }),
  );
  const odd = printed.split('\n').slice(0, -1).find((l) => l === '' || l.startsWith('> '));
  if (odd !== undefined) throw failure({ problem: `In a pipe, the CLI printed ${odd === '' ? 'an empty line' : `a prompt ("${odd}")`} around the password step. It printed:\n${printed}`, expected: 'only the lines (no prompt, no blank line: in a pipe the Enter was echoed by nobody, and a script reads lines)', see: SEE });
  // A pipe has no terminal to hide a password on: "/register" alone goes to the server as typed.
  input.write('/register\n');
  await piped.arrived('"/register" alone, as typed (no password questions in a pipe)', '/register');
  input.end();
  if ((await pipeEnded) !== 0) throw failure({ problem: `After the pipe ended, runCli() did not resolve with 0. It printed:\n${printed}`, expected: '0', see: SEE });

  // A terminal: /register with its password on the same line is sent as typed, and kept out of the history.
  const { port, arrived } = await scriptedServer();
  const { terminal, keyboard, ended, screen, until } = cliOnTerminal(port, SEE);
  await until('the question for a username', () => terminal.lines().some((r) => r.startsWith(TEXTS.hello)));
  keyboard.write('alice\r');
  await until('"Password for alice:" as the prompt', () => terminal.cursorRow().startsWith('Password for alice:'));
  keyboard.write('hunter2 horse\r');
  await until('the prompt "> " after the welcome', () => terminal.cursorRow() === '>' && terminal.lines().some((r) => r.includes('Welcome, alice!')));
  // Only a line that is /register alone asks: one that ends with it is chat.
  keyboard.write('how to /register\r');
  await arrived('the chat line "how to /register", as typed', 'how to /register');
  keyboard.write('/register sup3r secret\r');
  await arrived('/register with its password, as typed', '/register sup3r secret');
  keyboard.write('\x1b[A');
  await until('"> how to /register" after a press of the up arrow: the line with the password is not kept', () => terminal.cursorRow() === '> how to /register');
  keyboard.write('\x15/quit\r');
  if ((await ended) !== 0) throw failure({ problem: 'After /quit, runCli() did not resolve with 0.', expected: '0', see: SEE });
});
