import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'opens the socket on every render (an effect without its dependency list)',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '  }, [host, port, name, tls, retryMs, maxRetryMs, downloads]);', to: '  });' }],
    says: 'it starts over on every render',
  },
  {
    name: 'returns no cleanup from the effect, so the socket outlives the component',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '    return () => opened.close();\n', to: '' }],
    says: 'closes the socket',
  },
  {
    name: 'keeps every message for ever',
    file: 'client/tui/use-chat.ts',
    change: [{ from: 'messages: [...state.messages, ...numbered].slice(-state.limit) }', to: 'messages: [...state.messages, ...numbered] }' }],
    says: 'must not fill the memory',
  },
  {
    name: 'picks the colour from the text: anything that says [WHISPER looks like a whisper',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: 'return KIND_COLOR[message.kind];', to: "return message.text.includes('[WHISPER') ? KIND_COLOR.whisper : KIND_COLOR[message.kind];" }],
    says: 'never from the text',
  },
  {
    name: 'draws the text it received as it is, escape sequences and all',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: 'const text = sanitize(message.text);', to: 'const text = message.text;' }],
    says: 'sanitised before it is drawn',
  },
  {
    name: 'reads the terminal size once and never listens for resize',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: "    stdout.on('resize', onResize);\n", to: '' }],
    says: "listen for stdout's 'resize' event",
  },
  {
    name: 'completes names with Tab only in the case they were typed',
    file: 'client/tui/input-line.tsx',
    change: [{ from: 'name.toLowerCase().startsWith(typed.toLowerCase())', to: 'name.startsWith(typed)' }],
    says: 'without regard to case',
  },
  {
    name: 'puts the completed name in, but leaves the cursor where it was',
    file: 'client/tui/input-line.tsx',
    change: [{ from: 'if (completed !== line.text) return { ...state, line: lineOf(completed) };', to: 'if (completed !== line.text) return { ...state, line: { text: completed, cursor: line.cursor } };' }],
    says: 'after Tab the cursor must be at the end',
  },
  {
    name: 'drops a line typed before the welcome instead of keeping it for later',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '      waiting.push(trimmed);\n', to: '' }],
    says: 'wait in a queue',
  },
  {
    name: 'writes a line typed before the welcome straight to the socket, where the server takes it for the login',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '    if (!socket || !loggedIn) {\n', to: '    if (!socket) {\n' }],
    says: 'nothing but the name until the welcome',
  },
  {
    name: 'lets message rows shrink: a wrapped message is squeezed and drawn over its neighbours',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: '  return (\n    <Box flexShrink={0}>\n      <Box width={CLOCK_COLUMNS}', to: '  return (\n    <Box>\n      <Box width={CLOCK_COLUMNS}' }],
    says: 'flexShrink={0}',
  },
  {
    name: 'lets Ink wrap the text, which cuts a joined emoji in two at the end of a row',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: 'const rows = wrapText(label + body, width - CLOCK_COLUMNS);', to: 'const rows = [label + body];' }],
    says: 'cut between graphemes',
  },
  {
    name: 'keeps the user list in a narrow window, leaving the messages no room',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: 'const withUsers = columns >= USER_LIST_MIN_COLUMNS;', to: 'const withUsers = true;' }],
    says: 'no user list',
  },
  {
    name: 'shows the key hints in the status bar however narrow the window',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: "status.state === 'connected' && room >= textWidth(hint) + 2 && ", to: "status.state === 'connected' && " }],
    says: 'cut to fit',
  },
  {
    name: 'never resets the attempt count after a welcome, so each later loss starts with a long wait',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '          attempt = 0;\n', to: '' }],
    says: 'a welcome resets attempt to 0',
  },
  {
    name: 'ends the app without the reason when the chat failed, so the user is not told why',
    file: 'client/tui/chat-screen.tsx',
    change: [{ from: 'exit(status.failed ? new Error(status.reason) : undefined);', to: 'exit();' }],
    says: 'so chat-main has nothing to tell the user',
  },
  {
    name: 'down never gives the draft back: past the newest line the input stays on it',
    file: 'client/tui/input-line.tsx',
    change: [{ from: 'const text = back === 1 ? state.draft : history[history.length - back + 1]!;', to: "const text = history[history.length - back + 1] ?? '';" }],
    says: 'gives back the draft',
  },
  {
    name: 'completes a name only when exactly one matches',
    file: 'client/tui/input-line.tsx',
    change: [{ from: '  if (found.length === 1) return `${command}${found[0]} `;\n', to: '  if (found.length === 1) return `${command}${found[0]} `;\n  return line;\n' }],
    says: 'agree as far as',
  },
  {
    name: 'completes /whisper anywhere in the line (the pattern not anchored with ^)',
    file: 'client/tui/input-line.tsx',
    change: [{ from: 'const match = /^(\\/whisper\\s+)(\\S*)$/i.exec(line);', to: 'const match = /(\\/whisper\\s+)(\\S*)$/i.exec(line);' }],
    says: 'anchor the pattern with ^',
  },
];
