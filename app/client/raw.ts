// `npm run raw`: the course's raw client. Like `nc 127.0.0.1 5050`, but it works on
// Windows too, shows each line the server sends both as it came and as an event, and
// never lets a server's bytes drive your terminal. With --chunk and --delay-ms it sends
// what you type a few bytes at a time, to watch a server put a line back together.

import type net from 'node:net';
import readline from 'node:readline';
import { FriendlyError, parseFlags, runMain, UsageError } from '../cli.js';
import { DEFAULT_HOST, parseEvent } from '../protocol.js';
import { escapeText as visible } from '../wire-text.js';
import { portFrom, TLS_FLAGS, tlsUsage, trustFrom } from './flags.js';
import { explainConnectError } from './connect-errors.js';
import { openConnection, readyEvent, type Target } from '../../solutions/client/open-connection.js';

// No colour when piped or with NO_COLOR.
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const DIM = color ? '\x1b[2m' : '';
const BOLD = color ? '\x1b[1m' : '';
const RESET = color ? '\x1b[0m' : '';

// The key that ends the input. A Windows console sends Ctrl+Z (then Enter) as a line of
// its own, \x1a, instead of ending the stream; a lone Ctrl+D line, \x04, is taken too.
const END_KEY = process.platform === 'win32' ? 'Ctrl+Z then Enter' : 'Ctrl+D';
const END_LINES = new Set(['\x1a', '\x04']);

const USAGE = `Usage: npm run raw -- [--host HOST] [--port PORT] [--tls] [--ca FILE] [--chunk BYTES] [--delay-ms MS]
${tlsUsage(18)}
  --chunk BYTES   send what you type BYTES at a time (1: byte by byte)
  --delay-ms MS   wait MS between those pieces (default 1000 with --chunk)
Type lines to send them; ${END_KEY} to hang up (the server still answers), Ctrl+C to leave.`;

runMain('RAW', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      ...TLS_FLAGS,
      chunk: { type: 'string' },
      'delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const host = values.host ?? DEFAULT_HOST;
  const port = portFrom(values.port);
  const pacing = pacingFrom(values.chunk, values['delay-ms']);
  const target: Target = { host, port, tls: trustFrom(values.tls, values.ca) };
  const socket = await connect(target);
  const paced = pacing ? `, ${pacing.chunk} byte(s) every ${pacing.delayMs} ms` : '';
  const encrypted = target.tls ? ', encrypted (TLS)' : '';
  console.log(`${DIM}Connected to ${host}:${port}${encrypted}. Lines you type are sent as they are${paced}; ${END_KEY} to hang up.${RESET}`);

  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a)) {
      show(pending.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
      pending = pending.subarray(nl + 1);
    }
  });
  socket.on('end', () => {
    if (pending.length > 0) show(pending.toString('utf8') + ' (no newline at the end)');
    console.log(`${DIM}The server closed the connection.${RESET}`);
    process.exit(0);
  });
  socket.on('error', (err) => {
    console.error(`${DIM}Connection lost: ${err.message}${RESET}`);
    process.exit(1);
  });

  const send = pacing ? pacedSender(socket, pacing) : { write: (b: Buffer) => void socket.write(b), end: () => void socket.end() };
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (END_LINES.has(line)) input.close();
    else send.write(Buffer.from(line + '\n'));
  });
  // The end of input: send FIN once everything typed is out, and still read the replies.
  input.on('close', () => send.end());
});

interface Pacing {
  chunk: number;
  delayMs: number;
}

function pacingFrom(chunk: string | undefined, delay: string | undefined): Pacing | undefined {
  if (chunk === undefined && delay === undefined) return undefined;
  const bytes = chunk === undefined ? Infinity : Number(chunk);
  if (!(bytes === Infinity || (Number.isInteger(bytes) && bytes >= 1))) throw new UsageError(`--chunk wants a whole number of bytes, 1 or more; got '${chunk}'.`);
  const delayMs = delay === undefined ? 1000 : Number(delay);
  if (!Number.isInteger(delayMs) || delayMs < 0) throw new UsageError(`--delay-ms wants a whole number of milliseconds; got '${delay}'.`);
  return { chunk: bytes, delayMs };
}

/**
 * Everything typed goes into one queue; every `delayMs` one piece of at most `chunk` bytes
 * leaves it, as one write. So a line can be cut in pieces, and lines typed within one
 * delay leave together, in the same write.
 */
function pacedSender(socket: net.Socket, { chunk, delayMs }: Pacing) {
  let queue = Buffer.alloc(0);
  let timer: NodeJS.Timeout | undefined;
  let ending = false;
  const pump = () => {
    timer = undefined;
    const piece = queue.subarray(0, Math.min(chunk, queue.length));
    queue = queue.subarray(piece.length);
    socket.write(piece);
    if (queue.length > 0) timer = setTimeout(pump, delayMs);
    else if (ending) socket.end();
  };
  return {
    write(bytes: Buffer) {
      queue = Buffer.concat([queue, bytes]);
      timer ??= setTimeout(pump, delayMs);
    },
    end() {
      ending = true;
      if (queue.length === 0 && timer === undefined) socket.end();
    },
  };
}

/** Connects (plain TCP, or TLS with its certificate checked); a failure is one line that says why. */
function connect(target: Target): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = openConnection(target);
    socket.once(readyEvent(socket), () => resolve(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => reject(new FriendlyError(explainConnectError(err, target))));
  });
}

/** Prints the raw line, then what it means. */
function show(line: string): void {
  console.log(`${DIM}← ${visible(line)}${RESET}`);
  const event = parseEvent(line);
  if (event.type === 'unknown') return;
  const { type, ts, ...fields } = event as unknown as Record<string, unknown>;
  const time = typeof ts === 'number' ? new Date(ts).toLocaleTimeString('en-GB') : '--:--:--';
  const rest = Object.entries(fields).map(([k, v]) => `${k}=${visible(JSON.stringify(v))}`).join('  ');
  console.log(`  [${time}] ${BOLD}${String(type)}${RESET}  ${rest}`);
}
