// `npm run tap -- --listen 5051 --to 127.0.0.1:5050`: a wire tap. It sits between a client
// and a server, passes every byte on unchanged, and prints each chunk as it crosses: which
// way, when, how many bytes, and the bytes themselves with every newline and odd byte shown.
// One printed line is one 'data' event, so you see where TCP cut the stream, not where the
// lines end. It also shows how each side hung up: a FIN (a polite end) or an RST (a reset).

import net from 'node:net';
import { FriendlyError, parseFlags, runMain, UsageError } from '../app/cli.js';
import { showChunk } from './show-chunk.js';

const USAGE = `Usage: npm run tap -- [--listen [HOST:]PORT] [--to [HOST:]PORT]
  --listen   where clients connect to the tap (default 127.0.0.1:5051)
  --to       the server the tap passes everything on to (default 127.0.0.1:5050)
For example: npm run server, then npm run tap, then nc 127.0.0.1 5051 (or npm run raw -- --port 5051).`;

interface Address {
  host: string;
  port: number;
}

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const toServer = paint('36');
const toClient = paint('33');
const dim = paint('2');

runMain('TAP', async () => {
  const flags = parseTapFlags(process.argv.slice(2));
  if (!flags) return console.log(USAGE);
  let connections = 0;
  const tap = net.createServer({ allowHalfOpen: true }, (client) => tapConnection(++connections, client, flags.to));
  const port = await listen(tap, flags.listen);
  console.log(`Tapping ${flags.listen.host}:${port} → ${flags.to.host}:${flags.to.port}. Connect your client to port ${port}. Ctrl+C to stop.`);
  console.log(`One line per chunk ('data' event): ${toServer('C→S')} client to server, ${toClient('S→C')} server to client.`);
});

function parseTapFlags(argv: string[]): { listen: Address; to: Address } | undefined {
  const { values } = parseFlags({ args: argv, options: { listen: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return undefined;
  return { listen: address('--listen', values.listen ?? '5051', 0), to: address('--to', values.to ?? '5050', 1) };
}

/** 'PORT' or 'HOST:PORT', the host 127.0.0.1 unless given. */
function address(flag: string, text: string, minPort: number): Address {
  const colon = text.lastIndexOf(':');
  const host = colon === -1 ? '127.0.0.1' : text.slice(0, colon);
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < minPort || port > 65535 || host === '') {
    throw new UsageError(`${flag} wants PORT or HOST:PORT, the port a whole number from ${minPort} to 65535; got '${text}'.`);
  }
  return { host, port };
}

function listen(server: net.Server, { host, port }: Address): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new FriendlyError(err.code === 'EADDRINUSE' ? `Port ${port} is in use: pick another, e.g. --listen ${port + 1}.` : `Cannot listen on ${host}:${port}: ${err.message}`));
    });
    server.listen({ host, port }, () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** One client's connection, passed on to the server and shown chunk by chunk. */
function tapConnection(id: number, client: net.Socket, to: Address): void {
  const opened = performance.now();
  const log = (what: string) => console.log(`${dim(`#${id}`)} ${dim(`+${String(Math.round(performance.now() - opened)).padStart(5)}ms`)}  ${what}`);
  const server = net.connect({ host: to.host, port: to.port, allowHalfOpen: true });
  log(`open   client ${client.remoteAddress}:${client.remotePort} → server ${to.host}:${to.port}`);

  const sent = { toServer: new Counter(), toClient: new Counter() };
  // No Nagle delay on either leg: each chunk goes on as soon as it arrives, so the far side
  // sees the chunks much as the tap does.
  client.setNoDelay(true);
  server.setNoDelay(true);
  relay(client, server, toServer('C→S'), sent.toServer, log, 'the client');
  relay(server, client, toClient('S→C'), sent.toClient, log, `the server (${to.host}:${to.port})`);

  server.once('connect', () => log(dim('server accepted the connection (three-way handshake done)')));
  let closed = 0;
  const onClose = () => {
    if (++closed < 2) return;
    log(`closed both sides. ${toServer('C→S')} ${sent.toServer}, ${toClient('S→C')} ${sent.toClient}`);
  };
  client.once('close', onClose);
  server.once('close', onClose);
}

/** Passes `from`'s bytes on to `to`, printing each chunk, and passes on how `from` hung up. */
function relay(from: net.Socket, to: net.Socket, arrow: string, counter: Counter, log: (what: string) => void, side: string): void {
  from.on('data', (chunk: Buffer) => {
    counter.add(chunk.length);
    log(`${arrow} ${`${chunk.length} B`.padStart(7)}  ${showChunk(chunk, chunkRoom())}`);
    // A reader that cannot keep up slows the writer down, as it would without the tap.
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => {
    log(`${arrow} FIN    ${side} has finished sending (it may still read)`);
    to.end();
  });
  from.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNRESET') log(`${arrow} RST    ${side} reset the connection`);
    else if (err.code === 'ECONNREFUSED') log(`${side} refused the connection: is it running? Resetting the client.`);
    else log(`${arrow} error  ${side}: ${err.message}`);
    // Passed on as it came: an RST for an RST, so the other side sees what it would have seen.
    if (!to.destroyed) to.resetAndDestroy();
  });
}

class Counter {
  private bytes = 0;
  private chunks = 0;
  add(bytes: number): void {
    this.bytes += bytes;
    this.chunks++;
  }
  toString(): string {
    return `${this.bytes} B in ${this.chunks} chunk${this.chunks === 1 ? '' : 's'}`;
  }
}

/** How many characters of a chunk fit on the line after its prefix. */
function chunkRoom(): number {
  return Math.max(20, (process.stdout.columns || 120) - 32);
}
