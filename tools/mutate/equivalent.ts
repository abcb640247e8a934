// Survivors that no suite should be made to kill, each with the reason. `npm run mutate`
// marks a survivor that matches one and leaves it out of its second score. Two kinds:
//   equivalent  the mutant changes nothing any caller or client can observe;
//   untestable  it does change behaviour, but only in a way no suite can provoke on every
//               machine (Linux, macOS, Windows; CI runs as root) without timing or luck.
//   elsewhere   a later lesson's part of the file, which a suite this command does not run
//               tries (the reason names it), or which no lesson asks of the student.
// A mutant is matched by its lesson, file, mutator, the original text of the span it changes
// and its replacement (white space squeezed). `line` (a piece of the source line it is on)
// or `after` (the text just before the span) tells apart two mutants that look the same.

export interface Equivalent {
  lesson: number;
  kind: 'equivalent' | 'untestable' | 'elsewhere';
  /** As under solutions/. */
  file: string;
  /** Stryker's mutator name, e.g. 'ConditionalExpression'. */
  mutator: string;
  original: string;
  replacement: string;
  line?: string;
  after?: string;
  why: string;
}

const EACCES = 'EACCES needs a port below 1024 and no right to it: CI runs as root, where every port is allowed, and macOS lets anyone listen on them.';
const OTHER_LISTEN_ERROR = "Any other listen error (a host name DNS cannot resolve, for one) cannot be provoked quickly and offline on every system; the message is then Node's own, with the host and port.";
const BELT_AND_BRACES = "The handshake timer is disarmed twice over: handshake() cancels it on welcome, and when it fires it refuses only a client still without a name. Either alone keeps a user safe (a refused or departed client is closed, and a closed client's sendEvent and close do nothing); without the first, an unref()'d timer fires later and does nothing, which no client can see.";
const WHISPER_NO_MATCH = "The whisper's regular expression fails only when no message follows the user; the user and the message are then both missing, and either being empty already sends USAGE, so what else the defaults hold, or whether the user is also compared with '', cannot change the answer.";
const WHISPER_ARGS = "args comes from parseCommand with the spaces after the command name taken off, so it starts with a non-space: the first match is at 0 with or without ^; .+ under the s flag runs to the end with or without $; and white space beyond the first goes into the message, which is trimmed.";
const COMMAND_LINE = "parseCommand only sees a line that starts with /, and every other part of its expression may match nothing: it always matches, at 0 with or without ^, to the end with or without $ (.* under the s flag), so the defaults are never used.";
const SERVER_LOG = "The server's own log lines are for the person who started it, and the lesson leaves their wording free: it asks only that a failed shutdown print why, which the suite checks.";
const EMPTY_PIECE = "When a chunk ends with its '\\n', what is left of it is empty: keeping an empty piece adds no bytes to the pending count, and the next line's concat gives the same bytes; the piece is dropped with the rest when that line completes.";
const SINGLE_RELEASE = "Only runExclusive's finally calls release(), exactly once; lock() is no part of MutexLike (the lesson only allows it), so nobody can release twice and the guard never fires.";

const NEVER_WITHOUT_ERROR = "A socket that closes before 'connect' has always emitted 'error' first (refused, reset, a failed TLS check), so lastError is set: the line for no error at all is never shown.";
const COMMAND_ANSWERED = "Every command gets an answer from the server (a reply, an error, a whisper's confirmation), and showing it draws the prompt again: redrawing it at once for a command only matters while that answer is on its way.";

const UNREACHABLE_DEFAULT = "parseEvent() turns every type it does not know into 'unknown', which renderEvent() handles first: the default case is there for TypeScript (the never check), and no event reaches it.";
const DEFAULT_BRANCH = `default: {
      // Every type has its case above, so TypeScript knows \`event\` cannot be anything here.
      // Add a type to app/protocol.ts and this line stops compiling until it gets a case.
      const unhandled: never = event;
      return sanitize(JSON.stringify(unhandled));
    }`;
