// Lesson 11: the line you type into. ink-text-input edits the text; this component adds
// what a chat needs around it: Enter sends, up and down walk through the lines sent
// before, and Tab completes a name after `/whisper `.
// Read the lesson first: npm run lesson 11      Check your work: npm test -- lesson11

import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';

export interface InputLineProps {
  /** Names Tab can complete (everyone online but you). */
  names: string[];
  onSubmit(line: string): void;
}

// Given: typing and Enter already work.
export function InputLine({ names, onSubmit }: InputLineProps) {
  const [value, setValue] = useState('');

  useInput((_input, key) => {
    // TODO (lesson 11):
    //  - key.upArrow / key.downArrow: walk back and forth through the lines sent before
    //    (keep them in state), showing each in the input; down past the newest gives back
    //    the line you had started.
    //  - key.tab: setValue(completeName(value, names)).
    //  TextInput keeps its own cursor and leaves it where it was when you replace the text
    //  from outside: give <TextInput> a key that changes whenever you do, so that a new one,
    //  with its cursor at the end, takes over.
  });

  function submit(line: string): void {
    if (line.trim() === '') return;
    onSubmit(line);
    setValue('');
  }

  return (
    <Box borderStyle="round" borderColor="gray" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">{'> '}</Text>
      <TextInput value={value} onChange={setValue} onSubmit={submit} placeholder="Type a message, or /help" />
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
