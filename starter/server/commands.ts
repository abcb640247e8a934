// Lesson 6: commands and chat lines.
// Read the lesson first: npm run lesson 6      Check your work: npm test -- lesson6

import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

/** Called with each line of a logged-in client, one line at a time, in order. */
export function handleLine(client: Client, line: string, ctx: ServerContext): void {
  // TODO (lesson 6):
  //  1. Trim the line. A line that starts with '/' (but not '//') is a command: split it
  //     into a name (look it up in lower case) and its arguments (keep their case).
  //  2. Find the command in a table (a Map from name to function), not an if-chain:
  //       /help     → `info` listing the commands
  //       /users    → `users` with ctx.registry.names()
  //       /whisper <user> <message> → the same `whisper` event to the recipient and to
  //                   the sender; `error` USAGE or NO_SUCH_USER when it cannot be sent
  //       /quit     → `bye` with TEXTS.bye, then client.close('quit')
  //     Any other name → `error` UNKNOWN_COMMAND. An error never closes the connection.
  //  3. Anything else is chat: '//text' means the text '/text'; strip control characters
  //     with ctx.pieces.stripControl(), trim, ignore it if empty, and broadcast a `chat`
  //     event (encodeEvent) to everyone but the sender.
  throw new Error('TODO (lesson 6): handleLine() is not written yet. Read the lesson: npm run lesson 6');
}