const NOT_ONLINE = "notOnline only lets statusesOf() skip the look-ups when nobody is away or busy: without it, or with a client left in it (after /back, or gone), the look-ups run and find no entry, so every list is the same, only built more slowly.";
const LISTED_ROOM = "listing() is only asked about the room of a user who is in it (the wiring lists the asker's own room, or the mover's new one), so the room exists: the fallback for a missing room is never used.";
const DRAFT_SET_FIRST = "The draft is read only by a down that returns to the line being typed (back 1), and back only grows from 0 through an up, which sets the draft first: what it held before is never shown.";
const CASE_ONLY = "Every name found starts with what was typed, so their common part is never shorter than it: when it is just as long, completing it changes only the case of the letters typed, and the server finds names without regard to case.";
// Lesson 11, client/tui/use-chat.ts: the hook's connection.
const SAME_STATUS = "A status equal to the current one changes nothing a reader of the state can see: without the early return the reducer builds an equal state (users are already [] offline, and kept when connected), and the screen draws the same frame once more.";
const CONNECTED_BY_WELCOME = "The hook never dispatches a status 'connected': only the welcome makes it, and sets users itself. A status action reaches this line only for connecting, reconnecting or closed (a status equal to the current one returned just above), where users become [] either way.";
const EMPTY_CHUNK = "A chunk without a complete line gives no events, and a 'received' action with none returns the very same state (a reduce over nothing): React does not even draw again.";
const STABLE_CALLBACK = "connection.current is set by the effect, which runs right after the first render, before any key or test can call send() or quit(); and useCallback's list only decides when React makes a new function: a list that never changes keeps the one function, as [] does.";
const PASSWORD_TUI = "Lesson 15's password step in the full-screen chat (the reference's own: lesson 11's starter has none of it): tests/tui-extensions.test.tsx types a password as bullets and checks where it goes; a line after the password, or after a reconnection, that also goes out unshown is not tried.";
const FILES_TUI = "Lesson 17's /send, /accept and /reject in the full-screen chat (the reference's own: lesson 11's starter has none of it), tried by tests/tui-extensions.test.tsx (the offer, the outcome in words, the progress bar), which npm run mutate does not run: killed there, by hand.";
const FILES_OFFLINE = "Lesson 17's /send while not connected (the reference's own: lesson 11's starter has none of it): FileTransfers refuses an offer before it is sent, and no suite offers a file while the chat is away.";
const TLS_TUI = "Lesson 16's TLS in the full-screen chat (lesson 11's starter has no `encrypted` and no CLOSED_BEFORE_HELLO): tests/reference/tls-clients.test.tsx, which npm run mutate does not run, checks the status bar's '(TLS, encrypted)' (killed there, by hand); the words for a server that never says hello (a plain client on a TLS port) it tries for the command-line client only.";
const LATER_EVENTS = "No event reaches it through the hook: withExtensions (app/client/chat-extensions.ts) answers room, rooms, status, history, password and the file events itself, and parseEvent makes any other type 'unknown'. What a lesson 11 reducer does with a later lesson's event on its own, the lesson leaves to the student.";
const ONLY_ERRORS_CODE = "In the protocol only an error carries a code: an event of another type with a closing error's code is a server that lies, and believing it is as good as not.";
const CLOSE_ONCE = "A socket emits 'close' once, and connect() opens the next one only from the retry timer that the previous socket's onClosed set: when 'close' comes, that socket is always the current one. The check guards against a future change, not a present path.";

