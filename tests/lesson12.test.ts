// Lesson 12: the student's Rooms (starter/server/rooms.ts) inside the reference server,
// with the rooms extension on: who hears chat, joins and leaves, moves, room names, the
// lobby, /rooms and the presence limit. Everything else is the reference.
//
// What did NOT arrive is proven with a barrier: client.sync() sends /users, and everything
// the server sent that client before the reply has arrived by then.

import { describe, test } from 'vitest';
import type { ServerOptions } from '../app/server/types.js';
import { startChat, type Chat } from './harness/chat.js';
import { fail } from './harness/teach.js';
import { matches, showEvents, type Received, type TestClient } from './harness/test-client.js';

const lesson = (heading: string) => `12 (npm run lesson 12), section "${heading}"`;
const SECTION = {
  who: lesson('A broadcast is a question of who'),
  map: lesson('One map beside the registry'),
  names: lesson('Room names are untrusted input'),
  move: lesson('A move is one step'),
  vanish: lesson('Empty rooms vanish; the lobby stays'),
  rooms: lesson('/rooms: a list for a person'),
  limit: lesson('The presence limit'),
};

async function roomsChat(see: string, options: Partial<ServerOptions> = {}): Promise<Chat> {
  return startChat({ mine: ['Rooms'], see, options: { features: ['rooms'], ...options } });
}

/** Everything `client` got since its last check, proven complete by a barrier. */
function heard(client: TestClient): Promise<Received[]> {
  return client.sync(`the reply to /users (the suite's barrier, to see what else reached ${client.label})`);
}

/**
 * Moves `client` and waits for its `room` event (or fails with what it got instead).
 * The mover must hear neither its own leave nor its own join on the way.
 */
async function move(chat: Chat, client: TestClient, line: string, room: string, see = SECTION.move, why = 'the mover is told where it is now'): Promise<Received> {
  client.takeUnseen();
  const from = client.events.length;
  client.send(line);
  const reply = await client.next((e) => e.type === 'room' || e.type === 'error' || e.type === 'info', `the answer to "${line}"`);
  if (!matches(reply, { type: 'room', room })) {
    throw fail(chat, {
      problem: `${client.label} sent "${line}" and got ${showEvents([reply])}.`,
      expected: `{ type: "room", room: "${room}", users: [...] }: ${why}`,
      see,
    });
  }
  const own = client.events.slice(from).filter((e) => (e.type === 'leave' || e.type === 'join') && e.user === client.label);
  if (own.length > 0) {
    throw fail(chat, {
      problem: `${client.label} sent "${line}"; on the way it got ${showEvents(own)}.`,
      expected: 'no leave or join of its own: take the mover out of the old room before telling it, and tell the new room except the mover',
      see: SECTION.move,
    });
  }
  return reply;
}

/** True when an event carries a text for people that is not empty. */
function hasText(event: Received): boolean {
  const { text } = event as { text?: unknown };
  return typeof text === 'string' && text !== '';
}

/** Logs in `names` and waits until each has seen the later ones join (the lobby is small). */
async function lobbyOf(chat: Chat, names: string[]): Promise<TestClient[]> {
  const users: TestClient[] = [];
  for (const name of names) users.push(await chat.login(name));
  for (const [i, user] of users.entries()) {
    for (const later of names.slice(i + 1)) await user.next({ type: 'join', user: later }, `the join of ${later}`);
  }
  return users;
}

