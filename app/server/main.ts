// `npm run server`: the chat server on the command line. `--mine` runs it with the
// pieces you wrote in starter/; `--mine 2,3` with only those lessons' pieces.

import os from 'node:os';
import { startChatServer } from './server.js';
import { parseServerFlags, SERVER_USAGE } from './options.js';
import { assemblePieces } from './pieces.js';
import { runMain } from '../cli.js';

runMain('SERVER', async () => {
  const options = parseServerFlags(process.argv.slice(2));
  if (options.help) {
    console.log(SERVER_USAGE);
    return;
  }
  // COURSE_TREE lets the suites run this program on solutions/ or a typical-mistake variant.
  const tree = process.env.COURSE_TREE ?? 'starter';
  const pieces = await assemblePieces(tree, options.mine);

  const server = await startChatServer(options, pieces).catch((err: Error) => {
    if ((err.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') err.message += ` ${whoHolds(options.port)}`;
    throw err;
  });
  const rule = '='.repeat(56);
  const whose = options.mine.length === 0 ? 'reference' : `your ${options.mine.join(', ')} from ${tree}/`;
  console.log(rule);
  console.log(`  Chat server (${whose})`);
  console.log(`  Listening on ${server.host}:${server.port}`);
  console.log(`  Maximum connections: ${options.maxClients}`);
  if (server.host === '0.0.0.0') {
    // A classroom: say which addresses the students can type.
    const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal);
    console.log('  Reachable from other machines at:');
    for (const a of addresses) console.log(`    ${a!.address}:${server.port}`);
  }
  console.log('  Press Ctrl+C to stop.');
  console.log(rule);

  pieces.stopOnSignals(() => server.shutdown()); // lesson 8
});

/** How to find what holds a port on this system (added to the piece's "already in use"). */
function whoHolds(port: number): string {
  if (process.platform === 'win32') return `To see what holds it: netstat -ano | findstr :${port} (the last number is its process id).`;
  if (process.platform === 'darwin') {
    const airplay = port === 5000 || port === 7000 ? ' On a Mac that is usually AirPlay Receiver (System Settings, AirDrop & Handoff).' : '';
    return `To see what holds it: lsof -nP -iTCP:${port} -sTCP:LISTEN.${airplay}`;
  }
  return `To see what holds it: ss -ltnp 'sport = :${port}'.`;
}
