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
];
