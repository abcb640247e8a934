// `npm run server`: the chat server on the command line. `--mine` runs it with the
// pieces you wrote in starter/; `--mine 2,3` with only those lessons' pieces.

import os from 'node:os';
import { startChatServer } from './server.js';
import { printActivity } from './log.js';
import { reservedNames, slowNames } from './name-store.js';
import { parseServerFlags, SERVER_USAGE } from './options.js';
import { assemblePieces, SERVER_LESSONS, unwrittenLessons } from './pieces.js';
import { FriendlyError, runMain } from '../cli.js';

runMain('SERVER', async () => {
  const options = parseServerFlags(process.argv.slice(2));
  if (options.help) {
    console.log(SERVER_USAGE);
    return;
  }
  // COURSE_TREE lets the suites run this program on solutions/ or a typical-mistake variant.
  const tree = process.env.COURSE_TREE ?? 'starter';
  refuseUnwritten(tree, options.mineLessons);
  const pieces = await assemblePieces(tree, options.mine);

  const server = await startChatServer(
    {
      ...options,
      names: options.slowNameCheckMs > 0 ? slowNames(reservedNames, options.slowNameCheckMs) : reservedNames,
      activity: options.quiet ? undefined : printActivity,
    },
    pieces,
  );
  const rule = '='.repeat(56);
  const whose = options.mineLessons.length === 0 ? 'reference' : `your lesson ${options.mineLessons.join(', ')} pieces from ${tree}/`;
  console.log(rule);
  console.log(`  Chat server (${whose})`);
  console.log(`  Listening on ${server.host}:${server.port}`);
  console.log(`  Maximum connections: ${options.maxClients}`);
  if (options.slowNameCheckMs > 0) console.log(`  Each name check takes ${options.slowNameCheckMs} ms (--slow-name-check-ms)`);
  if (server.host === '0.0.0.0') {
    // A classroom: say which addresses the students can type.
    const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal);
    console.log('  Reachable from other machines at:');
    for (const a of addresses) console.log(`    ${a!.address}:${server.port}`);
  }
  // The PID lets a second terminal signal this very server (lesson 8), not whatever holds the port.
  console.log(`  Process ID: ${process.pid}. Press Ctrl+C to stop.`);
  if (options.quiet) console.log('  Quiet: no line per connection (--quiet).');
  console.log(rule);

  pieces.stopOnSignals(() => server.shutdown()); // lesson 8
});

/**
 * Before anything listens: a lesson whose piece is still the starter's TODO stub would only
 * crash once a client reaches it, so say which ones, and which `--mine` list would run.
 */
function refuseUnwritten(tree: string, lessons: number[]): void {
  const unwritten = unwrittenLessons(tree, lessons);
  if (unwritten.length === 0) return;
  const numbers = unwritten.map((u) => u.lesson);
  const files = unwritten.flatMap((u) => u.files);
  const lines = [
    numbers.length === 1 ? `Your lesson ${numbers[0]} piece is not written yet:` : `Your pieces of lessons ${numbers.join(', ')} are not written yet:`,
    ...files.map((f) => `  ${f} still throws its TODO`),
  ];
  const written = SERVER_LESSONS.filter((n) => unwrittenLessons(tree, [n]).length === 0);
  if (written.length > 0) lines.push(`The lessons you have written run with: npm run server -- --mine ${written.join(',')}`);
  else lines.push(`No server piece is written yet. Start with: npm run lesson ${numbers[0]}`);
  throw new FriendlyError(lines.join('\n'));
}
