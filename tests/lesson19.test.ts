// Lesson 19: the student's ClusterLink (starter/server/cluster-link.ts) inside reference
// servers that share a redis-server of the suite's own: three servers and 30 users as one
// chat (every chat once, in order; whispers and /users across servers), 20 logins with one
// name across three servers (one winner), a lease renewed while its owner is online and
// given back when they quit (and only by its owner), a name another server took over lost
// at the next renewal (its user dropped, no other), rooms and away/busy across two servers,
// history and registered names kept in Redis, a server killed with SIGKILL (its users leave,
// its names come free), and Redis killed and started again (servers say so, and recover).
// Needs redis-server: where it is missing, `npm test` and the check say so and skip it.

import { describe, test } from 'vitest';
import type { ClusterChat } from './harness/cluster.js';
import { connectTo, startCluster } from './harness/cluster.js';
import { fail } from './harness/teach.js';
import { showEvents, type Received, type TestClient } from './harness/test-client.js';
import { DEADLINES, PATIENCE_MS, waitUntil } from './harness/wait.js';

const lesson = (heading: string) => `19 (npm run lesson 19), section "${heading}"`;
const SECTION = {
  pubsub: lesson('Publish and subscribe'),
  claim: lesson('SET NX: check and claim in one step'),
  lease: lesson('Leases: a name that frees itself'),
  renew: lesson('Renewing, and giving back'),
  away: lesson('When Redis goes away'),
};

/** Short enough that a test sees a lease run out; the suite's servers renew every third of it. */
const SHORT_LEASE_MS = 900;
const LONG_LEASE_MS = 30_000;

/** Calls `wake` whenever any of these clients receives something or closes. */
function watching(clients: TestClient[]): (wake: () => void) => () => void {
  return (wake) => {
    for (const c of clients) c.socket.on('data', wake).on('close', wake);
    return () => clients.forEach((c) => c.socket.off('data', wake).off('close', wake));
  };
}

/** Asks /users until `client` lists every one of `names` (the servers learn of logins elsewhere through Redis). */
async function waitForUsers(cluster: ClusterChat, client: TestClient, names: string[], see: string): Promise<void> {
  const deadline = Date.now() + DEADLINES.step;
  let last: Received | undefined;
  while (Date.now() < deadline) {
    client.send('/users');
    last = await client.next({ type: 'users' }, `the reply to /users on ${client.label}'s server`);
    const users = last.type === 'users' ? last.users : [];
    if (names.every((n) => users.includes(n))) return;
  }
  const listed = last?.type === 'users' ? last.users : [];
  const missing = names.filter((n) => !listed.includes(n));
  throw fail(cluster, {
    problem: `For ${DEADLINES.step} ms, ${client.label}'s /users never listed ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}, who logged in on other servers. Its last reply: ${JSON.stringify(listed)}.`,
    expected: 'every server learns of every login through Redis: the login is published on the channel, and every server subscribed to it adds the user. If nothing arrives, look at publish() and subscribe(), and at what the server logged',
    see,
  });
}

/** Waits until a name's key is gone from Redis, explaining what is there if it stays. */
async function waitForNameFree(cluster: ClusterChat, name: string, ms: number, why: string, see: string): Promise<void> {
  const key = `chat:name:${name.toLowerCase()}`;
  let last = { owner: null as string | null, pttl: -2 };
  const deadline = Date.now() + ms;
  for (;;) {
    last = await cluster.nameKey(name);
    if (last.pttl === -2) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 25)); // a poll of Redis, not a sleep that waits for something
  }
  throw fail(cluster, {
    problem: `${why} After ${ms} ms, Redis still holds ${key} (owner ${JSON.stringify(last.owner)}, PTTL ${last.pttl}${last.pttl === -1 ? ': no expiry at all' : ' ms'}).`,
    expected: last.pttl === -1 ? `a lease: claim() sets the key with PX ${'<'}leaseMs${'>'} (and NX), so that it expires unless renewed` : 'the key gone',
    see,
  });
}

