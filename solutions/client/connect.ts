// Lesson 1: connect to a chat server, log in, and read the welcome.
//
// Python:  s = socket.socket(AF_INET, SOCK_STREAM); s.connect((host, port))
//          prompt = s.recv(1024); s.sendall(name.encode()); reply = s.recv(1024)
// Node:    net.connect() starts the three-way handshake and returns at once;
//          the socket tells us how it went through events: 'connect', 'data', 'error'.

import net from 'node:net';
import { parseEvent, type WelcomeEvent } from '../../app/protocol.js';

export interface JoinOptions {
  host: string;
  port: number;
  name: string;
}

export interface Joined {
  socket: net.Socket;
  welcome: WelcomeEvent;
}

export function joinChat({ host, port, name }: JoinOptions): Promise<Joined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });

    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Without this listener, a refused connection would crash the program.
      reject(new Error(err.code === 'ECONNREFUSED' ? 'Connection refused. Is the server running?' : `Could not reach ${host}:${port}: ${err.message}`));
    });

    // The server speaks first: `hello` asks for our name. We answer with one line.
    // (Reading one 'data' event as one message works here only by luck: lesson 4 fixes it.)
    socket.once('data', () => {
      socket.write(name + '\n');
      socket.once('data', (chunk: Buffer) => {
        const reply = chunk.toString('utf8');
        const event = parseEvent(reply.trim());
        if (event.type === 'welcome') {
          resolve({ socket, welcome: event });
        } else {
          // An `error` event (name taken, invalid...) carries a text written for people.
          socket.destroy();
          reject(new Error(event.type === 'error' ? event.text : `Expected a welcome, got: ${reply.trim()}`));
        }
      });
    });

    socket.on('close', () => reject(new Error('The server closed the connection before welcoming us.')));
  });
}
