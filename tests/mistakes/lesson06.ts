import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'looks command names up as typed, so /HELP is unknown',
    file: 'server/commands.ts',
    change: [{ from: 'COMMANDS.get(name.toLowerCase())', to: 'COMMANDS.get(name)' }],
    says: 'command names are case-insensitive',
  },
  {
    name: 'lower-cases the whole line, not only the command name',
    file: 'server/commands.ts',
    change: [{ from: 'exec(line) ?? [];', to: 'exec(line.toLowerCase()) ?? [];' }],
    says: 'the message as typed',
  },
  {
    name: 'finds the whisper recipient case-sensitively',
    file: 'server/commands.ts',
    change: [{ from: 'const target = ctx.registry.find(user);', to: 'const target = ctx.registry.names().includes(user) ? ctx.registry.find(user) : undefined;' }],
    says: 'matched without regard to case',
  },
  {
    name: 'puts the name as typed in `to`, not the recipient\'s own',
    file: 'server/commands.ts',
    change: [{ from: 'to: target.name', to: 'to: user' }],
    says: 'the name as its owner logged in',
  },
  {
    name: 'spots "whisper to yourself" by comparing names case-sensitively',
    file: 'server/commands.ts',
    change: [{ from: 'if (target === client) {', to: 'if (user === client.name) {' }],
    says: 'compare the found client, not the typed name',
  },
  {
    name: 'does not send the whisper back to its sender',
    file: 'server/commands.ts',
    change: [{ from: 'client.send(line); // the same event back', to: '// the same event back' }],
    says: 'the same event back',
  },
  {
    name: 'keeps the commands in a plain object',
    file: 'server/commands.ts',
    change: [
      { from: 'const COMMANDS = new Map<string, Command>(Object.entries({', to: 'const COMMANDS: Record<string, Command> = ({' },
      { from: '} satisfies Record<string, Command>));', to: '});' },
      { from: 'COMMANDS.get(name.toLowerCase())', to: 'COMMANDS[name.toLowerCase()]' },
    ],
    says: 'use a Map for the table',
  },
  {
    name: '/quit closes before it says bye',
    file: 'server/commands.ts',
    change: [
      { from: "client.sendEvent({ type: 'bye', text: TEXTS.bye }); // first: nothing reaches a closed client\n    client.close('quit');", to: "client.close('quit');\n    client.sendEvent({ type: 'bye', text: TEXTS.bye });" },
    ],
    says: 'Send bye before you close',
  },
  {
    name: '/quit closes without the reason quit',
    file: 'server/commands.ts',
    change: [{ from: "client.close('quit');", to: 'client.close();' }],
    says: "client.close('quit')",
  },
  {
    name: 'treats //text as a command',
    file: 'server/commands.ts',
    change: [{ from: "if (line.startsWith('/') && !line.startsWith('//')) {", to: "if (line.startsWith('/')) {" }],
    says: 'a line that starts with // is chat',
  },
  {
    name: 'sends chat on without stripping control characters',
    file: 'server/commands.ts',
    change: [{ from: "ctx.pieces.stripControl(line.startsWith('//') ? line.slice(1) : line)", to: "(line.startsWith('//') ? line.slice(1) : line)" }],
    says: 'ctx.pieces.stripControl()',
  },
  {
    name: 'trims the chat line before stripping control characters, not after (a space before a stripped code stays)',
    file: 'server/commands.ts',
    change: [{ from: "ctx.pieces.stripControl(line.startsWith('//') ? line.slice(1) : line).trim()", to: "ctx.pieces.stripControl((line.startsWith('//') ? line.slice(1) : line).trim())" }],
    says: 'then trim it',
  },
  {
    name: 'joins the help text with spaces: every command on one long line',
    file: 'server/commands.ts',
    change: [{ from: "].join('\\n');", to: "].join(' ');" }],
    says: 'one line per command',
  },
];
