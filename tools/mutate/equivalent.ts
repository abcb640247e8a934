// Survivors that no suite should be made to kill, each with the reason. `npm run mutate`
// marks a survivor that matches one and leaves it out of its second score. Two kinds:
//   equivalent  the mutant changes nothing any caller or client can observe;
//   untestable  it does change behaviour, but only in a way no suite can provoke on every
//               machine (Linux, macOS, Windows; CI runs as root) without timing or luck.
// A mutant is matched by its lesson, file, mutator, the original text of the span it changes
// and its replacement (white space squeezed). `line` (a piece of the source line it is on)
// or `after` (the text just before the span) tells apart two mutants that look the same.

export interface Equivalent {
  lesson: number;
  kind: 'equivalent' | 'untestable';
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
  { lesson: 11, kind: 'equivalent', file: 'client/tui/input-line.tsx', mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"', after: '.slice(-HISTORY_SIZE), back: 0, draft: ', why: DRAFT_SET_FIRST },
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
  { lesson: 1, kind: 'equivalent', file: 'client/connect.ts', mutator: 'ConditionalExpression', original: "err.code === 'ECONNREFUSED'", replacement: 'false', why: REFUSED_SPELLED_OUT },
  { lesson: 1, kind: 'equivalent', file: 'client/connect.ts', mutator: 'StringLiteral', original: "'ECONNREFUSED'", replacement: '""', why: REFUSED_SPELLED_OUT },
  { lesson: 4, kind: 'equivalent', file: 'client/connect.ts', mutator: 'ConditionalExpression', original: "err.code === 'ECONNREFUSED'", replacement: 'false', why: REFUSED_SPELLED_OUT },
  { lesson: 4, kind: 'equivalent', file: 'client/connect.ts', mutator: 'StringLiteral', original: "'ECONNREFUSED'", replacement: '""', why: REFUSED_SPELLED_OUT },
];
