// Lesson 6: the student's handleLine() (starter/server/commands.ts) inside the reference
// server: every command of PROTOCOL.md, chat lines, and errors that leave the connection open.
//
// Most checks end with a barrier: the suite sends /users, and everything the server sent
// before the reply has then arrived. That proves what did *not* arrive without any sleep,
// but it runs through your handleLine too: /users has to work, so its test comes first.

import { describe, test } from 'vitest';
import { TEXTS } from '../app/protocol.js';
import { startChat, type Chat } from './harness/chat.js';
import { importMine } from './harness/mine.js';
import { fail } from './harness/teach.js';
import { matches, showEvents, type Received, type TestClient } from './harness/test-client.js';

// Loaded before the first test rather than by it: what runs as the file loads (the help text,
// the table) then belongs to every test, not to the first alone (see tools/mutate).
await importMine('server/commands.ts');

const lesson = (heading: string) => `6 (npm run lesson 6), section "${heading}"`;
const SECTION = {
  kinds: lesson('Two kinds of lines'),
  parse: lesson('Splitting a command line'),
  trap: lesson('The trap in a plain object'),
  helpUsers: lesson('/help and /users'),
  whisper: lesson('/whisper: one event, two copies'),
  quit: lesson('/quit: goodbye first, then close'),
  errors: lesson('Errors keep the connection open'),
  chat: lesson('Chat lines: trim, escape, strip'),
};

const STAYS_OPEN = '; and the connection stays open: only /quit closes it';

/** The reference server with your handleLine in it, and these users logged in, each having seen the later ones join. */
async function chatWith(see: string, ...names: string[]): Promise<{ chat: Chat; users: TestClient[] }> {
  const chat = await startChat({ mine: ['handleLine'], see });
  const users: TestClient[] = [];
  for (const name of names) users.push(await chat.login(name));
  // A line that gets no reply, then the barrier's /users: without this, Nagle's algorithm
  // holds the second write back until the server's delayed ACK, 40 ms each time.
  for (const user of users) user.socket.setNoDelay(true);
  for (const [i, user] of users.entries()) {
    for (const later of names.slice(i + 1)) await user.next({ type: 'join', user: later }, `the join of ${later}`);
  }
  return { chat, users };
}

/**
 * Sends the lines, then /users as a barrier, and returns everything the client got before
 * the reply: the whole answer to those lines. `expected` says what that answer should be.
 */
function answerTo(chat: Chat, client: TestClient, lines: string | string[], expected: string): Promise<Received[]> {
  const sent = ([] as string[]).concat(lines);
  client.takeUnseen();
  for (const line of sent) client.send(line);
  const what = `the reply to the /users the suite sent after ${quote(sent)} (a barrier: it needs your /users)`;
  return unlessClosed(chat, client, `sent ${quote(sent)}`, expected + STAYS_OPEN, client.sync(what));
}

/** Everything `client` got since its last check, proven complete by a barrier of its own. */
function heard(chat: Chat, client: TestClient): Promise<Received[]> {
  const what = 'the reply to /users (the suite\'s barrier, to see what else arrived before it)';
  return unlessClosed(chat, client, 'only listened', 'nothing but what is said to it' + STAYS_OPEN, client.sync(what));
}

/** The first event that answers one line. */
function firstAnswer(chat: Chat, client: TestClient, line: string, expected: string): Promise<Received> {
  client.takeUnseen();
  client.send(line);
  const answer = client.next(() => true, `the answer to ${JSON.stringify(line)}`);
  const did = `sent ${JSON.stringify(line)}`;
  return /^\/quit$/i.test(line)
    ? unlessClosed(chat, client, did, `${expected}, then the close`, answer, SECTION.quit)
    : unlessClosed(chat, client, did, expected + STAYS_OPEN, answer);
}

/** Turns "the connection closed while we waited" into what probably closed it. */
async function unlessClosed<T>(chat: Chat, client: TestClient, did: string, expected: string, waiting: Promise<T>, see = SECTION.errors): Promise<T> {
  try {
    return await waiting;
  } catch (err) {
    if (!client.closed) throw err;
    const threw = chat.logs.length > 0;
    const stub = chat.logs.some((l) => l.includes('TODO (lesson 9)'))
      ? ' It called the stripControl() in your starter/, which is lesson 9\'s TODO: call ctx.pieces.stripControl() instead.'
      : '';
    throw fail(chat, {
      problem: threw
        ? `${client.label} ${did}; your handleLine threw, so the server closed the connection (the error is below).${stub}`
        : `${client.label} ${did}, and the server closed the connection instead of answering.`,
      expected,
      see: threw ? chat.see : see,
    });
  }
}

