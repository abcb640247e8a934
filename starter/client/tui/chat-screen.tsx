// Lesson 11: the chat screen. It draws what useChat() knows and turns keys into actions.
// Read the lesson first: npm run lesson 11      Check your work: npm test -- lesson11
// See it run: npm run server (one terminal), npm run chat -- --name alice --mine (another)
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
import { InputLine } from './input-line.js';
import type { Chat, Message, MessageKind, Status } from './use-chat.js';

export function ChatScreen({ chat }: { chat: Chat }) {
  const { exit } = useApp();
  // Given, so that you can always leave: replace it with chat.quit() (see "Leaving cleanly").
  useInput((input, key) => {
    if (key.ctrl && input === 'c') exit();
  });
  // TODO (lesson 11): draw the chat, in a column as tall as the terminal (less one row):
  //  1. The terminal's size from useStdout().stdout.columns and .rows, kept in state and
  //     updated on stdout's 'resize' event (remove the listener in the effect's cleanup).
  //  2. A row: the message list (the last messages that fit, each with its time, its sender,
  //     and a colour chosen by message.kind) beside the user list (chat.users). Wrap each
  //     message yourself with wrapText(text, columns) from app/client/terminal-text.ts, one
  //     <Text> per row, in a <Box flexShrink={0}>: the list cuts what does not fit.
  //     Below 60 columns, leave the user list out.
  //  3. <InputLine names={...} onSubmit={chat.send} width={...} /> (input-line.tsx), then a
  //     status bar of one row: chat.status, chat.name, chat.address, cut to fit (truncate).
  //  4. When chat.status.state becomes 'closed', exit(): with new Error(reason) if it failed.
  //  5. Every string from the network goes through sanitize() before it is drawn.
  return (
    <Box flexDirection="column">
      <Text>TODO (lesson 11): ChatScreen is not written yet. Read the lesson: npm run lesson 11</Text>
      <Text dimColor>Ctrl+C to leave.</Text>
    </Box>
  );
}

/** [HH:MM:SS] in local time. */
export function clock(ts: number): string {
  const d = new Date(ts);
  return `[${[d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')}]`;
}

/** A stranger's text, safe to draw: nothing in it can move the cursor, recolour or retitle the terminal. */
export function sanitize(text: string): string {
  // TODO (lesson 11): remove the control characters U+0000–U+001F, U+007F and U+0080–U+009F.
  return text;
}
