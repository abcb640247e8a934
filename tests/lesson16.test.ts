// Lesson 16: the student's two TLS pieces, each graded with the reference for the rest.
// The server's listenTls (starter/server/listen-tls.ts): clients that trust the course's
// authority log in and chat over it, a tap on the path sees only ciphertext, every other
// piece runs unchanged (a half-close still gets its replies), a plain client on the
// TLS port is closed within the handshake timeout, logged, while others are served, and
// the rest is lesson 2's (a port in use, close()).
// The client's connectTls (starter/client/open-connection.ts): it logs in to a server
// whose certificate the course's authority signed, by IP and by name (sent as SNI, an IP
// never), and refuses one signed by another authority, one for another name and an
// expired one, and the course's own without --ca; on a plain port it fails at once. The certificates are made here, once, with one key (tools/certificates.ts).

import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { beforeAll, describe, onTestFinished, test } from 'vitest';
import { explainConnectError } from '../app/client/connect-errors.js';
import type { Target } from '../solutions/client/open-connection.js';
import type { TlsIdentity } from '../app/server/types.js';
import { keyFromPem, makeAuthority, makeServerCertificate, type Authority } from '../tools/certificates.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { startProxy } from './harness/proxy.js';
import { fail, failure } from './harness/teach.js';
import { TestClient, type ClientContext } from './harness/test-client.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, waitUntil, within } from './harness/wait.js';

const lesson = (heading: string) => `16 (npm run lesson 16), section "${heading}"`;
const SECTION = {
  listen: lesson('tls.createServer: lesson 2, encrypted'),
  api: lesson('The same socket API'),
  timeout: lesson('The handshake timeout covers TLS too'),
  connect: lesson('tls.connect: the client checks the server'),
  chain: lesson('Certificates and authorities'),
  classic: lesson('The classic mistake: turning verification off'),
  mismatch: lesson('Plain meets TLS'),
  tap: lesson('Try it: what the tap sees'),
};

type ClientPiece = typeof import('../solutions/client/open-connection.js');
const { openConnection, readyEvent } = await importMine<ClientPiece>('client/open-connection.ts');
type ServerPiece = typeof import('../solutions/server/listen-tls.js');
const { listenTls } = await importMine<ServerPiece>('server/listen-tls.ts');

/** The certificates of the suite: the course's authority, a stranger, and a few made wrong on purpose. */
interface Certificates {
  course: Authority;
  good: TlsIdentity;
  otherAuthority: TlsIdentity;
  wrongName: TlsIdentity;
  expired: TlsIdentity;
}
let certs: Certificates;

// Six certificates, all with the harness's test key: a new RSA key takes 0.1 s on a quiet
// machine and up to 2 s on a busy one; signing with it takes milliseconds.
beforeAll(() => {
  const key = keyFromPem(readFileSync(new URL('./harness/tls-test-key.pem', import.meta.url), 'utf8'));
  const course = makeAuthority('Sockets course CA (suite)', key);
  const stranger = makeAuthority('Some other CA', key);
  const identity = (authority: Authority, names: string[], from?: Date, days?: number): TlsIdentity => {
    const made = makeServerCertificate(authority, { names, key, from, days });
    return { cert: made.certPem, key: made.keyPem };
  };
  const local = ['localhost', '127.0.0.1', '::1'];
  certs = {
    course,
    good: identity(course, local),
    otherAuthority: identity(stranger, local),
    wrongName: identity(course, ['chat.example.org']),
    expired: identity(course, local, new Date(Date.now() - 30 * 86_400_000), 10),
  };
});

/** The reference's way to connect with TLS, trusting the course's authority (for the server's tests). */
function referenceTls(port: number, label: string, ctx: ClientContext, host = '127.0.0.1'): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ca: [certs.course.certPem], servername: net.isIP(host) ? undefined : host });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(failure({ problem: `${label} opened a TLS connection to your server; the TLS handshake did not finish within ${PATIENCE_MS} ms.`, expected: 'the handshake done at once: tls.createServer with the certificate and key from options, and its \'secureConnection\' socket passed to onConnection', see: SECTION.listen, transcript: ctx.transcript, logs: ctx.logs }));
    }, PATIENCE_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(TestClient.over(socket, label, ctx));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const plain = /WRONG_VERSION_NUMBER|PACKET_LENGTH/.test(err.code ?? '');
      reject(failure({
        problem: `${label} opened a TLS connection to your server (trusting the course's authority) and it failed: ${err.code ?? err.message}.`,
        expected: plain
          ? 'TLS from the first byte. Your server answered in plain text: it listens with net.createServer, or writes to the raw socket of the \'connection\' event instead of the \'secureConnection\' one'
          : 'a TLS server that shows the certificate it was given (options.cert and options.key)',
        see: SECTION.listen,
        transcript: ctx.transcript,
        logs: ctx.logs,
      }));
    });
  });
}

