// Lesson 3: the student's Registry (starter/server/registry.ts). First on its own, driven
// directly with fake members (the clearest messages), then inside the reference server
// behind real clients, where it decides who hears what.

import { beforeEach, describe, test } from 'vitest';
import type { Member } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { collapseRows, failure } from './harness/teach.js';
import type { Received, TestClient } from './harness/test-client.js';

const { Registry } = await importMine<typeof import('../starter/server/registry.js')>('server/registry.ts');

const SECTION = {
  blocking: '3 (npm run lesson 3), section "Never block the loop"',
  queueing: '3 (npm run lesson 3), section "Sending is queueing"',
  registry: '3 (npm run lesson 3), section "The registry: who is online"',
  broadcast: '3 (npm run lesson 3), section "Broadcast: everyone but the sender"',
  gone: '3 (npm run lesson 3), section "When a client goes"',
};

/** A correct broadcast() returns in microseconds; this is a thousand times that and more. */
const BLOCKING_MS = 500;

/** How long to look again for a line broadcast() had not sent when it returned: sent late, or never? */
const LATE_MS = 100;

/** What to say when broadcast() sent nobody anything: its loop found no member. */
const LOOP_NEVER_RAN =
  'Look at broadcast(): its loop must visit every member. `for (const m in this.members)` runs zero times over a Map (for...in walks the own keys of a plain object, and a Map keeps its entries elsewhere); `for (const m of this.members.values())` visits each member.';

/** Stands in for a connection: it only records the lines it is sent. */
class FakeMember implements Member {
  readonly got: string[] = [];
  constructor(readonly name: string) {}
  send(line: string): void {
    this.got.push(line);
  }
}

/**
 * The student's Registry, driven directly with fake members. It logs every call and what
 * came back, so that a failure shows exactly what the registry was asked and what it said.
 */
class RegistryUnderTest {
  private readonly registry = new Registry<FakeMember>();
  private readonly log: string[] = [];

  constructor(private readonly see: string) {}

  add(member: FakeMember): void {
    this.call(`add(${member.name})`, () => this.registry.add(member));
  }
  remove(member: FakeMember, who = member.name): void {
    this.call(`remove(${who})`, () => this.registry.remove(member));
  }
  find(name: string): unknown {
    return this.call(`find('${name}')`, () => this.registry.find(name), true);
  }
  names(): unknown {
    return this.call('names()', () => this.registry.names(), true);
  }
  size(): unknown {
    return this.call('size', () => this.registry.size, true);
  }
  broadcast(line: string, except?: FakeMember): unknown {
    return this.call(`broadcast(${JSON.stringify(line)}${except ? `, except ${except.name}` : ''})`, () => this.registry.broadcast(line, except));
  }

  fail(problem: string, expected: string, see = this.see): Error {
    const asked = collapseRows(this.log.map((l) => `  ${l}`), 'calls').join('\n');
    return failure({ problem: `${problem}\n\nWhat the test asked your registry, in order:\n${asked}`, expected, see });
  }

  private call<T>(what: string, run: () => T, showResult = false): T {
    let result: T;
    try {
      result = run();
    } catch (err) {
      this.log.push(`${what}  → threw`);
      throw this.fail(`${what} threw: ${(err as Error).message}`, 'each method does its job without throwing (the TODO comments in starter/server/registry.ts say what each one does)');
    }
    this.log.push(showResult ? `${what}  → ${show(result)}` : what);
    return result;
  }
}

