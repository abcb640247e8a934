// Lesson 5: the student's admit(), checkUsername() and handshake() (starter/server/handshake.ts)
// inside the reference server, with the suite's clients going through every handshake path.

import { describe, onTestFinished, test } from 'vitest';
import { PROTOCOL_VERSION, TEXTS, type Event } from '../app/protocol.js';
import type { StartOptions } from '../app/server/server.js';
import { DEFAULT_OPTIONS, type Client, type ServerContext } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { heldNameStore } from './harness/held-name-store.js';
import { importMine } from './harness/mine.js';
import { failure } from './harness/teach.js';
import { TestClient, type Received } from './harness/test-client.js';
import { PATIENCE_MS, waitUntil } from './harness/wait.js';

const { admit, checkUsername } = await importMine<typeof import('../starter/server/handshake.js')>('server/handshake.ts');

const SECTION = {
  steps: '5 (npm run lesson 5), section "The handshake, step by step"',
  names: '5, section "Validating a username"',
  claim: '5, section "Claiming a name"',
  welcome: '5, section "welcome and join"',
  ghost: '5, section "A client that hangs up mid-handshake"',
  full: '5, section "SERVER_FULL: a real limit"',
  perAddress: '5, section "One machine, one share"',
  timeout: '5, section "The handshake timeout"',
};

/** The reference server with your admit() and handshake() in it. */
function chatWithMine(see: string, options?: StartOptions): Promise<Chat> {
  return startChat({ mine: ['admit', 'handshake'], see, options });
}

/** A failure that shows the wire and what the server logged. */
function fail(chat: Chat, see: string, problem: string, expected: string): Error {
  return failure({ problem, expected, see, transcript: chat.transcript, logs: chat.logs });
}

/** An event as it reads on the wire, without its timestamp. */
function show(event: Received): string {
  const { ts: _ts, ...rest } = event as Received & { ts?: number };
  return JSON.stringify(rest);
}

/** Connects without waiting for anything: for checking what comes first. Closed when the test ends. */
async function connectRaw(chat: Chat, label: string): Promise<TestClient> {
  const client = await TestClient.connect(chat.port, label, chat);
  onTestFinished(() => client.close());
  return client;
}

/** The first event the server sends a new connection. */
function firstEvent(client: TestClient): Promise<Received> {
  return client.next(() => true, 'the first event from the server (hello, or an error)');
}

/** Sends a name and returns the server's answer to it: the next event. */
function answerTo(client: TestClient, name: string): Promise<Received> {
  client.send(name);
  return client.next(() => true, `the server's answer to the name ${JSON.stringify(name)}`);
}

/** Sends a name that must be refused with `code`, then checks that the server hangs up. */
async function expectRefused(chat: Chat, see: string, name: string, code: string, why: string): Promise<void> {
  const client = await chat.connect(`client sending ${JSON.stringify(name)}`);
  const answer = await answerTo(client, name);
  if (answer.type !== 'error' || answer.code !== code) {
    throw fail(chat, see, `The name ${JSON.stringify(name)} ${why}, but the server answered ${show(answer)}.`, `an error with code ${code}, then the connection closes`);
  }
  if (typeof answer.text !== 'string' || answer.text === '') {
    throw fail(chat, see, `The error ${code} came without a text: ${show(answer)}.`, 'a text that tells a person what is wrong, e.g. "Username may only contain ASCII letters (A-Z, a-z), digits, _ and -."');
  }
  await expectClosed(chat, client, `error ${code}`);
}

/** The server must end the connection after an error that ends the handshake. */
async function expectClosed(chat: Chat, client: TestClient, after: string): Promise<void> {
  await client.waitClosed(`after ${after}`).catch(() => {
    throw fail(chat, SECTION.steps, `After ${after}, the connection stayed open.`, `the server closes the connection right after ${after}: call client.close() after sending it`);
  });
}

/** Logs in with a name that must be accepted, and returns the welcome. */
async function expectWelcome(chat: Chat, client: TestClient, name: string, why: string, expected = 'a welcome event'): Promise<Extract<Received, { type: 'welcome' }>> {
  const answer = await answerTo(client, name);
  if (answer.type !== 'welcome') {
    throw fail(chat, SECTION.names, `The name ${JSON.stringify(name)} ${why}, but the server answered ${show(answer)}.`, expected);
  }
  return answer;
}