/** The reference server with the student's listenTls, speaking TLS with the course's certificate. */
async function tlsChat(see: string, handshakeTimeoutMs = 30_000): Promise<Chat & { activity: string[] }> {
  const activity: string[] = [];
  const chat = await startChat({ mine: ['listenTls'], see, options: { tls: certs.good, handshakeTimeoutMs, activity: (line) => activity.push(line) } });
  return { ...chat, activity };
}

async function loginTls(chat: Chat, name: string, host?: string): Promise<TestClient> {
  const client = await referenceTls(chat.port, name, chat, host);
  await client.next({ type: 'hello' }, 'the server\'s hello, over TLS');
  client.send(name);
  await client.next({ type: 'welcome' }, `the welcome after logging in as ${name}, over TLS`);
  return client;
}

describe('the server: listenTls()', () => {
  test('clients that trust the course\'s authority log in and chat over TLS; a tap on the path sees no plaintext', async () => {
    const chat = await tlsChat(SECTION.listen);
    const wire = new Transcript();
    const tap = await startProxy({ targetPort: chat.port, transcript: wire, clientLabel: 'alice (TLS)', serverLabel: 'server (TLS)' });
    const alice = await loginTls({ ...chat, port: tap.port }, 'alice');
    const bob = await loginTls(chat, 'bob');
    const secret = 'meet me at the usual place';
    alice.send(secret);
    await bob.next({ type: 'chat', from: 'alice', text: secret }, `alice's chat "${secret}", over TLS`);
    alice.send('/whisper bob psst');
    await bob.next({ type: 'whisper', from: 'alice', text: 'psst' }, 'alice\'s whisper, over TLS');
    await alice.sync();
    const seen = Buffer.concat(wire.entries.map((e) => e.bytes)).toString('latin1');
    const leaked = ['alice', secret, 'psst', '"type"', 'welcome'].filter((text) => seen.includes(text));
    if (leaked.length > 0) {
      throw failure({
        problem: `A tap between alice and your server read ${leaked.map((t) => JSON.stringify(t)).join(', ')} in the bytes that crossed it.`,
        expected: 'ciphertext only: no name, no chat text, no JSON. Every byte goes through the TLS socket of \'secureConnection\'',
        see: SECTION.tap,
        transcript: wire,
      });
    }
  });

  test('every other piece runs unchanged over TLS: a client that sends its lines and half-closes still gets its replies', async () => {
    const chat = await tlsChat(SECTION.api);
    const carol = await referenceTls(chat.port, 'carol', chat);
    await carol.next({ type: 'hello' }, 'the server\'s hello, over TLS');
    carol.sendRaw('carol\n/users\n');
    carol.end();
    await carol.next({ type: 'welcome' }, 'the welcome, after carol half-closed (allowHalfOpen: true, as in lesson 2)');
    await carol.next({ type: 'users' }, 'the reply to /users, after carol half-closed (allowHalfOpen: true, as in lesson 2)');
  });

  test('a plain client on the TLS port: closed within the handshake timeout, logged in one line, while others are served', async () => {
    const timeoutMs = 400;
    const chat = await tlsChat(SECTION.timeout, timeoutMs);
    const plain = await TestClient.connect(chat.port, 'a plain client', chat);
    const hasty = await TestClient.connect(chat.port, 'a plain client that types at once', chat);
    hasty.send('mallory');
    // Meanwhile the server serves TLS clients as usual.
    const alice = await loginTls(chat, 'alice');
    const bob = await loginTls(chat, 'bob');
    alice.send('still here');
    await bob.next({ type: 'chat', from: 'alice', text: 'still here' }, 'alice\'s chat while two plain clients hang on');
    for (const client of [plain, hasty]) {
      const heard = client.events.map((e) => e.type);
      if (heard.length > 0) {
        throw fail(chat, {
          problem: `${client.label} on the TLS port got ${heard.join(', ')} in plain text.`,
          expected: 'nothing readable: before the TLS handshake, the server has nothing to say. Pass the \'secureConnection\' socket to onConnection, never the \'connection\' one',
          see: SECTION.listen,
        });
      }
    }
    await waitUntil(
      () => (plain.closed && hasty.closed ? true : undefined),
      (wake) => {
        const timer = setInterval(wake, 20);
        return () => clearInterval(timer);
      },
      () => fail(chat, {
        problem: `Two plain clients connected to your TLS server (handshake timeout ${timeoutMs} ms); ${[plain, hasty].filter((c) => !c.closed).map((c) => c.label).join(' and ')} ${plain.closed || hasty.closed ? 'was' : 'were'} still connected ${timeoutMs + PATIENCE_MS} ms later.`,
        expected: `closed once the TLS handshake fails or takes longer than ${timeoutMs} ms: tls.createServer({ ..., handshakeTimeout: options.handshakeTimeoutMs }). Lesson 5's timer starts only after the handshake`,
        see: SECTION.timeout,
      }),
      timeoutMs + PATIENCE_MS,
    );
    await waitUntil(
      () => {
        const lines = chat.activity.filter((l) => l.startsWith('TLS handshake failed'));
        return lines.length >= 2 ? lines : undefined;
      },
      (wake) => {
        const timer = setInterval(wake, 20);
        return () => clearInterval(timer);
      },
      () => fail(chat, {
        problem: `Two plain clients failed the TLS handshake; the server logged ${chat.activity.filter((l) => l.startsWith('TLS')).length} line(s) about it. Its log: ${JSON.stringify(chat.activity.slice(-6))}`,
        expected: 'one line each: listen for \'tlsClientError\' and pass (err, socket) to onHandshakeFailed',
        see: SECTION.timeout,
      }),
    );
    alice.send('after them');
    await bob.next({ type: 'chat', from: 'alice', text: 'after them' }, 'alice\'s chat after the plain clients were closed');
  });

  test('the rest is lesson 2\'s: a port in use rejects with a message that says what to do, and close() stops the server', async () => {
    /** The student's listenTls on host:port, settled within the patience: the listening, or the error. */
    const tryListen = (host: string, port: number, why: string) =>
      within(
        listenTls({ host, port, ...certs.good, handshakeTimeoutMs: 1000 }, (socket) => socket.destroy(), () => {}).then(
          (listening) => ({ listening }),
          (err: Error & { cause?: NodeJS.ErrnoException }) => ({ err }),
        ),
        PATIENCE_MS,
        () => failure({ problem: `${why}: your listenTls() neither resolved nor rejected within ${PATIENCE_MS} ms.`, expected: "as in lesson 2: server.once('error', ...) rejects the promise, 'listening' resolves it", see: SECTION.listen }),
      );
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void other.close());
    const { port } = other.address() as net.AddressInfo;
    const taken = await tryListen('127.0.0.1', port, `Port ${port} was taken by another server`);
    if ('listening' in taken) void taken.listening.close();
    const message = 'err' in taken ? taken.err.message : 'it resolved';
    if (!('err' in taken) || !/in use/i.test(message) || !message.includes(String(port)) || !/--port/.test(message) || taken.err.cause?.code !== 'EADDRINUSE') {
      throw failure({
        problem: `Port ${port} was taken by another server; your listenTls() ${'err' in taken ? `rejected with ${JSON.stringify(message)}, cause ${taken.err.cause?.code ?? 'missing'}` : 'resolved'}.`,
        expected: `lesson 2's rejection: new Error("Could not listen on 127.0.0.1:${port}: port ${port} is already in use... pick another port with --port", { cause: err }) for err.code EADDRINUSE`,
        see: SECTION.listen,
      });
    }
    // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it (EADDRNOTAVAIL).
    const elsewhere = await tryListen('192.0.2.1', 0, 'Asked to listen on 192.0.2.1, an address this machine does not have');
    if ('listening' in elsewhere || /in use/i.test(elsewhere.err.message)) {
      if ('listening' in elsewhere) void elsewhere.listening.close();
      throw failure({
        problem: `Asked to listen on 192.0.2.1 (not an address of this machine: EADDRNOTAVAIL), your listenTls() ${'err' in elsewhere ? `rejected with ${JSON.stringify(elsewhere.err.message)}` : 'resolved'}.`,
        expected: "a rejection that says \"in use\" only when err.code is 'EADDRINUSE' (any other error: Node's own message)",
        see: SECTION.listen,
      });
    }
    const mine = await tryListen('127.0.0.1', 0, 'Asked to listen on a free port');
    if ('err' in mine) throw failure({ problem: `Asked to listen on 127.0.0.1, port 0, your listenTls() rejected: ${mine.err.message}`, expected: 'it resolves with the port the system picked', see: SECTION.listen });
    await within(Promise.resolve(mine.listening.close()), PATIENCE_MS, () => failure({ problem: `close() did not resolve within ${PATIENCE_MS} ms (no client was connected).`, expected: 'close() resolves once server.close() calls back, as in lesson 2', see: SECTION.listen }));
    const stillOpen = await new Promise<boolean>((resolve) => {
      const probe = net.connect({ host: '127.0.0.1', port: mine.listening.port }, () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (stillOpen) {
      throw failure({ problem: `close() resolved, but 127.0.0.1:${mine.listening.port} still accepts connections.`, expected: "close: () => new Promise((done) => server.close(() => done())), as in lesson 2: server.close() stops the server from accepting", see: SECTION.listen });
    }
  });
});

/** What happened when the student's openConnection() tried `target`: connected (a socket), or the error. */
function tryConnect(target: Target, see: string): Promise<{ socket: net.Socket } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    try {
      socket = openConnection(target);
    } catch (err) {
      return reject(failure({ problem: `openConnection(${describeTarget(target)}) threw: ${(err as Error).message}`, expected: 'a socket, returned at once, like net.connect()', see }));
    }
    const timer = setTimeout(() => {
      socket.destroy();
      reject(failure({ problem: `openConnection(${describeTarget(target)}): neither 'secureConnect' nor 'error' within ${PATIENCE_MS} ms.`, expected: 'a TLS socket from tls.connect(): it says \'secureConnect\' once the server is checked, or \'error\'', see }));
    }, PATIENCE_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve({ socket });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ error });
    });
  });
}