function show(value: unknown): string {
  if (value instanceof FakeMember) return `the member ${value.name}`;
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/**
 * How long one broadcast() to two members kept the event loop busy, measured once.
 * Undefined when broadcast() throws (not written yet): the tests themselves report that.
 */
let blockedMs: number | undefined | null = null;
function measureBroadcast(): number | undefined {
  if (blockedMs === null) {
    const registry = new Registry<FakeMember>();
    const start = performance.now();
    try {
      registry.add(new FakeMember('alice'));
      registry.add(new FakeMember('bob'));
      registry.broadcast('probe\n');
      blockedMs = performance.now() - start;
    } catch {
      blockedMs = undefined;
    }
  }
  return blockedMs;
}

// A broadcast that blocks would freeze every test below for seconds each: stop them all
// at once with the one explanation that matters.
beforeEach(() => {
  const ms = measureBroadcast();
  if (ms !== undefined && ms > BLOCKING_MS) {
    throw failure({
      problem: `One call to broadcast() with two members took ${Math.round(ms)} ms to return: it kept the event loop busy all that time, so the server could not read from or write to any client. Every test here would freeze the same way, so they stop at this.`,
      expected: 'broadcast() returns within microseconds: it hands the line to each member (member.send) and waits for nothing. Take out any busy-wait (the "Try it" experiment) or other slow synchronous work.',
      see: SECTION.blocking,
    });
  }
});

/** Sends /users and returns the names in the reply. */
async function usersOf(client: TestClient, what: string): Promise<string[]> {
  client.send('/users');
  const reply = await client.next({ type: 'users' }, what);
  return reply.type === 'users' ? reply.users : [];
}

/** Closes a client's socket, and says so in the transcript (the harness's close() does not). */
function hangUp(chat: Chat, client: TestClient): void {
  chat.transcript.record(client.label, chat.serverLabel, '');
  client.close();
}

/** Connects and sends a name; returns the server's answer: welcome or error. */
async function tryName(chat: Chat, name: string, label: string): Promise<Received> {
  const client = await chat.connect(label);
  client.send(name);
  return client.next((e) => e.type === 'welcome' || e.type === 'error', `the answer to the name ${name}`);
}

/**
 * Once several clients are in, whoever logged in first has heard the others' joins. If no
 * join reached anyone, the tests below would only time out waiting for some event and blame
 * what they check (a leave, an order): say what happened instead.
 */
async function expectBroadcastsArrive(chat: Chat, clients: TestClient[]): Promise<void> {
  // Barriers: everything the server sent each client before its /users reply has arrived.
  await Promise.all(clients.map((c) => c.sync(`the reply to /users (a barrier) for ${c.label}, once everyone had logged in`)));
  const announced = (e: Received) => e.type === 'join' || e.type === 'chat' || e.type === 'leave';
  if (clients.some((c) => c.events.some(announced))) return;
  throw failure({
    problem: `${clients.length} clients logged in, and no join reached any of them, not even the first one in. The server announces each login to those already online with registry.broadcast(); not one line it was given reached anyone, so nothing was late and no one was left in: your broadcast() sent nothing at all.`,
    expected: `a join for each later login. ${LOOP_NEVER_RAN}`,
    see: SECTION.broadcast,
    transcript: chat.transcript,
  });
}

describe('lesson 3: the registry on its own, with fake members', () => {
  test('find() finds a member without regard to case; size counts the members', () => {
    const reg = new RegistryUnderTest(SECTION.registry);
    const alice = new FakeMember('Alice');
    const bob = new FakeMember('bob');
    reg.add(alice);
    reg.add(bob);
    for (const [name, member] of [['Alice', alice], ['alice', alice], ['ALICE', alice], ['BoB', bob]] as const) {
      const found = reg.find(name);
      if (found !== member) {
        throw reg.fail(
          `find('${name}') returned ${show(found)}.`,
          `the member ${member.name}: names are one user without regard to case, so every spelling of ${member.name} finds the same member`,
        );
      }
    }
    for (const name of ['carol', 'Ali', 'alicex']) {
      const found = reg.find(name);
      if (found !== undefined) throw reg.fail(`find('${name}') returned ${show(found)}, but nobody of that name was added.`, 'undefined: find() matches whole names only');
    }
    const size = reg.size();
    if (size !== 2) throw reg.fail(`size was ${show(size)} with two members in the registry.`, '2: size counts the members');
  });

  test('names() lists every name as it was given, sorted', () => {
    const reg = new RegistryUnderTest(SECTION.registry);
    for (const name of ['zoe', 'carol', 'Alice', 'bob', 'Dave']) reg.add(new FakeMember(name));
    const names = reg.names();
    // By code unit, as JavaScript's default sort() compares (PROTOCOL.md): capitals first.
    const expected = ['Alice', 'Dave', 'bob', 'carol', 'zoe'];
    if (JSON.stringify(names) === JSON.stringify(expected)) return;
    const given = Array.isArray(names) && JSON.stringify([...names].sort()) === JSON.stringify(expected);
    const ignoringCase = JSON.stringify(names) === JSON.stringify(['Alice', 'bob', 'carol', 'Dave', 'zoe']);
    const lowered = Array.isArray(names) && names.includes('alice');
    throw reg.fail(
      ignoringCase
        ? `names() returned ${show(names)}: sorted without regard to case.`
        : given
          ? `names() returned ${show(names)}: the right names, not sorted.`
          : lowered
            ? `names() returned ${show(names)}: 'Alice' came back as 'alice'.`
            : `names() returned ${show(names)}.`,
      `${show(expected)}: every member's name as it was given (the lower-case form is only for finding), sorted by code unit as the default sort() does, so 'Dave' comes before 'bob'`,
    );
  });

  test('broadcast() hands the line to every member but the one excluded, exactly once, before it returns', async () => {
    const reg = new RegistryUnderTest(SECTION.broadcast);
    const members = ['alice', 'bob', 'carol', 'dave'].map((n) => new FakeMember(n));
    const [, bob] = members;
    members.forEach((m) => reg.add(m));

    const line = '{"type":"chat","from":"bob","text":"hi"}\n';
    const returned = reg.broadcast(line, bob);
    if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
      throw reg.fail(
        'broadcast() returned a Promise: it is async and awaits something, so the members after that await get the line only later, after lines the server handles in the meantime. Those can overtake it.',
        'a plain (not async) broadcast() that calls member.send(line) for each member and returns',
        SECTION.queueing,
      );
    }
    // What each member had when broadcast() returned, taken before any other callback can
    // run: a deferred send has not happened yet. A moment later tells late from never.
    const atReturn = new Map(members.map((m) => [m, [...m.got]]));
    if (members.some((m) => m !== bob && m.got.length === 0)) await new Promise((resolve) => setTimeout(resolve, LATE_MS));
    const others = members.filter((m) => m !== bob);
    if (others.every((m) => m.got.length === 0)) {
      throw reg.fail(
        `broadcast() returned, and none of the ${others.length} members it should reach (${others.map((m) => m.name).join(', ')}) had been sent anything, nor had they ${LATE_MS} ms later: not one member.send() call was made, so the loop in broadcast() never ran its body.`,
        `alice, carol and dave are each sent the line once. ${LOOP_NEVER_RAN}`,
        SECTION.broadcast,
      );
    }
    for (const m of members) {
      const want = m === bob ? [] : [line];
      const had = atReturn.get(m)!;
      if (JSON.stringify(had) === JSON.stringify(want)) continue;
      if (m === bob) {
        throw reg.fail(`bob was excluded (he is the sender) but was sent ${show(had)}.`, 'nothing for the member passed as `except`: a sender never gets its own line back');
      }
      const late = had.length === 0 && m.got.length > 0;
      throw reg.fail(
        had.length > 0
          ? `${m.name} was sent ${show(had)}.`
          : late
            ? `When broadcast() returned, ${m.name} had not been sent the line; it came only later. Its send was put off (await, setTimeout, setImmediate, .then): a deferred send lets later lines overtake this one.`
            : `${m.name} was never sent the line, while others were: broadcast() skipped ${m.name}.`,
        `${m.name} is sent the line ${JSON.stringify(line)} exactly once, unchanged, before broadcast() returns`,
        late ? SECTION.queueing : SECTION.broadcast,
      );
    }

    const leave = '{"type":"leave","user":"eve","reason":"quit"}\n';
    reg.broadcast(leave);
    for (const m of members) {
      if (m.got.filter((l) => l === leave).length !== 1) {
        throw reg.fail(`broadcast() with no member to exclude sent ${m.name} ${show(m.got.filter((l) => l !== line))}.`, `every member gets ${JSON.stringify(leave)} once: with no \`except\`, nobody is skipped`);
      }
    }
  });

  test('broadcast() to a thousand members returns at once: nothing in it blocks the event loop', () => {
    const reg = new RegistryUnderTest(SECTION.blocking);
    const members = Array.from({ length: 1000 }, (_, i) => new FakeMember(`user${i}`));
    members.forEach((m) => reg.add(m));
    const start = performance.now();
    reg.broadcast('{"type":"chat","from":"user0","text":"hi"}\n', members[0]);
    const ms = performance.now() - start;
    if (ms > BLOCKING_MS) {
      throw reg.fail(
        `broadcast() to 1000 members took ${Math.round(ms)} ms to return: it kept the event loop busy, and no client could be served meanwhile.`,
        'a loop that hands the line to each member and returns: a thousand send() calls take well under a millisecond',
      );
    }
    if (members[0].got.length > 0) {
      throw reg.fail(`user0 is the sender, passed as \`except\`, and was sent the line ${members[0].got.length} time(s).`, 'nothing for the member passed as `except`', SECTION.broadcast);
    }
    const missed = members.slice(1).filter((m) => m.got.length !== 1);
    if (missed.length > 0) {
      const none = members.every((m) => m.got.length === 0);
      throw reg.fail(
        none
          ? 'When broadcast() returned, not one of the 999 other members had been sent the line: the loop in broadcast() never ran its body.'
          : `When broadcast() returned, ${missed.length} of the 999 other members had not been sent the line exactly once (${missed.slice(0, 3).map((m) => `${m.name}: ${m.got.length} times`).join(', ')}).`,
        `each of the 999 others is sent the line once, before broadcast() returns.${none ? ` ${LOOP_NEVER_RAN}` : ''}`,
        SECTION.broadcast,
      );
    }
  });

  test('remove() takes out exactly the member it is given, and nothing reaches it afterwards', () => {
    const reg = new RegistryUnderTest(SECTION.gone);
    const alice = new FakeMember('alice');
    const bob = new FakeMember('bob');
    const carol = new FakeMember('carol');
    [alice, bob, carol].forEach((m) => reg.add(m));

    reg.remove(bob);
    const found = reg.find('bob');
    if (found !== undefined) throw reg.fail(`After remove(bob), find('bob') still returned ${show(found)}.`, 'undefined: bob has left');
    const names = reg.names();
    if (JSON.stringify(names) !== '["alice","carol"]') throw reg.fail(`After remove(bob), names() returned ${show(names)}.`, '["alice","carol"]');
    reg.broadcast('after bob left\n');
    if (bob.got.length > 0) {
      throw reg.fail(`bob was removed, yet broadcast() still sent him ${show(bob.got)}.`, 'nothing for a member that was removed: its socket may be closed, and the line would go nowhere');
    }

    // The wiring may tell the registry twice, or about a member that never logged in.
    const mallory = new FakeMember('mallory');
    reg.remove(mallory);
    reg.remove(bob, 'bob (again)');
    const size = reg.size();
    if (size !== 2) throw reg.fail(`size was ${show(size)} after removing a member who was not there.`, '2: removing a member who is not in the registry changes nothing');

    // carol leaves; a new user takes the name as Carol; then a late remove() for the old carol.
    const newCarol = new FakeMember('Carol');
    reg.remove(carol);
    reg.add(newCarol);
    reg.remove(carol, 'carol (the one who left)');
    const stillThere = reg.find('Carol');
    if (stillThere !== newCarol) {
      throw reg.fail(
        `The old carol left and a new user took the name as Carol; then remove() of the old carol removed the wrong member: find('Carol') now returns ${show(stillThere)}.`,
        'the member Carol: remove() takes out only the very member it is given (compare the member, not just its name)',
      );
    }
  });
});