/** Waits until the server's own count of open connections reaches `count`. */
function connectionsReach(chat: Chat, see: string, count: number, what: string): Promise<true> {
  return waitUntil(
    () => (chat.server.connectionCount === count ? true : undefined),
    (wake) => {
      const poll = setInterval(wake, 5);
      return () => clearInterval(poll);
    },
    () => fail(chat, see, `The server still counts ${chat.server.connectionCount} open connections, ${PATIENCE_MS} ms after ${what}.`, `${count} open connections`),
  );
}

/** Waits until the wiring's count of connections from `address` reaches `count` (not your code's count). */
function fromAddressReach(chat: Chat, see: string, address: string, count: number, what: string): Promise<true> {
  const now = () => chat.server.ctx.connectionsFrom(address);
  return waitUntil(
    () => (now() === count ? true : undefined),
    (wake) => {
      const poll = setInterval(wake, 5);
      return () => clearInterval(poll);
    },
    () => fail(chat, see, `The server still counts ${now()} open connections from ${address}, ${PATIENCE_MS} ms after ${what}.`, `${count}`),
  );
}

const ORDINAL = ['0th', '1st', '2nd', '3rd', '4th', '5th'];

/** What the first connection to a new server must get, whatever a count of your own remembers. */
const FIRST_GETS_HELLO = 'hello: nothing else was connected. ctx.connectionsFrom(client.address) counts the connections open now, and goes down however a connection ends; a count of your own that only goes up still remembers the connections of earlier tests, long closed';

