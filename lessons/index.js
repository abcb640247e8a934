// The one list of lessons: the viewer, the test runner, the hints and the checks all
// read it, so a lesson's title, files and hints are written down exactly once.
// Plain JavaScript typed with JSDoc (checked by tsc), so that `npm run lesson` and
// `npm test` can read it without loading the TypeScript loader.

import { spawnSync } from 'node:child_process';

/**
 * @typedef {object} Lesson
 * @property {number} number
 * @property {string} slug Part of the Markdown file's name: lessons/01-<slug>.md
 * @property {string} title
 * @property {string[]} edits The files under starter/ this lesson asks the student to write.
 * @property {string[]} hints Shown one at a time by `npm run hint N`.
 * @property {string} [needs] The oldest Node its code runs on, when newer than the course's
 *   floor (e.g. '22.13' for node:sqlite): on an older Node its suite is not run.
 * @property {string} [needsProgram] A program it runs besides Node (e.g. 'redis-server'):
 *   where it is not installed, its suite is not run either, and one line says how to get it.
 */

/** @type {Lesson[]} */
export const LESSONS = [
  {
    number: 1,
    slug: 'sockets-and-connect',
    title: 'Sockets and connect()',
    edits: ['client/connect.ts'],
    hints: [
      'net.connect({ host, port }) returns a socket at once; it has not connected yet. Everything that happens next arrives as an event on that socket: \'connect\', \'data\', \'error\', \'close\'.',
      'A refused connection is an \'error\' event whose err.code is \'ECONNREFUSED\'. Reject with new Error(\'Connection refused. Is the server running?\') there. Without an \'error\' listener, Node crashes the whole program.',
      'The server speaks first. Use socket.once(\'data\', ...) to wait for the hello, then socket.write(name + \'\\n\'): without the newline the server keeps waiting for the rest of the line.',
      'Inside that handler, wait for the next \'data\' event: that chunk holds the answer to your name. parseEvent(chunk.toString(\'utf8\').trim()) turns it into an event; check event.type.',
    ],
  },
  {
    number: 2,
    slug: 'bind-listen-accept',
    title: 'bind(), listen() and accept()',
    edits: ['server/listen.ts'],
    hints: [
      'net.createServer({ allowHalfOpen: true }, onConnection) is socket() + bind() + accept() in one object: onConnection runs once for every client that connects.',
      'server.listen({ host, port }) returns before the port is bound. Resolve in the \'listening\' event, not right after calling listen().',
      'With port 0 the operating system picks the port. Read it from server.address() inside the \'listening\' handler, and resolve with that port, not options.port.',
      'A port in use is an \'error\' event with err.code === \'EADDRINUSE\'. Reject with a message that says the port is in use and suggests another one (for example --port 0).',
      'close() must return a promise that resolves when the server has stopped: wrap server.close(callback) in new Promise().',
    ],
  },
  {
    number: 3,
    slug: 'the-event-loop',
    title: 'The event loop: many clients, one thread',
    edits: ['server/registry.ts'],
    hints: [
      'Keep the members in a Map<string, M> keyed by member.name.toLowerCase(). find(name) then looks up name.toLowerCase(), so \'ALICE\' finds Alice. The values keep each name as it was typed.',
      'names(): take the values (not the keys, which are lower-cased), map each to member.name, and sort the result. size is simply the Map\'s size.',
      'broadcast(line, except): loop over the members and call member.send(line) for each one that is not except (compare with !==, the very same object). No async, no await, no setTimeout: send() only queues the bytes, and every member must have the line before broadcast() returns.',
      'remove(member): find the entry under member.name.toLowerCase() and delete it only if it holds this very member (this.members.get(key) === member). A late remove() must not throw out a newer user who has taken the name since.',
    ],
  },
  {
    number: 4,
    slug: 'framing',
    title: 'Framing: a byte stream is not a message stream',
    edits: ['server/line-decoder.ts', 'client/connect.ts'],
    hints: [
      "A chunk is not a line. Keep the bytes after the last '\\n' of each chunk inside the decoder (a `pending` field: an array of Buffers), and put them in front of the next chunk. One decoder lives as long as its connection.",
      "Work on bytes: find each newline with chunk.indexOf(0x0a, start). The line is the pending bytes plus chunk.subarray(start, newline), joined with Buffer.concat. Decode only that whole line with .toString('utf8'): a character cut between chunks is whole again by then. If its last byte is 0x0d ('\\r'), leave it out: line.subarray(0, -1).",
      "The limit counts bytes: compare the line Buffer's length ('\\r' already dropped) with this.maxLineBytes, and throw new LineTooLongError(this.maxLineBytes, lines), where lines are the lines this push() had already finished.",
      "Don't wait for a newline to check: after keeping the leftover bytes, if more than this.maxLineBytes are pending, throw at once. The one exception: exactly maxLineBytes + 1 pending whose last byte is '\\r' (its '\\n' may be in the next chunk).",
      "In client/connect.ts: create const decoder = new LineDecoder() right after net.connect(), and replace the once('data') handlers with one socket.on('data', function onData(chunk) {...}) that loops over decoder.push(chunk) and switches on parseEvent(line).type: 'hello' → write the name; 'welcome' → socket.off('data', onData) and resolve({ socket, welcome: event, after: lines.slice(i + 1).map(parseEvent), decoder }), with i the welcome's index in this push()'s lines; anything else → reject. Wrap decoder.push() in try/catch and reject if it throws.",
    ],
  },
  {
    number: 5,
    slug: 'a-protocol',
    title: 'A protocol: the handshake and typed events',
    edits: ['server/handshake.ts'],
    hints: [
      'Every handshake error is two calls: client.sendEvent({ type: \'error\', code, text }), then client.close(). Write a small refuse(client, code, text) helper first; all four errors of this lesson use it.',
      'In admit(): ctx.connectionCount already counts the new connection, so refuse with SERVER_FULL when it is > ctx.options.maxClients (not >=), and return. The same per address: if ctx.options.maxPerAddress > 0 and ctx.connectionsFrom(client.address) > it, refuse with SERVER_FULL and a text that names the address limit. Otherwise send { type: \'hello\', proto: PROTOCOL_VERSION, text: TEXTS.hello }, then setTimeout(..., ctx.options.handshakeTimeoutMs) that refuses with TIMEOUT if client.name is still \'\'.',
      'checkUsername: anchor the pattern, /^[A-Za-z0-9_-]+$/, and check the length (1 to 20) apart so that the message can say which rule was broken. Without ^ and $, "bob smith" passes because "bob" matches.',
      'handshake(): const name = line.trim(); refuse INVALID_NAME if checkUsername(name) returns a message; then const outcome = await ctx.pieces.claimName(client, name, ctx) and switch on it: \'taken\' → NAME_TAKEN, \'reserved\' → INVALID_NAME, \'gone\' → return without sending anything, \'ok\' → welcome and join.',
      'On \'ok\': clearTimeout (keep the timer in a WeakMap<Client, NodeJS.Timeout> filled by admit()), client.sendEvent({ type: \'welcome\', user: client.name, users: ctx.registry.names(), text: TEXTS.welcome(client.name) }), then ctx.registry.broadcast(encodeEvent({ type: \'join\', user: client.name }), client): the second argument keeps the newcomer out of their own join.',
    ],
  },
  {
    number: 6,
    slug: 'commands',
    title: 'Commands',
    edits: ['server/commands.ts'],
    hints: [
      'Trim the line, then ask one question: does it start with \'//\' (chat, minus the first \'/\'), with \'/\' (a command), or neither (chat)? Ask about \'//\' first, or every escaped line becomes an unknown command.',
      'Split a command at its first white space: end = line.search(/\\s/) (line.length when it is -1), name = line.slice(1, end).toLowerCase(), args = line.slice(end).trim(). Look the name up in a Map<string, Command>: a plain object would also find \'constructor\' and \'__proto__\'. Not in the Map: error UNKNOWN_COMMAND, and return.',
      'In /whisper, split the arguments once more: /^(\\S+)\\s+(.+)$/s.exec(args) gives the user and the message, or null (error USAGE). ctx.registry.find(user) finds the user in any case; undefined means NO_SUCH_USER, and target === client means USAGE (yourself).',
      'A whisper is one line sent twice: const line = encodeEvent({ type: \'whisper\', from: client.name, to: target.name, text }); then target.send(line) and client.send(line). /quit is two calls, in this order: client.sendEvent({ type: \'bye\', text: TEXTS.bye }), then client.close(\'quit\').',
      'Chat: const text = ctx.pieces.stripControl(line.startsWith(\'//\') ? line.slice(1) : line).trim(); if (text === \'\') return; then ctx.registry.broadcast(encodeEvent({ type: \'chat\', from: client.name, text }), client).',
    ],
  },
  {
    number: 7,
    slug: 'async-mutexes',
    title: 'Races without threads: async mutexes',
    edits: ['server/mutex.ts', 'server/claim-name.ts'],
    hints: [
      "Start with claimName (starter/server/claim-name.ts): the race lives between registry.find() and registry.add(), and the await in between is where other logins run. All of it goes inside one task: return ctx.loginLock.runExclusive(async () => { ... }), with the same steps and returns as now.",
      "The Mutex needs two fields: locked = false, and waiters: Array<() => void> = [], oldest first. On a free lock, set locked = true and run the task at once; on a held lock, wait in line first.",
      "To wait in line, keep a promise's resolve instead of calling it: await new Promise<void>((resolve) => this.waiters.push(resolve)). The code after that await runs when whoever releases the lock calls that resolve.",
      "Run the task as try { return await task(); } finally { release(); }. The await keeps the lock until the task has really finished; finally releases it even when the task throws, and the error still reaches the caller.",
      "Release by handing over: const next = this.waiters.shift(); if (next) next(); else this.locked = false. Never set locked = false while someone waits: a newcomer would slip in before the woken waiter runs.",
    ],
  },
  {
    number: 8,
    slug: 'errors-and-shutdown',
    title: 'Errors, timeouts and graceful shutdown',
    edits: ['server/lifecycle.ts'],
    hints: [
      "watchEnds() has three jobs: survive 'error', answer-then-close on 'end', turn on keep-alive. An 'error' event with no listener is thrown and kills the whole server, so socket.on('error', () => {}) comes first: 'close' always follows, and the wiring does the rest.",
      "'end' means the client sent FIN: it sends no more but still reads, and its last lines may still be in progress. So not client.close() at once: socket.on('end', () => whenIdle(() => client.close())). client.close() sends the queued replies before its FIN; socket.destroy() would throw them away.",
      "shutdown(): stopAccepting() resolves only once every connection has closed, so awaiting it first waits for ever. const stopped = stopAccepting(); then for each client: client.send(encodeEvent({ type: 'shutdown', text: TEXTS.shutdown })) and then client.close(); then await stopped.",
      "stopOnSignals(): one handler for both, process.on('SIGINT', onSignal) and process.on('SIGTERM', onSignal). In it: setTimeout(() => process.exit(0), deadlineMs).unref(); then stop().then(() => process.exit(0)). A stopping flag lets a second signal call process.exit(1) at once.",
    ],
  },
  {
    number: 9,
    slug: 'hostile-clients',
    title: 'Slow readers, floods and hostile bytes',
    edits: ['server/write-bounded.ts', 'server/rate-limiter.ts', 'server/strip-control.ts'],
    hints: [
      "Do one file at a time; the first tests check each piece on its own, so read the first failure. writeBounded() must always write: socket.write(line). What write() returns is only the high-water-mark advice (a burst passes it): ignore it.",
      "After the write, socket.writableLength is how many bytes wait in Node's memory for this client, your line included. Return socket.writableLength <= maxQueuedBytes: exactly at the bound is still fine.",
      "RateLimiter: add two fields. In the constructor, this.tokens = burst (a new bucket is full) and this.last = now. In take(now), first refill: this.tokens + (now - this.last) / 1000 * this.perSecond, capped with Math.min(this.burst, ...); then this.last = now. Never round: fractions must add up.",
      "Still in take(): if this.tokens < 1, return false (take nothing). Otherwise this.tokens -= 1 and return true. Use only the now you are given, never Date.now() yourself.",
      "stripControl: one regex over the decoded string, with a character class and the g flag: text.replace(/[\\u0000-\\u001f\\u007f-\\u009f]/g, ''). The C1 block \\u0080-\\u009f belongs in it; everything else (accents, emoji, U+00A0) stays.",
    ],
  },
  {
    number: 10,
    slug: 'command-line-client',
    title: 'The command-line client',
    edits: ['client/render-event.ts', 'client/cli.ts'],
    hints: [
      "Start with render-event.ts: the suite checks it first, with no network. Write switch (event.type) with one case per type, each returning its line from the table in \"Rendering events\". Return event.raw for 'unknown' before the switch, and end it with default: { const unhandled: never = event; ... } so that TypeScript names any type you missed.",
      "The time: const d = new Date(event.ts), then d.getHours(), d.getMinutes(), d.getSeconds(), each String(n).padStart(2, '0'). Not new Date() (that is when the event arrived) and not getUTCHours() or toISOString() (those are UTC). Clean every string the server sent with .replace(/[\\u0000-\\u001f\\u007f-\\u009f]/g, '') before it goes into the line.",
      "In runCli(), create the socket, readline.createInterface({ input, output }) and ONE new LineDecoder() at the start. socket.on('data'): for each line of decoder.push(chunk), const event = parseEvent(line). A hello: print only its text, as the question for the name. A welcome: remember event.user as me. Every event but hello: output.write(renderEvent(event, me) + '\\n').",
      "keyboard.on('line'): send line + '\\n'. The first line is the username: print nothing for it. After that, print renderOwnLine(line) when it is not undefined. A typed /quit, and keyboard.on('close') (Ctrl+D), both: print '[CLIENT] Disconnecting...', send '/quit\\n', close the keyboard, and wait for the server to close.",
      "Keep socket.on('error', (err) => { lastError = err; }) for the whole session, and decide in socket.on('close'): never connected: '[CLIENT] Connection refused. Is the server running?', 1. You quit, or a bye or shutdown came: '[CLIENT] Disconnected.', 0. Anything else: '[CLIENT] Connection to the server was lost.', 1. Then close the keyboard and resolve(code).",
    ],
  },
  {
    number: 11,
    slug: 'ink-tui',
    title: 'The Ink TUI',
    edits: ['client/tui/use-chat.ts', 'client/tui/chat-screen.tsx', 'client/tui/input-line.tsx'],
    hints: [
      "Start with chatReducer in use-chat.ts: it is a pure function. For 'received', fold the events: action.events.reduce((s, e) => applyEvent(s, e, action.at), state). Every case returns a new object ({ ...state, users }), appends messages with id state.nextId + i, and ends with .slice(-state.limit). A welcome also sets status { state: 'connected' }.",
      "In useChat: const [state, dispatch] = useReducer(chatReducer, maxMessages, initialState). Open the socket inside useEffect(() => { ...; return () => { clearTimeout(retryTimer); socket.destroy(); }; }, [host, port, name, retryMs, maxRetryMs]). In the body of the hook, or without the dependency list, it would connect again on every render. Keep the live socket in a useRef so that send() and quit() (in useCallback) can reach it.",
      "The connection: const decoder = new LineDecoder(); on 'data', const events = decoder.push(chunk).map(parseEvent) (in a try: a line too long throws, and then socket.destroy()); on hello write name + '\\n'; then dispatch({ type: 'received', events, at: Date.now() }). On 'close': closed after bye, after a NAME_TAKEN or INVALID_NAME error, or when no welcome ever came (ECONNREFUSED: 'Connection refused. Is the server running?'); otherwise attempt += 1, dispatch reconnecting, and setTimeout(connect, Math.min(retryMs * 2 ** (attempt - 1), maxRetryMs)). send() before the welcome pushes the line onto a waiting array; the 'data' handler writes the waiting lines once a welcome has come.",
      "ChatScreen: keep { columns, rows } in useState, updated by stdout.on('resize', ...) in a useEffect (off again in its cleanup). Return <Box flexDirection=\"column\" width={columns} height={rows - 1}>: a row with the messages (flexGrow={1}, justifyContent=\"flex-end\", overflow=\"hidden\", only as many messages as it has rows, each a <Box flexShrink={0}> of the rows wrapText(text, width) gives) and the users (a fixed width, left out below 60 columns), then <InputLine width={columns - 4}>, then one status line cut with truncate(). Colour with <Text color={KIND_COLOR[message.kind]}>, and pass every text, from, to and name through sanitize().",
      "inputReducer: on 'enter', also history: [...history, line.text].slice(-HISTORY_SIZE), back: 0, draft: ''. On 'up' (while back < history.length): keep line.text as the draft when back is 0, then line: lineOf(history[history.length - 1 - back]), back + 1; 'down' walks back again, to the draft. On 'tab': line: lineOf(completeName(line.text, action.names)). completeName: /^(\\/whisper\\s+)(\\S*)$/i.exec(line), then names.filter((n) => n.toLowerCase().startsWith(typed.toLowerCase())). In ChatScreen, useInput calls chat.quit() on key.ctrl && input === 'c', and a useEffect on chat.status calls exit() once it is 'closed'.",
    ],
  },
  {
    number: 12,
    slug: 'rooms',
    title: 'Rooms: a broadcast is a question of who',
    edits: ['server/rooms.ts'],
    hints: [
      "roomName: const name = typed.startsWith('#') ? typed.slice(1) : typed; then /^[A-Za-z0-9_-]{1,20}$/.test(name) ? name.toLowerCase() : undefined. Test before lower-casing: '\\u212A' (the Kelvin sign) lower-cases to 'k'.",
      "put(client, name): let room = this.rooms.get(name); if there is none, this.rooms.set(name, room = { members: new Set(), names: [] }). Then room.members.add(client), room.names.splice(sortedIndex(room.names, client.name), 0, client.name), this.where.set(client, name). take() undoes each step, and deletes the room when members.size is 0 and its name is not LOBBY.",
      "tell(room, event, except): const members = this.rooms.get(room)?.members; return if there are none. For a join the largest size is members.size, for a leave members.size + 1; return when that is over this.presenceLimit. Otherwise const line = encodeEvent(event) once, and member.send(line) for each member !== except.",
      "listing(room): const names = this.rooms.get(room)?.names ?? []. Within the limit return { users: [...names] } (a copy: callers must not hold your array); past it, { users: names.slice(0, this.presenceLimit), count: names.length }.",
      "move(client, to): const from = this.roomOf(client); same room → client.sendEvent({ type: 'info', ... }). Else: this.take(client); this.tell(from, { type: 'leave', user: client.name, reason: 'moved', room: from }); this.put(client, to); this.tell(to, { type: 'join', user: client.name, room: to }, client); client.sendEvent({ type: 'room', room: to, ...this.listing(to) }).",
      "command(): 'rooms' → client.sendEvent({ type: 'rooms', rooms }) with [...this.rooms].map(([name, r]) => ({ name, users: r.members.size })) sorted by (a.name < b.name ? -1 : 1). 'join' → args === '' is USAGE, roomName(args) undefined is INVALID_ROOM, else move(). Return true for both, false for anything else.",
    ],
  },
  {
    number: 13,
    slug: 'status',
    title: 'Presence: away and busy',
    edits: ['server/statuses.ts'],
    hints: [
      "command(): const status = COMMANDS.get(name); if (status === undefined) return false. The note: status === 'online' ? '' : [...ctx.pieces.stripControl(args).trim()].slice(0, NOTE_LIMIT).join(''). The entry: note === '' ? { status } : { status, note }.",
      "Keep it: on 'online' this.entries.delete(client), else this.entries.set(client, entry). Then ctx.registry.broadcast(encodeEvent({ type: 'status', user: client.name, ...entry })) with no second argument: the user hears it too. Return true.",
      "statusesOf(names, ctx): Object.fromEntries(names.flatMap((name) => { const c = ctx.registry.find(name); const e = c && this.entries.get(c); return e ? [[name, e]] : []; })). Not statuses[name] = e: a user called __proto__ would vanish.",
      "whisperNotice(to): const e = this.entries.get(to); undefined without one; otherwise e.note ? `${to.name} is ${e.status}: ${e.note}` : `${to.name} is ${e.status}.`",
    ],
  },
  {
    number: 14,
    slug: 'history',
    title: 'History that survives a crash (SQLite)',
    edits: ['server/history-store.ts'],
    needs: '22.13',
    hints: [
      "The constructor runs once, when the server starts: db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;'), then db.exec() the CREATE TABLE IF NOT EXISTS messages (...) and CREATE INDEX IF NOT EXISTS ... ON messages (room, id), then this.insert = db.prepare('INSERT INTO messages (room, sender, text, ts) VALUES (?, ?, ?, ?)').",
      "add() only remembers: this.pending.push(message). Nothing touches the database there. The server calls commit() before it writes to any socket, and that is when the whole batch goes in.",
      "commit(): return at once if nothing is pending. Otherwise take the batch (const batch = this.pending; this.pending = []), db.exec('BEGIN'), this.insert.run(m.room, m.from, m.text, m.ts) for each, db.exec('COMMIT'). In a catch, db.exec('ROLLBACK') and throw again. No setTimeout, no promise: when commit() returns, the rows must be in the file.",
      "Values go in only through the ? placeholders of a prepared statement. A template string like `VALUES ('${m.text}')` lets a user's text end your SQL and start their own: try the text '); DROP TABLE messages; -- and see.",
      "recent(room, n): SELECT sender, text, ts FROM messages WHERE room = ? ORDER BY id DESC LIMIT ? gives the newest n, newest first. .all(room, n), then .reverse() for oldest first, then map each row to { room, from: String(row.sender), text: String(row.text), ts: Number(row.ts) }.",
    ],
  },
  {
    number: 15,
    slug: 'passwords',
    title: 'Passwords done right',
    edits: ['server/accounts.ts'],
    needs: '22.13',
    hints: [
      "The constructor is written: it keeps the store and the clock. The rows are the store's: await this.store.find(name) gives { name, salt, hash, N, r, p } or undefined, for any case of the name; await this.store.insert(row) adds one and answers false when the name has a row already.",
      "registeredName(name): return (await this.store.find(name))?.name. The row keeps the name as it was registered, which is what the welcome shows: 'alice' for ALICE, not the name as typed. Without the await, you get a promise, and a promise has no name.",
      "Wrap the callback scrypt in a promise: function hashPassword(password, salt, { N, r, p }) returns new Promise((resolve, reject) => scrypt(password, salt, HASH_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, hash) => err ? reject(err) : resolve(hash))). Give it COST to register, the row (it has N, r and p) to check. Not scryptSync: it would stop the one thread for as long as a hash takes, on purpose.",
      "register(): salt = randomBytes(SALT_BYTES), hash = await the scrypt above with COST, then return this.store.insert({ name, salt, hash, ...COST }). Return what insert() says: a find() first and `return true` after the insert tells two registrations at once that both won (the hash's await lets the other one in). Never the password itself.",
      "checkPassword(): note const arrived = Date.now() first. Keep a Map from name.toLowerCase() to the times (this.now()) of its wrong passwords; drop those older than WINDOW_MS. With fewer than MAX_WRONG left, find the row; if there is one, hash the password with its salt and N, r, p, and compare: hash.length === row.hash.length && timingSafeEqual(hash, row.hash). A wrong one adds this.now() to the list as the Map holds it after the await (not to a copy taken before it: other tries ran meanwhile).",
      "Every false waits first: await new Promise((r) => setTimeout(r, arrived + FAIL_DELAY_MS - Date.now())), checked or locked alike. A locked name does not hash at all, and its refused try is not added to the list. A right password changes nothing in the list.",
    ],
  },
  {
    number: 16,
    slug: 'tls',
    title: 'TLS: the same chat, encrypted',
    edits: ['server/listen-tls.ts', 'client/open-connection.ts'],
    hints: [
      "Start from your lesson 2 listen(): the same promise, 'error' and 'listening' handlers and close(). Only the server changes: tls.createServer({ cert: options.cert, key: options.key, minVersion: 'TLSv1.2', handshakeTimeout: options.handshakeTimeoutMs, allowHalfOpen: false }).",
      "Give onConnection the socket of 'secureConnection', never the one of 'connection': that one is the raw TCP socket, and what you write to it crosses the wire as plain text. In 'secureConnection', set socket.allowHalfOpen = true first (lesson 8's half-close, once the handshake is done).",
      "server.on('tlsClientError', (err, socket) => { onHandshakeFailed(err, socket); socket.destroy(); }). With a listener there, Node leaves the failed socket open: closing it is yours. Without handshakeTimeout, a client that never says a TLS word stays for two minutes.",
      "connectTls: return tls.connect({ host, port, ca: trust.ca === undefined ? undefined : [...tls.rootCertificates, trust.ca], servername: net.isIP(host) === 0 ? host : undefined, minVersion: 'TLSv1.2' }). `ca` replaces Node's authorities, so keep the system's in the list.",
      "Never rejectUnauthorized: false and never checkServerIdentity: () => undefined. Node already refuses an unknown authority, a wrong name and an expired certificate with an 'error' (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED): leave its checks on.",
    ],
  },
  {
    number: 17,
    slug: 'sending-a-file',
    title: 'Sending a file: a second connection, streams and backpressure',
    edits: ['server/file-relay.ts', 'client/file-transfer.ts'],
    hints: [
      "expect(): this.tokens.set(transfer.sendToken, { transfer, role: 'send' }), the same for receiveToken with 'receive', and this.transfers.set(transfer.id, {}). attach(): const side = this.tokens.get(token); undefined means return false. Otherwise this.tokens.delete(token) at once (a token is good once), store the socket as ends.sender or ends.receiver, and when both are there call void this.run(...) (no await: attach() returns true now).",
      "copy(): for await (const chunk of sender) hands you one Buffer at a time and reads nothing more until your loop body finishes. In the body: if passed + chunk.length > file.size return 'incomplete'; add to passed; hash.update(chunk); then if (!receiver.write(chunk)) await a promise that resolves on the receiver's 'drain' and rejects on its 'close'. That await is the backpressure.",
      "Stop at exactly file.size: if (passed === file.size) break. The sender keeps its connection open (it waits for the server to close it), so a loop that waits for the sender's end never ends. After the loop, fewer bytes than size is 'incomplete'.",
      "The end: receiver.end(callback) calls back once every byte is handed to the system; then return hash.digest('hex') === file.sha256 ? 'done' : 'corrupt'. In run(): wrap copy() in try/catch (a reset throws: 'incomplete'), destroy both sockets, and call transfer.ended(outcome) only if this.transfers.delete(transfer.id) returns true: a cancelled transfer is told nothing.",
      "cancel(id): if the transfer is known, delete it, delete its tokens that are left (loop over this.tokens and compare side.transfer.id), and destroy() both sockets that came. Destroying makes copy() throw or end, and run() then sees the transfer is gone.",
      "The client: describeFile() is for await over createReadStream(file), hashing and counting. sendFile(): socket.resume(), then for await over createReadStream(file): if socket.writableNeedDrain (a write() returned false and no 'drain' came since: it may have come during the file's read), await 'drain' first (a promise that rejects on 'close', and at once if socket.destroyed: a closed socket never drains); write the chunk, count it, call onProgress. Then await the socket's 'close' (the server closes it once it has every byte). receiveFile(): createUnique(), then await pipeline(socket, a Transform that counts, hashes and calls onProgress, handle.createWriteStream()), then check count and hash; in a catch, unlink the file and throw again.",
      "createUnique(): first the name's last part: path.basename(name.replace(/[\\\\/]/g, '/')), control characters removed, 'file' if '', '.' or '..' is left. Then path.parse(base) gives { name: stem, ext }; try open(path.join(folder, n === 0 ? base : `${stem} (${n})${ext}`), 'wx') for n = 0, 1, 2...; 'wx' fails with EEXIST if the file exists: catch that one error and try the next n.",
    ],
  },
  {
    number: 18,
    slug: 'measure-then-make-it-fast',
    title: 'Measure, then make it fast',
    edits: ['server/batching.ts'],
    hints: [
      "Outbox keeps an array, this.pending = [], and this.size = 0. add(line): if pending is empty (the first line of a batch), call this.flusher.request(this); then push the line, add line.length to size, and if size >= FLUSH_AT_CHARS, call this.flush() at once.",
      "flush(): return if nothing is pending. Otherwise const data = this.pending.join(''); empty the array and set size to 0; then this.write(data). Empty it before calling write(): write() may drop the client, and a later flush must find nothing left to send twice.",
      "Flusher keeps a Set of targets and a flag, scheduled. request(target): add it to the Set; if a pass is scheduled already, return; otherwise set the flag and setImmediate(this.pass). setImmediate runs after the I/O of this turn: everything sent meanwhile joins the batch.",
      "The pass (an arrow-function property, so `this` stays the Flusher): clear the flag, swap the Set for a new one (flushes may ask again), call flush() on each target, and time the loop with performance.now().",
      "Resting: keep restUntil = end + (end - start) after each pass. In request(), const rest = this.restUntil - performance.now(); if rest >= 1, setTimeout(this.pass, rest), else setImmediate(this.pass). A fresh Flusher (restUntil 0) never waits.",
    ],
  },
  {
    number: 19,
    slug: 'several-servers',
    title: 'Several servers, one chat (Redis)',
    edits: ['server/cluster-link.ts'],
    needsProgram: 'redis-server',
    hints: [
      "claim(): const key = NAME_KEY_PREFIX + name.toLowerCase(); const answer = await this.redis.set(key, this.serverId, 'PX', this.leaseMs, 'NX'); return answer === 'OK'. One command: Redis checks and sets in one step, so no other server can slip in between.",
      "Not a GET followed by a SET: between the two round trips another server can do the same, and both win. Lesson 7's mutex cannot help: it lives in one process, and the other server is another process.",
      "renew(names): for each name, this.redis.eval(KEEP, 1, key, this.serverId, this.leaseMs) (Promise.all for all of them at once); return the names whose answer is not 1. KEEP also takes back a name Redis has forgotten (after a restart), which a bare PEXPIRE would not.",
      "release(name): await this.redis.eval(RELEASE, 1, key, this.serverId). Not DEL: a name whose lease ran out may belong to another server by now.",
      "publish(message): await this.redis.publish(CLUSTER_CHANNEL, message). subscribe(onMessage): this.subscriber.on('message', (channel, message) => { if (channel === CLUSTER_CHANNEL) onMessage(message); }); then await this.subscriber.subscribe(CLUSTER_CHANNEL).",
    ],
  },
];

