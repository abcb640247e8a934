// Suites other than the lessons' own that grade a lesson's files: they draw or run those
// files and check what comes out. `npm run mutate` runs them, with the suites of every lesson
// that edits the file, against each mutant in it. Add a suite here when it tries behaviour
// of a lesson's file that the lesson's suite leaves to it (the extensions' drawing, say).
// Not here: a suite that runs the file in a child process (tests/reference/tls-clients
// checks lesson 16's TLS mark in the status bar): its children would make every mutant of
// the lesson run every test, hours for lesson 11.

export const MORE_SUITES: Record<string, string[]> = {
  'client/tui/use-chat.ts': ['tests/tui-extensions.test.tsx'],
  'client/tui/chat-screen.tsx': ['tests/tui-extensions.test.tsx'],
  'client/tui/input-line.tsx': ['tests/tui-extensions.test.tsx'],
};