const WRONG_LIST_MEMORY = "recentWrong() filters the list by the window every time it is read, and the lock compares its length with MAX_WRONG: keeping an empty list in the Map, a stale one, or more than the last MAX_WRONG times changes only memory (bounded anyway: a wrong try is counted only for a name with a row), never an answer.";
const WINDOW_EDGE = "A wrong try exactly 60 000 ms old is at the edge of \"the last 60 s\": in or out is a convention neither PROTOCOL.md nor the lesson fixes, so both are right, and a suite must not insist on either.";
const DRAINED_CHECKS = "sendFile's drained() resolves at once unless socket.writableNeedDrain: calling it before a write that needs no wait (full set to true, or tested as true) waits for nothing, so every write happens as before.";
const CLOSED_NEVER_DRAINS = "Once the socket has closed it never emits 'drain': the 'drain' listener left on it can never run, and the socket is dropped with it.";
const RELAY_ERROR_UNSEEN = "copy()'s rejections never leave the relay: run() catches any of them as 'incomplete', so the error's text is read by nobody.";
const CLOSE_LATER_TICK = "destroy() emits 'close' on a later tick, and nothing awaits between the write that saw the receiver close and this wait: without the destroyed check, the 'close' listener set next still hears it and rejects the same. (Only a receiver that drains and closes in one tick, between two of the relay's steps, tells them apart.)";
const FROM_SET = "The screen reads message.from only for chat and whisper lines, and message.to only for a whisper of yours: the hook gives every such message both (the suites draw the screen on the reference hook, or on messages that have them), so the fallback for a missing one is never drawn.";
const PLACEHOLDER = "InputLine's drawing is given to the student (inputReducer and completeName are theirs), and the grey words in an empty input are a hint only: what is typed, sent and masked is the same without them.";
const HINT_GAP = 'It differs only at the few widths where the key hints would fit with fewer than two spaces before them, or exactly two: the lesson asks that they show when they fit and never wrap, which both do; the gap is taste.';
const LAST_ROW = "Both differ only when the list holds exactly as many users as it has rows: the last row then shows the last name, or 'and 1 more'. Either fills the same row and accounts for everyone, which is what the suite asks (every user named or counted).";
const REFUSED_SPELLED_OUT = "explainConnectError() gives ECONNREFUSED the very line lesson 1 asks for ('Connection refused. Is the server running?'): joinChat() tests the code itself only to show that line to a reader of lesson 1, before lesson 16 brings the helper's other cases.";
export const EQUIVALENT: Equivalent[] = [
  {
    lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'BooleanLiteral', original: 'true', replacement: 'false', after: 'noDelay: ',
    why: "Nagle's algorithm only holds back a small write while earlier bytes wait for their ACK: the same bytes arrive in the same order, and on loopback the delay cannot be told from scheduling noise without a flaky timing test.",
  },
  { lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'ConditionalExpression', original: "case 'EACCES': return `Not allowed to listen on port ${port}. Ports below 1024 need special rights; pick one above 1024.`;", replacement: "case 'EACCES':", why: EACCES },
  { lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'StringLiteral', original: "'EACCES'", replacement: '""', why: EACCES },
  { lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'StringLiteral', original: '`Not allowed to listen on port ${port}. Ports below 1024 need special rights; pick one above 1024.`', replacement: '``', why: EACCES },
  { lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'ConditionalExpression', original: 'default: return `Could not listen on ${host}:${port}: ${err.message}`;', replacement: 'default:', why: OTHER_LISTEN_ERROR },
  { lesson: 2, kind: 'untestable', file: 'server/listen.ts', mutator: 'StringLiteral', original: '`Could not listen on ${host}:${port}: ${err.message}`', replacement: '``', why: OTHER_LISTEN_ERROR },
  {
    lesson: 7, kind: 'equivalent', file: 'server/claim-name.ts', mutator: 'StringLiteral', original: "'gone'", replacement: '""',
    why: "The handshake's switch over the outcome has no default: any value it does not know, like 'gone', sends nothing. (tsc would refuse \"\", which is no ClaimOutcome.)",
  },
  { lesson: 7, kind: 'equivalent', file: 'server/mutex.ts', mutator: 'ConditionalExpression', original: 'released', replacement: 'false', why: SINGLE_RELEASE },
  { lesson: 7, kind: 'equivalent', file: 'server/mutex.ts', mutator: 'BooleanLiteral', original: 'true', replacement: 'false', line: 'released = true', why: SINGLE_RELEASE },
  {
    lesson: 5, kind: 'equivalent', file: 'server/handshake.ts', mutator: 'StringLiteral', original: "'gone'", replacement: '""',
    why: "The switch over claimName's outcome has no default: an outcome no case names, like 'gone', sends nothing, which is what case 'gone' does. (tsc would refuse \"\", which is no ClaimOutcome.)",
  },
  { lesson: 5, kind: 'equivalent', file: 'server/handshake.ts', mutator: 'ConditionalExpression', original: "client.name === ''", replacement: 'true', line: "refuse(client, 'TIMEOUT'", why: BELT_AND_BRACES },
  { lesson: 5, kind: 'equivalent', file: 'server/handshake.ts', mutator: 'CallExpression', original: 'clearTimeout(timeouts.get(client));', replacement: ';', why: BELT_AND_BRACES },
  { lesson: 5, kind: 'equivalent', file: 'server/handshake.ts', mutator: 'CallExpression', original: 'timeouts.set(client, timer);', replacement: ';', why: BELT_AND_BRACES },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "'Available commands:'", replacement: '""', why: "The protocol leaves the help's wording free (it must name the four commands, which the suite checks); a help without its heading line is no bug anyone would report." },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'const [, user = ', why: WHISPER_NO_MATCH },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: "const [, user = '', message = ", why: WHISPER_NO_MATCH },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: '/^(\\S+)\\s+(.+)$/s', why: WHISPER_NO_MATCH },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'ConditionalExpression', original: "user === ''", replacement: 'false', why: WHISPER_NO_MATCH },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'if (user === ', why: WHISPER_NO_MATCH },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'Regex', original: '/^(\\S+)\\s+(.+)$/s', replacement: '/(\\S+)\\s+(.+)$/s', why: WHISPER_ARGS },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'Regex', original: '/^(\\S+)\\s+(.+)$/s', replacement: '/^(\\S+)\\s+(.+)/s', why: WHISPER_ARGS },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'Regex', original: '/^(\\S+)\\s+(.+)$/s', replacement: '/^(\\S+)\\s(.+)$/s', why: WHISPER_ARGS },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'const [, name = ', why: COMMAND_LINE },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: "const [, name = '', args = ", why: COMMAND_LINE },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: '/^\\/(\\S*)\\s*(.*)$/s', why: COMMAND_LINE },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'Regex', original: '/^\\/(\\S*)\\s*(.*)$/s', replacement: '/\\/(\\S*)\\s*(.*)$/s', why: COMMAND_LINE },
  { lesson: 6, kind: 'equivalent', file: 'server/commands.ts', mutator: 'Regex', original: '/^\\/(\\S*)\\s*(.*)$/s', replacement: '/^\\/(\\S*)\\s*(.*)/s', why: COMMAND_LINE },
  { lesson: 8, kind: 'equivalent', file: 'server/lifecycle.ts', mutator: 'StringLiteral', original: '`\\n[SERVER] ${signal}: telling every client and shutting down...`', replacement: '``', why: SERVER_LOG },
  { lesson: 8, kind: 'equivalent', file: 'server/lifecycle.ts', mutator: 'StringLiteral', original: "'[SERVER] Stopped.'", replacement: '""', why: SERVER_LOG },
  { lesson: 4, kind: 'equivalent', file: 'server/line-decoder.ts', mutator: 'ConditionalExpression', original: 'start < chunk.length', replacement: 'true', why: EMPTY_PIECE },
  { lesson: 4, kind: 'equivalent', file: 'server/line-decoder.ts', mutator: 'EqualityOperator', original: 'start < chunk.length', replacement: 'start <= chunk.length', why: EMPTY_PIECE },
  { lesson: 4, kind: 'equivalent', file: 'server/line-decoder.ts', mutator: 'ConditionalExpression', original: 'this.pendingBytes === 0', replacement: 'false', why: 'A shortcut only: with nothing pending, Buffer.concat([...this.pending, tail]) holds the same bytes as tail (a copy instead of a view).' },
  {
    lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', line: "let me = ''",
    why: "Your name is only compared with a whisper's from, and whispers reach only a logged-in user: the welcome has set it by then.",
  },
  {
    lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'StringLiteral', original: "'bye'", replacement: '""',
    why: "A bye only ever answers your own /quit, so quitting is already true: the ending is 'Disconnected.' and exit code 0 with or without it.",
  },
  {
    lesson: 10, kind: 'untestable', file: 'client/cli.ts', mutator: 'CallExpression', original: 'socket.end();', replacement: ';',
    why: "Without end(), the grace timer hangs up 2 seconds later: the same FIN, only later, and telling the two apart needs a timing assertion.",
  },
  {
    lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'CallExpression', original: 'keyboard.close();', replacement: ';', after: 'finished = true;\n      ',
    why: "npm run cli lets go of the keyboard itself once runCli() resolves (cli-main.ts destroys stdin), and Node gives a terminal its mode back as it exits.",
  },
  { lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'ConditionalExpression', original: 'lastError', replacement: 'true', line: 'no answer', why: NEVER_WITHOUT_ERROR },
  { lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'StringLiteral', original: '`Could not reach ${host}:${port}: no answer`', replacement: '``', why: NEVER_WITHOUT_ERROR },
  { lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'ConditionalExpression', original: 'keyboard.terminal', replacement: 'false', line: 'if (keyboard.terminal) keyboard.prompt();', why: COMMAND_ANSWERED },
  { lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'CallExpression', original: 'keyboard.prompt();', replacement: ';', line: 'if (keyboard.terminal) keyboard.prompt();', why: COMMAND_ANSWERED },
  {
    lesson: 10, kind: 'equivalent', file: 'client/cli.ts', mutator: 'ConditionalExpression', original: 'history[0] === keyboard.line', replacement: 'true',
    why: "readline (Node 20, 22 and 24 alike) emits 'history' only for a line it has just put first in the history, or found there already: history[0] is always the line typed, so the check is a guard that never fails.",
  },
  {
    lesson: 10, kind: 'untestable', file: 'client/cli.ts', mutator: 'ConditionalExpression', original: 'ended', replacement: 'false', line: 'shownTenths.delete(t.id)',
    why: "At its end a transfer has shown its last tenth already (100%, told at once), so the end only forgets it; a last line would show only for one that stops between two reports (100 ms apart) in a tenth not shown yet, which needs a transfer cut at a chosen moment, and it would then say how far it got.",
  },
  { lesson: 10, kind: 'equivalent', file: 'client/render-event.ts', mutator: 'ConditionalExpression', original: DEFAULT_BRANCH, replacement: 'default:', why: UNREACHABLE_DEFAULT },
  { lesson: 10, kind: 'equivalent', file: 'client/render-event.ts', mutator: 'BlockStatement', original: DEFAULT_BRANCH.slice('default: '.length), replacement: '{}', why: UNREACHABLE_DEFAULT },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'ConditionalExpression', original: "status === 'online'", replacement: 'false', line: 'this.notOnline.delete(client)', why: NOT_ONLINE },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'StringLiteral', original: "'online'", replacement: '""', line: 'this.notOnline.delete(client)', why: NOT_ONLINE },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'CallExpression', original: 'this.notOnline.delete(client);', replacement: ';', line: "if (status === 'online') this.notOnline.delete(client);", why: NOT_ONLINE },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'ConditionalExpression', original: 'client.closed', replacement: 'false', why: NOT_ONLINE },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'CallExpression', original: 'this.notOnline.delete(client);', replacement: ';', line: 'if (client.closed)', why: NOT_ONLINE },
  { lesson: 13, kind: 'equivalent', file: 'server/statuses.ts', mutator: 'ConditionalExpression', original: 'this.notOnline.size === 0', replacement: 'false', why: NOT_ONLINE },
  {
    lesson: 12, kind: 'equivalent', file: 'server/rooms.ts', mutator: 'ArrayDeclaration', original: '[[LOBBY, { members: new Set(), names: [] }]]', replacement: '[]',
    why: "Without the lobby made up front, the first enter() makes it (put() creates a missing room), and take() never deletes it: nobody can ask about the lobby before someone has entered it.",
  },
  { lesson: 12, kind: 'equivalent', file: 'server/rooms.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: 'this.rooms.get(room)?.names ?? []', why: LISTED_ROOM },
  { lesson: 12, kind: 'equivalent', file: 'server/rooms.ts', mutator: 'OptionalChaining', original: 'this.rooms.get(room)?.names', replacement: 'this.rooms.get(room).names', why: LISTED_ROOM },
  {
    lesson: 12, kind: 'equivalent', file: 'server/rooms.ts', mutator: 'EqualityOperator', original: 'a.name < b.name', replacement: 'a.name <= b.name',
    why: 'Room names are the keys of a Map, so no two are equal: < and <= order them the same.',
  },
  {
    lesson: 12, kind: 'equivalent', file: 'server/rooms.ts', mutator: 'ConditionalExpression', original: 'name === undefined', replacement: 'false',
    why: 'For TypeScript only: Map.get(undefined) is undefined too, so a client in no room is turned away the same.',
  },
  {
    lesson: 12, kind: 'untestable', file: 'server/rooms.ts', mutator: 'CallExpression', original: 'this.where.delete(client);', replacement: ';',
    why: "Forgetting it keeps one entry per departed user in the where map (the client, and with it its socket), a leak that changes nothing on the wire: a client that comes back is a new object, and take() of one already gone finds it in no room's members. Seeing it needs the heap measured, which no suite does reliably in a second.",
  },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'history: [], back: 0, draft: ', why: DRAFT_SET_FIRST },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'history: kept, back: 0, draft: ', why: DRAFT_SET_FIRST },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'EqualityOperator', original: 'common.length > typed.length', replacement: 'common.length >= typed.length', why: CASE_ONLY },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'ConditionalExpression', original: 'common.length > typed.length', replacement: 'true', why: CASE_ONLY },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "'key'", replacement: '""', line: 'keysOf(input, key)',
    why: "inputReducer tells apart only 'delivered': an action of any other type is a key, so the key is applied the same.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "'> '", replacement: '""',
    why: "InputLine is given to the student (inputReducer and completeName are theirs), and the prompt before the text is decoration: the screen passes none without rooms, and with rooms the room's name.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'const [, command = ',
    why: "Both groups of /^(\\/whisper\\s+)(\\S*)$/i always take part in a match (the second may be empty, which is not undefined): the defaults are never used.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: "const [, command = '', typed = ",
    why: "Both groups of /^(\\/whisper\\s+)(\\S*)$/i always take part in a match (the second may be empty, which is not undefined): the defaults are never used.",
  },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'JSON.stringify(action.status) === JSON.stringify(state.status)', replacement: 'false', why: SAME_STATUS },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'action.status.state === \'connected\'', replacement: 'false', why: CONNECTED_BY_WELCOME },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: '\'connected\'', replacement: '""', line: 'users: action.status.state === \'connected\'', why: CONNECTED_BY_WELCOME },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'events.length > 0', replacement: 'true', why: EMPTY_CHUNK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'EqualityOperator', original: 'events.length > 0', replacement: 'events.length >= 0', why: EMPTY_CHUNK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'current === socket', replacement: 'true', why: CLOSE_ONCE },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'OptionalChaining', original: 'connection.current?.send', replacement: 'connection.current.send', why: STABLE_CALLBACK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'OptionalChaining', original: 'connection.current?.quit', replacement: 'connection.current.quit', why: STABLE_CALLBACK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: 'connection.current?.send(line), []', why: STABLE_CALLBACK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: 'connection.current?.quit(), []', why: STABLE_CALLBACK },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: '{ shutdown: false, greeted: false }', replacement: '{}',
    why: 'Both fields are only ever read as true or false, and undefined reads as false: an ending that starts empty ends the same.',
  },
  {
    lesson: 11, kind: 'untestable', file: 'client/tui/use-chat.ts', mutator: 'BooleanLiteral', original: 'true', replacement: 'false', line: 'setNoDelay(true)',
    why: "With Nagle's algorithm on, a small write waits only while an earlier one is unacknowledged; on loopback the acknowledgement comes at once, so a test sees a delay only by luck (and Linux, macOS and Windows differ in when they acknowledge).",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'OptionalChaining', original: 'socket?.destroy', replacement: 'socket.destroy', line: 'socket?.destroy();',
    why: "In close() (the effect's cleanup), stopped is set and the retry timer cleared before this line: when there is no socket (reconnecting), the TypeError it throws is caught by React, which reports it on the console and unmounts anyway; nothing more happens either way.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'CallExpression', original: 'clearTimeout(retryTimer);', replacement: ';',
    why: "In quit() and finish() each: a retry is pending only while there is no socket, and then quit() calls finish(), so either one clearing the timer is enough; when connected there is no timer to clear.",
  },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'BooleanLiteral', original: 'false', replacement: 'true', line: 'passwordAsked = false;', why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: "event.type === 'password'", replacement: 'false', why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'socket && passwordAsked', replacement: 'false', why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'\\n'", replacement: '""', line: 'return void socket.write(trimmed', why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'files.command(trimmed)', replacement: 'false', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'socket && loggedIn', replacement: 'false', line: 'send: (line) =>', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'socket && loggedIn', replacement: 'true', line: 'send: (line) =>', why: FILES_OFFLINE },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'LogicalOperator', original: 'socket && loggedIn', replacement: 'socket || loggedIn', line: 'send: (line) =>', why: FILES_OFFLINE },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'\\n'", replacement: '""', line: 'send: (line) =>', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'error'", replacement: '""', line: 'the file was not offered', why: FILES_OFFLINE },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'Not connected: the file was not offered.'", replacement: '""', why: FILES_OFFLINE },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ArrowFunction', original: '(kind, text) => note(kind, text)', replacement: '() => undefined', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ArrowFunction', original: "(progress, ended) => dispatch({ type: 'transfer', progress, ended: ended ?? false })", replacement: '() => undefined', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: "{ type: 'transfer', progress, ended: ended ?? false }", replacement: '{}', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'transfer'", replacement: '""', line: 'progress: (progress, ended)', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'LogicalOperator', original: 'ended ?? false', replacement: 'ended && false', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'BooleanLiteral', original: 'false', replacement: 'true', line: 'ended: ended ?? false', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'downloads'", replacement: '""', why: "Lesson 17's folder for received files, a default the full-screen chat passes on to FileTransfers; chat-main gives --downloads, and no suite saves a file through the hook without it." },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'tls !== undefined', replacement: 'true', why: TLS_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'tls !== undefined', replacement: 'false', why: TLS_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'EqualityOperator', original: 'tls !== undefined', replacement: 'tls === undefined', why: TLS_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'BooleanLiteral', original: 'false', replacement: 'true', after: 'shutdown: false, greeted: ', why: TLS_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: 'ending.greeted', replacement: 'true', why: TLS_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: "default:\n      // Rooms and status events (lessons 12, 13): shown as they came, until this screen knows them.\n      return addMessages(state, [{ kind: 'info', text: JSON.stringify(event), ts: at }]);", replacement: "default:", why: LATER_EVENTS },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ArrayDeclaration', original: "[{ kind: 'info', text: JSON.stringify(event), ts: at }]", replacement: "[]", why: LATER_EVENTS },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: "{ kind: 'info', text: JSON.stringify(event), ts: at }", replacement: "{}", why: LATER_EVENTS },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'info'", replacement: "\"\"", line: 'text: JSON.stringify(event), ts: at', why: LATER_EVENTS },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: "{\n    address: { host, port, tls },\n    downloads,\n    piece: filePiece,\n    send: (line) => (socket && loggedIn ? socket.write(line + '\\n') : note('error', 'Not connected: the file was not offered.')),\n    say: (kind, text) => note(kind, text),\n    progress: (progress, ended) => dispatch({ type: 'transfer', progress, ended: ended ?? false }),\n  }", replacement: "{}", why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: "{ host, port, tls }", replacement: "{}", line: 'address: { host, port, tls },', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ArrowFunction', original: "(line) => (socket && loggedIn ? socket.write(line + '\\n') : note('error', 'Not connected: the file was not offered.'))", replacement: "() => undefined", why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ArrowFunction', original: "(kind: MessageKind, text: string) => dispatch({ type: 'note', kind, text, at: Date.now() })", replacement: "() => undefined", why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: "{ type: 'note', kind, text, at: Date.now() }", replacement: "{}", line: 'const note =', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'note'", replacement: "\"\"", line: 'const note =', why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'CallExpression', original: "files.onEvent(event);", replacement: ";", why: FILES_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'BooleanLiteral', original: "true", replacement: "false", line: "if (event.type === 'password') passwordAsked = true;", why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "'password'", replacement: "\"\"", line: "if (event.type === 'password')", why: PASSWORD_TUI },
  { lesson: 11, kind: 'elsewhere', file: 'client/tui/use-chat.ts', mutator: 'BlockStatement', original: "{\n      // The answer to `password`: sent as it is, shown nowhere, kept nowhere.\n      passwordAsked = false;\n      return void socket.write(trimmed + '\\n');\n    }", replacement: "{}", why: PASSWORD_TUI },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'ConditionalExpression', original: "event.type === 'error'", replacement: "true", line: 'CLOSING_ERRORS.has(event.code)', why: ONLY_ERRORS_CODE },
  {
    lesson: 11, kind: 'untestable', file: 'client/tui/use-chat.ts', mutator: 'ObjectLiteral', original: '{ host, port, tls }', replacement: '{}', line: 'explainConnectError(ending.error',
    why: "The target only goes into the words for errors other than a refused connection (a host that does not answer, a TLS certificate): OTHER_CONNECT_ERROR, and lesson 16's own suite for TLS.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/use-chat.ts', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', line: ".includes(ending.refusal?.code ?? '')",
    why: 'Without a refusal the code looked up must be none of the three names: an empty string and any other text that is not one of them answer the same.',
  },
  {
    lesson: 11, kind: 'untestable', file: 'client/tui/use-chat.ts', mutator: 'ArrowFunction', original: '() => leavingSocket.destroy()', replacement: '() => undefined',
    why: "Only a server that breaks the protocol (no bye, no close after /quit) needs the grace timer, and it fires after QUIT_GRACE_MS, a second: a test of it would add that second to every run of a suite that must answer in about one.",
  },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'MethodExpression', original: '[...this.recentWrong(name), this.now()].slice(-MAX_WRONG)', replacement: '[...this.recentWrong(name), this.now()]', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', line: 'this.wrong.get(key) ?? []', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'ConditionalExpression', original: 'times.length > 0', replacement: 'true', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'EqualityOperator', original: 'times.length > 0', replacement: 'times.length >= 0', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'CallExpression', original: 'this.wrong.set(key, times);', replacement: ';', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'CallExpression', original: 'this.wrong.delete(key);', replacement: ';', why: WRONG_LIST_MEMORY },
  { lesson: 15, kind: 'equivalent', file: 'server/accounts.ts', mutator: 'EqualityOperator', original: 't > since', replacement: 't >= since', why: WINDOW_EDGE },
  {
    lesson: 18, kind: 'equivalent', file: 'server/batching.ts', mutator: 'ConditionalExpression', original: 'this.pending.length === 0', replacement: 'true',
    why: "Asking the flusher on every add() rather than on a batch's first: the flusher keeps each target once in its Set and schedules one pass however often it is asked, so the same writes come at the same time; only a Set lookup per line is added.",
  },
  {
    lesson: 18, kind: 'equivalent', file: 'server/batching.ts', mutator: 'EqualityOperator', original: 'this.size >= FLUSH_AT_CHARS', replacement: 'this.size > FLUSH_AT_CHARS',
    why: 'The early flush at 64 KiB or one character past it: FLUSH_AT_CHARS bounds what waits in memory, and one character more or less changes nothing that bound protects.',
  },
  {
    lesson: 18, kind: 'equivalent', file: 'server/batching.ts', mutator: 'EqualityOperator', original: 'rest >= 1', replacement: 'rest > 1',
    why: 'performance.now() counts fractions of a millisecond: a rest of exactly 1 ms is not met in practice, and there a 1 ms timer and setImmediate differ by less than a timer can tell.',
  },
  {
    lesson: 19, kind: 'equivalent', file: 'server/cluster-link.ts', mutator: 'ConditionalExpression', original: 'channel === CLUSTER_CHANNEL', replacement: 'true',
    why: "The subscriber is the link's own connection, and only subscribe() subscribes it, to CLUSTER_CHANNEL alone: no message of another channel ever arrives on it. The check guards against a subscriber shared with other channels, which the course never does.",
  },
  {
    lesson: 16, kind: 'equivalent', file: 'server/listen-tls.ts', mutator: 'StringLiteral', original: "'TLSv1.2'", replacement: '""',
    why: "tls.createServer() takes an empty minVersion as none given, and Node's own minimum is TLS 1.2 (tls.DEFAULT_MIN_VERSION): the same versions are accepted. The lesson asks for it written down, to say that you mean it.",
  },
  {
    lesson: 16, kind: 'untestable', file: 'server/listen-tls.ts', mutator: 'BooleanLiteral', original: 'true', replacement: 'false', after: 'noDelay: ',
    why: "As lesson 2's noDelay: Nagle's algorithm only holds back a small write while earlier bytes wait for their ACK; on loopback the delay cannot be told from scheduling noise without a flaky timing test.",
  },
  {
    lesson: 17, kind: 'equivalent', file: 'client/file-transfer.ts', mutator: 'CallExpression', original: 'socket.resume();', replacement: ';',
    why: "openDataConnection() pauses the socket with nothing in its buffer, and nothing comes on a data connection after the hello: Node's socket still reads the server's end (it calls read(0) on EOF), so 'close' comes without resume(). It would matter only for bytes nobody reads, which the protocol never sends there.",
  },
  { lesson: 17, kind: 'equivalent', file: 'client/file-transfer.ts', mutator: 'BooleanLiteral', original: 'false', replacement: 'true', after: 'let full = ', why: DRAINED_CHECKS },
  { lesson: 17, kind: 'equivalent', file: 'client/file-transfer.ts', mutator: 'ConditionalExpression', original: 'full', replacement: 'true', line: 'if (full) await drained(socket);', why: DRAINED_CHECKS },
  { lesson: 17, kind: 'equivalent', file: 'client/file-transfer.ts', mutator: 'StringLiteral', original: "'drain'", replacement: '""', line: "socket.off('drain', onDrain);", why: CLOSED_NEVER_DRAINS },
  {
    lesson: 17, kind: 'equivalent', file: 'server/file-relay.ts', mutator: 'StringLiteral', original: "'receive'", replacement: '""',
    why: "attach() asks only whether a side's role is 'send': any other role, '' too, makes its socket the receiver, as 'receive' does.",
  },
  {
    lesson: 17, kind: 'equivalent', file: 'server/file-relay.ts', mutator: 'CallExpression', original: 'sender.destroy();', replacement: ';', line: 'done reading',
    why: "run() destroys the receiver on the next line, and the receiver's 'close' listener (set at the start of run()) destroys the sender: it is closed either way, a tick later.",
  },
  { lesson: 17, kind: 'equivalent', file: 'server/file-relay.ts', mutator: 'StringLiteral', original: "'drain'", replacement: '""', line: "socket.off('drain', onDrain);", why: CLOSED_NEVER_DRAINS },
  { lesson: 17, kind: 'equivalent', file: 'server/file-relay.ts', mutator: 'StringLiteral', original: "'the receiver closed'", replacement: '""', why: RELAY_ERROR_UNSEEN },
  { lesson: 17, kind: 'untestable', file: 'server/file-relay.ts', mutator: 'ConditionalExpression', original: 'socket.destroyed', replacement: 'false', line: "if (socket.destroyed) return reject(new Error('the receiver closed'));", why: CLOSE_LATER_TICK },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "'Type your password (it is not shown)'", replacement: '""', why: PLACEHOLDER },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "'Type a message, or /help'", replacement: '""', why: PLACEHOLDER },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'ArithmeticOperator', original: 'OTHER_ROWS + 3', replacement: 'OTHER_ROWS - 3',
    why: 'The floor only matters in a terminal under 10 rows, where the screen keeps three rows of messages and runs past the bottom (or, mutated, keeps one): the lesson asks nothing of a terminal that small, and neither choice shows the chat well.',
  },
  {
    lesson: 11, kind: 'untestable', file: 'client/tui/chat-screen.tsx', mutator: 'StringLiteral', original: "'resize'", replacement: '""', line: 'stdout.off(',
    why: "The screen is unmounted only when the app ends: a 'resize' listener left on stdout then calls setSize() on a component that is gone, which React ignores. Nothing is drawn differently.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'ArrayDeclaration', original: '[stdout]', replacement: '[]',
    why: "useStdout() gives the stream Ink was rendered with, the same object for the app's whole life: an effect that depends on it runs once either way.",
  },
  {
    lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'MethodExpression', original: 'messages.slice(-rows)', replacement: 'messages',
    why: 'The list is pinned to the bottom (justifyContent flex-end) and hides what overflows at the top: with every message drawn, the rows that show are the same. The slice only spares laying out messages that cannot show, as each takes a row at least.',
  },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'const from = sanitize(message.from ?? ', why: FROM_SET },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: 'const to = sanitize(message.to ?? ', why: FROM_SET },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'ArithmeticOperator', original: 'textWidth(hint) + 2', replacement: 'textWidth(hint) - 2', why: HINT_GAP },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'EqualityOperator', original: 'room >= textWidth(hint) + 2', replacement: 'room > textWidth(hint) + 2', why: HINT_GAP },
  {
    lesson: 11, kind: 'untestable', file: 'client/tui/chat-screen.tsx', mutator: 'BlockStatement', original: "{ stdout.off('resize', onResize); }", replacement: '{}',
    why: "The screen is unmounted only when the app ends: a 'resize' listener left on stdout then calls setSize() on a component that is gone, which React ignores. Nothing is drawn differently.",
  },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'ConditionalExpression', original: 'users.length > room', replacement: 'true', why: LAST_ROW },
  { lesson: 11, kind: 'equivalent', file: 'client/tui/chat-screen.tsx', mutator: 'EqualityOperator', original: 'users.length > room', replacement: 'users.length >= room', why: LAST_ROW },
  { lesson: 1, kind: 'equivalent', file: 'client/connect.ts', mutator: 'ConditionalExpression', original: "err.code === 'ECONNREFUSED'", replacement: 'false', why: REFUSED_SPELLED_OUT },
  { lesson: 1, kind: 'equivalent', file: 'client/connect.ts', mutator: 'StringLiteral', original: "'ECONNREFUSED'", replacement: '""', why: REFUSED_SPELLED_OUT },
  { lesson: 4, kind: 'equivalent', file: 'client/connect.ts', mutator: 'ConditionalExpression', original: "err.code === 'ECONNREFUSED'", replacement: 'false', why: REFUSED_SPELLED_OUT },
  { lesson: 4, kind: 'equivalent', file: 'client/connect.ts', mutator: 'StringLiteral', original: "'ECONNREFUSED'", replacement: '""', why: REFUSED_SPELLED_OUT },
];
