// `npm run server`: the chat server on the command line. `--mine` runs it with the
// pieces you wrote in starter/ instead of the reference pieces in solutions/.

import { startChatServer } from './server.js';
import { parseServerFlags, SERVER_USAGE, UsageError } from './options.js';
import type { ServerPieces } from './types.js';

async function main(argv: string[]): Promise<void> {
  const mine = argv.includes('--mine');
  const options = parseServerFlags(argv.filter((a) => a !== '--mine'));
  if (options.help) {
    console.log(SERVER_USAGE + '\n  --mine                        run your own pieces from starter/');
    return;
  }
  const { pieces }: { pieces: ServerPieces } = mine
    ? await import('../../starter/server/index.js')
    : await import('../../solutions/server/index.js');

  const server = await startChatServer(options, pieces);
  const rule = '='.repeat(56);
  console.log(rule);
  console.log(`  Chat server (${mine ? 'your pieces from starter/' : 'reference'})`);
  console.log(`  Listening on ${server.host}:${server.port}`);
  console.log(`  Maximum connections: ${options.maxClients}`);
  if (server.host === '0.0.0.0') console.log('  Reachable from other machines: give them this machine\'s IP address.');
  console.log('  Press Ctrl+C to stop.');
  console.log(rule);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl+C: stop waiting
    stopping = true;
    console.log(`\n[SERVER] ${signal}: telling every client and shutting down...`);
    // PROTOCOL.md: exit within 2 seconds, whatever the clients do.
    setTimeout(() => process.exit(0), 1900).unref();
    server.shutdown().then(() => {
      console.log('[SERVER] Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: Error) => {
  // A user mistake (bad flag, port in use) is one line; only a bug shows a stack.
  const known = err instanceof UsageError || err.cause !== undefined;
  console.error(`[SERVER] ${known ? err.message : err.stack}`);
  if (err instanceof UsageError) console.error('Run with --help to see every flag.');
  process.exit(err instanceof UsageError ? 2 : 1);
});
