// The command-line client (solutions/client/cli.ts) with lesson 12's rooms: its prompt names
// the room a line will go to, from the welcome's room and after each `room` event, cleaned
// of control characters like every string from the server. The client runs in this process
// on a FakeTerminal; the server is a scripted one on port 0.

import net from 'node:net';
import { onTestFinished, test } from 'vitest';
import { encodeEvent, TEXTS, type Event } from '../../app/protocol.js';
import { failure } from '../harness/teach.js';
import { cliOnTerminal } from './cli-on-terminal.js';

const SEE = '12 (npm run lesson 12), section "Try it"';

/** A server with rooms: welcomes alice in the lobby, moves her on /join, answers /quit. */
async function roomsServer(): Promise<number> {
  const send = (socket: net.Socket, event: Event) => socket.write(encodeEvent(event));
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    send(socket, { type: 'hello', proto: 1, text: TEXTS.hello, features: ['rooms'] });
    let pending = '';
    let named = false;
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!named) {
          named = true;
          send(socket, { type: 'welcome', user: 'alice', users: ['alice'], room: 'lobby', text: TEXTS.welcome('alice') });
        } else if (line === '/join games') {
          // A hostile server's room name: the ESC must not reach the prompt.
          send(socket, { type: 'room', room: 'ga\u001bmes', users: ['alice', 'bob'], count: 2 });
        } else if (line === '/quit') {
          send(socket, { type: 'bye', text: TEXTS.bye });
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

test('with rooms, the prompt says where a line goes: #lobby> after the welcome, #games> after a move', async () => {
  const port = await roomsServer();
  const { terminal, keyboard, ended, screen, until } = cliOnTerminal(port, SEE);

  await until('the question for a username', () => terminal.lines().some((r) => r.startsWith(TEXTS.hello)));
  keyboard.write('alice\r');
  await until('the prompt "#lobby> " after a welcome into the lobby', () => terminal.cursorRow() === '#lobby>' && terminal.lines().some((r) => r.includes('Welcome, alice!')));
  keyboard.write('/join games\r');
  await until('"You are now in #games" and the prompt "#games> " (the ESC in the room\'s name removed)', () =>
    terminal.cursorRow() === '#games>' && terminal.lines().some((r) => r === '[SYSTEM]: You are now in #games. Users here (2): alice, bob'),
  );
  keyboard.write('/quit\r');
  const code = await ended;
  if (code !== 0) throw failure({ problem: `After /quit and the server's bye, runCli() resolved with ${code}.`, expected: '0', see: SEE });
});
