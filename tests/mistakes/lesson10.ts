import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'prints the event as JSON instead of rendering it',
    file: 'client/cli.ts',
    change: [{ from: '      show(renderEvent(event, me));', to: '      show(JSON.stringify(event));' }],
    says: 'printed the raw JSON line instead of rendering it',
  },
  {
    name: "does not sanitise the server's strings",
    file: 'client/render-event.ts',
    change: [{ from: "return String(value ?? '').replace(CONTROL, '');", to: "return String(value ?? '');" }],
    says: 'Control characters from the server reached the terminal',
  },
  {
    name: "reads one 'data' event as one event",
    file: 'client/cli.ts',
    change: [{ from: 'lines = decoder.push(chunk);', to: "lines = [chunk.toString('utf8').trim()];" }],
    says: "it treats one 'data' event as one event",
  },
  {
    name: "stamps events with the time they arrived, not with their ts",
    file: 'client/render-event.ts',
    change: [{ from: 'const time = clock(Number.isFinite(event.ts) ? event.ts : now);', to: 'const time = clock(Date.now());' }],
    says: "The time must be the event's ts",
  },
  {
    name: 'shows the time in UTC',
    file: 'client/render-event.ts',
    change: [{ from: '`[${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}]`', to: '`[${time.toISOString().slice(11, 19)}]`' }],
    says: 'in UTC, not in local time',
  },
  {
    name: "listens for 'error' only until connected, so a reset crashes the client",
    file: 'client/cli.ts',
    change: [{ from: '      connected = true;\n', to: "      connected = true;\n      socket.removeAllListeners('error'); // connected: nothing can go wrong now\n" }],
    says: "keep socket.on('error', ...) for the whole session",
  },
  {
    name: 'does not show your own chat lines',
    file: 'client/cli.ts',
    change: [{ from: '      show(own);\n', to: '' }],
    says: 'the server does not echo it back to you',
  },
  {
    name: 'treats a close without a goodbye as a normal end',
    file: 'client/cli.ts',
    change: [{ from: 'if (farewell === undefined && !quitting) {', to: 'if (lastError !== undefined) {' }],
    says: '"[CLIENT] Connection to the server was lost."',
  },
  {
    name: 'ignores the end of the input (Ctrl+D)',
    file: 'client/cli.ts',
    change: [{ from: "      if (!finished) quit('/quit');\n", to: '' }],
    says: "when the input ends (Ctrl+D: readline emits 'close')",
  },
  {
    name: 'the server\'s multi-line texts flattened: /help comes out as one long line',
    file: 'client/render-event.ts',
    change: [{ from: 'return `[SYSTEM]: ${sanitizeLines(event.text)}`;', to: 'return `[SYSTEM]: ${sanitize(event.text)}`;' }],
    says: 'Available commands:\\n      /help',
  },
  {
    name: 'prints a message over the half-typed line, without clearing it first',
    file: 'client/cli.ts',
    change: [{ from: '        readline.cursorTo(output, 0);\n        readline.clearLine(output, 0);\n', to: '' }],
    says: 'go to the start of the row (readline.cursorTo)',
  },
  {
    name: 'redraws the prompt with prompt(), which puts the cursor back at the start of the line',
    file: 'client/cli.ts',
    change: [{ from: 'if (keyboard.terminal && inputOpen) keyboard.prompt(true);', to: 'if (keyboard.terminal && inputOpen) keyboard.prompt();' }],
    says: 'keyboard.prompt(true) keeps the cursor where it was',
  },
  {
    name: 'takes a refused name for a lost connection',
    file: 'client/cli.ts',
    change: [{ from: '          if (CLOSING_ERRORS.has(event.code)) farewell = 1;\n', to: '' }],
    says: 'NAME_TAKEN is one of the CLOSING_ERRORS',
  },
  {
    name: 'quits on /quit anywhere in a line',
    file: 'client/cli.ts',
    change: [{ from: "if (/^\\/quit(\\s|$)/i.test(line.trim())) return quit(line);", to: "if (line.includes('/quit')) return quit(line);" }],
    says: 'only a line that starts with /quit is the command',
  },
  {
    name: 'waits for ever for a server that does not close after /quit',
    file: 'client/cli.ts',
    change: [{ from: '      setTimeout(() => socket.destroy(), QUIT_GRACE_MS).unref();\n', to: '' }],
    says: 'a server that never closes after /quit is hung up on',
  },
  {
    name: "asks whether the user quit before whether it ever connected: Ctrl+D, then a refusal, ends with code 0",
    file: 'client/cli.ts',
    change: [{ from: 'if (!connected) {', to: 'if (!connected && !quitting) {' }],
    says: 'ask first whether it ever connected',
  },
];
