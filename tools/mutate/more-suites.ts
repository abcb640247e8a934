// Suites other than the lessons' own that grade a lesson's files: they draw or run those
// files and check what comes out. `npm run mutate` runs them, with the suites of every lesson
// that edits the file, against each mutant in it. Add a suite here when it tries behaviour
// of a lesson's file that the lesson's suite leaves to it (the extensions' drawing, say).
// Not here: a suite that runs the file in a child process (tests/reference/tls-clients
// checks lesson 16's TLS mark in the status bar): its children would make every mutant of
// the lesson run every test, hours for lesson 11.

//
// Lesson 10's client gains rooms, status, history, passwords and files in later lessons: its
// suite checks only what lesson 10 asks (a student's client may show the rest as plain text),
// so the reference's fast suites for those parts grade them. Not tls-clients (25 s a run).
export const MORE_SUITES: Record<string, string[]> = {
  'client/render-event.ts': ['tests/reference/render-extensions.test.ts'],
  'client/cli.ts': ['tests/reference/cli-password.test.ts', 'tests/reference/file-cli.test.ts', 'tests/reference/cli-rooms.test.ts', 'tests/reference/cli-connection.test.ts'],
  'client/tui/use-chat.ts': ['tests/tui-extensions.test.tsx'],
  'client/tui/chat-screen.tsx': ['tests/tui-extensions.test.tsx'],
  'client/tui/input-line.tsx': ['tests/tui-extensions.test.tsx'],
};
