// Lesson 1: connect to a chat server, log in, and read the welcome.
// Read the lesson first: npm run lesson 1      Check your work: npm test -- lesson1
// Lesson 4 comes back here: npm run lesson 4  (then: npm test -- lesson4)

import net from 'node:net';
import { parseEvent, type UnknownEvent, type WelcomeEvent, type WireEvent } from '../../app/protocol.js';
import type { LineDecoderLike } from '../../app/server/types.js';
import type { TlsTrust } from './open-connection.js';

export interface JoinOptions {
  host: string;
  port: number;
  name: string;
  /** Lesson 16: speak TLS, trusting these authorities: open the socket with openConnection({ host, port, tls }). */
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

export function joinChat({ host, port, name }: JoinOptions): Promise<Joined> {
  return new Promise((resolve, reject) => {
    // TODO (lesson 1):
    //  1. Open a TCP connection to host:port with net.connect().
    //  2. Listen for 'error': a refused connection must reject with exactly
    //     "Connection refused. Is the server running?"
    //  3. When the server's first message (`hello`) arrives, send your name and a '\n'.
    //  4. When the next message arrives, parse it with parseEvent(). A `welcome` resolves
    //     with { socket, welcome } (stop listening for 'data': the socket is the caller's
    //     now); an `error` rejects with the error's text. Any answer but a welcome also
    //     closes the socket (socket.destroy()) before rejecting.
    //  5. A server that hangs up before the welcome ('close') must reject too.
    // TODO (lesson 4): one 'data' event is not one message. Come back once your LineDecoder
    //  works: import { LineDecoder } from '../server/line-decoder.js', create one decoder per
    //  connection, feed it every chunk, and act on the lines it returns, one at a time.
    //  Resolve with what came glued to the welcome too: `after` (the events after it in the
    //  same chunk) and `decoder` (it holds the start of the next line).
    reject(new Error('TODO (lesson 1): joinChat() is not written yet. Read the lesson: npm run lesson 1'));
  });
}
