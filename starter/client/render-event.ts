// Lesson 10: one server event in, the line the chat prints for it out.
// Read the lesson first: npm run lesson 10      Check your work: npm test -- lesson10

import type { UnknownEvent, WireEvent } from '../../app/protocol.js';

/**
 * The line to print for one event. `me` is your own name ('' before the welcome): a
 * whisper you sent comes back to you as confirmation. `now` stands in for a missing `ts`.
 */
export function renderEvent(event: WireEvent | UnknownEvent, me: string, now: number = Date.now()): string {
  // TODO (lesson 10): switch on event.type and return, exactly:
  //    chat       [HH:MM:SS] bob: hi
  //    whisper    [HH:MM:SS] [WHISPER from bob]: psst     (or [WHISPER to bob]: ... when event.from is me)
  //    join       *** bob has joined the chat! ***
  //    leave      *** bob has left the chat. ***
  //               with reason timeout, slow or kicked:  *** bob has left the chat (too slow). ***
  //    users      [SYSTEM]: Users online (2): alice, bob
  //    welcome, info, error, bye, shutdown     [SYSTEM]: <the event's text>
  //    hello      the event's text, as it is
  //    unknown    event.raw, as plain text
  //    room, rooms, status, history (the extensions, lessons 12-14): for now, plain text too
  //  - HH:MM:SS is event.ts in local time (getHours(), not getUTCHours()), two digits each.
  //  - Remove every control character (U+0000–U+001F, U+007F–U+009F) from every string the
  //    server sent (names and texts) before it goes into the line. One exception: a
  //    [SYSTEM] text (welcome, info, error, bye, shutdown) keeps its line breaks: split it on
  //    '\n', clean each line, and indent every line after the first by four spaces.
  //  - End the switch with a `never` check, so that a new event type cannot be forgotten.
  throw new Error('TODO (lesson 10): renderEvent() is not written yet. Read the lesson: npm run lesson 10');
}

/**
 * The line to print for a line you typed, or undefined when it is not a chat message
 * (a command, or blank). The server does not send your own messages back to you.
 */
export function renderOwnLine(line: string, now: number = Date.now()): string | undefined {
  // TODO (lesson 10): 'hi' → '[HH:MM:SS] You: hi' (the time is now), shown trimmed, as the
  // server sends it on. A line that is blank once trimmed, or a command (starts with '/'),
  // gives undefined. '//hi' sends '/hi': show that.
  throw new Error('TODO (lesson 10): renderOwnLine() is not written yet. Read the lesson: npm run lesson 10');
}
