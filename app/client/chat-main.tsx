// `npm run chat -- --name alice`: the finished chat, full screen in the terminal.
// It runs the reference screen and hook from solutions/; with --mine, yours from starter/
// (lesson 11). The screen takes the whole terminal and gives it back when you leave.

import { render } from 'ink';
import { FriendlyError, runMain, UsageError } from '../cli.js';
import { importFromTree } from '../server/pieces.js';
import { parseClientFlags, tlsUsage } from './flags.js';

const USAGE = `Usage: npm run chat -- --name NAME [--host HOST] [--port PORT] [--tls] [--ca FILE] [--mine]
  --name NAME       your username: 1 to 20 ASCII letters, digits, _ or -
  --host HOST       the server's address (default 127.0.0.1)
  --port PORT       the server's port (default 5050)
${tlsUsage(20)}
  --mine            run your own screen and hook from starter/ (lesson 11)
  --downloads DIR   where files sent to you are saved (default downloads)
Files: /send USER PATH offers one; /accept or /reject answers the last offer.`;

// The terminal's second screen, which full-screen programs (vim, less, top) draw on,
// so that the shell's own lines are back, untouched, when the chat ends. It is wiped
// before we leave it: a frame drawn for another window size must not linger on a
// terminal that has no second screen, or comes back to it later.
const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\x1b[2J\x1b[H\x1b[?1049l';

runMain('CHAT', async () => {
  let argv = process.argv.slice(2);
  const mine = argv.includes('--mine');
  // --downloads DIR is the chat's own flag (lesson 17), not every client's.
  const at = argv.indexOf('--downloads');
  const downloads = at === -1 ? undefined : argv[at + 1];
  if (at !== -1 && (downloads === undefined || downloads === '' || downloads.startsWith('--'))) throw new UsageError('--downloads wants a folder: --downloads received');
  if (at !== -1) argv = argv.filter((_, i) => i !== at && i !== at + 1);
  const flags = parseClientFlags(argv.filter((arg) => arg !== '--mine'));
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  if (flags.name === undefined) throw new UsageError('Give a name: npm run chat -- --name alice [--host 127.0.0.1] [--port 5050]');
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new FriendlyError('The chat needs an interactive terminal (a TTY): its input and output must not be a pipe or a file. Run it in a terminal window, or use npm run raw to script a chat.');
  }

  const tree = mine ? (process.env.COURSE_TREE ?? 'starter') : 'solutions';
  const { useChat } = await importFromTree<typeof import('../../solutions/client/tui/use-chat.js')>(tree, 'client/tui/use-chat.ts');
  const { ChatScreen } = await importFromTree<typeof import('../../solutions/client/tui/chat-screen.js')>(tree, 'client/tui/chat-screen.tsx');
  const options = { host: flags.host, port: flags.port, name: flags.name, tls: flags.tls, downloads };

  // The hook and the screen meet here: the hook owns the connection, the screen draws it.
  function App() {
    const chat = useChat(options);
    return <ChatScreen chat={chat} />;
  }

  let onAlternateScreen = true;
  const leaveAlternateScreen = () => {
    if (onAlternateScreen) process.stdout.write(LEAVE_ALTERNATE_SCREEN);
    onAlternateScreen = false;
  };
  process.stdout.write(ENTER_ALTERNATE_SCREEN);
  process.once('exit', leaveAlternateScreen); // even after a crash

  // Ctrl+C is the screen's to handle (it says /quit first), not Ink's.
  const app = render(<App />, { exitOnCtrlC: false });
  try {
    await app.waitUntilExit();
  } catch (err) {
    throw new FriendlyError((err as Error).message); // the hook's reason: refused, name taken...
  } finally {
    leaveAlternateScreen();
  }
});
