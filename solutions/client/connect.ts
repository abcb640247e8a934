// Lesson 1: connect to a chat server, log in, and read the welcome.
// Lesson 4: read it line by line, however TCP cuts the bytes.
//
// Python:  s = socket.socket(AF_INET, SOCK_STREAM); s.connect((host, port))
//          prompt = s.recv(1024); s.sendall(name.encode()); reply = s.recv(1024)
// Node:    net.connect() starts the three-way handshake and returns at once;
//          the socket tells us how it went through events: 'connect', 'data', 'error'.

import type net from 'node:net';
import { parseEvent, type UnknownEvent, type WelcomeEvent, type WireEvent } from '../../app/protocol.js';
import type { LineDecoderLike } from '../../app/server/types.js';
import { LineDecoder } from '../server/line-decoder.js';
import { openConnection, type TlsTrust } from './open-connection.js';
import { explainConnectError } from '../../app/client/connect-errors.js';

export interface JoinOptions {
  host: string;
  port: number;
  name: string;
  /** Lesson 16: speak TLS, trusting these authorities. */
  tls?: TlsTrust;
}

export interface Joined {
  socket: net.Socket;
  welcome: WelcomeEvent;
  /** Lesson 4: the events that arrived in the same chunk, right after the welcome. */
  after?: (WireEvent | UnknownEvent)[];
  /** Lesson 4: the connection's decoder, holding the start of a line not finished yet: read on with it. */
  decoder?: LineDecoderLike;
}

export function joinChat({ host, port, name, tls }: JoinOptions): Promise<Joined> {
  return new Promise((resolve, reject) => {
    // net.connect({ host, port }), or with lesson 16 tls.connect(): the same socket API.
    const target = { host, port, tls };
    const socket = openConnection(target);
    // One 'data' event is not one message: it may hold half a line or several. One decoder
    // for the whole connection keeps the unfinished line until the rest arrives.
    const decoder = new LineDecoder();

    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Without this listener, a refused connection would crash the program.
      // Refused, or (lesson 16) a TLS check that failed: one line that says why.
      reject(new Error(err.code === 'ECONNREFUSED' ? 'Connection refused. Is the server running?' : explainConnectError(err, target)));
    });

    socket.on('data', function onData(chunk: Buffer) {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (err) {
        socket.destroy();
        return reject(err);
      }
      for (const [i, line] of lines.entries()) {
        const event = parseEvent(line);
        if (event.type === 'hello') {
          // The server speaks first: `hello` asks for our name. We answer with one line.
          socket.write(name + '\n');
        } else if (event.type === 'welcome') {
          // Logged in. From here on the socket is the caller's to read, and so is whatever
          // came glued to the welcome: the lines after it in this chunk, and the decoder's
          // unfinished line, which the next chunk completes.
          socket.off('data', onData);
          return resolve({ socket, welcome: event, after: lines.slice(i + 1).map(parseEvent), decoder });
        } else {
          // An `error` event (name taken, invalid...) carries a text written for people.
          socket.destroy();
          return reject(new Error(event.type === 'error' ? event.text : `Expected a welcome, got: ${line}`));
        }
      }
    });

    socket.on('close', () => reject(new Error('The server closed the connection before welcoming us.')));
  });
}
