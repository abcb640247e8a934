// PROTOCOL.md, "Several servers, one chat": with --redis, "a client may connect to any of
// them and sees one chat". Lesson 19's suite grades a student's ClusterLink; this one holds
// the reference wiring (app/server/cluster.ts) to the rest of the protocol across servers:
// away/busy notes in every list and whisper notice; the presence limit's cut and `count`
// (the room's true size); a server stopped cleanly (its users leave the others at once);
// Redis lost and back (every user told, a whisper that cannot cross said so, a name given
// out twice left quietly); history alike on every server, oldest first, with what was said
// while Redis was away; a file offered to a user of another server (refused, saying why).
// Each test runs its own redis-server on a free port.

import { describe, test } from 'vitest';
import { assemblePieces } from '../../app/server/pieces.js';
import { startChatServer, type ChatServer, type StartOptions } from '../../app/server/server.js';
import { startRedis } from '../../tools/redis.js';
import { Client, noTs, serverForTest, SOON, type Ev, type OnFinished } from './blackbox.js';

interface Cluster {
  redis: Awaited<ReturnType<typeof startRedis>>;
  servers: ChatServer[];
  /** Another server on the same Redis, started now. */
  another(): Promise<ChatServer>;
  /** What the servers logged, for a failure's message. */
  logs: string[];
}

/**
 * A redis-server of the test's own and `n` reference servers on it, all stopped when the
 * test ends. The servers run in this process (a dozen child processes at once took longer
 * to boot, under load, than the tests take); the clients still speak only TCP.
 */
async function startCluster(n: number, options: Partial<StartOptions>, onFinished: OnFinished): Promise<Cluster> {
  const redis = await startRedis();
  const pieces = await assemblePieces('solutions', []);
  const servers: ChatServer[] = [];
  const logs: string[] = [];
  onFinished(async () => {
    await Promise.all(servers.map((s) => s.shutdown()));
    await redis.stop();
  });
  const another = async () => {
    const label = String.fromCharCode(65 + servers.length);
    const server = await startChatServer({ host: '127.0.0.1', port: 0, rateLimit: null, maxPerAddress: 0, features: [], redis: redis.url, log: (m) => logs.push(`server ${label}: ${m}`), ...options }, pieces);
    servers.push(server);
    return server;
  };
  for (let i = 0; i < n; i++) await another();
  return { redis, servers, another, logs };
}

/** Logs `name` in on `server` (hello and welcome consumed; the welcome kept in `welcome`). */
async function login(server: { port: number }, name: string, onFinished: OnFinished): Promise<Client> {
  const c = await Client.connect(server.port, { label: `${name} (on port ${server.port})` });
  onFinished(() => {
    c.destroy();
    c.assertClean();
  });
  await c.expectNext('hello', 'hello right after connecting');
  c.send(name);
  c.welcome = await c.expectNext('welcome', `welcome after sending the username ${name}`);
  return c;
}

/**
 * Asks /users until the reply passes `ok` (other servers' logins arrive through Redis),
 * and returns that reply; events that came meanwhile are dropped.
 */
async function usersUntil(c: Client, ok: (users: Ev) => boolean, what: string): Promise<Ev> {
  const deadline = Date.now() + SOON;
  let last: Ev | undefined;
  while (Date.now() < deadline) {
    last = (await c.barrier()).users;
    if (ok(last)) return last;
  }
  throw new Error(`${c.label}: for ${SOON} ms, /users never showed ${what}; its last reply: ${JSON.stringify(last && noTs(last))}`);
}

const lists = (...names: string[]) => (e: Ev) => names.every((n) => (e.users as string[]).includes(n));
const isChat = (from: string, text: string) => (e: Ev) => e.type === 'chat' && e.from === from && e.text === text;

