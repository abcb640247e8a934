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
  {
    name: 'says "Connection refused" for every error, even when the server was running and reset the connection',
    file: 'client/connect.ts',
    change: [{ from: "reject(new Error(err.code === 'ECONNREFUSED' ?", to: 'reject(new Error(true ?' }],
    says: 'The server was running',
  },
  {
    name: 'keeps listening for data after the welcome, and takes the next chat line for a failed login',
    file: 'client/connect.ts',
    change: [{ from: "socket.off('data', onData);", to: '' }],
    says: "still listened for 'data' after the welcome",
  },
  {
    name: 'never rejects when the server hangs up before the welcome',
    file: 'client/connect.ts',
    change: [{ from: "socket.on('close', () => reject(new Error('The server closed the connection before welcoming us.')));", to: '' }],
    says: 'neither resolved nor rejected',
  },
  {
    name: 'rejects on an answer that is no welcome, but leaves the connection open',
    file: 'client/connect.ts',
    change: [{ from: "socket.destroy();\n          return reject(new Error(event.type === 'error'", to: "return reject(new Error(event.type === 'error'" }],
    says: 'was still open',
  },
];
