// Lesson 2: bind(), listen() and accept(), the Node way.
// Read the lesson first: npm run lesson 2      Check your work: npm test -- lesson2

import net from 'node:net';
import type { Listen, Listening } from '../../app/server/types.js';

export const listen: Listen = (options, onConnection) =>
  new Promise<Listening>((resolve, reject) => {
    // TODO (lesson 2):
    //  1. Create a server with net.createServer({ allowHalfOpen: true }, onConnection).
    //  2. If it emits 'error', reject with an Error whose message a person understands:
    //     for EADDRINUSE, say that the port is in use and what to do about it.
    //  3. When it emits 'listening', resolve with { host, port, close }, where host and port
    //     come from server.address() (with port 0, that is where the real port shows up)
    //     and close() stops the server and resolves once it has stopped.
    //  4. Start it: server.listen({ host: options.host, port: options.port }).
    reject(new Error(`TODO (lesson 2): listen() is not written yet, so nothing listens on ${options.host}:${options.port}. Read the lesson: npm run lesson 2`));
  });