describe('lesson 5: admit()', () => {
  test('a new connection gets hello first, with proto 1 and a prompt', async () => {
    const chat = await chatWithMine(SECTION.steps);
    const client = await connectRaw(chat, 'alice');
    const hello = await firstEvent(client);
    if (hello.type === 'error' && hello.code === 'SERVER_FULL') {
      throw fail(chat, SECTION.perAddress, `The only connection to a server with maxClients 50 and maxPerAddress 0 got ${show(hello)}.`, 'hello: maxPerAddress 0 means no limit per address, so check that it is not 0 before comparing');
    }
    if (hello.type !== 'hello') {
      throw fail(chat, SECTION.steps, `The first thing a new connection got was ${show(hello)}.`, '{"type":"hello","proto":1,"text":"..."} before anything else');
    }
    if (hello.proto !== PROTOCOL_VERSION || typeof hello.text !== 'string' || hello.text === '') {
      throw fail(chat, SECTION.steps, `The hello was ${show(hello)}.`, `proto ${PROTOCOL_VERSION} (PROTOCOL_VERSION) and a text asking for a username (TEXTS.hello)`);
    }
  });

  test('SERVER_FULL: with maxClients 2 the third connection gets an error instead of hello and is closed; once one leaves, a new one gets in', async () => {
    const chat = await chatWithMine(SECTION.full, { maxClients: 2 });
    const alice = await chat.login('alice');
    const bob = await connectRaw(chat, 'bob');
    const bobFirst = await firstEvent(bob);
    if (bobFirst.type !== 'hello') {
      throw fail(chat, SECTION.full, `With maxClients 2, only alice was connected, yet the 2nd connection (bob) got ${show(bobFirst)}.`, 'hello: ctx.connectionCount already includes the connection being admitted, so refuse only when it is over maxClients (>), not when it reaches it');
    }

    const third = await connectRaw(chat, 'carol');
    const thirdFirst = await firstEvent(third);
    if (thirdFirst.type !== 'error' || thirdFirst.code !== 'SERVER_FULL') {
      throw fail(chat, SECTION.full, `With maxClients 2, alice logged in and bob still in his handshake, a 3rd connection got ${show(thirdFirst)}.`, 'error SERVER_FULL instead of hello: count every open connection, logged in or not (ctx.connectionCount)');
    }
    if (thirdFirst.text === '') {
      throw fail(chat, SECTION.full, `The SERVER_FULL for a 3rd connection came without a text: ${show(thirdFirst)}.`, 'a text that tells a person what happened, e.g. "Server is full (2 connections). Try again later."');
    }
    await expectClosed(chat, third, 'SERVER_FULL');
    if (third.events.length > 1) {
      throw fail(chat, SECTION.full, `After SERVER_FULL, the refused connection also got ${show(third.events[1]!)}.`, 'nothing but the error: return right after refusing');
    }

    alice.send('/quit');
    await alice.waitClosed('after /quit');
    await connectionsReach(chat, SECTION.full, 1, 'alice quit');
    const dave = await connectRaw(chat, 'dave');
    const daveFirst = await firstEvent(dave);
    if (daveFirst.type !== 'hello') {
      throw fail(chat, SECTION.full, `alice left, so only bob was connected, yet a new connection got ${show(daveFirst)}.`, 'hello: the limit counts connections open now (ctx.connectionCount), and that number goes down when one closes');
    }
    await expectWelcome(chat, dave, 'dave', 'was sent once there was room again');
    await expectWelcome(chat, bob, 'bob', 'was sent by a connection admitted before the server was full');
  });

  test('per address: with maxPerAddress 3, three connections from one address that never log in get hello; the 4th gets SERVER_FULL, saying why, and is closed', async () => {
    const chat = await chatWithMine(SECTION.perAddress, { maxPerAddress: 3 });
    for (let i = 1; i <= 3; i++) {
      const idle = await connectRaw(chat, `idle ${i}`);
      const first = await firstEvent(idle);
      if (first.type !== 'hello' && i === 1) {
        throw fail(chat, SECTION.perAddress, `The first connection to a new server with maxPerAddress 3 got ${show(first)}.`, FIRST_GETS_HELLO);
      }
      if (first.type !== 'hello') {
        throw fail(chat, SECTION.perAddress, `With maxPerAddress 3 and ${i - 1} other connection(s) open from 127.0.0.1, the ${ORDINAL[i]} got ${show(first)}.`, 'hello: ctx.connectionsFrom(client.address) already includes the connection being admitted, so refuse only when it is over maxPerAddress (>), not when it reaches it');
      }
    }
    const fourth = await connectRaw(chat, 'fourth');
    const answer = await firstEvent(fourth);
    if (answer.type !== 'error' || answer.code !== 'SERVER_FULL') {
      throw fail(chat, SECTION.perAddress, `With maxPerAddress 3, three connections from 127.0.0.1 were open (none of them logged in), and a 4th from the same address got ${show(answer)}.`, 'error SERVER_FULL instead of hello: count every connection from the address, logged in or not (ctx.connectionsFrom(client.address)), against ctx.options.maxPerAddress');
    }
    if (!/address/i.test(answer.text)) {
      throw fail(chat, SECTION.perAddress, `The SERVER_FULL for a 4th connection from one address said ${JSON.stringify(answer.text)}.`, 'a text that says the limit is per address, e.g. "Too many connections from your address (at most 3 per address)."');
    }
    await expectClosed(chat, fourth, 'SERVER_FULL');
    if (fourth.events.length > 1) {
      throw fail(chat, SECTION.perAddress, `After SERVER_FULL, the refused connection also got ${show(fourth.events[1]!)}.`, 'nothing but the error: return right after refusing');
    }
  });

  test('maxPerAddress 0 means no limit: 12 connections from one address all get hello', async () => {
    const chat = await chatWithMine(SECTION.perAddress, { maxPerAddress: 0 });
    for (let i = 1; i <= 12; i++) {
      const client = await connectRaw(chat, `connection ${i}`);
      const first = await firstEvent(client);
      if (first.type !== 'hello') {
        throw fail(chat, SECTION.perAddress, `With maxPerAddress 0 (and maxClients 50), connection ${i} from 127.0.0.1 got ${show(first)}.`, 'hello: maxPerAddress 0 means no limit per address; compare only when it is more than 0');
      }
    }
  });

  test('admit() on its own: 40 connections open, 2 of them from this address, maxPerAddress 10 → hello (the count is per address, not the total)', () => {
    const sent: Event[] = [];
    let closed = false;
    const client: Client = {
      id: 1,
      address: '10.0.0.7',
      name: '',
      get closed() {
        return closed;
      },
      send() {},
      sendEvent: (event) => void sent.push(event),
      close: () => void (closed = true),
    };
    const ctx = {
      options: { ...DEFAULT_OPTIONS, maxClients: 50, maxPerAddress: 10 },
      connectionCount: 40,
      connectionsFrom: (address: string) => (address === '10.0.0.7' ? 2 : 0),
    } as unknown as ServerContext; // admit() needs no registry, lock or pieces
    // Timers that keep the process alive; an unref()'d one is not among them.
    const keepingAlive = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const aliveBefore = keepingAlive();
    let aliveAfter = aliveBefore;
    try {
      admit(client, ctx);
      aliveAfter = keepingAlive();
    } catch (err) {
      throw failure({ problem: `admit() threw: ${(err as Error).message}`, expected: 'hello, sent with client.sendEvent()', see: SECTION.steps });
    } finally {
      client.name = 'done'; // so that the handshake timer, when it fires, leaves this fake alone
    }
    const got = sent.map((e) => JSON.stringify(e)).join(', ') || 'nothing';
    if (sent[0]?.type !== 'hello' || closed) {
      throw failure({ problem: `With 40 connections open (maxClients 50), 2 of them from this client's address 10.0.0.7 (maxPerAddress 10), admit() sent ${got}${closed ? ' and closed the connection' : ''}.`, expected: 'hello: compare the connections from this client\'s address, ctx.connectionsFrom(client.address), with maxPerAddress; not ctx.connectionCount, which counts every address', see: SECTION.perAddress });
    }
    if (aliveAfter > aliveBefore) {
      throw failure({ problem: `admit() started a timer that keeps the process alive: ${aliveBefore} such timer(s) before the call, ${aliveAfter} after. A stopping server would wait handshakeTimeoutMs (30 s by default) for it.`, expected: 'timer.unref() right after setTimeout(): the timer then fires if the server is still running, and never holds a stopping one open', see: SECTION.timeout });
    }
  });

  const ENDINGS: { how: string; options?: StartOptions; end: (chat: Chat, leaver: TestClient) => Promise<void> }[] = [
    {
      how: 'logged in as bob and sent /quit',
      end: async (chat, leaver) => {
        await expectWelcome(chat, leaver, 'bob', 'is free and valid');
        leaver.send('/quit');
        await leaver.waitClosed('after /quit');
      },
    },
    {
      how: 'sent the name "bob smith" (INVALID_NAME)',
      end: async (chat, leaver) => {
        await answerTo(leaver, 'bob smith');
        await expectClosed(chat, leaver, 'error INVALID_NAME');
      },
    },
    {
      how: 'sent the name "ALICE" while alice was online (NAME_TAKEN)',
      end: async (chat, leaver) => {
        await answerTo(leaver, 'ALICE');
        await expectClosed(chat, leaver, 'error NAME_TAKEN');
      },
    },
    {
      how: 'sent no name within handshakeTimeoutMs, 300 ms (TIMEOUT)',
      options: { handshakeTimeoutMs: 300 },
      end: async (chat, leaver) => {
        await leaver.next({ type: 'error', code: 'TIMEOUT' }, 'error TIMEOUT', 300 + PATIENCE_MS);
        await expectClosed(chat, leaver, 'error TIMEOUT');
      },
    },
    {
      how: 'hung up (FIN) before sending a name',
      end: async (_chat, leaver) => {
        leaver.end();
        await leaver.waitClosed('after the client hung up');
      },
    },
    {
      how: 'logged in as bob, then hung up',
      end: async (chat, leaver) => {
        await expectWelcome(chat, leaver, 'bob', 'is free and valid');
        leaver.close();
      },
    },
    {
      how: 'reset its connection (RST) before sending a name',
      end: async (_chat, leaver) => {
        leaver.socket.resetAndDestroy();
      },
    },
  ];

  test.each(ENDINGS.map((ending) => [ending.how, ending] as const))('maxPerAddress 2: the count from an address goes down however a connection ends: a client that %s', async (how, { options, end }) => {
    const chat = await chatWithMine(SECTION.perAddress, { maxPerAddress: 2, ...options });
    const alice = await connectRaw(chat, 'alice'); // holds one of the two slots throughout
    const aliceFirst = await firstEvent(alice);
    if (aliceFirst.type !== 'hello') {
      throw fail(chat, SECTION.perAddress, `alice, the first connection to a new server with maxPerAddress 2, got ${show(aliceFirst)}.`, FIRST_GETS_HELLO);
    }
    await expectWelcome(chat, alice, 'alice', 'is free and valid');
    const leaver = await chat.connect('leaver');
    const address = leaver.socket.localAddress ?? '127.0.0.1';
    await end(chat, leaver);
    await fromAddressReach(chat, SECTION.perAddress, address, 1, `leaver ${how}`);
    const newcomer = await connectRaw(chat, 'newcomer');
    const first = await firstEvent(newcomer);
    if (first.type !== 'hello') {
      throw fail(chat, SECTION.perAddress, `With maxPerAddress 2, alice and leaver were connected from ${address}. leaver ${how}, so only alice was left, yet a new connection from the same address got ${show(first)}.`, 'hello: a connection that has ended no longer counts. The count goes down however a connection ends when it comes from ctx.connectionsFrom(client.address), which the wiring lowers when the socket closes; a count of your own that only goes up, or goes down on some endings only, locks the address out for good');
    }
    await alice.sync('alice\'s reply to /users, to show she is still online');
  });

  test('TIMEOUT: no username within handshakeTimeoutMs (150) → error TIMEOUT and close; a user who logged in in time stays', async () => {
    const timeoutMs = 150;
    const chat = await chatWithMine(SECTION.timeout, { handshakeTimeoutMs: timeoutMs });
    const alice = await chat.login('alice');
    const started = Date.now();
    const silent = await chat.connect('silent');
    const answer = await silent.next(() => true, `error TIMEOUT, about ${timeoutMs} ms after hello`, timeoutMs + PATIENCE_MS);
    const elapsed = Date.now() - started;
    if (answer.type !== 'error' || answer.code !== 'TIMEOUT') {
      throw fail(chat, SECTION.timeout, `silent connected and sent nothing; after ${elapsed} ms the server sent ${show(answer)}.`, `error TIMEOUT after handshakeTimeoutMs (${timeoutMs} ms)`);
    }
    if (elapsed < timeoutMs - 10) {
      throw fail(chat, SECTION.timeout, `TIMEOUT came ${elapsed} ms after connecting, before the ${timeoutMs} ms were up.`, `a timer of ctx.options.handshakeTimeoutMs (${timeoutMs} ms)`);
    }
    if (!answer.text.includes(String(timeoutMs / 1000))) {
      throw fail(chat, SECTION.timeout, `With handshakeTimeoutMs ${timeoutMs}, the TIMEOUT said ${JSON.stringify(answer.text)}.`, `a text with the time the client had, in seconds, e.g. "No username within ${timeoutMs / 1000} s.": ctx.options.handshakeTimeoutMs / 1000, not a number written into the text`);
    }
    await expectClosed(chat, silent, 'TIMEOUT');

    // alice connected before silent, so her timer, had it not been cancelled, has fired by now.
    const cut = () => fail(chat, SECTION.timeout, 'alice logged in in time, yet the handshake timer still cut her off.', 'once a name is accepted, its timer must not fire: cancel it (clearTimeout) or check that the client has no name yet');
    const before = await alice.sync('alice\'s reply to /users, to show she is still online').catch(() => {
      throw cut();
    });
    if (before.some((e) => e.type === 'error')) throw cut();
  });
});