/**
 * Why this machine cannot run a lesson's code (one line for people): a Node too old, or a
 * program it needs that is not installed. Undefined when it can.
 * @param {Lesson} lesson
 * @param {string} [version] Node's version, e.g. '20.20.2'
 * @param {(program: string) => boolean} [installed] whether a program is on the PATH
 */
export function unmetNeed(lesson, version = process.versions.node, installed = isInstalled) {
  if (lesson.needsProgram && !installed(lesson.needsProgram)) {
    return `Lesson ${lesson.number} needs ${lesson.needsProgram}, which is not installed here. ${HOW_TO_INSTALL[lesson.needsProgram] ?? ''}`.trim();
  }
  if (!lesson.needs) return undefined;
  const [major = 0, minor = 0] = lesson.needs.split('.').map(Number);
  const [hasMajor = 0, hasMinor = 0] = version.split('.').map(Number);
  if (hasMajor > major || (hasMajor === major && hasMinor >= minor)) return undefined;
  return `Lesson ${lesson.number} needs Node ${lesson.needs} or newer; this is Node ${version}.`;
}

/** @type {Record<string, string>} How to install each program a lesson may need, on each system. */
export const HOW_TO_INSTALL = {
  'redis-server': 'Install Redis: Debian/Ubuntu sudo apt-get install redis-server, macOS brew install redis, Windows: inside WSL, or Docker (docker run -p 6379:6379 redis).',
};

/** @type {Map<string, boolean>} */
const found = new Map();
/**
 * Whether a program runs here (asked once per program: `PROGRAM --version`).
 * @param {string} program
 */
export function isInstalled(program) {
  let yes = found.get(program);
  if (yes === undefined) {
    yes = !spawnSync(program, ['--version'], { stdio: 'ignore', timeout: 5000 }).error;
    found.set(program, yes);
  }
  return yes;
}

/** @param {Lesson} lesson */
export function lessonFile(lesson) {
  return `lessons/${String(lesson.number).padStart(2, '0')}-${lesson.slug}.md`;
}

/** @param {Lesson} lesson */
export function suiteFile(lesson) {
  return `tests/lesson${String(lesson.number).padStart(2, '0')}.test.ts`;
}

/**
 * Finds a lesson from what a person typed: '3', '03', 'lesson3', 'lesson03'.
 * @param {string} text
 * @returns {Lesson | undefined}
 */
export function findLesson(text) {
  const match = /^(?:lesson)?0*(\d+)$/i.exec(text.trim());
  return match ? LESSONS.find((l) => l.number === Number(match[1])) : undefined;
}
