import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'reports the port it was asked for, not the one it got',
    file: 'server/listen.ts',
    change: [{ from: 'const { address, port } = server.address() as net.AddressInfo;', to: 'const { host: address, port } = options;' }],
    says: "read from server.address() inside the 'listening' event",
  },
  {
    name: 'never listens for the error event',
    file: 'server/listen.ts',
    change: [{ from: "server.once('error',", to: "server.once('no-such-event' as 'error'," }],
    says: 'neither resolved nor rejected',
  },
  {
    name: 'close() resolves without closing the server',
    file: 'server/listen.ts',
    change: [{ from: 'server.close(() => done());', to: 'done();' }],
    says: 'still accepts connections',
  },
  {
    name: 'creates the server without allowHalfOpen: a client that has sent FIN gets no more replies',
    file: 'server/listen.ts',
    change: [{ from: 'net.createServer({ allowHalfOpen: true, noDelay: true }, onConnection)', to: 'net.createServer({ noDelay: true }, onConnection)' }],
    says: 'allowHalfOpen: true',
  },
  {
    name: 'rejects with a new message but drops the cause, so npm run server prints a stack trace',
    file: 'server/listen.ts',
    change: [{ from: ', { cause: err }));', to: '));' }],
    says: 'prints a stack trace',
  },
  {
    name: 'says "in use" whatever went wrong',
    file: 'server/listen.ts',
    change: [{ from: 'reject(new Error(explainListenError(err, options.host, options.port), { cause: err }));', to: 'reject(new Error(`Port ${options.port} is already in use. Pick another port with --port.`, { cause: err }));' }],
    says: 'only when err.code is',
  },
  {
    name: 'close() resolves at once, before the open connections have ended',
    file: 'server/listen.ts',
    change: [{ from: 'server.close(() => done());', to: 'server.close();\n            done();' }],
    says: 'resolved while a client was still connected',
  },
];
