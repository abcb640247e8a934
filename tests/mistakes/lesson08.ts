import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: "never listens for 'error', so the first reset crashes the server",
    file: 'server/lifecycle.ts',
    change: [{ from: "  socket.on('error', () => {});\n", to: '' }],
    says: "an 'error' event with no listener",
  },
  {
    name: "closes at once on 'end', before the half-closed client's lines are answered",
    file: 'server/lifecycle.ts',
    change: [{ from: "socket.on('end', () => whenIdle(() => client.close()));", to: "socket.on('end', () => client.close());" }],
    says: 'Not client.close() at once',
  },
  {
    name: "destroys the socket on 'end' instead of closing it, throwing the last replies away",
    file: 'server/lifecycle.ts',
    change: [{ from: "socket.on('end', () => whenIdle(() => client.close()));", to: "socket.on('end', () => whenIdle(() => socket.destroy()));" }],
    says: 'Not socket.destroy(): it throws the queued replies away',
  },
  {
    name: 'closes every client before sending it shutdown',
    file: 'server/lifecycle.ts',
    change: [{ from: '    client.send(line); // first: nothing reaches a client once it is closed\n    client.close();', to: '    client.close();\n    client.send(line);' }],
    says: 'send it before you close',
  },
  {
    name: 'awaits stopAccepting() before telling and closing the clients',
    file: 'server/lifecycle.ts',
    change: [{ from: '  const stopped = stopAccepting();\n', to: '  const stopped = stopAccepting();\n  await stopped;\n' }],
    says: 'awaiting it first waits for ever',
  },
  {
    name: 'listens for SIGINT only',
    file: 'server/lifecycle.ts',
    change: [{ from: "  process.on('SIGTERM', onSignal);\n", to: '' }],
    says: 'nothing listened for SIGTERM',
  },
  {
    name: 'no deadline: a shutdown that hangs keeps the process alive for ever',
    file: 'server/lifecycle.ts',
    change: [{ from: '    setTimeout(() => process.exit(0), deadlineMs).unref();\n', to: '' }],
    says: 'a deadline: setTimeout',
  },
  {
    name: 'a second Ctrl+C is ignored while the shutdown hangs',
    file: 'server/lifecycle.ts',
    change: [{ from: 'if (stopping) process.exit(1);', to: 'if (stopping) return;' }],
    says: 'a second signal while stopping exits at once',
  },
  {
    name: 'a shutdown that failed still exits with code 0',
    file: 'server/lifecycle.ts',
    change: [{ from: 'console.error(`[SERVER] Shutdown failed: ${err.message}`);\n        process.exit(1);', to: 'console.error(`[SERVER] Shutdown failed: ${err.message}`);\n        process.exit(0);' }],
    says: 'a shutdown that failed is not a clean exit',
  },
  {
    name: 'forgets to turn on keep-alive, so a peer that vanished without a word stays online for good',
    file: 'server/lifecycle.ts',
    change: [{ from: '  socket.setKeepAlive(true, KEEPALIVE_MS);\n', to: '' }],
    says: 'socket.setKeepAlive(true, 60_000)',
  },
  {
    name: 'logs "Stopped." when stop() resolves but never exits, so the process runs on until the deadline',
    file: 'server/lifecycle.ts',
    change: [{ from: "        console.log('[SERVER] Stopped.');\n        process.exit(0);\n", to: "        console.log('[SERVER] Stopped.');\n" }],
    says: 'process.exit(0) as soon as stop() resolves',
  },
  {
    name: 'exits with code 1 when stop() rejects without saying why',
    file: 'server/lifecycle.ts',
    change: [{ from: '      (err: Error) => {\n        console.error(`[SERVER] Shutdown failed: ${err.message}`);\n', to: '      () => {\n' }],
    says: 'without printing it',
  },
];
