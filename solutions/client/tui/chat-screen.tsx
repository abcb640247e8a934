// Lesson 11: the chat screen. It draws what useChat() knows and turns keys into actions.
// It holds no connection and no chat state of its own: only what drawing needs (the
// terminal's size), so the same screen can be tested on top of any hook that returns a Chat.
//
//   ╭──────────────────────────────────────╮╭──────────────╮
//   │                                      ││ Online (2)   │
//   │ [12:00:01] *** bob has joined ***    ││ alice (you)  │
//   │ [12:00:02] bob: hi                   ││ bob          │
//   │ [12:00:05] you: hello bob            ││              │
//   ╰──────────────────────────────────────╯╰──────────────╯
//   ╭──────────────────────────────────────────────────────╮
//   │ > _                                                  │
//   ╰──────────────────────────────────────────────────────╯
//    ● connected  alice @ 127.0.0.1:5050       Ctrl+C quits

import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { textWidth, truncate, wrapText } from '../../../app/client/terminal-text.js';
import type { ExtensionView } from '../../../app/client/chat-extensions.js';
import type { TransferProgress } from '../../../app/client/file-transfers.js';
import { InputLine } from './input-line.js';
import type { Chat, Message, MessageKind, Status } from './use-chat.js';

const USER_LIST_WIDTH = 22;
/** Narrower than this, the user list goes (the status bar counts who is online instead). */
const USER_LIST_MIN_COLUMNS = 60;
/** Rows that are not the message list's: its two borders, the input's three, the status bar. */
const OTHER_ROWS = 2 + 3 + 1;
/** A frame's border and its padding of one on each side. */
const FRAME_COLUMNS = 4;
/** '[12:00:05] ' before each message. */
const CLOCK_COLUMNS = 11;
/** Ctrl+L: erase the whole screen, so that Ink draws the chat again on a clean one. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/** How each kind of line looks. Chosen by the event's type, never by what its text says. */
const KIND_COLOR: Record<MessageKind, string | undefined> = {
  chat: undefined,
  own: 'cyan',
  whisper: 'magenta',
  system: 'yellow',
  info: 'green',
  error: 'red',
  shutdown: 'red',
};

export function ChatScreen({ chat }: { chat: Chat }) {
  const { exit } = useApp();
  const { write } = useStdout();
  const { columns, rows } = useTerminalSize();
  const { status, quit } = chat;

  // The hook says when the chat is over (after /quit, or a refused name); then the app ends.
  useEffect(() => {
    if (status.state === 'closed') exit(status.failed ? new Error(status.reason) : undefined);
  }, [status, exit]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') quit();
    if (key.ctrl && input === 'l') write(CLEAR_SCREEN);
  });

  // One row less than the terminal: a full-height frame makes Ink clear the screen on every redraw.
  const height = Math.max(rows - 1, OTHER_ROWS + 3);
  // Files on the move (lesson 17): a bar each, above the input, taking rows from the list.
  const transfers = (chat.extensions?.transfers ?? []).slice(0, 3);
  const listRows = height - OTHER_ROWS - transfers.length;
  const withUsers = columns >= USER_LIST_MIN_COLUMNS;
  const listWidth = columns - (withUsers ? USER_LIST_WIDTH : 0) - FRAME_COLUMNS;
  const me = chat.name.toLowerCase();
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Box flexGrow={1}>
        <MessageList messages={chat.messages} me={chat.name} rows={listRows} width={listWidth} />
        {withUsers && <UserList users={chat.users} me={chat.name} rows={listRows} extensions={chat.extensions} />}
      </Box>
      {transfers.map((t) => (
        <TransferBar key={t.id} transfer={t} width={columns - 2} />
      ))}
      <InputLine
        names={chat.users.filter((u) => u.toLowerCase() !== me)}
        rooms={chat.extensions?.roomNames}
        prompt={chat.extensions?.passwordAsked ? 'password: ' : chat.extensions?.room === undefined ? undefined : `#${sanitize(chat.extensions.room)}> `}
        secret={chat.extensions?.passwordAsked}
        onSubmit={chat.send}
        width={columns - FRAME_COLUMNS}
      />
      <StatusBar chat={chat} width={columns - 2} counted={!withUsers} />
    </Box>
  );
}