describe('lesson 3: your registry inside the chat server', () => {
  test('24 clients: every chat line reaches every other client exactly once, and never its sender', async () => {
    const chat = await startChat({ mine: ['Registry'], see: SECTION.broadcast });
    const names = Array.from({ length: 24 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`);
    const clients = await chat.loginAll(names);
    await expectBroadcastsArrive(chat, clients);

    // Everyone speaks at once. A sender's /users reply proves the server has handled its line
    // (and so broadcast it); afterwards a receiver's /users reply proves everything broadcast
    // to it before has arrived. Barriers, not sleeps: then we count.
    await Promise.all(
      clients.map((c) => {
        c.send(`hello from ${c.label}`);
        return c.sync(`the reply to /users after ${c.label}'s chat line`);
      }),
    );
    await Promise.all(clients.map((c) => c.sync()));

    const echoes: string[] = [];
    const missing: string[] = [];
    const doubled: string[] = [];
    for (const receiver of clients) {
      const chats = receiver.events.filter((e) => e.type === 'chat');
      for (const sender of clients) {
        const count = chats.filter((e) => e.from === sender.label && e.text === `hello from ${sender.label}`).length;
        if (sender === receiver && count > 0) echoes.push(receiver.label);
        else if (sender !== receiver && count === 0) missing.push(`${receiver.label} never got the line of ${sender.label}`);
        else if (sender !== receiver && count > 1) doubled.push(`${receiver.label} got the line of ${sender.label} ${count} times`);
      }
    }
    if (echoes.length + missing.length + doubled.length === 0) return;
    const problems = [`24 clients each sent one chat line ("hello from <name>"); each line should reach the 23 others exactly once.`];
    if (echoes.length > 0) problems.push(`- ${echoes.length} of 24 clients got their own line back (${echoes[0]} got "hello from ${echoes[0]}"): broadcast() must skip the member passed as \`except\`, the sender.`);
    if (missing.length > 0) problems.push(`- ${missing.length} deliveries never happened, e.g. ${missing.slice(0, 3).join('; ')}.`);
    if (doubled.length > 0) problems.push(`- ${doubled.length} deliveries happened more than once, e.g. ${doubled.slice(0, 3).join('; ')}.`);
    throw failure({ problem: problems.join('\n'), expected: 'every other client gets each line once; the sender gets nothing', see: SECTION.broadcast, logs: chat.logs });
  });

  test('a name is one user whatever its case, and every list of names is sorted', async () => {
    const chat = await startChat({ mine: ['Registry'], see: SECTION.registry });
    for (const name of ['zoe', 'carol', 'Alice']) await chat.login(name); // one by one: the registry's order is not sorted
    const bob = await chat.login('bob');
    const expected = ['Alice', 'bob', 'carol', 'zoe'];

    const welcome = bob.events.find((e) => e.type === 'welcome');
    const lists: [string, unknown][] = [['the `users` of bob\'s welcome', welcome?.type === 'welcome' ? welcome.users : undefined], ['the reply to bob\'s /users', await usersOf(bob, 'the reply to /users')]];
    for (const [where, users] of lists) {
      if (JSON.stringify(users) !== JSON.stringify(expected)) {
        throw failure({
          problem: `zoe, carol, Alice and bob logged in, in that order; ${where} was ${JSON.stringify(users)}.`,
          expected: `${JSON.stringify(expected)}: registry.names() gives every name as it was typed, sorted`,
          see: SECTION.registry,
          transcript: chat.transcript,
        });
      }
    }

    for (const twin of ['alice', 'ZOE']) {
      const answer = await tryName(chat, twin, `${twin} (a second user)`);
      if (answer.type !== 'error' || answer.code !== 'NAME_TAKEN') {
        throw failure({
          problem: `With ${twin === 'alice' ? 'Alice' : 'zoe'} online, a second user asked for the name ${twin} and got ${answer.type === 'welcome' ? 'in (welcome)' : JSON.stringify(answer)}. The server asks registry.find('${twin}') whether the name is taken; yours did not find the other spelling.`,
          expected: 'error NAME_TAKEN: find() matches names without regard to case',
          see: SECTION.registry,
          transcript: chat.transcript,
        });
      }
    }
  });

  test('a client that hangs up is gone: others hear leave, /users drops it, its name is free again', async () => {
    const chat = await startChat({ mine: ['Registry'], see: SECTION.gone });
    const [alice, bob, carol] = await chat.loginAll(['alice', 'bob', 'carol']);
    await expectBroadcastsArrive(chat, [alice, bob, carol]);
    hangUp(chat, carol);
    await alice.next({ type: 'leave', user: 'carol' }, 'the leave of carol, who hung up');
    await bob.next({ type: 'leave', user: 'carol' }, 'the leave of carol, who hung up');

    const users = await usersOf(alice, 'the reply to /users after carol left');
    if (users.includes('carol')) {
      throw failure({
        problem: `carol hung up and alice was told (leave), yet /users still lists her: ${JSON.stringify(users)}. When a connection closes, the server calls registry.remove(carol); your remove() left her in.`,
        expected: '["alice","bob"]',
        see: SECTION.gone,
        transcript: chat.transcript,
        logs: chat.logs,
      });
    }

    const answer = await tryName(chat, 'carol', 'carol (again)');
    if (answer.type !== 'welcome' || JSON.stringify(answer.users) !== '["alice","bob","carol"]') {
      throw failure({
        problem: `After carol left, a new user asked for the name carol and got ${JSON.stringify(answer)}.`,
        expected: 'a welcome listing ["alice","bob","carol"]: the name is free again once its user has gone',
        see: SECTION.gone,
        transcript: chat.transcript,
      });
    }
    // Only the first carol's leave, once: the new carol is a different member.
    const leaves = (await alice.sync()).filter((e) => e.type === 'leave');
    if (leaves.length > 0) {
      throw failure({ problem: `alice got another leave: ${JSON.stringify(leaves)}.`, expected: 'one leave for the carol who hung up, none for the new carol', see: SECTION.gone, transcript: chat.transcript });
    }
  });

  test('a chat line and the whispers sent after it arrive in the order they were sent', async () => {
    const chat = await startChat({ mine: ['Registry'], see: SECTION.queueing });
    const alice = await chat.login('alice');
    const others: TestClient[] = [];
    for (const name of ['bob', 'carol', 'dave']) others.push(await chat.login(name));
    await expectBroadcastsArrive(chat, [alice, ...others]);

    // One write: the server handles these four lines one after another, without pause.
    alice.sendRaw('news for everyone\n/whisper bob psst\n/whisper carol psst\n/whisper dave psst\n');
    for (const other of others) {
      const chatLine = await other.next({ type: 'chat', from: 'alice' }, `alice's chat line (to ${other.label})`);
      const whisper = other.events.findIndex((e) => e.type === 'whisper' && e.from === 'alice');
      if (whisper !== -1 && whisper < other.events.indexOf(chatLine)) {
        throw failure({
          problem: `alice sent a chat line, then whispered to ${other.label}; ${other.label} got the whisper first. The whisper is sent at once; your broadcast() put the chat line off until later (an await, setTimeout, setImmediate or .then), so the whisper overtook it.`,
          expected: 'the chat line, then the whisper: broadcast() calls member.send() for every member before it returns',
          see: SECTION.queueing,
          transcript: chat.transcript,
        });
      }
      await other.next({ type: 'whisper', from: 'alice' }, `alice's whisper to ${other.label}`);
    }
  });
});
