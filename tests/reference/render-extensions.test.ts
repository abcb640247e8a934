// The command-line client's lines for what later lessons add to the protocol (rooms, status,
// history, passwords, files; PROTOCOL.md) and its sizes for people: the reference
// renderEvent() in solutions/client/render-event.ts. Lesson 10's suite checks only what
// lesson 10 asks (a student shows these events as plain text), so the reference's own
// wording is checked here. Every string from the server is hostile: ESC and BEL must go.

import { expect, test } from 'vitest';
import type { UnknownEvent, WireEvent } from '../../app/protocol.js';
import { importFromTree } from '../../app/server/pieces.js';

const { renderEvent, bytes } = await importFromTree<typeof import('../../solutions/client/render-event.js')>('solutions', 'client/render-event.ts');

const TS = new Date(2024, 0, 15, 9, 5, 7).getTime(); // [09:05:07] in any time zone
/** Control characters (ESC, BEL, CSI) in a name: it must show as "evil". */
const EVIL = 'e\u001bv\u0007i\u009bl';

/** Checks each event's line; the message names the event, as the wire carried it. */
function expectLines(cases: [event: Record<string, unknown>, line: string][]): void {
  for (const [event, line] of cases) {
    const got = renderEvent({ ts: TS, ...event } as WireEvent | UnknownEvent, 'alice', TS);
    expect(got, `renderEvent(${JSON.stringify(event)})`).toBe(line);
  }
}

test('rooms (lesson 12): the user list of your room, cut lists, moving, the room list, leaving by moving', () => {
  expectLines([
    [{ type: 'users', users: ['alice', EVIL] }, '[SYSTEM]: Users online (2): alice, evil'],
    [{ type: 'users', room: `games${EVIL}`, users: ['alice', 'bob'], count: 2 }, '[SYSTEM]: Users in #gamesevil (2): alice, bob'],
    [{ type: 'users', room: 'lobby', users: ['alice', 'bob'], count: 600 }, '[SYSTEM]: Users in #lobby (600, first 2 shown): alice, bob'],
    [{ type: 'users', users: 'alice', count: '3' }, '[SYSTEM]: Users online (0): '],
    [{ type: 'room', room: 'games', users: ['alice'] }, '[SYSTEM]: You are now in #games. Users here (1): alice'],
    [{ type: 'room', room: EVIL, users: ['alice', 'bob'], count: 9 }, '[SYSTEM]: You are now in #evil. Users here (9, first 2 shown): alice, bob'],
    [{ type: 'rooms', rooms: [{ name: 'lobby', users: 3 }, { name: EVIL, users: 1 }] }, '[SYSTEM]: Rooms (2): #lobby (3), #evil (1)'],
    [{ type: 'rooms', rooms: 'lobby' }, '[SYSTEM]: Rooms (0): '],
    [{ type: 'leave', user: 'bob', reason: 'moved' }, '*** bob has left the chat (moved to another room). ***'],
  ]);
});

test('status (lesson 13): away and busy, with or without a note, marked in user lists; back is "is back"', () => {
  const statuses = { bob: { status: 'away', note: `lunch${EVIL}` }, carol: { status: 'busy' }, dave: 'away' };
  expectLines([
    [{ type: 'status', user: EVIL, status: 'away', note: 'lunch' }, '*** evil is away: lunch. ***'],
    [{ type: 'status', user: 'bob', status: 'busy' }, '*** bob is busy. ***'],
    [{ type: 'status', user: 'bob', status: 'busy', note: '' }, '*** bob is busy. ***'],
    [{ type: 'status', user: 'bob', status: 'online' }, '*** bob is back. ***'],
    [{ type: 'users', room: 'lobby', users: ['alice', 'bob', 'carol', 'dave'], statuses }, '[SYSTEM]: Users in #lobby (4): alice, bob (away: lunchevil), carol (busy), dave'],
    [{ type: 'room', room: 'games', users: ['carol'], statuses }, '[SYSTEM]: You are now in #games. Users here (1): carol (busy)'],
  ]);
});

test('history (lesson 14): the earlier messages, each with its own time, between two marks', () => {
  const at = (s: number) => TS + s * 1000;
  expectLines([
    [
      { type: 'history', room: 'lobby', messages: [{ from: 'bob', text: 'hi', ts: at(0) }, { from: EVIL, text: `yo${EVIL}`, ts: at(65) }] },
      '--- earlier in #lobby (2) ---\n  [09:05:07] bob: hi\n  [09:06:12] evil: yoevil\n--- end of history ---',
    ],
    [{ type: 'history', messages: [] }, '--- earlier (0) ---\n--- end of history ---'],
    [{ type: 'history', messages: 'hi' }, '--- earlier (0) ---\n--- end of history ---'],
  ]);
});

test('passwords and files (lessons 15, 17): the question as [SYSTEM], offers, answers, transfers', () => {
  expectLines([
    [{ type: 'password', text: `Password for ${EVIL}:` }, '[SYSTEM]: Password for evil:'],
    [{ type: 'offer_sent', id: 'f1', to: 'bob', name: `notes${EVIL}.txt`, size: 1500 }, '[FILE]: You offered notesevil.txt (1.5 kB) to bob; waiting for an answer (offer f1).'],
    [{ type: 'offer', id: 'f2', from: EVIL, name: 'cat.png', size: 532, sha256: 'ab' }, '[FILE]: evil offers you cat.png (532 B). /accept f2 or /reject f2'],
    [{ type: 'transfer', id: 'f1', token: 't', role: 'send' }, '[FILE]: Offer f1 accepted: sending...'],
    [{ type: 'transfer', id: 'f2', token: 't', role: 'receive' }, '[FILE]: Offer f2 accepted: receiving...'],
    [{ type: 'transfer_done', id: 'f1' }, '[FILE]: Transfer f1 is done.'],
    [{ type: 'transfer_failed', id: EVIL, reason: 'rejected' }, '[FILE]: Transfer evil failed: rejected.'],
  ]);
});

test('sizes for people: bytes below 1000, then kB, MB, GB and TB with one decimal; TB is the last unit', () => {
  const cases: [unknown, string][] = [
    [0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [1500, '1.5 kB'], [999_499, '999.5 kB'], [1_000_000, '1.0 MB'],
    [20_000_000, '20.0 MB'], [3_200_000_000, '3.2 GB'], [1e12, '1.0 TB'], [5e15, '5000.0 TB'],
    ['12', '12 B'], ['x\u001b', 'x B'], [Infinity, 'Infinity B'], [undefined, ' B'],
  ];
  for (const [size, shown] of cases) expect(bytes(size), `bytes(${String(size)})`).toBe(shown);
});
