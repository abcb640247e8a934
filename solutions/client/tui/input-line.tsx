// Lesson 11: the line you type into. Every key goes through one reducer, so that keys that
// arrive together (a paste, `hello` + Enter in one read) each see the state the one before
// left: nothing typed is lost or glued to the next line. app/client/line-editor.tsx knows
// the editing keys; this component adds what a chat needs: Enter sends, up and down walk
// through the lines sent before, and Tab completes a name after `/whisper `. A password
// (lesson 15: when the server asks for one, and after `/register `) shows as bullets and is
// never kept in that history.
//
//   keys ──dispatch──> inputReducer ──> { line, history, outbox }
//                                                       │ an effect, after the render
//                                                       └──> onSubmit(line), in order

import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer, useRef } from 'react';
import { completeRoom } from '../../../app/client/chat-extensions.js';
import { textWidth } from '../../../app/client/terminal-text.js';
import { editLine, EMPTY_LINE, keysOf, lineOf, LineView, masked, secretStart, type EditedLine, type LineKey } from '../../../app/client/line-editor.js';

const HISTORY_SIZE = 100;

export interface InputLineProps {
  /** Names Tab can complete (everyone online but you). */
  names: string[];
  /** Rooms Tab can complete after `/join ` (rooms extension; none from a version 1 server). */
  rooms?: string[];
  /** What stands before the text (default '> '): with rooms, the room's name. */
  prompt?: string;
  /** The server asked for a password (auth extension): the line is hidden as it is typed. */
  secret?: boolean;
  onSubmit(line: string): void;
  /** The columns the text may take. */
  width: number;
}

export interface InputState {
  line: EditedLine;
  /** The lines sent, the newest last. */
  history: string[];
  /** How far back in the history we are: 0 is the line being typed. */
  back: number;
  /** The unsent line, kept while we look at older ones. */
  draft: string;
  /** Lines Enter has finished, waiting to be handed to onSubmit (a reducer cannot send). */
  outbox: string[];
}

export type InputAction = { type: 'key'; key: LineKey; names: string[]; rooms?: string[]; secret?: boolean } | { type: 'delivered'; count: number };

export const INITIAL_INPUT: InputState = { line: EMPTY_LINE, history: [], back: 0, draft: '', outbox: [] };

export function inputReducer(state: InputState, action: InputAction): InputState {
  if (action.type === 'delivered') return { ...state, outbox: state.outbox.slice(action.count) };
  const { key, names } = action;
  const { line, history, back } = state;
  switch (key.type) {
    case 'enter': {
      if (line.text.trim() === '') return state;
      // A password never goes into the history: the up arrow would show it to anyone.
      const kept = secretStart(line.text, action.secret) === -1 ? [...history, line.text].slice(-HISTORY_SIZE) : history;
      return { line: EMPTY_LINE, history: kept, back: 0, draft: '', outbox: [...state.outbox, line.text] };
    }
    case 'up': {
      if (back >= history.length) return state;
      const draft = back === 0 ? line.text : state.draft;
      return { ...state, line: lineOf(history[history.length - 1 - back]!), back: back + 1, draft };
    }
    case 'down': {
      if (back === 0) return state;
      const text = back === 1 ? state.draft : history[history.length - back + 1]!;
      return { ...state, line: lineOf(text), back: back - 1 };
    }
    case 'tab': {
      const completed = completeRoom(completeName(line.text, names), action.rooms ?? []);
      if (completed !== line.text) return { ...state, line: lineOf(completed) };
      return key.pasted ? { ...state, line: editLine(line, { type: 'insert', text: ' ' }) } : state;
    }
    default:
      return { ...state, line: editLine(line, key) };
  }
}

export function InputLine({ names, rooms, prompt = '> ', secret = false, onSubmit, width }: InputLineProps) {
  const [state, dispatch] = useReducer(inputReducer, INITIAL_INPUT);
  // Read when a key comes, not when the handler was made: the handler Ink calls may be an
  // older render's, from while the password was asked.
  const secretNow = useRef(secret);
  secretNow.current = secret;

  useInput((input, key) => {
    for (const one of keysOf(input, key)) dispatch({ type: 'key', key: one, names, rooms, secret: secretNow.current });
  });

  // Sending is a side effect: it happens here, after the reducer, each line once and in order.
  useEffect(() => {
    if (state.outbox.length === 0) return;
    for (const line of state.outbox) onSubmit(line);
    dispatch({ type: 'delivered', count: state.outbox.length });
  }, [state.outbox, onSubmit]);

  return (
    <Box borderStyle="round" borderColor="gray" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">{prompt}</Text>
      <LineView
        line={masked(state.line, secretStart(state.line.text, secret))}
        width={width - textWidth(prompt)}
        placeholder={secret ? 'Type your password (it is not shown)' : 'Type a message, or /help'}
      />
    </Box>
  );
}

/**
 * '/whisper ca' → '/whisper Carol ' when Carol is the only name that starts with 'ca',
 * in any case (names are unique without regard to case). With several, as far as they agree.
 */
export function completeName(line: string, names: string[]): string {
  const match = /^(\/whisper\s+)(\S*)$/i.exec(line);
  if (!match) return line;
  const [, command = '', typed = ''] = match;
  const found = names.filter((name) => name.toLowerCase().startsWith(typed.toLowerCase()));
  if (found.length === 0) return line;
  if (found.length === 1) return `${command}${found[0]} `;
  const common = found.reduce((a, b) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i]!.toLowerCase() === b[i]!.toLowerCase()) i++;
    return a.slice(0, i);
  });
  return common.length > typed.length ? command + common : line;
}