function describeTarget(target: Target): string {
  return `{ host: '${target.host}', port, tls: { ca: ${target.tls?.ca === undefined ? 'undefined' : 'the course\'s ca.pem'} } }`;
}

/** The reference server (reference listenTls), speaking TLS with `identity`. */
async function referenceTlsServer(see: string, identity: TlsIdentity): Promise<Chat> {
  return startChat({ mine: [], see, options: { tls: identity } });
}

describe('the client: connectTls()', () => {
  test('trusting the course\'s authority, it logs in over TLS, by IP address and by name', async () => {
    const chat = await referenceTlsServer(SECTION.connect, certs.good);
    for (const host of ['127.0.0.1', 'localhost']) {
      const target = { host, port: chat.port, tls: { ca: certs.course.certPem } };
      const outcome = await tryConnect(target, SECTION.connect);
      if ('error' in outcome) {
        throw fail(chat, {
          problem: `openConnection(${describeTarget(target)}) failed against a server whose certificate the course's authority signed, for localhost, 127.0.0.1 and ::1: ${explainConnectError(outcome.error, target)}`,
          expected: `a connection: tls.connect({ host, port, ca: [...tls.rootCertificates, trust.ca], servername }) (servername: the host when it is a name, left out for an IP address)`,
          see: SECTION.connect,
        });
      }
      const socket = outcome.socket as tls.TLSSocket;
      if (!(socket instanceof tls.TLSSocket) || !socket.authorized) {
        throw fail(chat, { problem: `openConnection(${describeTarget(target)}) connected, but ${socket instanceof tls.TLSSocket ? 'the TLS socket says it did not check the server (authorized false)' : 'not with TLS'}.`, expected: 'a TLSSocket that checked the server: authorized true', see: SECTION.connect });
      }
      if (readyEvent(socket) !== 'secureConnect') {
        throw fail(chat, { problem: `readyEvent() of your TLS socket says '${readyEvent(socket)}'.`, expected: "'secureConnect' for a TLSSocket: readyEvent() is given as it is in starter/, leave it so", see: SECTION.connect });
      }
      const client = TestClient.over(socket, `you (${host})`, chat);
      await client.next({ type: 'hello' }, 'the server\'s hello, over your TLS connection');
      client.send(host === 'localhost' ? 'bylocalname' : 'byaddress');
      await client.next({ type: 'welcome' }, 'the welcome, over your TLS connection');
      client.close();
    }
  });

  test('a name is sent to the server (SNI); an IP address is checked but never sent', async () => {
    // A bare TLS server that notes the name each client sent (false: none).
    const heard: (string | false | null)[] = [];
    const server = tls.createServer({ ...certs.good }, (socket) => {
      heard.push(socket.servername);
      socket.destroy();
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    const { port } = server.address() as net.AddressInfo;
    for (const [host, want] of [['localhost', 'localhost'], ['127.0.0.1', false]] as const) {
      const target = { host, port, tls: { ca: certs.course.certPem } };
      const outcome = await tryConnect(target, SECTION.connect);
      if ('error' in outcome) {
        throw failure({ problem: `openConnection(${describeTarget(target)}) failed against a server whose certificate the course's authority signed for localhost and 127.0.0.1: ${explainConnectError(outcome.error, target)}`, expected: 'a connection', see: SECTION.connect });
      }
      outcome.socket.resume(); // the server's side ends its handshake after ours: wait for it, then hang up
      onTestFinished(() => void outcome.socket.destroy());
      await waitUntil(
        () => (heard.length > 0 ? true : undefined),
        (wake) => {
          const timer = setInterval(wake, 10);
          return () => clearInterval(timer);
        },
        () => failure({ problem: `Your client connected to ${host}; the server never saw the handshake end.`, expected: 'a finished handshake', see: SECTION.connect }),
      );
      const got = heard.shift();
      if (got !== want) {
        throw failure({
          problem: `Your client connected to ${host}; the server was told the name ${!got ? 'nothing (no SNI)' : JSON.stringify(got)}.`,
          expected: `${want === false ? 'no name: an IP address is never sent as SNI (RFC 6066), Node warns if you try' : `"${want}": the server may serve several names on one address`}. servername: net.isIP(host) === 0 ? host : undefined`,
          see: SECTION.connect,
        });
      }
    }
  });

  test('without --ca, the system\'s authorities alone: the course\'s certificate is refused, with the hint to add --ca', async () => {
    const chat = await referenceTlsServer(SECTION.chain, certs.good);
    const target = { host: '127.0.0.1', port: chat.port, tls: {} };
    const outcome = await tryConnect(target, SECTION.chain);
    if ('socket' in outcome) {
      outcome.socket.destroy();
      throw fail(chat, { problem: 'Given no ca (tls: {}), your client connected to a server whose certificate only the course\'s authority signed.', expected: "'error' UNABLE_TO_VERIFY_LEAF_SIGNATURE: the system's authorities never signed it. Never rejectUnauthorized: false", see: SECTION.chain });
    }
    const line = explainConnectError(outcome.error, target);
    if (!line.includes('--ca certs/ca.pem')) {
      throw fail(chat, {
        problem: `Given no ca (tls: {}), against the course's certificate your client failed with ${outcome.error.code ?? outcome.error.message}, which the clients put as: ${line}`,
        expected: "Node's own refusal (an unknown authority): ca: undefined when trust.ca is undefined, so Node keeps the system's authorities",
        see: SECTION.chain,
      });
    }
  });

  const refusals = [
    { name: 'signed by another authority', cert: () => certs.otherAuthority, codes: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER/, says: 'unknown authority', section: SECTION.classic,
      why: 'anyone can make a certificate for 127.0.0.1; only one signed by an authority you trust proves it is the server. Never rejectUnauthorized: false' },
    { name: 'for another name', cert: () => certs.wrongName, codes: /ERR_TLS_CERT_ALTNAME_INVALID/, says: 'Wrong name', section: SECTION.chain,
      why: 'a certificate for chat.example.org proves nothing about 127.0.0.1: keep Node\'s name check (no checkServerIdentity of your own)' },
    { name: 'that has expired', cert: () => certs.expired, codes: /CERT_HAS_EXPIRED/, says: 'Expired', section: SECTION.chain,
      why: 'an expired certificate is refused: keep Node\'s checks on' },
  ];
  for (const refusal of refusals) {
    test(`a certificate ${refusal.name} is refused, with a one-line reason`, async () => {
      const chat = await referenceTlsServer(refusal.section, refusal.cert());
      const target = { host: '127.0.0.1', port: chat.port, tls: { ca: certs.course.certPem } };
      const outcome = await tryConnect(target, refusal.section);
      if ('socket' in outcome) {
        outcome.socket.destroy();
        throw fail(chat, {
          problem: `Your client connected to a server whose certificate is ${refusal.name}, and would have sent it your name and your chat.`,
          expected: `'error' before any byte is sent: ${refusal.why}`,
          see: refusal.section,
        });
      }
      const line = explainConnectError(outcome.error, target);
      if (!refusal.codes.test(outcome.error.code ?? '') || !line.includes(refusal.says)) {
        throw fail(chat, {
          problem: `Against a certificate ${refusal.name}, your client failed with ${outcome.error.code ?? outcome.error.message}, which the clients put as: ${line}`,
          expected: `Node's own refusal (${refusal.codes.source.replace(/\|/g, ' or ')}): "${refusal.says}..." in one line`,
          see: refusal.section,
        });
      }
    });
  }

  test('a TLS client on a plain port fails at once with a clear line; the plain server carries on', async () => {
    const chat = await startChat({ mine: [], see: SECTION.mismatch, options: { handshakeTimeoutMs: 1000 } });
    const target = { host: '127.0.0.1', port: chat.port, tls: { ca: certs.course.certPem } };
    const started = Date.now();
    const outcome = await tryConnect(target, SECTION.mismatch);
    if ('socket' in outcome) throw fail(chat, { problem: 'Your TLS client says it connected to a plain server.', expected: 'an error: the server answers in plain text', see: SECTION.mismatch });
    const line = explainConnectError(outcome.error, target);
    if (!line.includes('does not speak TLS') || Date.now() - started > 1000) {
      throw fail(chat, {
        problem: `A TLS client on a plain port (handshake timeout 1000 ms) failed after ${Date.now() - started} ms with: ${line}`,
        expected: 'at once, with "does not speak TLS": the plain server\'s hello is not a TLS record',
        see: SECTION.mismatch,
      });
    }
    // Without tls, openConnection() is lesson 1's net.connect(), given in starter/ as it is.
    const plain = await new Promise<{ socket?: net.Socket; ready?: string; error?: Error }>((resolve) => {
      const socket = openConnection({ host: '127.0.0.1', port: chat.port });
      const timer = setTimeout(() => resolve({ socket, error: new Error(`no '${readyEvent(socket)}' (what readyEvent() names) within ${PATIENCE_MS} ms`) }), PATIENCE_MS);
      socket.once(readyEvent(socket), () => resolve({ socket, ready: readyEvent(socket) }));
      socket.once('error', (error) => resolve({ socket, error }));
      socket.once('close', () => clearTimeout(timer));
      socket.once(readyEvent(socket), () => clearTimeout(timer));
    }).catch((error: Error) => ({ socket: undefined, error, ready: undefined }));
    plain.socket?.destroy();
    if (plain.ready !== 'connect' || plain.socket instanceof tls.TLSSocket) {
      throw fail(chat, {
        problem: `openConnection({ host: '127.0.0.1', port }) with no tls, to the plain server: ${plain.error ? `failed: ${plain.error.message}` : `a ${plain.socket instanceof tls.TLSSocket ? 'TLS' : 'plain'} socket, ready at '${plain.ready}'`}.`,
        expected: "a plain socket from net.connect(), ready at 'connect': openConnection() and readyEvent() are given in starter/, leave them so",
        see: SECTION.mismatch,
      });
    }
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    alice!.send('fine here');
    await bob!.next({ type: 'chat', from: 'alice', text: 'fine here' }, 'alice\'s chat on the plain server after the TLS client');
  });
});
