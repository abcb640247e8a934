// Lesson 11: the line you type into. ink-text-input edits the text; this component adds
// what a chat needs around it: Enter sends, up and down walk through the lines sent
// before, and Tab completes a name after `/whisper `.

import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';

const HISTORY_SIZE = 100;

export interface InputLineProps {
  /** Names Tab can complete (everyone online but you). */
  names: string[];
  onSubmit(line: string): void;
}

export function InputLine({ names, onSubmit }: InputLineProps) {
  const [value, setValue] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  /** How far back in the history we are: 0 is the line being typed. */
  const [back, setBack] = useState(0);
  /** The unsent line, kept while we look at older ones. */
  const [draft, setDraft] = useState('');
  // TextInput keeps its own cursor and leaves it where it was when the text is replaced
  // from outside. A new key makes a new TextInput, with the cursor at the end.
  const [version, setVersion] = useState(0);

  function replace(text: string): void {
    setValue(text);
    setVersion((v) => v + 1);
  }

  useInput((_input, key) => {
    if (key.upArrow && back < history.length) {
      if (back === 0) setDraft(value);
      replace(history[history.length - 1 - back]!);
      setBack(back + 1);
    } else if (key.downArrow && back > 0) {
      replace(back === 1 ? draft : history[history.length - back + 1]!);
      setBack(back - 1);
    } else if (key.tab) {
      const completed = completeName(value, names);
      if (completed !== value) replace(completed);
    }
  });

  // A paste arrives as one chunk and may hold line breaks and tabs: each line is sent.
  function change(text: string): void {
    const pasted = text.replace(/\t/g, ' ').split(/\r\n|\r|\n/);
    const last = pasted.pop() ?? '';
    for (const line of pasted) submit(line);
    if (pasted.length > 0) replace(last);
    else setValue(last);
  }

  function submit(line: string): void {
    if (line.trim() === '') return;
    onSubmit(line);
    setHistory((old) => [...old, line].slice(-HISTORY_SIZE));
    setBack(0);
    setDraft('');
    replace('');
  }

  return (
    <Box borderStyle="round" borderColor="gray" paddingX={1} flexShrink={0}>
      <Text bold color="cyan">{'> '}</Text>
      <TextInput key={version} value={value} onChange={change} onSubmit={submit} placeholder="Type a message, or /help" />
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
