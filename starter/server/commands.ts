// Lesson 6: commands and chat lines.
// Read the lesson first: npm run lesson 6      Check your work: npm test -- lesson6

import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

export function handleLine(client: Client, line: string, ctx: ServerContext): void {
  // TODO (lesson 6): /help, /users, /whisper, /quit, unknown commands, '//' and chat.
  throw new Error('TODO (lesson 6): handleLine() is not written yet. Read the lesson: npm run lesson 6');
}