test.concurrent('away and busy cross servers: a remote user\'s note is in welcome, users and room, a whisper to them says so, and a server started later learns it', async ({ expect, onTestFinished }) => {
  const { servers: [a, b], another } = await startCluster(2, { features: ['rooms', 'status'] }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await usersUntil(alice, lists('bob'), 'bob, who logged in on another server');

  alice.send('/away lunch');
  const lunch = { status: 'away', note: 'lunch' };
  expect(noTs(await bob.waitFor((e) => e.type === 'status', 'alice\'s status, from another server'))).toEqual({ type: 'status', user: 'alice', ...lunch });
  const carol = await login(b!, 'carol', onTestFinished);
  expect(carol.welcome!.statuses, 'carol\'s welcome (server B) lists alice (server A), away').toEqual({ alice: lunch });
  expect((await bob.barrier()).users.statuses, 'bob\'s /users on server B').toEqual({ alice: lunch });

  bob.send('/whisper alice back soon?');
  await bob.waitFor((e) => e.type === 'whisper', 'the whisper to alice, confirmed');
  expect(noTs(await bob.next('the notice that alice is away'))).toEqual({ type: 'info', text: 'alice is away: lunch' });

  alice.send('/join games');
  await alice.waitFor((e) => e.type === 'room', 'the room event after /join games');
  await bob.waitFor((e) => e.type === 'leave' && e.user === 'alice' && e.reason === 'moved', 'alice leaving the lobby (server B has her move)');
  bob.send('/join games');
  const room = await bob.waitFor((e) => e.type === 'room', 'the room event after /join games');
  expect(noTs(room), 'bob joined games, where alice (server A) is away').toEqual({ type: 'room', room: 'games', users: ['alice', 'bob'], statuses: { alice: lunch } });
  await alice.waitFor((e) => e.type === 'join' && e.user === 'bob', 'bob joining games (server A has his move)');

  // Per sender, a status is in order with chat, and /back clears the entry everywhere.
  for (const line of ['before', '/busy', 'after', '/back']) alice.send(line);
  const seen = await bob.waitCount((e) => e.type === 'chat' || e.type === 'status', 4, 'alice\'s chat and statuses');
  expect(seen.map((e) => (e.type === 'chat' ? e.text : e.status))).toEqual(['before', 'busy', 'after', 'online']);
  expect((await bob.barrier()).users.statuses, 'after alice\'s /back').toEqual({});

  // A server that starts now hears every status in the others' `alive`.
  alice.send('/busy exams');
  await bob.waitFor((e) => e.type === 'status' && e.status === 'busy', 'alice busy again');
  const c = await another();
  const dave = await login(c, 'dave', onTestFinished);
  dave.send('/join games');
  await dave.waitFor((e) => e.type === 'room', 'the room event after /join games');
  const users = await usersUntil(dave, lists('alice', 'bob'), 'alice and bob, in games on the first two servers');
  expect(users.statuses, 'dave\'s /users on a server started after alice went busy').toEqual({ alice: { status: 'busy', note: 'exams' } });
});

test.concurrent('the presence limit counts every server: lists cut to the limit carry the room\'s true size, and join/leave stop above it everywhere', async ({ expect, onTestFinished }) => {
  const { servers: [a, b] } = await startCluster(2, { features: ['rooms'], presenceLimit: 2 }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await alice.waitFor((e) => e.type === 'join' && e.user === 'bob', 'bob\'s join (the room holds 2: within the limit)');
  const carol = await login(a!, 'carol', onTestFinished);
  expect(carol.welcome!.count, 'carol\'s welcome on server A: the lobby holds alice, carol and bob (server B)').toBe(3);
  await usersUntil(bob, (e) => e.count === 3, 'count 3 (alice and carol on A, bob on B)');
  const dave = await login(b!, 'dave', onTestFinished);
  expect(noTs(dave.welcome!)).toMatchObject({ users: ['alice', 'bob'], count: 4 });
  for (const c of [alice, bob]) {
    const reply = await usersUntil(c, (e) => e.count === 4, 'count 4');
    expect(noTs(reply), `${c.label}'s /users: cut to the first 2 names, count the true size`).toEqual({ type: 'users', users: ['alice', 'bob'], room: 'lobby', count: 4 });
  }
  alice.send('/rooms');
  expect((await alice.waitFor((e) => e.type === 'rooms', 'the rooms reply')).rooms).toEqual([{ name: 'lobby', users: 4 }]);
  dave.send('/quit');
  await usersUntil(alice, (e) => e.count === 3, 'count 3 after dave (server B) quit');
  // Above the limit, nobody heard carol's or dave's join, nor dave's leave, on either server.
  for (const c of [alice, bob]) {
    const { before } = await c.barrier();
    const heard = [...c.all].filter((e) => (e.type === 'join' || e.type === 'leave') && (e.user === 'carol' || e.user === 'dave'));
    expect(heard.map(noTs), `${c.label}: presence in a room above the limit (after: ${JSON.stringify(before.map(noTs))})`).toEqual([]);
  }
});

describe.each(['SIGTERM', 'SIGINT'] as const)('%s', (signal) => {
  test.concurrent('a server stopped cleanly: the others hear its users leave at once (not after the lease), and their names come free', async ({ expect, onTestFinished }) => {
    // A lease far longer than the test: only the stopping server's goodbye can explain a leave.
    const { redis, servers: [a] } = await startCluster(1, { leaseMs: 60_000 }, onTestFinished);
    // The one to stop is a process of its own: the signal is the point.
    const b = await serverForTest(['--no-rate-limit', '--max-per-address', '0', '--redis', redis.url, '--lease-ms', '60000'], onTestFinished);
    const alice = await login(a!, 'alice', onTestFinished);
    const [bob, bea] = [await login(b, 'bob', onTestFinished), await login(b, 'bea', onTestFinished)];
    await usersUntil(alice, lists('bob', 'bea'), 'bob and bea');
    b.signal(signal);
    for (const c of [bob, bea]) await c.waitFor((e) => e.type === 'shutdown', `shutdown after ${signal}`);
    for (const name of ['bob', 'bea']) {
      const leave = await alice.waitFor((e) => e.type === 'leave' && e.user === name, `${name}'s leave after server B got ${signal} (its lease is 60 s)`);
      expect(leave.reason).toBe('disconnect');
    }
    const again = await login(a!, 'bob', onTestFinished);
    expect(again.welcome!.users, 'bob logs in again on server A at once').toEqual(['alice', 'bob']);
  });
});

test.concurrent('Redis lost and back: every user is told, one who logs in meanwhile too; a name given out twice meanwhile is left quietly by the server that lost it', async ({ expect, onTestFinished }) => {
  const { redis, servers: [a, b] } = await startCluster(2, { leaseMs: 60_000 }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await usersUntil(alice, lists('bob'), 'bob');
  await usersUntil(bob, lists('alice'), 'alice');
  const aboutRedis = (word: RegExp) => (e: Ev) => e.type === 'info' && /redis/i.test(e.text as string) && word.test(e.text as string);
  await redis.kill();
  for (const c of [alice, bob]) await c.waitFor(aboutRedis(/lost/i), 'the info that Redis is away');
  // A whisper to a user of the other server is confirmed (lesson 6), and cannot cross: said so.
  bob.send('/whisper alice are you there?');
  expect((await bob.next('the whisper\'s confirmation')).type).toBe('whisper');
  expect(noTs(await bob.next('what became of a whisper to alice, on the other server, while Redis is away'))).toEqual({
    type: 'info',
    text: 'Your whisper to alice was not delivered: alice is on another server, which cannot be reached while Redis is away.',
  });

  // Each server can check a name only among its own users now: carol gets in on both.
  const carols = [await login(a!, 'carol', onTestFinished), await login(b!, 'carol', onTestFinished)];
  for (const c of carols) {
    expect(c.welcome!.user).toBe('carol');
    expect(aboutRedis(/lost/i)(await c.next('the info that Redis is away, right after the welcome')), `${c.label}: told at once that other servers cannot be reached`).toBe(true);
  }
  await redis.restart();
  for (const c of [alice, bob, ...carols]) await c.waitFor(aboutRedis(/reconnected/i), 'the info that Redis is back');

  // The first server to claim carol again keeps her; the other tells its carol and closes.
  const lost = await Promise.race(carols.map((c, i) => c.until(() => (c.closed ? i : undefined), 'one carol disconnected: the name was given out twice')));
  const loser = carols[lost]!;
  expect(loser.all.some((e) => e.type === 'info' && /took the name 'carol'/.test(e.text as string)), `${loser.label} was told why`).toBe(true);
  const [near, far] = lost === 0 ? [alice, bob] : [bob, alice];
  // `near` shares the losing server: it hears carol leave, then the other server's carol join.
  await near.waitFor((e) => e.type === 'leave' && e.user === 'carol' && e.reason === 'kicked', 'the leave of the carol who lost her name');
  await usersUntil(near, lists('carol'), 'the carol of the other server');
  // `far` shares the winning server: its carol never left. A chat from `near` after the
  // kick comes through the same channel, after anything the kick would have published.
  near.send('after the kick');
  const upTo = await far.waitFor(isChat(near.welcome!.user as string, 'after the kick'), 'the chat sent after the kick');
  const heard = far.all.slice(0, far.all.indexOf(upTo)).filter((e) => e.type === 'leave' && e.user === 'carol');
  expect(heard.map(noTs), `${far.label} shares the winning server, whose carol is online`).toEqual([]);
});

test.concurrent('history across servers: chat said at once on two servers is in every server\'s /history alike, oldest first by ts', async ({ expect, onTestFinished }) => {
  const { servers: [a, b] } = await startCluster(2, { features: ['rooms', 'history'] }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await usersUntil(alice, lists('bob'), 'bob');
  const lines = (who: string) => Array.from({ length: 10 }, (_, i) => `${who} ${i}\n`).join('');
  await Promise.all([alice.write(lines('alice')), bob.write(lines('bob'))]);
  await alice.waitCount((e) => e.type === 'chat', 10, 'bob\'s 10 lines');
  await bob.waitCount((e) => e.type === 'chat', 10, 'alice\'s 10 lines');
  const histories = [];
  for (const c of [alice, bob]) {
    c.send('/history 20');
    const history = await c.waitFor((e) => e.type === 'history', 'the reply to /history 20');
    const messages = history.messages as { from: string; text: string; ts: number }[];
    expect(messages.length, `${c.label}'s /history 20`).toBe(20);
    const stamps = messages.map((m) => m.ts);
    expect(stamps, `${c.label}'s /history: oldest first, by each message's ts`).toEqual([...stamps].sort((x, y) => x - y));
    histories.push(messages.map((m) => `${m.from}@${m.ts}: ${m.text}`));
  }
  expect(histories[1], 'server B\'s /history, beside server A\'s: one chat, one history').toEqual(histories[0]);
});

test.concurrent('history across servers: what was said while Redis was away is in every server\'s history once it is back', async ({ expect, onTestFinished }) => {
  const { redis, servers: [a, b], another } = await startCluster(2, { features: ['history'], leaseMs: 60_000 }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await usersUntil(alice, lists('bob'), 'bob');
  const info = (word: RegExp) => (e: Ev) => e.type === 'info' && word.test(e.text as string);
  await redis.kill();
  for (const c of [alice, bob]) await c.waitFor(info(/lost the connection to redis/i), 'the info that Redis is away');
  alice.send('said while Redis was away');
  await alice.barrier(); // her server has taken the line
  await redis.restart();
  for (const c of [alice, bob]) await c.waitFor(info(/reconnected to redis/i), 'the info that Redis is back');
  const history = async (c: Client) => {
    c.send('/history');
    const reply = await c.waitFor((e) => e.type === 'history', 'the reply to /history');
    return (reply.messages as { text: string }[]).map((m) => m.text);
  };
  const deadline = Date.now() + SOON;
  let seen = await history(bob);
  while (!seen.includes('said while Redis was away') && Date.now() < deadline) seen = await history(bob);
  expect(seen, 'bob\'s /history on server B, after Redis came back').toEqual(['said while Redis was away']);
  // Redis came back empty (it keeps nothing on disk): the line was written to it again.
  const carol = await login(await another(), 'carol', onTestFinished);
  expect(await history(carol), 'the history of a server started after Redis came back').toEqual(['said while Redis was away']);
});

test.concurrent('files: an offer to a user of another server is refused at once with USAGE, saying why; one to a user of the same server is made', async ({ expect, onTestFinished }) => {
  const { servers: [a, b] } = await startCluster(2, { features: ['files'] }, onTestFinished);
  const alice = await login(a!, 'alice', onTestFinished);
  const amy = await login(a!, 'amy', onTestFinished);
  const bob = await login(b!, 'bob', onTestFinished);
  await usersUntil(alice, lists('bob'), 'bob');
  const sha = 'a'.repeat(64);
  alice.send(`/offer BOB 5 ${sha} notes.txt`);
  const refused = await alice.next('the answer to an offer to bob, on another server');
  expect(noTs(refused)).toEqual({ type: 'error', code: 'USAGE', text: 'bob is connected to another server of this chat, and files travel only between users of the same server.' });
  alice.send(`/offer amy 5 ${sha} notes.txt`);
  expect((await alice.next('the answer to an offer to amy, on the same server')).type).toBe('offer_sent');
  expect((await amy.waitFor((e) => e.type === 'offer', 'alice\'s offer')).from).toBe('alice');
  await bob.expectNothingMore('an offer that was refused reaches nobody');
});