/** After an error, a chat line from `client` must still reach `other`. */
async function stillUsable(chat: Chat, client: TestClient, other: TestClient): Promise<void> {
  await answerTo(chat, client, 'still here', 'nothing: a chat line goes to everyone else');
  const got = await heard(chat, other);
  if (!got.some((e) => matches(e, { type: 'chat', from: client.label, text: 'still here' }))) {
    throw fail(chat, {
      problem: `After the error, ${client.label} sent the chat line "still here"; ${other.label} got ${showEvents(got)}.`,
      expected: `{ type: "chat", from: "${client.label}", text: "still here" }: an error answers the sender and changes nothing else`,
      see: SECTION.errors,
    });
  }
}

function quote(lines: string[]): string {
  return lines.map((l) => JSON.stringify(l)).join(' and ');
}

/** True when an event carries a text for people that is not empty. */
function hasText(event: Received): boolean {
  const { text } = event as { text?: unknown };
  return typeof text === 'string' && text !== '';
}

/** True when `got` is exactly one event, like `expected`. */
function onlyOne(got: Received[], expected: Record<string, unknown>): boolean {
  return got.length === 1 && matches(got[0]!, expected);
}

describe('lesson 6: handleLine()', () => {
  test('/users answers a users event: everyone online, sorted', async () => {
    const { chat, users: [, alice] } = await chatWith(SECTION.helpUsers, 'carol', 'alice', 'bob');
    const expected = { type: 'users', users: ['alice', 'bob', 'carol'] };
    const reply = await firstAnswer(chat, alice!, '/users', JSON.stringify(expected));
    if (!matches(reply, expected)) {
      throw fail(chat, {
        problem: `carol, alice and bob are online; alice sent "/users" and got ${showEvents([reply])}.`,
        expected: `${JSON.stringify(expected)}: every name, sorted, as ctx.registry.names() gives them`,
        see: SECTION.helpUsers,
      });
    }
  });

  test('/help answers an info event that lists /help, /users, /whisper and /quit, one a line, and says how to send a line that starts with /', async () => {
    const { chat, users: [alice] } = await chatWith(SECTION.helpUsers, 'alice');
    const expected = 'one info event whose text names /help, /users, /whisper and /quit';
    const got = await answerTo(chat, alice!, '/help', expected);
    const info = got[0];
    const missing = ['/help', '/users', '/whisper', '/quit'].filter((c) => !(info?.type === 'info' && String(info.text).includes(c)));
    if (got.length !== 1 || missing.length > 0) {
      throw fail(chat, { problem: `alice sent "/help" and got ${showEvents(got)}${info?.type === 'info' ? ` (it does not mention ${missing.join(', ')})` : ''}.`, expected, see: SECTION.helpUsers });
    }
    const text = info?.type === 'info' ? info.text : '';
    const lines = text.split('\n');
    const shared = lines.filter((l) => ['/help', '/users', '/whisper', '/quit'].filter((c) => new RegExp(`${c}\\b`).test(l)).length > 1);
    if (shared.length > 0 || !text.includes('//')) {
      throw fail(chat, {
        problem: `alice sent "/help" and got the text ${JSON.stringify(text)}${shared.length > 0 ? `, where one line names several commands: ${JSON.stringify(shared[0])}` : ', which never mentions //'}.`,
        expected: 'a text for people: one line per command ("\\n" between them), with its arguments, and a line saying that // starts a message that begins with /',
        see: SECTION.helpUsers,
      });
    }
  });

  test('command names are case-insensitive: /HELP, /Users, /WHISPER and /Quit', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.parse, 'alice', 'bob');
    const insensitive = (line: string, got: Received[], wanted: string) =>
      fail(chat, {
        problem: `alice sent "${line}" and got ${showEvents(got)}.`,
        expected: `${wanted}, as for "${line.toLowerCase()}": command names are case-insensitive, so look the name up in lower case (the arguments keep their case)`,
        see: SECTION.parse,
      });

    const help = await answerTo(chat, alice!, '/HELP', 'an info event');
    if (!onlyOne(help, { type: 'info' })) throw insensitive('/HELP', help, 'an info event');

    const users = await firstAnswer(chat, alice!, '/Users', 'a users event');
    if (users.type !== 'users') throw insensitive('/Users', [users], 'a users event');

    const whisper = await answerTo(chat, alice!, '/WHISPER bob hi', 'the whisper back');
    if (whisper.some((e) => e.type === 'error')) throw insensitive('/WHISPER bob hi', whisper, 'a whisper to bob');

    await heard(chat, bob!);
    const bye = await firstAnswer(chat, bob!, '/Quit', 'a bye event');
    if (bye.type !== 'bye') throw insensitive('/Quit', [bye], 'bye');
  });

  test('/whisper reaches the recipient, and the sender gets the very same event back', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.whisper, 'alice', 'bob');
    const whisper = { type: 'whisper', from: 'alice', to: 'bob', text: 'Psst, meet me  at NOON' };
    const line = '/whisper bob Psst, meet me  at NOON';
    const echo = await answerTo(chat, alice!, line, `the same event back: ${JSON.stringify(whisper)}`);
    const delivered = await heard(chat, bob!);
    if (!onlyOne(delivered, whisper)) {
      throw fail(chat, {
        problem: `alice sent "${line}"; bob got ${showEvents(delivered)}.`,
        expected: `${JSON.stringify(whisper)}: the message as typed after the user's name (only the command name is case-insensitive)`,
        see: SECTION.whisper,
      });
    }
    if (!onlyOne(echo, whisper)) {
      throw fail(chat, {
        problem: `alice sent "${line}"; bob got the whisper, and alice got ${showEvents(echo)}.`,
        expected: `the same event back, ${JSON.stringify(whisper)}, as alice's confirmation: encode it once and send that line to both`,
        see: SECTION.whisper,
      });
    }
  });

  test('the recipient is matched without regard to case; "to" is their name as they logged in', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.whisper, 'alice', 'Bob');
    const whisper = { type: 'whisper', from: 'alice', to: 'Bob', text: 'hi' };
    const echo = await answerTo(chat, alice!, '/whisper bOB hi', `the whisper back: ${JSON.stringify(whisper)}`);
    const delivered = await heard(chat, bob!);
    if (!onlyOne(delivered, whisper) || !onlyOne(echo, whisper)) {
      throw fail(chat, {
        problem: `Bob is online; alice sent "/whisper bOB hi". Bob got ${showEvents(delivered)}; alice got ${showEvents(echo)}.`,
        expected: `${JSON.stringify(whisper)} to both: the user is matched without regard to case (ctx.registry.find() does that), and "to" is the name as its owner logged in (the found client's name), not as alice typed it`,
        see: SECTION.whisper,
      });
    }
  });

  test('a whisper reaches nobody else', async () => {
    const { chat, users: [alice, bob, carol] } = await chatWith(SECTION.whisper, 'alice', 'bob', 'carol');
    await answerTo(chat, alice!, '/whisper bob just between us', 'the whisper back');
    await heard(chat, bob!);
    const overheard = await heard(chat, carol!);
    if (overheard.length > 0) {
      throw fail(chat, {
        problem: `alice whispered to bob; carol got ${showEvents(overheard)}.`,
        expected: 'nothing for carol: a whisper goes to the recipient and back to the sender, never through broadcast',
        see: SECTION.whisper,
      });
    }
  });

  test.each([
    ['/whisper', 'USAGE', 'the user and the message are missing'],
    ['/whisper bob', 'USAGE', 'the message is missing'],
    ['/whisper alice talking to myself', 'USAGE', 'alice cannot whisper to herself'],
    ['/whisper ALICE talking to myself', 'USAGE', 'alice cannot whisper to herself, in any case: compare the found client, not the typed name'],
    ['/whisper nobody hello?', 'NO_SUCH_USER', 'nobody called "nobody" is online'],
  ])('"%s" → error %s; the connection stays usable', async (line, code, why) => {
    const see = /^\/whisper alice/i.test(line) ? SECTION.whisper : SECTION.errors;
    const { chat, users: [alice, bob] } = await chatWith(see, 'alice', 'bob');
    const expected = `exactly one event, { type: "error", code: "${code}", text: ... }, because ${why}`;
    const got = await answerTo(chat, alice!, line, expected);
    if (!onlyOne(got, { type: 'error', code })) {
      throw fail(chat, { problem: `alice sent "${line}" and got ${showEvents(got)}.`, expected, see });
    }
    if (!hasText(got[0]!)) {
      throw fail(chat, { problem: `alice sent "${line}" and got ${showEvents(got)}: an error without a text.`, expected: `a text for the person who typed it, e.g. ${code === 'USAGE' ? '"Usage: /whisper <user> <message>"' : '"User \'nobody\' not found or offline."'}: the code is for programs, the text for people`, see: SECTION.errors });
    }
    const leaked = await heard(chat, bob!);
    if (leaked.length > 0) {
      throw fail(chat, { problem: `alice sent "${line}"; bob got ${showEvents(leaked)}.`, expected: 'nothing for bob: a whisper that fails reaches nobody', see });
    }
    await stillUsable(chat, alice!, bob!);
  });

  test('/quit: bye "Goodbye!", then the server closes; the others get leave with reason quit', async () => {
    const { chat, users: [alice, bob, carol] } = await chatWith(SECTION.quit, 'alice', 'bob', 'carol');
    bob!.takeUnseen();
    bob!.send('/quit');
    await bob!.waitClosed('after /quit and its bye, client.close(\'quit\') ends it');
    const got = bob!.takeUnseen();
    if (!onlyOne(got, { type: 'bye', text: TEXTS.bye })) {
      throw fail(chat, {
        problem: `bob sent "/quit"; before the connection closed he got ${showEvents(got)}.${chat.logs.length > 0 ? ' Your handleLine threw (the error is below).' : ''}`,
        expected: `exactly one event, { type: "bye", text: "${TEXTS.bye}" }, and then the close. Send bye before you close: nothing reaches a closed client`,
        see: SECTION.quit,
      });
    }
    for (const other of [alice!, carol!]) {
      const leave = await other.next({ type: 'leave' }, 'the leave of bob');
      if (!matches(leave, { user: 'bob', reason: 'quit' })) {
        throw fail(chat, {
          problem: `bob sent "/quit"; ${other.label} got ${showEvents([leave])}.`,
          expected: '{ type: "leave", user: "bob", reason: "quit" }: the reason is what you give client.close(\'quit\'); without it, others are told "disconnect"',
          see: SECTION.quit,
        });
      }
    }
  });

  test.each(['/foo', '/', '/constructor', '/__proto__'])('unknown command "%s" → error UNKNOWN_COMMAND; the connection stays usable', async (line) => {
    const inherited = line !== '/' && line.slice(1) in {};
    const see = inherited ? SECTION.trap : SECTION.errors;
    const { chat, users: [alice, bob] } = await chatWith(see, 'alice', 'bob');
    const expected =
      'exactly one event, { type: "error", code: "UNKNOWN_COMMAND", text: ... }' +
      (inherited
        ? `. "${line.slice(1)}" is not one of your commands, but a plain object has it anyway, from Object.prototype: use a Map for the table, or check Object.hasOwn(table, name)`
        : ': any line that starts with / and names no command in your table');
    const got = await answerTo(chat, alice!, line, expected);
    if (!onlyOne(got, { type: 'error', code: 'UNKNOWN_COMMAND' })) {
      throw fail(chat, { problem: `alice sent "${line}" and got ${showEvents(got)}.`, expected, see });
    }
    if (!hasText(got[0]!)) {
      throw fail(chat, { problem: `alice sent "${line}" and got ${showEvents(got)}: an error without a text.`, expected: `a text for the person who typed it, e.g. "Unknown command: ${line}. Type /help for the list.": the code is for programs, the text for people`, see: SECTION.errors });
    }
    const leaked = await heard(chat, bob!);
    if (leaked.length > 0) {
      throw fail(chat, { problem: `alice sent "${line}"; bob got ${showEvents(leaked)}.`, expected: 'nothing for bob: an unknown command is an error for its sender, not chat', see });
    }
    await stillUsable(chat, alice!, bob!);
  });

  test('"//shrug" is the chat message "/shrug", not a command', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.kinds, 'alice', 'bob');
    const rule = 'a line that starts with // is chat: drop the first / and send the rest as the text';
    const lines = ['//shrug', '  //users  '];
    const own = await answerTo(chat, alice!, lines, `nothing back: ${rule}`);
    if (own.length > 0) {
      throw fail(chat, { problem: `alice sent ${quote(lines)} and got ${showEvents(own)}.`, expected: `nothing back (chat goes to everyone but the sender): ${rule}`, see: SECTION.kinds });
    }
    const got = await heard(chat, bob!);
    const expected = [{ type: 'chat', from: 'alice', text: '/shrug' }, { type: 'chat', from: 'alice', text: '/users' }];
    if (got.length !== 2 || !expected.every((e, i) => matches(got[i]!, e))) {
      throw fail(chat, { problem: `alice sent ${quote(lines)}; bob got ${showEvents(got)}.`, expected: `${expected.map((e) => JSON.stringify(e)).join(', ')}: ${rule} (trimmed first)`, see: SECTION.kinds });
    }
  });

  test('a chat line reaches everyone but the sender, trimmed', async () => {
    const { chat, users: [alice, bob, carol] } = await chatWith(SECTION.chat, 'alice', 'bob', 'carol');
    const line = '   hello   world  ';
    const own = await answerTo(chat, alice!, line, 'nothing back: chat goes to everyone but the sender');
    if (own.length > 0) {
      throw fail(chat, { problem: `alice sent ${JSON.stringify(line)} and got ${showEvents(own)}.`, expected: 'nothing: chat goes to everyone but the sender (broadcast\'s second argument)', see: SECTION.chat });
    }
    const expected = { type: 'chat', from: 'alice', text: 'hello   world' };
    for (const other of [bob!, carol!]) {
      const got = await heard(chat, other);
      if (!onlyOne(got, expected)) {
        throw fail(chat, { problem: `alice sent ${JSON.stringify(line)}; ${other.label} got ${showEvents(got)}.`, expected: `${JSON.stringify(expected)}: white space trimmed at both ends, kept inside`, see: SECTION.chat });
      }
    }
  });

  test('empty and white-space-only lines produce nothing at all', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.chat, 'alice', 'bob');
    const lines = ['', '   ', '\t \t'];
    const expected = 'nothing at all: a line that is empty after trimming is ignored';
    const own = await answerTo(chat, alice!, lines, expected);
    const other = await heard(chat, bob!);
    if (own.length > 0 || other.length > 0) {
      throw fail(chat, { problem: `alice sent ${quote(lines)}. alice got ${showEvents(own)}; bob got ${showEvents(other)}.`, expected, see: SECTION.chat });
    }
  });

  test('control characters are stripped from chat and whisper text, then the text is trimmed; a whisper with nothing left is USAGE', async () => {
    const { chat, users: [alice, bob] } = await chatWith(SECTION.chat, 'alice', 'bob');
    // The space before each last \u0007 is at the end only once the \u0007 is gone: trim after stripping.
    const lines = ['red\u001b[31m alert \u0007', '/whisper bob \u001b[5mboo \u0007', '/whisper bob \u0007\u0007'];
    const expected = [{ type: 'chat', from: 'alice', text: 'red[31m alert' }, { type: 'whisper', from: 'alice', to: 'bob', text: '[5mboo' }];
    const own = await answerTo(chat, alice!, lines, 'the whisper back, then error USAGE');
    const got = await heard(chat, bob!);
    const empty = own.filter((e) => e.type !== 'whisper');
    if (empty.length !== 1 || !matches(empty[0]!, { type: 'error', code: 'USAGE' })) {
      throw fail(chat, {
        problem: `alice sent ${quote(lines)}; besides the whisper back, alice got ${showEvents(empty)}.`,
        expected: 'one error USAGE for the last line: its message is nothing but control characters, so once they are stripped no message is left (strip, then check)',
        see: SECTION.whisper,
      });
    }
    if (got.length !== 2 || !expected.every((e, i) => matches(got[i]!, e))) {
      throw fail(chat, {
        problem: `alice sent ${quote(lines)}; bob got ${showEvents(got)}.`,
        expected: `${expected.map((e) => JSON.stringify(e)).join(', ')}: pass chat and whisper text through ctx.pieces.stripControl(), then trim it (the space before a stripped \\u0007 is then at the end), before you send it on`,
        see: SECTION.chat,
      });
    }
  });
});
