import type { Mistake } from './mistake.js';

const SERVER = 'server/listen-tls.ts';
const CLIENT = 'client/open-connection.ts';

export const mistakes: Mistake[] = [
  {
    name: 'the server listens with net.createServer: plain TCP on the "TLS" port',
    file: SERVER,
    change: [
      { from: "import tls from 'node:tls';", to: "import net from 'node:net';\nimport type tls from 'node:tls';" },
      { from: 'const server = tls.createServer({', to: 'const server = net.createServer({' },
      { from: "server.on('secureConnection', (socket: tls.TLSSocket) => {", to: "server.on('connection', (socket) => {" },
      { from: "    server.on('tlsClientError', (err, socket) => {\n      onHandshakeFailed(err, socket);\n      socket.destroy();\n    });\n", to: '    void onHandshakeFailed;\n' },
    ],
    says: 'answered in plain text',
  },
  {
    name: "the server hands on the raw socket of 'connection', not the one of 'secureConnection'",
    file: SERVER,
    change: [{ from: "server.on('secureConnection', (socket: tls.TLSSocket) => {", to: "server.on('connection', (socket) => {" }],
    says: "the raw socket of the 'connection' event",
  },
  {
    name: 'no handshakeTimeout: a client that never finishes the TLS handshake stays (two minutes)',
    file: SERVER,
    change: [{ from: '      handshakeTimeout: options.handshakeTimeoutMs,\n', to: '' }],
    says: 'handshakeTimeout: options.handshakeTimeoutMs',
  },
  {
    name: "no 'tlsClientError' listener: failed handshakes are not logged",
    file: SERVER,
    change: [{ from: '      onHandshakeFailed(err, socket);\n', to: '' }],
    says: "listen for 'tlsClientError'",
  },
  {
    name: "the server's 'error' handler copied without lesson 2's message: a port in use rejects with Node's own words",
    file: SERVER,
    change: [{ from: "const why = err.code === 'EADDRINUSE' ?", to: 'const why = false ?' }],
    says: "lesson 2's rejection",
  },
  {
    name: 'close() resolves without closing the server',
    file: SERVER,
    change: [{ from: 'close: () => new Promise<void>((done) => server.close(() => done()))', to: 'close: async () => {}' }],
    says: 'still accepts connections',
  },
  {
    name: 'the client turns verification off: rejectUnauthorized: false',
    file: CLIENT,
    change: [{ from: "    minVersion: 'TLSv1.2',\n    // Never", to: "    minVersion: 'TLSv1.2',\n    rejectUnauthorized: false,\n    // Never" }],
    says: 'Never rejectUnauthorized: false',
  },
  {
    name: 'the client skips the name check: checkServerIdentity says yes to all',
    file: CLIENT,
    change: [{ from: "    minVersion: 'TLSv1.2',\n    // Never", to: "    minVersion: 'TLSv1.2',\n    checkServerIdentity: () => undefined,\n    // Never" }],
    says: 'proves nothing about 127.0.0.1',
  },
  {
    name: 'the client forgets the course\'s authority (no ca): the system\'s alone know nothing of it',
    file: CLIENT,
    change: [{ from: '    ca: trust.ca === undefined ? undefined : [...tls.rootCertificates, trust.ca],\n', to: '' }],
    says: 'unknown authority',
  },
  {
    name: 'the client sends an IP address as the name: servername: host',
    file: CLIENT,
    change: [{ from: 'servername: net.isIP(host) === 0 ? host : undefined,', to: 'servername: host,' }],
    says: 'an IP address is never sent as SNI',
  },
  {
    name: 'the client lists trust.ca even when there is none: ca: [...tls.rootCertificates, undefined] throws',
    file: CLIENT,
    change: [{ from: 'ca: trust.ca === undefined ? undefined : [...tls.rootCertificates, trust.ca],', to: 'ca: [...tls.rootCertificates, trust.ca!],' }],
    says: 'tls: { ca: undefined } }) threw',
  },
  {
    name: 'the client speaks plain TCP even when asked for TLS',
    file: CLIENT,
    change: [{ from: '  if (target.tls) return connectTls(target.host, target.port, target.tls);\n', to: '' }],
    says: "neither 'secureConnect' nor 'error'",
  },
];
