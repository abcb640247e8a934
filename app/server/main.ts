// `npm run server`: the chat server on the command line. `--mine` runs it with the
// pieces you wrote in starter/; `--mine 2,3` with only those lessons' pieces.

import os from 'node:os';
import path from 'node:path';
import { startChatServer } from './server.js';
import { parseServerFlags, SERVER_USAGE } from './options.js';
import { HISTORY_NEEDS, sqliteAvailable } from './sqlite.js';
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

  const server = await startChatServer(options, pieces);
  const rule = '='.repeat(56);
  const whose = options.mine.length === 0 ? 'reference' : `your ${options.mine.join(', ')} from ${tree}/`;
  console.log(rule);
  console.log(`  Chat server (${whose})`);
  console.log(`  Listening on ${server.host}:${server.port}`);
  console.log(`  Maximum connections: ${options.maxClients}`);
  console.log(`  Extensions: ${options.features.length > 0 ? options.features.join(', ') : 'none (version 1 only)'}`);
  if (options.features.includes('history')) {
    const shown = path.relative(process.cwd(), options.db);
    const where = options.db === ':memory:' ? 'in memory (kept until the server stops)' : shown.startsWith('..') ? options.db : shown;
    console.log(`  History: ${where}`);
  } else if (!sqliteAvailable()) {
    console.log(`  ${HISTORY_NEEDS}`); // say why it is not among the extensions
  }
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
