// Lesson 2: bind(), listen() and accept(), the Node way.
//
// Python needed three calls and a loop:   Node needs one server object:
//   s = socket(AF_INET, SOCK_STREAM)        server = net.createServer(onConnection)
//   s.bind((host, port))                    server.listen(port, host)
//   s.listen(backlog)                         ...'listening' event
//   while True: conn, addr = s.accept()     ...'connection' event, once per client

import net from 'node:net';
import type { Listen, Listening } from '../../app/server/types.js';

export const listen: Listen = (options, onConnection) =>
  new Promise<Listening>((resolve, reject) => {
    // allowHalfOpen: a client that sends FIN after its last line still gets its replies (lesson 8).
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, onConnection);

    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(explainListenError(err, options.host, options.port), { cause: err }));
    });

    server.once('listening', () => {
      // Only now does address() know the port: with port 0 the OS has just picked it.
      const { address, port } = server.address() as net.AddressInfo;
      resolve({
        host: address,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
          }),
      });
    });

    // A backlog well above the default 511 lets a burst of clients queue while we accept.
    server.listen({ host: options.host, port: options.port, backlog: 4096 });
  });

function explainListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use. Is another server running? Stop it, or pick another port with --port (0 picks a free one).`;
    case 'EACCES':
      return `Not allowed to listen on port ${port}. Ports below 1024 need special rights; pick one above 1024.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine. Use 127.0.0.1, or 0.0.0.0 for every network interface.`;
    default:
      return `Could not listen on ${host}:${port}: ${err.message}`;
  }
}
