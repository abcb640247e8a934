// Lesson 13: the student's Statuses (starter/server/statuses.ts) inside the reference
// server, with rooms and status on: /away /busy /back, the `status` event, the `statuses`
// field of welcome, users and room, and the notice to whoever whispers to someone away.
//
// What did NOT arrive is proven with a barrier: client.sync() sends /users, and everything
// the server sent that client before the reply has arrived by then.

import { describe, test } from 'vitest';
import type { Feature } from '../app/protocol.js';
import { startChat, type Chat } from './harness/chat.js';
import { fail } from './harness/teach.js';
import { matches, showEvents, type Received, type TestClient } from './harness/test-client.js';

const lesson = (heading: string) => `13 (npm run lesson 13), section "${heading}"`;
const SECTION = {
  command: lesson('A command: /away, /busy, /back'),
  note: lesson('The note is untrusted text'),
  event: lesson('An event: status, to the room'),
  field: lesson('A field: statuses'),
  whisper: lesson('A notice for whispers'),
};

async function statusChat(see: string, features: Feature[] = ['rooms', 'status']): Promise<Chat> {
  return startChat({ mine: ['Statuses'], see, options: { features } });
}

/** Everything `client` got since its last check, proven complete by a barrier. */
function heard(client: TestClient): Promise<Received[]> {
  return client.sync(`the reply to /users (the suite's barrier, to see what else reached ${client.label})`);
}

/** The `users` reply to a /users sent now. */
async function usersOf(client: TestClient): Promise<Received> {
  await client.sync('the reply to /users');
  return client.events[client.events.length - 1]!;
}

/** Logs in `names` and waits until each has seen the later ones join. */
async function together(chat: Chat, names: string[]): Promise<TestClient[]> {
  const users: TestClient[] = [];
  for (const name of names) users.push(await chat.login(name));
  for (const [i, user] of users.entries()) {
    for (const later of names.slice(i + 1)) await user.next({ type: 'join', user: later }, `the join of ${later}`);
  }
  return users;
}

/** `line` from `who`; returns what `who` and each of `others` heard (a barrier each). */
async function after(who: TestClient, line: string, others: TestClient[]): Promise<Received[][]> {
  for (const c of [who, ...others]) c.takeUnseen();
  who.send(line);
  const own = await heard(who);
  return [own, ...(await Promise.all(others.map((o) => heard(o))))];
}

