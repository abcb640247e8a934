// The benchmark's parts that lesson 18 relies on: the fan-out driven over IRC (here against a
// small IRC relay of the suite's own, on a real socket: ngircd itself is optional), and a
// server started through npm, whose CPU is read over its whole process tree and which stop()
// ends entirely.

import net from 'node:net';
import { onTestFinished, expect, test } from 'vitest';
import { ROOT } from '../../app/server/pieces.js';
import { IrcLoadClient } from '../../tools/bench/irc-client.js';
import { fanout } from '../../tools/bench/scenarios.js';
import { startServer, type ServerProcess } from '../../tools/bench/server-process.js';
import { DEADLINES } from '../harness/wait.js';

/** Just enough of an IRC server: registration, one channel, PRIVMSG to everyone else, PING. */
async function ircRelay(): Promise<number> {
  const members = new Map<net.Socket, string>();
  const server = net.createServer((socket) => {
    let nick = '';
    let carry = '';
    socket.on('error', () => {});
    socket.on('close', () => members.delete(socket));
    socket.on('data', (chunk) => {
      const lines = (carry + chunk.toString('utf8')).split('\r\n');
      carry = lines.pop()!;
      for (const line of lines) {
        const [verb, first] = line.split(' ');
        if (verb === 'NICK') nick = first!;
        else if (verb === 'USER') socket.write(`:relay 001 ${nick} :Welcome\r\n`);
        else if (verb === 'JOIN') {
          members.set(socket, nick);
          socket.write(`:relay 353 ${nick} = ${first} :${[...members.values()].join(' ')}\r\n:relay 366 ${nick} ${first} :End of NAMES list\r\n`);
        } else if (verb === 'PING') socket.write(`:relay PONG relay :${line.slice(line.indexOf(':') + 1)}\r\n`);
        else if (verb === 'PRIVMSG') {
          for (const [other] of members) if (other !== socket) other.write(`:${nick}!~${nick}@127.0.0.1 ${line}\r\n`);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const socket of members.keys()) socket.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

test('the fan-out over IRC: every PRIVMSG reaches every other member, counted and checked in order', async () => {
  const port = await ircRelay();
  const relay: ServerProcess = { port, pid: NaN, cpuSeconds: () => NaN, rssBytes: () => NaN, stop: async () => {} };
  const figures = await fanout(relay, 6, 5, { login: (p, i) => IrcLoadClient.login(p, i, 5000), loginsAtOnce: 3, line: IrcLoadClient.line });
  expect(figures).toMatchObject({ deliveries: 6 * 5 * 5, lost: 0, reordered: 0, disconnected: 0 });
});

test('a server started through npm: its CPU is the process tree\'s, and stop() ends every process of it', async () => {
  const server = await startServer('npm run server --silent --', ['--port', '0', '--quiet'], ROOT);
  let stopped = false;
  onTestFinished(() => (stopped ? undefined : server.stop()));
  const figures = await fanout(server, 4, 5);
  expect(figures).toMatchObject({ deliveries: 4 * 3 * 5, lost: 0, reordered: 0 });
  if (process.platform === 'linux') {
    expect(server.cpuSeconds()).toBeGreaterThan(0);
    expect(server.rssBytes()).toBeGreaterThan(0);
  }
  await server.stop();
  stopped = true;
  // The node process npm started listened on the port: nothing listens there any more.
  const refused = await new Promise<boolean>((resolve) => {
    const probe = net.connect(server.port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', () => resolve(true));
  });
  expect(refused, 'the server npm started still accepts connections after stop()').toBe(true);
}, DEADLINES.longTest);