describe('lesson 19: several servers, one chat', () => {
  test('30 users on three servers: every chat reaches every other user once and in order; whispers and /users cross', async () => {
    const cluster = await startCluster({ servers: 3, see: SECTION.pubsub, leaseMs: LONG_LEASE_MS });
    const names = Array.from({ length: 30 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const clients = await Promise.all(names.map((name, i) => cluster.login(i % 3, name)));
    for (const server of [0, 1, 2]) await waitForUsers(cluster, clients[server]!, names, SECTION.pubsub);
    for (const c of clients) c.takeUnseen();

    const LINES = 3;
    for (const [i, c] of clients.entries()) for (let n = 1; n <= LINES; n++) c.send(`${names[i]} line ${n}`);
    const expected = (clients.length - 1) * LINES;
    const chatsOf = (c: TestClient) => c.events.filter((e) => e.type === 'chat');
    await waitUntil(
      () => (clients.every((c) => chatsOf(c).length >= expected) ? true : undefined),
      watching(clients),
      () => {
        const short = clients.find((c) => chatsOf(c).length < expected)!;
        const got = new Set(chatsOf(short).map((e) => (e.type === 'chat' ? e.from : '')));
        const missing = names.filter((n) => n !== short.label && !got.has(n));
        return fail(cluster, {
          problem: `Each of 30 users (10 on each of three servers) sent ${LINES} chat lines. ${short.label} received ${chatsOf(short).length} of the ${expected}; nothing at all from ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? '...' : ''}.`,
          expected: 'every chat on every server: the sender\'s server delivers it to its own users and publishes it once; every other server, subscribed to the channel, delivers it to its users',
          see: SECTION.pubsub,
        });
      },
      DEADLINES.step,
    );
    for (const c of clients) await c.sync();
    for (const [i, c] of clients.entries()) {
      const chats = chatsOf(c).map((e) => (e.type === 'chat' ? `${e.from}: ${e.text}` : ''));
      const bySender = new Map<string, string[]>();
      for (const chat of chats) bySender.set(chat.split(':')[0]!, [...(bySender.get(chat.split(':')[0]!) ?? []), chat]);
      for (const [from, lines] of bySender) {
        const wanted = Array.from({ length: LINES }, (_, n) => `${from}: ${from} line ${n + 1}`);
        if (lines.join('|') !== wanted.join('|')) {
          throw fail(cluster, {
            problem: `${c.label} (on ${cluster.label(i % 3)}) received from ${from}: ${lines.join(' | ')}.`,
            expected: `${wanted.join(' | ')}: each once, in the order sent. ${lines.length > LINES ? 'Twice means a message was delivered again: a server must not deliver what it published itself a second time, and subscribe() must pass each message on once.' : ''}`,
            see: SECTION.pubsub,
          });
        }
      }
      if (bySender.has(c.label)) {
        throw fail(cluster, { problem: `${c.label} received its own chat lines back.`, expected: 'chat goes to everyone but its sender, on every server', see: SECTION.pubsub });
      }
    }

    // Whispers: A to B, B to C; the sender gets the same event back.
    const [u00, u01, , , u04, u05] = clients;
    for (const [from, to] of [[u00!, u01!], [u04!, u05!]] as const) {
      from.send(`/whisper ${to.label} psst from ${from.label}`);
      const want = { type: 'whisper', from: from.label, to: to.label, text: `psst from ${from.label}` };
      for (const c of [to, from]) {
        await c.next(want, `the whisper from ${from.label} (on one server) to ${to.label} (on another)`).catch(() => {
          throw fail(cluster, {
            problem: `${from.label} sent "/whisper ${to.label} psst from ${from.label}"; ${c.label} got ${showEvents(c.takeUnseen())}.`,
            expected: `${JSON.stringify(want)} for both: a whisper to a user of another server travels through Redis to that user's server`,
            see: SECTION.pubsub,
          });
        });
      }
    }
  });

  test('20 logins with one name at once across three servers, in either case: exactly one wins', async () => {
    const cluster = await startCluster({ servers: 3, see: SECTION.claim, leaseMs: LONG_LEASE_MS });
    for (const name of ['zed', 'Yan', 'xi-4']) {
      const racers = await Promise.all(Array.from({ length: 20 }, (_, i) => cluster.connect(i % 3, `${name}#${i + 1}`)));
      // Half in capitals: one name for every server, whatever its case.
      const typed = (i: number) => (i % 2 === 0 ? name : name.toUpperCase());
      racers.forEach((c, i) => c.send(typed(i)));
      const outcomes = await Promise.all(racers.map((c) => c.next((e) => e.type === 'welcome' || e.type === 'error', `the answer to ${c.label}'s name`)));
      const won = racers.flatMap((_, i) => (outcomes[i]!.type === 'welcome' ? [{ as: typed(i), on: cluster.label(i % 3) }] : []));
      if (won.length !== 1) {
        const hints = [];
        if (new Set(won.map((w) => w.on)).size > 1) hints.push('Several servers each let one in: a GET then a SET leaves a gap between the check and the claim, where another server checks too. SET key value PX ms NX does both in one step inside Redis.');
        if (new Set(won.map((w) => w.as)).size > 1) hints.push(`"${name}" and "${name.toUpperCase()}" are one name: it is claimed in Redis under its lower-case key.`);
        throw fail(cluster, {
          problem: `20 clients sent the name "${name}" (half of them "${name.toUpperCase()}") at once, spread over three servers; ${won.length} got welcome${won.length > 0 ? `: ${won.map((w) => `"${w.as}" on ${w.on}`).join(', ')}` : ''}.`,
          expected: won.length === 0
            ? 'exactly one welcome: claim() answers true for the first claim of a free name (SET ... NX answers OK)'
            : `exactly one welcome and 19 NAME_TAKEN. ${hints.join(' ')}`,
          see: SECTION.claim,
        });
      }
      for (const c of racers) c.close();
    }
  });

  test('a name is held while its owner is online: the lease is renewed', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.renew, leaseMs: SHORT_LEASE_MS });
    const alice = await cluster.login(0, 'alice');
    // Wait for two renewals: the key's lease seen going up again, twice.
    let renewals = 0;
    let previous = (await cluster.nameKey('alice')).pttl;
    const deadline = Date.now() + 3 * SHORT_LEASE_MS + PATIENCE_MS;
    while (renewals < 2) {
      const { pttl } = await cluster.nameKey('alice');
      if (pttl < 0 || Date.now() > deadline) {
        throw fail(cluster, {
          problem: `alice logged in on server A, and stayed. Her key chat:name:alice ${pttl === -2 ? `was gone from Redis after ${SHORT_LEASE_MS} ms: her lease ran out while she was online` : pttl === -1 ? 'has no expiry' : `was renewed ${renewals} times in ${3 * SHORT_LEASE_MS} ms`}${previous === -2 ? ' (there never was one: claim() must SET it)' : ''}.`,
          expected: `the key renewed every third of its ${SHORT_LEASE_MS} ms lease while she is online: renew() runs the KEEP script on each name's key`,
          see: pttl === -1 ? SECTION.lease : SECTION.renew,
        });
      }
      if (pttl > previous) renewals++;
      previous = pttl;
      await new Promise((resolve) => setTimeout(resolve, SHORT_LEASE_MS / 12)); // a poll of Redis
    }
    const copy = await cluster.connect(1, 'alice (again, on B)');
    copy.send('ALICE');
    const answer = await copy.next((e) => e.type === 'welcome' || e.type === 'error', 'the answer to the name ALICE on server B');
    if (answer.type !== 'error' || answer.code !== 'NAME_TAKEN') {
      throw fail(cluster, {
        problem: `alice is online on server A; "ALICE" on server B got ${showEvents([answer])}.`,
        expected: 'error NAME_TAKEN: the name is claimed in Redis under its lower-case key',
        see: SECTION.claim,
      });
    }
  });

  test('a name is given back at once when its owner quits, and only by its owner', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.renew, leaseMs: LONG_LEASE_MS });
    const [alice, bob] = await Promise.all([cluster.login(0, 'alice'), cluster.login(0, 'bob')]);
    alice.send('/quit');
    await alice.next({ type: 'bye' }, 'the bye after /quit');
    await waitForNameFree(cluster, 'alice', PATIENCE_MS, `alice quit on server A (the lease is ${LONG_LEASE_MS / 1000} s: only release() frees the name this soon).`, SECTION.renew);
    const again = await cluster.connect(1, 'alice (after quitting)');
    again.send('alice');
    const welcome = await again.next((e) => e.type === 'welcome' || e.type === 'error', 'the answer to the name alice on server B');
    if (welcome.type !== 'welcome') {
      throw fail(cluster, {
        problem: `alice quit on server A, her key was gone, and logging in as alice on server B got ${showEvents([welcome])}.`,
        expected: 'welcome',
        see: SECTION.renew,
      });
    }
    // A server may lose a name (its lease ran out while it was stalled) to another server.
    // The suite plays that other server: bob's key now names someone else.
    await cluster.peek.set('chat:name:bob', 'another-server');
    bob.send('/quit');
    await bob.next({ type: 'bye' }, 'the bye after /quit');
    await bob.waitClosed('after /quit');
    const key = await cluster.nameKey('bob');
    if (key.owner !== 'another-server') {
      throw fail(cluster, {
        problem: `bob's key chat:name:bob was taken over by another server (the suite set it to "another-server"); then bob quit on server A, and the key is now ${key.owner === null ? 'gone' : JSON.stringify(key.owner)}.`,
        expected: 'the key left to its new owner: release() deletes a key only if it still holds this server\'s id (the RELEASE script), never with a bare DEL',
        see: SECTION.renew,
      });
    }
  });

  test('a name another server took over is lost at the next renewal: its user is told and disconnected, the others stay', async () => {
    const cluster = await startCluster({ servers: 1, see: SECTION.renew, leaseMs: SHORT_LEASE_MS });
    const [alice, bob] = await Promise.all([cluster.login(0, 'alice'), cluster.login(0, 'bob')]);
    // The suite plays another server that took alice's name (her lease ran out while hers stalled).
    await cluster.peek.set('chat:name:alice', 'another-server', 'PX', LONG_LEASE_MS);
    const patience = SHORT_LEASE_MS + PATIENCE_MS; // a renewal comes every third of a lease
    await alice.waitClosed('the renewal that finds her name taken', patience).catch(() => {
      throw fail(cluster, {
        problem: `The suite set alice's key chat:name:alice to "another-server" (another server took the name); ${patience} ms later, with renewals every ${SHORT_LEASE_MS / 3} ms, alice was still connected and had got ${showEvents(alice.takeUnseen())}.`,
        expected: 'alice told (an info) and disconnected: KEEP answers 0 for a key another server holds, and renew() returns the names whose answer was not 1, which the server then drops',
        see: SECTION.renew,
      });
    });
    // bob's name is still his: the renewal that dropped alice kept him (KEEP answered 1).
    await bob.sync('the reply to /users (bob still online)').catch(() => {});
    if (bob.closed) {
      throw fail(cluster, {
        problem: `alice's name was taken by another server and she was dropped; bob, whose key was untouched, was disconnected at the same renewal (he got ${showEvents(bob.events.slice(-3))}).`,
        expected: 'bob kept online: renew() returns only the names whose KEEP answered 0, not every name it was given',
        see: SECTION.renew,
      });
    }
  });

  test('rooms and away/busy across servers: a room is one room on every server', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.pubsub, leaseMs: LONG_LEASE_MS, features: ['rooms', 'status'] });
    const [alice, bob, carol] = await Promise.all([cluster.login(0, 'alice'), cluster.login(1, 'bob'), cluster.login(1, 'carol')]);
    await waitForUsers(cluster, alice, ['bob', 'carol'], SECTION.pubsub);
    const awaitEvent = async (c: TestClient, match: Record<string, unknown>, what: string) => {
      await c.next(match, what).catch(() => {
        throw fail(cluster, { problem: `${c.label} waited for ${what}; it got ${showEvents(c.takeUnseen())}.`, expected: JSON.stringify(match), see: SECTION.pubsub });
      });
    };
    bob.send('/join games');
    await awaitEvent(bob, { type: 'room', room: 'games', users: ['bob'] }, 'the room event after /join games');
    await awaitEvent(alice, { type: 'leave', user: 'bob', reason: 'moved', room: 'lobby' }, 'bob leaving the lobby for another room, on another server');
    alice.send('/join games');
    await awaitEvent(alice, { type: 'room', room: 'games', users: ['alice', 'bob'] }, 'the room event listing bob, who is on another server');
    await awaitEvent(bob, { type: 'join', user: 'alice', room: 'games' }, 'alice joining games from another server');
    carol.send('lobby only');
    bob.send('games only');
    await awaitEvent(alice, { type: 'chat', from: 'bob', text: 'games only', room: 'games' }, 'bob\'s chat in games');
    alice.send('/away lunch');
    await awaitEvent(bob, { type: 'status', user: 'alice', status: 'away', note: 'lunch' }, 'alice\'s status, from another server');
    carol.send('/rooms');
    await awaitEvent(carol, { type: 'rooms', rooms: [{ name: 'games', users: 2 }, { name: 'lobby', users: 1 }] }, 'the rooms of both servers');
    const heard = (await alice.sync()).filter((e) => e.type === 'chat' && e.from === 'carol');
    if (heard.length > 0) {
      throw fail(cluster, { problem: `carol said "lobby only" in the lobby; alice, in games on another server, got ${showEvents(heard)}.`, expected: 'nothing: chat stays in its room on every server', see: SECTION.pubsub });
    }
  });

  test('history lives in Redis: a user of another server, or of a server started later, gets the room\'s last messages', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.pubsub, leaseMs: LONG_LEASE_MS, features: ['rooms', 'history'] });
    // alice is alone on her server: her chat goes to no socket there (no write to commit
    // before), and must still be shared. The barrier is Redis itself, not a reply to alice.
    const alice = await cluster.login(0, 'alice');
    for (const text of ['h1', 'h2', 'h3']) alice.send(text);
    const deadline = Date.now() + PATIENCE_MS;
    let stored = 0;
    while ((stored = await cluster.peek.llen('chat:history:lobby')) < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25)); // a poll of Redis
    }
    if (stored < 3) {
      throw fail(cluster, {
        problem: `alice, alone on server A, said h1, h2, h3; after ${PATIENCE_MS} ms the Redis list chat:history:lobby held ${stored} messages.`,
        expected: 'all three, committed to Redis at once, though nobody on server A heard them',
        see: SECTION.pubsub,
      });
    }
    const texts = (e: Received | undefined) => (e?.type === 'history' ? e.messages.map((m) => m.text).join(',') : 'no history event');
    const historyAfterWelcome = async (c: TestClient, where: string) => {
      await c.sync(`the reply to /users (the suite's barrier: what came after ${c.label}'s welcome has arrived)`);
      const at = c.events.findIndex((e) => e.type === 'welcome');
      const history = c.events[at + 1];
      if (texts(history) !== 'h1,h2,h3') {
        throw fail(cluster, {
          problem: `alice said h1, h2, h3 in the lobby on server A; ${c.label} logged in on ${where} and got after its welcome: ${history ? showEvents([history]) : 'nothing'}.`,
          expected: 'a history event with h1, h2, h3: with --redis, history is kept in Redis and every server hears what the others commit',
          see: SECTION.pubsub,
        });
      }
    };
    await historyAfterWelcome(await cluster.login(1, 'bob'), 'server B');
    const later = await cluster.addServer();
    await historyAfterWelcome(await cluster.login(later, 'carol'), `${cluster.label(later)}, started after the messages were said`);
  });

  test('registered names live in Redis: registered on server A, the password is asked and checked on server B; Redis keeps no password', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.pubsub, leaseMs: LONG_LEASE_MS, features: ['auth'] });
    const password = 'correct horse';
    const [alice, bob] = [await cluster.login(0, 'alice'), await cluster.login(1, 'bob')];
    alice.send(`/register ${password}`);
    await alice.next({ type: 'info' }, 'the info that alice is registered, on server A');
    alice.send('/quit');
    await bob.next({ type: 'leave', user: 'alice' }, 'alice leaving, seen on server B');
    // On server B, one try with a wrong password and one with the right one, at once.
    const attempt = async (label: string, tried: string) => {
      const client = await cluster.connect(1, label);
      client.send('ALICE');
      const asked = await client.next(() => true, `the answer to the name "ALICE" on server B`);
      if (asked.type !== 'password') {
        throw fail(cluster, {
          problem: `alice registered on server A and quit; ${label} sent "ALICE" to server B and got ${showEvents([asked])}.`,
          expected: 'a password event: with --redis, registered names live in Redis (chat:account:alice), so every server knows them',
          see: SECTION.pubsub,
        });
      }
      client.send(tried);
      return client.next((e) => e.type === 'welcome' || e.type === 'error', `the answer to ${label}'s password on server B`, PATIENCE_MS + 500);
    };
    const [wrong, right] = await Promise.all([attempt('guesser', 'wrong guess'), attempt('alice again', password)]);
    if (wrong.type !== 'error' || wrong.code !== 'AUTH_FAILED' || right.type !== 'welcome' || right.user !== 'alice') {
      throw fail(cluster, {
        problem: `alice registered on server A with "${password}"; on server B, a wrong password got ${showEvents([wrong])} and the right one got ${showEvents([right])}.`,
        expected: 'error AUTH_FAILED for the wrong one, welcome as alice for the right one: server B checks the hash server A stored in Redis',
        see: SECTION.pubsub,
      });
    }
    const stored = (await cluster.peek.get('chat:account:alice')) ?? '';
    const forms = [password, Buffer.from(password).toString('hex'), Buffer.from(password).toString('base64')];
    if (stored === '' || forms.some((f) => stored.includes(f))) {
      throw fail(cluster, {
        problem: `alice registered with "${password}"; Redis holds under chat:account:alice: ${stored === '' ? 'nothing' : stored}.`,
        expected: 'her row: the name, a salt, a scrypt hash and its cost, never the password (lesson 15)',
        see: SECTION.pubsub,
      });
    }
  });

  test('a server killed with SIGKILL: its users leave the others, and its names come free', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.lease, leaseMs: SHORT_LEASE_MS });
    const doomed = await cluster.spawnServer('server K');
    const [alice, bob] = await Promise.all([cluster.login(0, 'alice'), cluster.login(1, 'bob')]);
    const victims = await Promise.all(['kim', 'kai'].map(async (name) => {
      const c = await connectTo(cluster, doomed.port, 'server K', name);
      c.send(name);
      await c.next({ type: 'welcome' }, `the welcome of ${name} on server K`);
      return c;
    }));
    await waitForUsers(cluster, alice, ['bob', 'kim', 'kai'], SECTION.pubsub);
    await waitForUsers(cluster, bob, ['alice', 'kim', 'kai'], SECTION.pubsub);
    alice.takeUnseen();
    bob.takeUnseen();
    await doomed.program.stop(); // SIGKILL: no goodbye, no clean-up
    for (const v of victims) v.close();
    const patience = SHORT_LEASE_MS * 2 + PATIENCE_MS;
    for (const c of [alice, bob]) {
      for (const name of ['kim', 'kai']) {
        await c.next({ type: 'leave', user: name }, `${name}'s leave after server K was killed`, patience).then((e) => {
          if (e.type === 'leave' && e.reason !== 'disconnect') throw fail(cluster, { problem: `${c.label} got ${showEvents([e])}.`, expected: 'reason disconnect', see: SECTION.lease });
        }, () => {
          throw fail(cluster, {
            problem: `server K, with kim and kai on it, was killed with SIGKILL. After ${patience} ms, ${c.label} had got ${showEvents(c.takeUnseen())}.`,
            expected: `leave for kim and for kai (reason disconnect) within the lease (${SHORT_LEASE_MS} ms) and a renewal: a server that no longer says it is alive is gone`,
            see: SECTION.lease,
          });
        });
      }
    }
    await waitForNameFree(cluster, 'kim', patience, `server K, where kim was, was killed with SIGKILL; its lease was ${SHORT_LEASE_MS} ms.`, SECTION.lease);
    const kim = await cluster.connect(0, 'kim (again, on A)');
    kim.send('kim');
    const answer = await kim.next((e) => e.type === 'welcome' || e.type === 'error', 'the answer to the name kim on server A');
    if (answer.type !== 'welcome') {
      throw fail(cluster, { problem: `kim's server was killed and her key is gone; logging in as kim on server A got ${showEvents([answer])}.`, expected: 'welcome', see: SECTION.lease });
    }
  });

  test('Redis killed and started again: the servers say so, serve their own users meanwhile, and recover', async () => {
    const cluster = await startCluster({ servers: 2, see: SECTION.away, leaseMs: SHORT_LEASE_MS });
    const [alice, amy, bob] = await Promise.all([cluster.login(0, 'alice'), cluster.login(0, 'amy'), cluster.login(1, 'bob')]);
    await waitForUsers(cluster, alice, ['amy', 'bob'], SECTION.pubsub);
    for (const c of [alice, amy, bob]) c.takeUnseen();
    await cluster.redis.kill();
    for (const c of [alice, bob]) {
      await c.next((e) => e.type === 'info' && /redis/i.test(e.text), 'an info that Redis is away', DEADLINES.step).catch(() => {
        throw fail(cluster, { problem: `Redis was killed; ${c.label} got ${showEvents(c.takeUnseen())}.`, expected: 'an info event saying that Redis is away', see: SECTION.away });
      });
    }
    alice.send('still here?');
    await amy.next({ type: 'chat', from: 'alice', text: 'still here?' }, 'alice\'s chat on the same server while Redis is away');
    await cluster.redis.restart();
    for (const c of [alice, amy, bob]) {
      await c.next((e) => e.type === 'info' && /redis/i.test(e.text), 'an info that Redis is back', DEADLINES.step).catch(() => {
        throw fail(cluster, { problem: `Redis was started again; ${c.label} got ${showEvents(c.takeUnseen())}.`, expected: 'an info event saying that Redis is back', see: SECTION.away });
      });
    }
    // The new Redis is empty: every name online must be claimed again.
    const deadline = Date.now() + DEADLINES.step;
    for (const name of ['alice', 'amy', 'bob']) {
      let key = await cluster.nameKey(name);
      while (key.pttl < 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25)); // a poll of Redis
        key = await cluster.nameKey(name);
      }
      if (key.pttl < 0) {
        throw fail(cluster, {
          problem: `Redis came back empty, and ${DEADLINES.step} ms later ${name}'s key is ${key.pttl === -2 ? 'still missing' : 'there without expiry'}, while ${name} is online.`,
          expected: 'the name claimed again: renew() runs KEEP, which takes back a key Redis has lost (a bare PEXPIRE answers 0 for a missing key)',
          see: SECTION.renew,
        });
      }
    }
    await waitForUsers(cluster, bob, ['alice', 'amy'], SECTION.away);
    bob.send('one chat again');
    for (const c of [alice, amy]) {
      await c.next({ type: 'chat', from: 'bob', text: 'one chat again' }, 'bob\'s chat after Redis came back').catch(() => {
        throw fail(cluster, { problem: `After Redis came back, bob (server B) said "one chat again"; ${c.label} (server A) got ${showEvents(c.takeUnseen())}${c.closed ? ' and was disconnected' : ''}.`, expected: 'the chat: the servers subscribe again and publish again', see: SECTION.away });
      });
    }
  });
});