describe('lesson 5: checkUsername()', () => {
  const call = (name: string): string | undefined => {
    try {
      return checkUsername(name);
    } catch (err) {
      throw failure({ problem: `checkUsername(${JSON.stringify(name)}) threw: ${(err as Error).message}`, expected: 'a sentence saying what is wrong, or undefined', see: SECTION.names });
    }
  };

  test('returns undefined for names of 1 to 20 characters from A-Z a-z 0-9 _ -', () => {
    for (const name of ['Q', 'abcdefghijKLMNOPQRST', 'snake_case', 'kebab-case', 'R2-D2_', '007']) {
      const problem = call(name);
      if (problem !== undefined) {
        throw failure({ problem: `checkUsername(${JSON.stringify(name)}) returned ${JSON.stringify(problem)}.`, expected: `undefined: ${JSON.stringify(name)} has ${name.length} characters, all from A-Z a-z 0-9 _ -`, see: SECTION.names });
      }
    }
  });

  test('returns a sentence for a person for every other name; for an empty one it says so', () => {
    for (const name of ['', 'abcdefghijKLMNOPQRSTU', 'bob smith', 'bob!', 'a.b', 'émile', '名前', 'tab\there']) {
      const problem = call(name);
      if (typeof problem !== 'string' || problem === '') {
        throw failure({ problem: `checkUsername(${JSON.stringify(name)}) returned ${JSON.stringify(problem)}.`, expected: 'a sentence saying what is wrong: a name is 1 to 20 characters, all from A-Z a-z 0-9 _ - (a regular expression must be anchored with ^ and $ to test the whole name)', see: SECTION.names });
      }
    }
    const empty = call('');
    if (!/empty/i.test(empty ?? '')) {
      throw failure({ problem: `checkUsername("") returned ${JSON.stringify(empty)}, the sentence the person who pressed Enter without a name reads.`, expected: 'a sentence that says the name is empty, e.g. "Username cannot be empty.": check the length before the characters', see: SECTION.names });
    }
  });
});

