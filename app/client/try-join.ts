// `npm run join -- --name alice`: runs YOUR joinChat() from starter/client/connect.ts
// (lesson 1) against a running server and shows what it resolved with.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FriendlyError, runMain, UsageError } from '../cli.js';
import { importFromTree, ROOT } from '../server/pieces.js';
import { parseClientFlags, tlsUsage } from './flags.js';

runMain('JOIN', async () => {
  const flags = parseClientFlags(process.argv.slice(2));
  if (flags.help || flags.name === undefined) {
    if (!flags.help) throw new UsageError('Give a name: npm run join -- --name alice [--host 127.0.0.1] [--port 5050] [--tls] [--ca FILE]');
    console.log(`Usage: npm run join -- --name NAME [--host HOST] [--port PORT] [--tls] [--ca FILE]\n${tlsUsage(14)}`);
    return;
  }
  const { joinChat } = await importFromTree<typeof import('../../starter/client/connect.js')>('starter', 'client/connect.ts');
  // Your lesson 1 code opened its socket with net.connect(): it would speak plain TCP and wait.
  const code = readFileSync(path.join(ROOT, 'starter', 'client', 'connect.ts'), 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
  if (flags.tls && !/openConnection\(|tls\.connect\(/.test(code)) {
    throw new FriendlyError('Your joinChat() does not speak TLS yet: it opens its socket with net.connect(). Lesson 16, "Your turn" step 3: open it with openConnection({ host, port, tls }).');
  }
  const tls = flags.tls && `, tls: { ca: ${flags.tls.ca === undefined ? 'undefined' : "'-----BEGIN CERTIFICATE-----...'"} }`;
  console.log(`Calling your joinChat({ host: '${flags.host}', port: ${flags.port}, name: '${flags.name}'${tls || ''} })...`);
  try {
    const { socket, welcome, after } = await joinChat({ host: flags.host, port: flags.port, name: flags.name, tls: flags.tls });
    console.log('It resolved. The welcome:');
    console.log(welcome);
    // Lesson 4: what came in the same chunk right after the welcome (history, with lesson 14).
    if (after && after.length > 0) {
      console.log(`And ${after.length} more event(s) that came with it:`);
      for (const event of after) console.log(event);
    }
    socket.destroy();
  } catch (err) {
    throw new FriendlyError(`It rejected: ${(err as Error).message}`);
  }
});
