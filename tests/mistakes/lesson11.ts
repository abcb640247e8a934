import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'opens the socket on every render (an effect without its dependency list)',
    file: 'client/tui/use-chat.ts',
    change: [{ from: '  }, [host, port, name, retryMs, maxRetryMs]);', to: '  });' }],
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
    name: 'replaces the input text without a new key, so the cursor stays where it was',
    file: 'client/tui/input-line.tsx',
    change: [{ from: '<TextInput key={version} ', to: '<TextInput ' }],
    says: 'give it a new key',
  },
];