/** The terminal's size, kept up to date: Ink lays out again on a resize, but only a state change draws us again. */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function MessageList({ messages, me, rows, width }: { messages: Message[]; me: string; rows: number; width: number }) {
  // Each message takes a row at least, so no more than `rows` can show. A long one wraps
  // onto several: the list is pinned to the bottom and the oldest rows are cut off the top.
  return (
    <Box flexDirection="column" justifyContent="flex-end" overflow="hidden" flexGrow={1} borderStyle="round" borderColor="gray" paddingX={1}>
      {messages.slice(-rows).map((message) => (
        <MessageRow key={message.id} message={message} me={me} width={width} />
      ))}
    </Box>
  );
}

function MessageRow({ message, me, width }: { message: Message; me: string; width: number }) {
  if (message.look === 'divider') return <Divider text={sanitize(message.text)} width={width} />;
  const color = colorOf(message);
  const from = sanitize(message.from ?? '');
  const to = sanitize(message.to ?? '');
  const text = sanitize(message.text);
  let label = '';
  let body = text;
  switch (message.kind) {
    case 'chat':
      label = `${from}: `;
      break;
    case 'own':
      label = 'you: ';
      break;
    case 'whisper':
      label = from.toLowerCase() === me.toLowerCase() ? `[WHISPER to ${to}]: ` : `[WHISPER from ${from}]: `;
      break;
    case 'system':
      body = `*** ${text} ***`;
      break;
  }
  // Wrapped here, by grapheme: Ink would cut a joined emoji in two. The label starts the first row.
  const rows = wrapText(label + body, width - CLOCK_COLUMNS);
  const earlier = message.look === 'earlier'; // a room's history: dimmed, above its divider
  // Not bold when dimmed: both end with the same code, and the rest of the row would lose its dim.
  const bold = !earlier && rows[0]!.startsWith(label) ? label : '';
  // flexShrink 0: a row never gets fewer lines than its text has; the list cuts what does not fit.
  return (
    <Box flexShrink={0}>
      <Box width={CLOCK_COLUMNS} flexShrink={0}>
        <Text dimColor>{clock(message.ts)}</Text>
      </Box>
      <Box flexDirection="column">
        {rows.map((row, i) => (
          <Text key={i} color={color} dimColor={earlier}>
            {i === 0 && <Text bold>{bold}</Text>}
            {i === 0 ? row.slice(bold.length) : row}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

/** The line under a room's history: '── ↑ earlier messages in #games ──────'. */
function Divider({ text, width }: { text: string; width: number }) {
  const label = truncate(`── ↑ ${text} `, width);
  return (
    <Box flexShrink={0}>
      <Text dimColor>{label + '─'.repeat(Math.max(0, width - textWidth(label)))}</Text>
    </Box>
  );
}

function colorOf(message: Message): string | undefined {
  return KIND_COLOR[message.kind];
}

function UserList({ users, me, rows, extensions }: { users: string[]; me: string; rows: number; extensions?: ExtensionView }) {
  const room = rows - 1; // under the heading (`rows` is already inside the border)
  // With rooms the list is the room's; a cut one says the room's true size.
  const size = extensions?.count ?? users.length;
  const heading = extensions?.count !== undefined ? `${size} in room` : extensions?.room !== undefined ? `#${extensions.room} (${size})` : `Online (${size})`;
  const shown = users.length > room ? users.slice(0, Math.max(0, room - 1)) : users;
  const width = USER_LIST_WIDTH - FRAME_COLUMNS;
  return (
    <Box flexDirection="column" width={USER_LIST_WIDTH} flexShrink={0} borderStyle="round" borderColor="gray" paddingX={1} overflow="hidden">
      <Text bold>{truncate(sanitize(heading), width)}</Text>
      {shown.map((user) => {
        const mine = user.toLowerCase() === me.toLowerCase();
        const status = extensions?.statuses[user];
        // Away is dimmed, busy is yellow; the note follows as far as the column goes.
        const mark = status ? ` (${status.status}${status.note ? `: ${status.note}` : ''})` : '';
        return (
          <Text key={user} color={mine ? 'cyan' : status?.status === 'busy' ? 'yellow' : undefined} dimColor={status?.status === 'away'}>
            {truncate(sanitize(user + (mine ? ' (you)' : '') + mark), width)}
          </Text>
        );
      })}
      {shown.length < users.length && <Text dimColor>and {users.length - shown.length} more</Text>}
    </Box>
  );
}

/** One file on the move: '↓ song.ogg from alice ████████░░░░░░░░  52%  10.9 of 20.9 MB'. */
function TransferBar({ transfer, width }: { transfer: TransferProgress; width: number }) {
  const share = transfer.size > 0 ? Math.min(1, transfer.done / transfer.size) : 0;
  const label = truncate(`${transfer.role === 'send' ? '↑' : '↓'} ${sanitize(transfer.name)} ${transfer.role === 'send' ? 'to' : 'from'} ${sanitize(transfer.peer)} `, Math.max(10, Math.floor(width / 2)));
  const figures = ` ${String(Math.floor(share * 100)).padStart(3)}%  ${megabytes(transfer.done)} of ${megabytes(transfer.size)} MB`;
  const barWidth = Math.max(5, width - textWidth(label) - figures.length);
  const full = Math.round(share * barWidth);
  return (
    <Box paddingX={1} flexShrink={0}>
      <Text>
        <Text>{label}</Text>
        <Text color="green">{'█'.repeat(full)}</Text>
        <Text dimColor>{'░'.repeat(barWidth - full)}</Text>
        <Text>{figures}</Text>
      </Text>
    </Box>
  );
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/** One row: how the connection is, who you are, where. What does not fit is cut, the hints first. */
function StatusBar({ chat, width, counted }: { chat: Chat; width: number; counted: boolean }) {
  const { status } = chat;
  // auth (lesson 15): connected, not yet in, waiting for the password typed below.
  const asked = chat.extensions?.passwordAsked && status.state === 'connecting';
  const { dot, color, words } = asked ? { dot: '○', color: 'yellow', words: 'password asked' } : describeStatus(status);
  const reason = status.state === 'reconnecting' || status.state === 'closed' ? `  ${sanitize(status.reason)}` : '';
  const inRoom = chat.extensions?.room;
  const size = chat.extensions?.count ?? chat.users.length;
  const online = counted && status.state === 'connected' ? `  ${size} ${inRoom === undefined ? 'online' : 'in room'}` : '';
  const where = inRoom === undefined ? '' : `  #${sanitize(inRoom)}`;
  const encrypted = chat.encrypted ? ' (TLS, encrypted)' : ''; // lesson 16
  const parts = fitParts([`${dot} ${words}`, `  ${sanitize(chat.name)} @ ${chat.address}${encrypted}${where}${online}`, reason], width);
  const hint = 'Tab completes  ↑↓ history  Ctrl+C quits';
  const room = width - parts.reduce((sum, part) => sum + textWidth(part), 0);
  return (
    <Box paddingX={1} flexShrink={0}>
      <Box flexGrow={1}>
        <Text>
          <Text color={color}>{parts[0]}</Text>
          <Text dimColor>{parts[1]}</Text>
          <Text color={color}>{parts[2]}</Text>
        </Text>
      </Box>
      {status.state === 'connected' && room >= textWidth(hint) + 2 && <Text dimColor>{hint}</Text>}
    </Box>
  );
}

/** The parts, in order, cut so that together they take at most `width` columns. */
function fitParts(parts: string[], width: number): string[] {
  return parts.map((part) => {
    const fitted = truncate(part, width);
    width -= textWidth(fitted);
    return fitted;
  });
}

function describeStatus(status: Status): { dot: string; color: string; words: string } {
  switch (status.state) {
    case 'connecting':
      return { dot: '○', color: 'yellow', words: 'connecting' };
    case 'connected':
      return { dot: '●', color: 'green', words: 'connected' };
    case 'reconnecting':
      return { dot: '○', color: 'yellow', words: `reconnecting in ${Math.ceil(status.retryInMs / 1000)} s (attempt ${status.attempt})` };
    case 'closed':
      return { dot: '×', color: 'red', words: 'closed' };
  }
}

/** [HH:MM:SS] in local time. */
function clock(ts: number): string {
  const d = new Date(ts);
  return `[${[d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')}]`;
}

// C0 controls (ESC, BEL, backspace, CR...), DEL, C1 controls (U+009B is a one-character ESC [),
// and the bidirectional overrides that make text display in an order other than it was written.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A stranger's text, safe to draw: nothing in it can move the cursor, recolour or retitle the terminal. */
export function sanitize(text: string): string {
  return String(text).replace(UNSAFE, '');
}
