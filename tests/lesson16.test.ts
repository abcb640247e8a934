// Lesson 16: the student's two TLS pieces, each graded with the reference for the rest.
// The server's listenTls (starter/server/listen-tls.ts): clients that trust the course's
// authority log in and chat over it, a tap on the path sees only ciphertext, every other
// piece runs unchanged (a half-close still gets its replies), and a plain client on the
// TLS port is closed within the handshake timeout, logged, while others are served.
// The client's connectTls (starter/client/open-connection.ts): it logs in to a server
// whose certificate the course's authority signed, by IP and by name, and refuses one
// signed by another authority, one for another name and an expired one; on a plain port
// it fails at once. The certificates are made here, once, with one key (tools/certificates.ts).

import net from 'node:net';
import tls from 'node:tls';
import { beforeAll, describe, test } from 'vitest';
import { explainConnectError } from '../app/client/connect-errors.js';
import type { Target } from '../solutions/client/open-connection.js';
import type { TlsIdentity } from '../app/server/types.js';
import { makeAuthority, makeServerCertificate, newKey, type Authority } from '../tools/certificates.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { startProxy } from './harness/proxy.js';
import { fail, failure } from './harness/teach.js';
import { TestClient, type ClientContext } from './harness/test-client.js';
import { Transcript } from './harness/transcript.js';
import { PATIENCE_MS, waitUntil } from './harness/wait.js';

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

type OpenConnection = (target: Target) => net.Socket;
const { openConnection } = await importMine<{ openConnection: OpenConnection }>('client/open-connection.ts');

/** The certificates of the suite: the course's authority, a stranger, and a few made wrong on purpose. */
interface Certificates {
  course: Authority;
  good: TlsIdentity;
  otherAuthority: TlsIdentity;
  wrongName: TlsIdentity;
  expired: TlsIdentity;
  /** How long making them took (about 0.4 s: five RSA signatures in JavaScript, one key). */
  madeInMs: number;
}
let certs: Certificates;

beforeAll(() => {
  const started = performance.now();
  const key = newKey(); // one key for all: making keys is the slow part
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
    madeInMs: 0,
  };
  certs.madeInMs = performance.now() - started;
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
      const client = TestClient.over(socket, `you (${host})`, chat);
      await client.next({ type: 'hello' }, 'the server\'s hello, over your TLS connection');
      client.send(host === 'localhost' ? 'bylocalname' : 'byaddress');
      await client.next({ type: 'welcome' }, 'the welcome, over your TLS connection');
      client.close();
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
    const [alice, bob] = await chat.loginAll(['alice', 'bob']);
    alice!.send('fine here');
    await bob!.next({ type: 'chat', from: 'alice', text: 'fine here' }, 'alice\'s chat on the plain server after the TLS client');
  });
});