describe('lesson 13: away and busy', () => {
  test('/away lunch: the room hears status away with the note, the user included; another room does not', async () => {
    const chat = await statusChat(SECTION.event);
    const [alice, bob, carol] = await together(chat, ['alice', 'bob', 'carol']);
    carol!.send('/join games');
    await carol!.next({ type: 'room' }, 'the room event after /join games');
    const [own, other, away] = await after(alice!, '/away lunch', [bob!, carol!]);
    const expected = { type: 'status', user: 'alice', status: 'away', note: 'lunch' };
    if (other!.length !== 1 || !matches(other![0]!, expected)) {
      throw fail(chat, { problem: `alice sent "/away lunch"; bob, in her room, got ${showEvents(other!)}.`, expected: `${JSON.stringify(expected)}`, see: SECTION.event });
    }
    if (own.length !== 1 || !matches(own[0]!, expected)) {
      throw fail(chat, {
        problem: `alice sent "/away lunch" and got ${showEvents(own)}.`,
        expected: `the same ${JSON.stringify(expected)}: everyone in the room, the user included, hears it (broadcast without an exception)`,
        see: SECTION.event,
      });
    }
    if (away!.length > 0) {
      throw fail(chat, { problem: `alice sent "/away lunch"; carol, in another room, got ${showEvents(away!)}.`, expected: 'nothing: ctx.registry is the room, so its broadcast stays in it', see: SECTION.event });
    }
  });

  test('/BUSY without a note has no note field; "/back from lunch" says online, with no note', async () => {
    const chat = await statusChat(SECTION.command);
    const [alice, bob] = await together(chat, ['alice', 'bob']);
    const [, busy] = await after(alice!, '/BUSY', [bob!]);
    if (busy!.length !== 1 || !matches(busy![0]!, { type: 'status', user: 'alice', status: 'busy' }) || 'note' in busy![0]!) {
      throw fail(chat, {
        problem: `alice sent "/BUSY"; bob got ${showEvents(busy!)}.`,
        expected: '{ type: "status", user: "alice", status: "busy" }, with no note field at all: an empty note is none (command names in lower case, as ever)',
        see: SECTION.command,
      });
    }
    const [, back] = await after(alice!, '/back from lunch', [bob!]);
    if (back!.length !== 1 || !matches(back![0]!, { type: 'status', user: 'alice', status: 'online' }) || 'note' in back![0]!) {
      throw fail(chat, {
        problem: `alice sent "/back from lunch"; bob got ${showEvents(back!)}.`,
        expected: '{ type: "status", user: "alice", status: "online" } and no note field: /back takes no note, so the words after it are ignored',
        see: SECTION.command,
      });
    }
  });

  test.each([
    ['with control characters', '/away \u0007 \u001b[31mred\u0007 tape \u0007', '[31mred tape', 'control characters stripped, THEN trimmed: the spaces between the controls are left at the ends once they are gone'],
    ['of 120 emoji', '/busy ' + '😀'.repeat(120), '😀'.repeat(100), 'cut to 100 code points: an emoji is one code point but two UTF-16 code units, so cut [...note], not note.slice()'],
    ['of nothing but control characters and a space', '/away \u0007 \u0007', undefined, 'an empty note is none: nothing left after stripping and trimming, so no note field'],
  ])('a note %s', async (_label, line, note, why) => {
    const chat = await statusChat(SECTION.note);
    const [alice, bob] = await together(chat, ['alice', 'bob']);
    const [, got] = await after(alice!, line, [bob!]);
    const event = got![0];
    const ok = got!.length === 1 && event!.type === 'status' && (note === undefined ? !('note' in event!) : (event as { note?: string }).note === note);
    if (!ok) {
      throw fail(chat, {
        problem: `alice sent ${JSON.stringify(line)}; bob got ${showEvents(got!)}.`,
        expected: `a status event ${note === undefined ? 'without a note' : `with note ${JSON.stringify(note)}`}: ${why}`,
        see: SECTION.note,
      });
    }
  });

  test('statuses: welcome, users and room list who is away or busy, and nobody who is online', async () => {
    const chat = await statusChat(SECTION.field);
    const [alice, bob] = await together(chat, ['alice', 'bob']);
    const before = await usersOf(bob!);
    if (!matches(before, { statuses: {} })) {
      throw fail(chat, { problem: `alice and bob are online; bob sent /users and got ${showEvents([before])}.`, expected: 'statuses: {} (an object, empty when everyone listed is online)', see: SECTION.field });
    }
    await after(alice!, '/away lunch', [bob!]);
    await after(bob!, '/busy', []);
    const entries = { alice: { status: 'away', note: 'lunch' }, bob: { status: 'busy' } };
    const carol = await chat.login('carol');
    const welcome = carol.events.find((e) => e.type === 'welcome')!;
    if (!matches(welcome, { statuses: entries })) {
      throw fail(chat, {
        problem: `alice is away (lunch), bob is busy; carol logged in and her welcome was ${showEvents([welcome])}.`,
        expected: `statuses: ${JSON.stringify(entries)}: an entry for each listed user who is not online, and none for carol`,
        see: SECTION.field,
      });
    }
    await after(bob!, '/back', []);
    const users = await usersOf(carol);
    if (!matches(users, { statuses: { alice: entries.alice } })) {
      throw fail(chat, { problem: `Then bob sent /back; carol sent /users and got ${showEvents([users])}.`, expected: `statuses: ${JSON.stringify({ alice: entries.alice })}: bob is online again, so he has no entry`, see: SECTION.field });
    }
    alice!.send('/join games');
    await alice!.next({ type: 'room' }, 'alice\'s room event');
    carol.send('/join games');
    const room = await carol.next({ type: 'room' }, 'carol\'s room event after /join games');
    if (!matches(room, { users: ['alice', 'carol'], statuses: { alice: entries.alice } })) {
      throw fail(chat, { problem: `alice (away: lunch) went to games, then carol; carol's room event was ${showEvents([room])}.`, expected: `users ["alice", "carol"] and statuses ${JSON.stringify({ alice: entries.alice })}: the status goes with the user`, see: SECTION.field });
    }
  });

  test('a status belongs to the connection: whoever logs in next with the name starts online', async () => {
    const chat = await statusChat(SECTION.field);
    const [alice, bob] = await together(chat, ['alice', 'bob']);
    await after(alice!, '/away gone fishing', [bob!]);
    await after(bob!, '/busy', [alice!]);
    alice!.send('/quit');
    await alice!.waitClosed('after /quit');
    const again = await chat.login('ALICE');
    const welcome = again.events.find((e) => e.type === 'welcome')!;
    if (!matches(welcome, { statuses: { bob: { status: 'busy' } } })) {
      throw fail(chat, {
        problem: `alice went away, bob got busy, alice quit; someone logged in as ALICE and got ${showEvents([welcome])}.`,
        expected: 'statuses: {"bob":{"status":"busy"}}, and nothing for ALICE: a new login starts online. Keep statuses by connection (a WeakMap<Client, ...>), not by name',
        see: SECTION.field,
      });
    }
  });

  test('a user called __proto__ who is away is listed like anyone else', async () => {
    const chat = await statusChat(SECTION.field);
    const [proto, bob] = await together(chat, ['__proto__', 'bob']);
    await after(proto!, '/away', [bob!]);
    const users = await usersOf(bob!);
    const statuses = (users as { statuses?: unknown }).statuses;
    if (JSON.stringify(statuses) !== '{"__proto__":{"status":"away"}}') {
      throw fail(chat, {
        problem: `A user named __proto__ (a valid name) sent /away; bob sent /users and got ${showEvents([users])}.`,
        expected: 'statuses: {"__proto__":{"status":"away"}}. statuses["__proto__"] = entry sets the object\'s prototype instead of a key: build it with Object.fromEntries',
        see: SECTION.field,
      });
    }
  });

  test('a whisper to someone away is delivered, and the sender is told: info "bob is away: lunch"', async () => {
    const chat = await statusChat(SECTION.whisper);
    const [alice, bob] = await together(chat, ['alice', 'bob']);
    const [plain] = await after(alice!, '/whisper bob hi', [bob!]);
    if (plain!.some((e) => e.type === 'info')) {
      throw fail(chat, { problem: `bob is online; alice whispered to him and got ${showEvents(plain!)}.`, expected: 'only the whisper back: no notice for someone online (whisperNotice returns undefined)', see: SECTION.whisper });
    }
    await after(bob!, '/away lunch', [alice!]);
    const [own, delivered] = await after(alice!, '/whisper bob are you there?', [bob!]);
    if (!delivered!.some((e) => matches(e, { type: 'whisper', from: 'alice', text: 'are you there?' }))) {
      throw fail(chat, { problem: `bob is away; alice whispered to him and bob got ${showEvents(delivered!)}.`, expected: 'the whisper: away is not gone', see: SECTION.whisper });
    }
    if (own.length !== 2 || own[0]!.type !== 'whisper' || !matches(own[1]!, { type: 'info', text: 'bob is away: lunch' })) {
      throw fail(chat, { problem: `bob is away (lunch); alice whispered to him and got ${showEvents(own)}.`, expected: 'the whisper back, then { type: "info", text: "bob is away: lunch" }', see: SECTION.whisper });
    }
    await after(bob!, '/busy', [alice!]);
    const [busy] = await after(alice!, '/whisper bob now?', [bob!]);
    if (!busy!.some((e) => matches(e, { type: 'info', text: 'bob is busy.' }))) {
      throw fail(chat, { problem: `bob is busy (no note); alice whispered to him and got ${showEvents(busy!)}.`, expected: '{ type: "info", text: "bob is busy." }', see: SECTION.whisper });
    }
  });

  test('without rooms, the whole server is the room: everyone hears the status', async () => {
    const chat = await statusChat(SECTION.event, ['status']);
    const [alice, bob, carol] = await together(chat, ['alice', 'bob', 'carol']);
    const [, b, c] = await after(alice!, '/away', [bob!, carol!]);
    for (const [who, got] of [['bob', b!], ['carol', c!]] as const) {
      if (got.length !== 1 || !matches(got[0]!, { type: 'status', user: 'alice', status: 'away' })) {
        throw fail(chat, { problem: `Rooms are off; alice sent "/away"; ${who} got ${showEvents(got)}.`, expected: '{ type: "status", user: "alice", status: "away" }: ctx.registry.broadcast() reaches everyone when there are no rooms', see: SECTION.event });
      }
    }
  });
});
