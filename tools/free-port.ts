// A port of 127.0.0.1 that nothing listens on right now: the system hands one out for port
// 0, and it is given back at once. For a program that cannot listen on port 0 itself
// (redis-server, ngircd), and for a suite that needs a port where a connection is refused.
// Another program could take it in between; on one machine, in practice, nobody does.

import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
