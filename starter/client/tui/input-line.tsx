// Lesson 11: the line you type into. Every key goes through one reducer, so that keys that
// arrive together (a paste, `hello` + Enter in one read) each see the state the one before
// left: nothing typed is lost or glued to the next line. app/client/line-editor.tsx knows
// the editing keys; this component adds what a chat needs: Enter sends, up and down walk
// through the lines sent before, and Tab completes a name after `/whisper `.
// Read the lesson first: npm run lesson 11      Check your work: npm test -- lesson11
//
//   keys ──dispatch──> inputReducer ──> { line, history, outbox }
//                                                       │ an effect, after the render
//                                                       └──> onSubmit(line), in order

import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer } from 'react';
import { editLine, EMPTY_LINE, keysOf, lineOf, LineView, type EditedLine, type LineKey } from '../../../app/client/line-editor.js';

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

// Given: typing, the editing keys and Enter already work. Yours: history and Tab.
export function inputReducer(state: InputState, action: InputAction): InputState {
  if (action.type === 'delivered') return { ...state, outbox: state.outbox.slice(action.count) };
  const { key } = action;
  const { line } = state;
  switch (key.type) {
    case 'enter': {
      if (line.text.trim() === '') return state;
      // TODO (lesson 11): remember the line in `history` too (the last HISTORY_SIZE lines),
      // and start again from the line being typed (back 0, no draft).
      return { ...state, line: EMPTY_LINE, outbox: [...state.outbox, line.text] };
    }
    case 'up':
    case 'down':
      // TODO (lesson 11): up shows the line sent before (again: the one before that), down
      // goes forward again, and past the newest gives back the draft: the line you had
      // started before the first up. lineOf(text) puts the cursor at the end of a line.
      return state;
    case 'tab':
      // TODO (lesson 11): the line as completeName(line.text, action.names) makes it, with
      // the cursor at its end (lineOf), so that what you type next goes after the name.
      // A tab that completes nothing: ignored, or a space when it came with other text
      // (key.pasted): editLine(line, { type: 'insert', text: ' ' }).
      return state;
    default:
      return { ...state, line: editLine(line, key) };
  }
}

// Given.
export function InputLine({ names, onSubmit, width }: InputLineProps) {
  const [state, dispatch] = useReducer(inputReducer, INITIAL_INPUT);

  useInput((input, key) => {
    for (const one of keysOf(input, key)) dispatch({ type: 'key', key: one, names });
  });

  // Sending is a side effect: it happens here, after the reducer, each line once and in order.
  useEffect(() => {
    if (state.outbox.length === 0) return;
    for (const line of state.outbox) onSubmit(line);
    dispatch({ type: 'delivered', count: state.outbox.length });
  }, [state.outbox, onSubmit]);

  return (
    <Box borderStyle="round" borderColor="gray" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">{'> '}</Text>
      <LineView line={state.line} width={width - 2} placeholder="Type a message, or /help" />
    </Box>
  );
}

/**
 * '/whisper ca' → '/whisper Carol ' when Carol is the only name that starts with 'ca',
 * in any case (names are unique without regard to case). With several, as far as they agree.
 */
export function completeName(line: string, names: string[]): string {
  // TODO (lesson 11): only after '/whisper ' (any case); a single match gets a space after it.
  return line;
}