describe('lesson 5: handshake()', () => {
  test('accepts names of 1 and 20 characters, with digits, _ and -', async () => {
    const chat = await chatWithMine(SECTION.names);
    const names = ['Q', 'abcdefghijKLMNOPQRST', 'snake_case', 'kebab-case', 'R2-D2_'];
    await Promise.all(names.map(async (name) => {
      const welcome = await expectWelcome(chat, await chat.connect(name), name, `has ${name.length} characters, all from A-Z a-z 0-9 _ -`);
      if (welcome.user !== name) {
        throw fail(chat, SECTION.welcome, `${name} was welcomed as ${JSON.stringify(welcome.user)}.`, `user ${JSON.stringify(name)}, exactly as sent`);
      }
    }));
  });

  test.each([
    ['an empty line', '', 'is empty'],
    ['white space only', '   ', 'is empty once trimmed'],
    ['21 characters', 'abcdefghijKLMNOPQRSTU', 'has 21 characters (the most is 20)'],
    ['a space inside', 'bob smith', 'has a space inside (a regular expression must be anchored with ^ and $ to test the whole name)'],
    ['punctuation', 'bob!', 'has a "!" (only A-Z a-z 0-9 _ - are allowed; is your regular expression anchored with ^ and $?)'],
    ['letters outside A-Z', 'émile', 'has a letter outside A-Z a-z'],
    ['reserved: system', 'system', 'is reserved (claimName said so)'],
    ['reserved in any case: SERVER', 'SERVER', 'is reserved (claimName said so)'],
    ['reserved in any case: You', 'You', 'is reserved (claimName said so)'],
  ])('a name with %s → error INVALID_NAME and close', async (_what, name, why) => {
    const chat = await chatWithMine(SECTION.names);
    await expectRefused(chat, SECTION.names, name, 'INVALID_NAME', why);
  });

  test('white space around the name is trimmed', async () => {
    const chat = await chatWithMine(SECTION.names);
    const bob = await chat.login('bob');
    const carol = await chat.connect('carol');
    const welcome = await expectWelcome(chat, carol, '  carol \t', 'is carol with white space around it', 'a welcome for carol: trim the line before checking and claiming it');
    if (welcome.user !== 'carol') {
      throw fail(chat, SECTION.names, `The line "  carol \\t" was welcomed as ${JSON.stringify(welcome.user)}.`, 'user "carol": trim the line before checking and claiming it');
    }
    await bob.next({ type: 'join', user: 'carol' }, 'the join of carol (trimmed)');
  });

  test('a name online in any case → error NAME_TAKEN and close; nobody sees a join', async () => {
    const chat = await chatWithMine(SECTION.claim);
    const alice = await chat.login('alice');
    await alice.sync(); // from here on, alice has seen everything about her own login
    for (const name of ['alice', 'ALICE', 'aLiCe']) {
      await expectRefused(chat, SECTION.claim, name, 'NAME_TAKEN', 'is taken: alice is online (names are unique without regard to case)');
    }
    const joins = (await alice.sync()).filter((e) => e.type === 'join');
    if (joins.length > 0) {
      throw fail(chat, SECTION.claim, `alice got ${joins.map(show).join(', ')} for a name the server refused.`, 'no join: only an accepted name joins');
    }
  });

  test('welcome: user, every name online sorted with the new user among them, and the fixed text', async () => {
    const chat = await chatWithMine(SECTION.welcome);
    await chat.login('zed');
    await chat.login('amy');
    const welcome = await expectWelcome(chat, await chat.connect('mia'), 'mia', 'is free and valid');
    const expected = ['amy', 'mia', 'zed'];
    if (welcome.user !== 'mia') {
      throw fail(chat, SECTION.welcome, `The welcome for mia says user ${JSON.stringify(welcome.user)}.`, 'user "mia"');
    }
    if (JSON.stringify(welcome.users) !== JSON.stringify(expected)) {
      throw fail(chat, SECTION.welcome, `With zed and amy online, mia's welcome listed users ${JSON.stringify(welcome.users)}.`, `${JSON.stringify(expected)}: every name online, sorted, including the new user (read ctx.registry.names() after claimName has added her)`);
    }
    if (welcome.text !== TEXTS.welcome('mia')) {
      throw fail(chat, SECTION.welcome, `The welcome's text was ${JSON.stringify(welcome.text)}.`, `${JSON.stringify(TEXTS.welcome('mia'))} (TEXTS.welcome(name))`);
    }
  });

  test('join goes to everyone else, not to the new user', async () => {
    const chat = await chatWithMine(SECTION.welcome);
    const alice = await chat.login('alice');
    const bob = await chat.login('bob');
    const carol = await chat.login('carol');
    for (const other of [alice, bob]) {
      const join = await other.next({ type: 'join', user: 'carol' }, 'the join of carol');
      if (Object.keys(join).sort().join() !== 'ts,type,user') {
        throw fail(chat, SECTION.welcome, `${other.label} got ${show(join)}.`, '{"type":"join","user":"carol"} and nothing more');
      }
    }
    const own = (await carol.sync()).filter((e) => e.type === 'join');
    if (own.length > 0) {
      throw fail(chat, SECTION.welcome, `carol got ${own.map(show).join(', ')}: the news of her own arrival.`, 'join goes to everyone except the new user: pass the client as broadcast()\'s second argument');
    }
  });

  test('a name and a first chat line in one write: others get the join before the chat', async () => {
    const chat = await chatWithMine(SECTION.claim);
    const bob = await chat.login('bob');
    const carol = await chat.connect('carol');
    carol.sendRaw('carol\nhi, I am new\n');
    await bob.next({ type: 'chat', from: 'carol' }, 'the chat from carol (her name and this line came in one write)').catch((err: Error) => {
      throw fail(chat, SECTION.claim, `bob never got carol's first chat line. ${err.message.split('\n')[0]}`, 'handshake() awaits claimName() and returns only once the name is settled: the server passes the next line on when handshake() returns, so returning early makes "hi, I am new" a second username');
    });
    const joinAt = bob.events.findIndex((e) => e.type === 'join' && e.user === 'carol');
    const chatAt = bob.events.findIndex((e) => e.type === 'chat' && e.from === 'carol');
    if (joinAt === -1 || joinAt > chatAt) {
      throw fail(chat, SECTION.claim, `bob got carol's chat ${joinAt === -1 ? 'without any join of carol' : 'before her join'}.`, 'join, then chat: send join before handshake() returns');
    }
  });

  test('a client that hangs up while its name is checked leaves no ghost: no join, not in /users, the name stays free', async () => {
    const names = heldNameStore();
    const chat = await chatWithMine(SECTION.ghost, { names: names.store });
    const alice = await chat.login('alice');
    await alice.sync(); // from here on, alice has seen everything about her own login
    const seen = alice.events.length;

    names.hold();
    const ghost = await chat.connect('ghost');
    ghost.send('ghost');
    await names.asked(() => fail(chat, SECTION.claim, 'ghost sent a valid name, but the server never checked it with the name store.', 'handshake() claims every valid name with ctx.pieces.claimName(client, name, ctx)'));
    // Hang up abruptly (a reset, as when a laptop drops off the network) while the check waits.
    // A polite FIN would not do: the server still answers a client that has only half-closed.
    ghost.socket.resetAndDestroy();
    await connectionsReach(chat, SECTION.ghost, 1, 'ghost reset its connection');
    names.release();

    alice.send('/users');
    const online = await alice.next({ type: 'users' }, 'the reply to /users');
    const joins = alice.events.slice(seen).filter((e) => e.type === 'join');
    if (joins.length > 0) {
      throw fail(chat, SECTION.ghost, `alice got ${joins.map(show).join(', ')} for a client that hung up during its name check.`, 'no join: when claimName() comes back \'gone\', send nothing to anyone');
    }
    if (online.type !== 'users' || JSON.stringify(online.users) !== '["alice"]') {
      throw fail(chat, SECTION.ghost, `After ghost hung up, /users listed ${show(online)}.`, 'only alice: a client that hung up is no user');
    }
    const again = await chat.connect('ghost, again');
    await expectWelcome(chat, again, 'ghost', 'belongs to nobody (its first owner hung up before getting it)');
    await alice.next({ type: 'join', user: 'ghost' }, 'the join of the second ghost, who did log in');
  });
});
