// Lesson 6: what a logged-in client's lines mean. A line starting with '/' is a
// command, looked up in a table; '//' escapes a chat line that starts with '/';
// anything else is a chat message for everyone but the sender.

import { encodeEvent, TEXTS } from '../../app/protocol.js';
import type { Client, ServerContext } from '../../app/server/types.js';

/** Runs one command. `args` is everything after the command's name, trimmed, case kept. */
type Command = (client: Client, args: string, ctx: ServerContext) => void;

const HELP = [
  'Available commands:',
  '  /help                    show this help',
  '  /users                   list the users online',
  '  /whisper <user> <text>   send a private message',
  '  /quit                    leave the chat',
  'Start a message with // to send a line that begins with /.',
].join('\n');

// One row per command: adding a command is adding a row, not another `else if`.
// A Map, not a plain object: `{}` also "has" constructor, toString and __proto__.
const COMMANDS = new Map<string, Command>(Object.entries({
  help: (client) => client.sendEvent({ type: 'info', text: HELP }),

  users: (client, _args, ctx) => client.sendEvent({ type: 'users', users: ctx.registry.names() }),

  whisper: (client, args, ctx) => {
    const [, user = '', message = ''] = /^(\S+)\s+(.+)$/s.exec(args) ?? [];
    const text = ctx.pieces.stripControl(message).trim();
    if (user === '' || text === '') {
      return client.sendEvent({ type: 'error', code: 'USAGE', text: 'Usage: /whisper <user> <message>' });
    }
    const target = ctx.registry.find(user); // without regard to case, like the registry's names
    if (!target) {
      return client.sendEvent({ type: 'error', code: 'NO_SUCH_USER', text: `User '${user}' not found or offline.` });
    }
    if (target === client) {
      return client.sendEvent({ type: 'error', code: 'USAGE', text: 'You cannot whisper to yourself.' });
    }
    // `to` is the name as its owner spelled it at login, not as the sender typed it.
    const line = encodeEvent({ type: 'whisper', from: client.name, to: target.name, text });
    target.send(line);
    client.send(line); // the same event back, as the sender's confirmation
  },

  quit: (client) => {
    client.sendEvent({ type: 'bye', text: TEXTS.bye }); // first: nothing reaches a closed client
    client.close('quit');
  },
} satisfies Record<string, Command>));

/** '/Whisper bob  hi' → { name: 'Whisper', args: 'bob  hi' }. The name as typed, for messages. */
function parseCommand(line: string): { name: string; args: string } {
  const [, name = '', args = ''] = /^\/(\S*)\s*(.*)$/s.exec(line) ?? [];
  return { name, args };
}

export function handleLine(client: Client, rawLine: string, ctx: ServerContext): void {
  const line = rawLine.trim();
  if (line.startsWith('/') && !line.startsWith('//')) {
    const { name, args } = parseCommand(line);
    const command = COMMANDS.get(name.toLowerCase());
    if (command) return command(client, args, ctx);
    return client.sendEvent({ type: 'error', code: 'UNKNOWN_COMMAND', text: `Unknown command: /${name}. Type /help for the list.` });
  }
  // '//text' is the escape for a chat message that starts with '/'.
  const text = ctx.pieces.stripControl(line.startsWith('//') ? line.slice(1) : line).trim();
  if (text === '') return;
  ctx.registry.broadcast(encodeEvent({ type: 'chat', from: client.name, text }), client);
}
