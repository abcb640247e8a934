// A file's data connection, opened the one way every client opens it (PROTOCOL.md, "files"):
// a new connection to the chat server, its `hello` read, then `/file <token>` as the first
// line. What comes back is a socket of raw bytes, paused, for lesson 17's sendFile() and
// receiveFile(). The only place a client dials for a file: a transport change (TLS) goes here.

import type net from 'node:net';
import { openConnection, type Target } from '../../solutions/client/open-connection.js';
import { parseEvent } from '../protocol.js';
import { explainConnectError } from './connect-errors.js';

/** The chat server's address, and TLS when the chat connection speaks it (lesson 16). */
export type DataAddress = Target;

/** How long the server may take to say hello on a data connection. */
const HELLO_TIMEOUT_MS = 10_000;

/** Connects, reads the hello, sends `/file <token>`; resolves with the paused socket. */
export function openDataConnection(address: DataAddress, token: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const { host, port } = address;
    const socket = openConnection(address);
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail(`no hello from ${host}:${port} within ${HELLO_TIMEOUT_MS / 1000} s`), HELLO_TIMEOUT_MS);
    const onError = (err: NodeJS.ErrnoException) => fail(explainConnectError(err, address));
    const onClose = () => fail('the server closed the data connection before its hello');
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('data', function onData(chunk: Buffer) {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(0x0a);
      if (nl === -1) {
        if (head.length > 4096) fail('the server sent no hello');
        return;
      }
      const event = parseEvent(head.subarray(0, nl).toString('utf8'));
      if (event.type !== 'hello') return fail(event.type === 'error' ? event.text : 'the server sent something else than hello');
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.on('error', () => {}); // whoever reads it sees the failure (pipeline does); never a crash
      socket.pause();
      const rest = head.subarray(nl + 1);
      if (rest.length > 0) socket.unshift(rest);
      socket.write(`/file ${token}\n`);
      resolve(socket);
    });
  });
}
