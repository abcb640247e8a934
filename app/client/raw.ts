// `npm run raw`: the course's raw client. Like `nc 127.0.0.1 5050`, but it works on
// Windows too, shows each line the server sends both as it came and as an event, and
// never lets a server's bytes drive your terminal.

import net from 'node:net';
import readline from 'node:readline';
import { FriendlyError, runMain } from '../cli.js';
import { parseEvent } from '../protocol.js';
import { escapeText as visible } from '../wire-text.js';
import { parseClientFlags } from './flags.js';

const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

runMain('RAW', async () => {
  const flags = parseClientFlags(process.argv.slice(2));
  if (flags.help) {
    console.log('Usage: npm run raw -- [--host HOST] [--port PORT]\nType lines to send them; Ctrl+C or Ctrl+D to leave.');
    return;
  }
  const socket = await connect(flags.host, flags.port);
  console.log(`${DIM}Connected to ${flags.host}:${flags.port}. Lines you type are sent as they are; Ctrl+D to hang up.${RESET}`);

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

  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => socket.write(line + '\n'));
  input.on('close', () => socket.end()); // Ctrl+D: send FIN, still read the replies
});

function connect(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      reject(new FriendlyError(err.code === 'ECONNREFUSED' ? 'Connection refused. Is the server running?' : `Could not reach ${host}:${port}: ${err.message}`));
    });
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
