import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'sends the name without a newline',
    file: 'client/connect.ts',
    change: [{ from: "socket.write(name + '\\n');", to: 'socket.write(name);' }],
    says: "no '\\n' at the end",
  },
  {
    name: 'passes the raw system error on instead of explaining it',
    file: 'client/connect.ts',
    change: [{ from: "reject(new Error(err.code === 'ECONNREFUSED'", to: "reject(err); void (new Error(err.code === 'ECONNREFUSED'" }],
    says: "when err.code is 'ECONNREFUSED'",
  },
  {
    name: 'resolves on any answer, never looking at the event type',
    file: 'client/connect.ts',
    change: [{ from: "if (event.type === 'welcome') {", to: 'if (event.type !== undefined) {' }],
    says: 'resolved although the server refused',
  },
  {
    name: 'hands the socket over without any listener, the error listener included',
    file: 'client/connect.ts',
    change: [{ from: "socket.off('data', onData);", to: 'socket.removeAllListeners();' }],
    says: "no 'error' listener left",
  },
];
