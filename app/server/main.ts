// `npm run server`: the chat server on the command line. `--mine` runs it with the
// pieces you wrote in starter/; `--mine 2,3` with only those lessons' pieces.

import os from 'node:os';
import path from 'node:path';
import { startChatServer } from './server.js';
import { printActivity } from './log.js';
import { reservedNames, slowNames } from './name-store.js';
import { parseServerFlags, SERVER_USAGE } from './options.js';
import { HISTORY_NEEDS, sqliteAvailable } from './sqlite.js';
import { assemblePieces, isUnwritten, PIECE_FILES, SERVER_LESSONS, serverFilesOf } from './pieces.js';
import { FriendlyError, runMain } from '../cli.js';

runMain('SERVER', async () => {
  const options = parseServerFlags(process.argv.slice(2));
  if (options.help) {
    console.log(SERVER_USAGE);
    return;
  }
  // COURSE_TREE lets the suites run this program on solutions/ or a typical-mistake variant.
  const tree = process.env.COURSE_TREE ?? 'starter';
  const stubs = checkWritten(tree, options.mineLessons);
  // A stub of a lesson that is partly written is replaced by the reference (announced below).
  const mine = options.mine.filter((name) => !stubs.includes(PIECE_FILES[name]));
  const pieces = await assemblePieces(tree, mine);

  const server = await startChatServer(
    {
      ...options,
      names: options.slowNameCheckMs > 0 ? slowNames(reservedNames, options.slowNameCheckMs) : reservedNames,
      activity: options.quiet ? undefined : printActivity,
    },
    pieces,
  ).catch((err: Error) => {
    if ((err.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') err.message += ` ${whoHolds(options.port)}`;
    throw err;
  });
  const rule = '='.repeat(56);
  const whose = options.mineLessons.length === 0 ? 'reference' : `your lesson ${options.mineLessons.join(', ')} pieces from ${tree}/`;
  console.log(rule);
  console.log(`  Chat server (${whose})`);
  console.log(`  Listening on ${server.host}:${server.port}${options.tls ? ', tls (TLS 1.2 or newer)' : ''}`);
  console.log(`  Maximum connections: ${options.maxClients}`);
  console.log(`  Maximum from one address: ${options.maxPerAddress === 0 ? 'no limit' : options.maxPerAddress}`);
  if (options.slowNameCheckMs > 0) console.log(`  Each name check takes ${options.slowNameCheckMs} ms (--slow-name-check-ms)`);
  console.log(`  Extensions: ${options.features.length > 0 ? options.features.join(', ') : 'none (version 1 only)'}`);
  const inRedis = options.redis !== '';
  const [history, auth] = [options.features.includes('history'), options.features.includes('auth')];
  if (inRedis && history) console.log('  History: in Redis, shared by every server (the last 100 of each room)');
  if (inRedis && auth) console.log('  Accounts: in Redis, shared by every server');
  if (!inRedis && (history || auth)) {
    const shown = path.relative(process.cwd(), options.db);
    const where = options.db === ':memory:' ? 'in memory (kept until the server stops)' : shown.startsWith('..') ? options.db : shown;
    console.log(`  ${history ? 'History' : 'Accounts'}: ${where}`); // auth shares history's file
  } else if (!inRedis && !sqliteAvailable()) {
    console.log(`  ${HISTORY_NEEDS}`); // say why it is not among the extensions
  }
  if (options.redis !== '') {
    console.log(`  Redis: ${options.redis}: one chat with every server on it (names leased for ${options.leaseMs / 1000} s)`);
  }
  if (server.host === '0.0.0.0') {
    // A classroom: say which addresses the students can type.
    const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal);
    console.log('  Reachable from other machines at:');
    for (const a of addresses) console.log(`    ${a!.address}:${server.port}`);
  }
  // The PID lets a second terminal signal this very server (lesson 8), not whatever holds the port.
  console.log(`  Process ID: ${process.pid}. Press Ctrl+C to stop.`);
  for (const file of stubs) console.log(`  ${tree}/${file} still throws its TODO: the reference runs in its place`);
  if (options.quiet) console.log('  Quiet: no line per connection (--quiet).');
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

/**
 * Before anything listens. A lesson none of whose files is written yet would only crash
 * once a client reaches it: refuse, saying which lessons and which `--mine` list would run.
 * Returns the stubs left in lessons that are partly written (lesson 7's mutex.ts beside the
 * starter's claim-name.ts; one of lesson 9's three files): those the reference replaces.
 */
function checkWritten(tree: string, lessons: number[]): string[] {
  const stubsOf = (lesson: number) => serverFilesOf(lesson).filter((file) => isUnwritten(tree, file));
  const unwritten = lessons.filter((lesson) => stubsOf(lesson).length === serverFilesOf(lesson).length);
  if (unwritten.length > 0) {
    const lines = [
      unwritten.length === 1 ? `Your lesson ${unwritten[0]} piece is not written yet:` : `Your pieces of lessons ${unwritten.join(', ')} are not written yet:`,
      ...unwritten.flatMap(stubsOf).map((file) => `  ${tree}/${file} still throws its TODO`),
    ];
    // Partly written lessons run too (the reference takes the stubs' place), but the pristine
    // starter's lesson 7 (claim-name.ts given, mutex.ts a stub) is no sign of work: offer a
    // list only to someone who has finished a lesson.
    const finished = SERVER_LESSONS.some((lesson) => stubsOf(lesson).length === 0);
    const written = finished ? SERVER_LESSONS.filter((lesson) => stubsOf(lesson).length < serverFilesOf(lesson).length) : [];
    if (written.length > 0) lines.push(`The lessons you have written run with: npm run server -- --mine ${written.join(',')}`);
    else lines.push(`No server piece is written yet. Start with: npm run lesson ${unwritten[0]}`);
    throw new FriendlyError(lines.join('\n'));
  }
  return lessons.flatMap(stubsOf);
}