describe('lesson 12: rooms', () => {
  test('a new user is in the lobby: welcome says room "lobby", /rooms lists it', async () => {
    const chat = await roomsChat(SECTION.map);
    const alice = await chat.login('alice');
    const welcome = alice.events.find((e) => e.type === 'welcome')!;
    if (!matches(welcome, { room: 'lobby', users: ['alice'] })) {
      throw fail(chat, {
        problem: `alice logged in; her welcome was ${showEvents([welcome])}.`,
        expected: 'a welcome with room: "lobby" and users: ["alice"]: enter() puts a new user in the lobby, and roomOf() and listing() report it',
        see: SECTION.map,
      });
    }
    alice.takeUnseen();
    alice.send('/rooms');
    const got = await heard(alice);
    if (got.length !== 1 || !matches(got[0]!, { type: 'rooms', rooms: [{ name: 'lobby', users: 1 }] })) {
      throw fail(chat, {
        problem: `alice sent "/rooms" and got ${showEvents(got)}.`,
        expected: `exactly one event, { type: "rooms", rooms: [{ name: "lobby", users: 1 }] }${got.some((e) => e.type === 'error') ? ': command() must return true for /rooms, or the server passes the line on to lesson 6, which answers UNKNOWN_COMMAND' : ''}`,
        see: SECTION.rooms,
      });
    }
  });

  test('two rooms of 10: chat never crosses rooms, whispers do', async () => {
    const chat = await roomsChat(SECTION.who);
    const names = Array.from({ length: 20 }, (_, i) => `${i < 10 ? 'red' : 'blue'}${i % 10}`);
    const users = await chat.loginAll(names);
    for (const user of users) await move(chat, user, `/join ${user.label.replace(/\d/, '')}`, user.label.replace(/\d/, ''));
    for (const user of users) user.send(`hello from ${user.label}`);
    // Each one's barrier proves its own chat line was handled; a second round then proves
    // every line sent to each of them has arrived.
    const first = await Promise.all(users.map((u) => heard(u)));
    for (const [i, user] of users.entries()) {
      const room = user.label.replace(/\d/, '');
      const got = [...first[i]!, ...(await heard(user))].filter((e) => e.type === 'chat');
      const crossed = got.filter((e) => !String(e.from).startsWith(room));
      const expectedFrom = names.filter((n) => n.startsWith(room) && n !== user.label);
      const from = got.map((e) => String(e.from));
      if (crossed.length > 0 || expectedFrom.some((n) => !from.includes(n))) {
        throw fail(chat, {
          problem: `Ten users in "red" and ten in "blue" each sent one chat line. ${user.label} (in ${room}) got chats from ${from.join(', ') || 'nobody'}.`,
          expected: `chat from the 9 others in ${room} only: chat never crosses rooms. tell(room, ...) sends to the members of that one room`,
          see: SECTION.who,
        });
      }
      const wrongRoom = got.find((e) => e.room !== room);
      if (wrongRoom) {
        throw fail(chat, { problem: `${user.label} (in ${room}) got ${showEvents([wrongRoom])}.`, expected: `every chat with room: "${room}"`, see: SECTION.who });
      }
    }
    const [red0] = users;
    const blue0 = users[10]!;
    red0!.send('/whisper blue0 across the hall');
    const whisper = await blue0.next({ type: 'whisper' }, 'the whisper from red0 in another room');
    if (!matches(whisper, { from: 'red0', to: 'blue0', text: 'across the hall' })) {
      throw fail(chat, { problem: `red0 whispered to blue0 (in blue); blue0 got ${showEvents([whisper])}.`, expected: 'the whisper: whispers reach their recipient in any room', see: SECTION.who });
    }
  });

  test('a move is seen by both rooms, in order, and the mover sees neither its leave nor its join', async () => {
    const chat = await roomsChat(SECTION.move);
    const [alice, bob, carol] = await lobbyOf(chat, ['alice', 'bob', 'carol']);
    await move(chat, carol!, '/join games', 'games');
    await bob!.next({ type: 'leave', user: 'carol' }, 'the leave of carol');
    await alice!.next({ type: 'leave', user: 'carol' }, 'the leave of carol');

    const room = await move(chat, alice!, '/join games', 'games');
    alice!.send('here now');
    const toOld = await heard(bob!);
    const toNew = await heard(carol!);
    const own = (await heard(alice!)).filter((e) => e.type !== 'room');
    const leave = { type: 'leave', user: 'alice', reason: 'moved', room: 'lobby' };
    if (toOld.length !== 1 || !matches(toOld[0]!, leave)) {
      throw fail(chat, {
        problem: `alice, bob and carol; carol went to games, then alice sent "/join games" and then "here now". bob, left in the lobby, got ${showEvents(toOld)}.`,
        expected: `${JSON.stringify(leave)} and nothing else: the old room hears leave with reason "moved", and alice's chat is no longer theirs`,
        see: SECTION.move,
      });
    }
    const join = { type: 'join', user: 'alice', room: 'games' };
    const chatLine = { type: 'chat', from: 'alice', text: 'here now', room: 'games' };
    if (toNew.length !== 2 || !matches(toNew[0]!, join) || !matches(toNew[1]!, chatLine)) {
      throw fail(chat, {
        problem: `alice sent "/join games" and then "here now"; carol, in games, got ${showEvents(toNew)}.`,
        expected: `${JSON.stringify(join)}, then ${JSON.stringify(chatLine)}: the join comes before anything alice says in her new room`,
        see: SECTION.move,
      });
    }
    if (own.some((e) => e.type === 'leave' || e.type === 'join')) {
      throw fail(chat, {
        problem: `alice sent "/join games"; besides her room event she got ${showEvents(own)}.`,
        expected: 'no leave or join of its own: take her out of the old room before telling it, and tell the new room except her',
        see: SECTION.move,
      });
    }
    const lobbyList = bob!.events[bob!.events.length - 1]!; // the reply to the barrier's /users
    if (!matches(lobbyList, { type: 'users', users: ['bob'] })) {
      throw fail(chat, {
        problem: `carol, then alice, moved from the lobby to games; bob, left in the lobby, sent /users and got ${showEvents([lobbyList])}.`,
        expected: 'users: ["bob"]: take() removes the mover from the room\'s sorted names as well as from its members (find the name with sortedIndex() and splice it out)',
        see: SECTION.map,
      });
    }
    if (!matches(room, { users: ['alice', 'carol'] }) || 'count' in room) {
      throw fail(chat, { problem: `alice moved to games (where carol is); her room event was ${showEvents([room])}.`, expected: '{ type: "room", room: "games", users: ["alice", "carol"] }: the members, sorted, the mover included, and no count (the list is not cut)', see: SECTION.move });
    }
  });

  test('room names: "#Games", "GAMES" and "games" are one room', async () => {
    const chat = await roomsChat(SECTION.names);
    const [alice, bob] = await lobbyOf(chat, ['alice', 'bob']);
    const rule = 'a leading # is dropped, and names are lower-cased once checked';
    await move(chat, alice!, '/join #Games', 'games', SECTION.names, rule);
    const room = await move(chat, bob!, '/join GAMES', 'games', SECTION.names, rule);
    if (!matches(room, { users: ['alice', 'bob'] })) {
      throw fail(chat, {
        problem: `alice sent "/join #Games", then bob "/join GAMES"; bob got ${showEvents([room])}.`,
        expected: '{ type: "room", room: "games", users: ["alice", "bob"] }: a leading # is dropped and names are lower-cased, so both are in games',
        see: SECTION.names,
      });
    }
  });

  test.each([
    ['/join', 'USAGE', 'the room name is missing'],
    ['/join #', 'INVALID_ROOM', 'nothing is left after the #'],
    ['/join two words', 'INVALID_ROOM', 'a space is not allowed'],
    ['/join abcdefghijklmnopqrstu', 'INVALID_ROOM', 'it is 21 characters (at most 20)'],
    ['/join café', 'INVALID_ROOM', '"é" is not among a-z 0-9 _ -'],
    ['/join \u212a', 'INVALID_ROOM', 'U+212A is the Kelvin sign, which lower-cases to a plain "k": check the name as typed, before you lower-case it'],
    ['/join ../lobby', 'INVALID_ROOM', 'dots and slashes are not allowed'],
  ])('"%s" → error %s; nothing moves', async (line, code, why) => {
    const chat = await roomsChat(SECTION.names);
    const [alice, bob] = await lobbyOf(chat, ['alice', 'bob']);
    alice!.takeUnseen();
    alice!.send(line);
    const got = await heard(alice!);
    if (got.length !== 1 || !matches(got[0]!, { type: 'error', code })) {
      throw fail(chat, { problem: `alice sent ${JSON.stringify(line)} and got ${showEvents(got)}.`, expected: `exactly one event, { type: "error", code: "${code}", ... }, because ${why}`, see: SECTION.names });
    }
    if (!hasText(got[0]!)) {
      throw fail(chat, {
        problem: `alice sent ${JSON.stringify(line)} and got ${showEvents(got)}: an error without a text.`,
        expected: `a text for the person who typed it, e.g. ${code === 'USAGE' ? '"Usage: /join <room>"' : '"Room names are 1 to 20 characters from a-z, 0-9, _ and -."'}: the code is for programs, the text for people`,
        see: SECTION.names,
      });
    }
    const other = await heard(bob!);
    if (other.length > 0) {
      throw fail(chat, { problem: `alice sent ${JSON.stringify(line)}; bob got ${showEvents(other)}.`, expected: 'nothing: a refused /join moves nobody', see: SECTION.names });
    }
  });

  test('joining the room you are in → info, and nobody hears a thing', async () => {
    const chat = await roomsChat(SECTION.move);
    const [alice, bob] = await lobbyOf(chat, ['alice', 'bob']);
    alice!.takeUnseen();
    alice!.send('/join lobby');
    const got = await heard(alice!);
    const other = await heard(bob!);
    if (got.length !== 1 || got[0]!.type !== 'info' || !hasText(got[0]!) || other.length > 0) {
      throw fail(chat, {
        problem: `alice, in the lobby, sent "/join lobby". alice got ${showEvents(got)}; bob got ${showEvents(other)}.`,
        expected: 'one info event for alice, with a text for her (e.g. "You are already in #lobby."), and nothing for bob: joining the room you are in is not a move',
        see: SECTION.move,
      });
    }
  });

  test('empty rooms vanish, the lobby stays; /rooms is sorted by name', async () => {
    const chat = await roomsChat(SECTION.vanish);
    const alice = await chat.login('alice');
    const bob = await chat.login('bob');
    await move(chat, alice, '/join zoo', 'zoo');
    await move(chat, bob, '/join games', 'games');
    const rooms = async (who: TestClient) => {
      who.takeUnseen();
      who.send('/rooms');
      return who.next((e) => e.type === 'rooms' || e.type === 'error', 'the answer to /rooms');
    };
    const quit = async (who: TestClient) => {
      who.send('/quit');
      await who.waitClosed('after /quit');
    };
    const check = async (asker: TestClient, story: string, rooms: { name: string; users: number }[], why: string) => {
      const expected = { type: 'rooms', rooms };
      const got = await roomsOf(asker);
      if (!matches(got, expected)) {
        throw fail(chat, { problem: `${story}; /rooms gave ${showEvents([got])}.`, expected: `${JSON.stringify(expected)}: ${why}`, see: SECTION.vanish });
      }
    };
    const roomsOf = rooms;
    let story = 'alice went to zoo, bob to games: nobody is in the lobby';
    await check(alice, story, [{ name: 'games', users: 1 }, { name: 'lobby', users: 0 }, { name: 'zoo', users: 1 }], 'sorted by name, and the lobby listed even when empty: it always exists');
    await move(chat, alice, '/join games', 'games');
    story += '; then alice moved from zoo to games';
    await check(alice, story, [{ name: 'games', users: 2 }, { name: 'lobby', users: 0 }], 'zoo is empty, so it is gone: take() deletes a room once its last member leaves (but never the lobby)');
    const carol = await chat.login('carol');
    await quit(bob);
    await quit(alice);
    story += '; carol logged in, and bob and alice quit';
    await check(carol, story, [{ name: 'lobby', users: 1 }], 'games emptied when its last member quit (exit() takes them out the same way as a move)');
  });

  test('a user who hangs up: only their room hears the leave, with the room', async () => {
    const chat = await roomsChat(SECTION.who);
    const [alice, bob, carol] = await lobbyOf(chat, ['alice', 'bob', 'carol']);
    await move(chat, alice!, '/join games', 'games');
    await move(chat, bob!, '/join games', 'games');
    carol!.takeUnseen();
    alice!.takeUnseen();
    bob!.close();
    const leave = await alice!.next({ type: 'leave' }, 'the leave of bob');
    const lobby = await heard(carol!);
    if (!matches(leave, { user: 'bob', reason: 'disconnect', room: 'games' }) || lobby.length > 0) {
      throw fail(chat, {
        problem: `alice and bob in games, carol in the lobby; bob hung up. alice got ${showEvents([leave])}; carol got ${showEvents(lobby)}.`,
        expected: 'alice: { type: "leave", user: "bob", reason: "disconnect", room: "games" }; carol: nothing (exit() returns the room bob was in, and only it is told)',
        see: SECTION.who,
      });
    }
  });

  describe('the presence limit (3 here, 500 by default)', () => {
    const limit = { presenceLimit: 3 };

    test('a room over the limit sends no join or leave, before and after alike, and still carries chat', async () => {
      const chat = await roomsChat(SECTION.limit, limit);
      const [alice] = await lobbyOf(chat, ['alice', 'bob', 'carol']); // 3: at the limit, joins sent
      const dave = await chat.login('dave'); // 4: over it
      const heardJoin = await heard(alice!);
      if (heardJoin.some((e) => e.type === 'join')) {
        throw fail(chat, {
          problem: `The limit is 3. alice, bob and carol are in the lobby; dave logged in (4). alice got ${showEvents(heardJoin)}.`,
          expected: 'no join: after it, the room holds 4, more than the limit. tell() sends a join only while the room, counting the newcomer, is within the limit',
          see: SECTION.limit,
        });
      }
      dave.send('anyone here?');
      const heardChat = await heard(alice!);
      if (!heardChat.some((e) => matches(e, { type: 'chat', from: 'dave', text: 'anyone here?' }))) {
        throw fail(chat, {
          problem: `The limit is 3. alice, bob, carol and dave are in the lobby (4); dave said "anyone here?" and alice got ${showEvents(heardChat)}.`,
          expected: 'dave\'s chat: the limit is about join and leave only. tell() checks it for those two types, and every other event reaches the whole room',
          see: SECTION.limit,
        });
      }
      dave.send('/quit');
      await dave.waitClosed('after /quit');
      const heardLeave = await heard(alice!);
      if (heardLeave.some((e) => e.type === 'leave')) {
        throw fail(chat, {
          problem: `The limit is 3. Four were in the lobby and dave quit (4 → 3). alice got ${showEvents(heardLeave)}.`,
          expected: 'no leave: before it the room held 4. A leave is told after the member went, so count it back in (size + 1): the limit holds for before and after',
          see: SECTION.limit,
        });
      }
    });

    test('at the limit, lists are whole and join and leave are still sent', async () => {
      const chat = await roomsChat(SECTION.limit, limit);
      const [alice, , carol] = await lobbyOf(chat, ['alice', 'bob', 'carol']);
      const welcome = carol!.events.find((e) => e.type === 'welcome')!;
      if (!matches(welcome, { users: ['alice', 'bob', 'carol'] }) || 'count' in welcome) {
        throw fail(chat, {
          problem: `The limit is 3; alice and bob are in the lobby and carol logs in (3). Her welcome was ${showEvents([welcome])}.`,
          expected: 'users: ["alice", "bob", "carol"] and no count: a list of exactly the limit is not cut (names.length <= presenceLimit)',
          see: SECTION.limit,
        });
      }
      carol!.send('/quit');
      const leave = await alice!.next({ type: 'leave' }, 'the leave of carol (3 → 2: within the limit)');
      if (!matches(leave, { user: 'carol', room: 'lobby' })) {
        throw fail(chat, { problem: `The limit is 3; carol quit a lobby of 3. alice got ${showEvents([leave])}.`, expected: 'the leave of carol, with room "lobby"', see: SECTION.limit });
      }
    });

    test('lists of a room over the limit are cut to the first names, sorted, with count', async () => {
      const chat = await roomsChat(SECTION.limit, limit);
      await chat.loginAll(['dora', 'carl', 'bea']);
      const amy = await chat.login('amy');
      const welcome = amy.events.find((e) => e.type === 'welcome')!;
      const cut = { users: ['amy', 'bea', 'carl'], count: 4 };
      if (!matches(welcome, cut)) {
        throw fail(chat, {
          problem: `The limit is 3; dora, carl and bea are in the lobby and amy logs in. Her welcome was ${showEvents([welcome])}.`,
          expected: `users: ["amy", "bea", "carl"], count: 4: the first 3 names in sorted order (listing() cuts the sorted names) and the room's true size`,
          see: SECTION.limit,
        });
      }
      const users = (await amy.sync('the reply to /users')) && amy.events[amy.events.length - 1]!;
      if (!matches(users, cut)) {
        throw fail(chat, { problem: `amy sent /users in the lobby of 4; she got ${showEvents([users])}.`, expected: `users ${JSON.stringify(cut.users)} and count 4, as in the welcome`, see: SECTION.limit });
      }
      amy.send('/join tiny');
      const room = await amy.next({ type: 'room' }, 'the room event after /join tiny');
      if (!matches(room, { room: 'tiny', users: ['amy'] }) || 'count' in room) {
        throw fail(chat, { problem: `amy moved to the empty room tiny; she got ${showEvents([room])}.`, expected: '{ type: "room", room: "tiny", users: ["amy"] } with no count: only a cut list carries count', see: SECTION.limit });
      }
    });
  });
});
