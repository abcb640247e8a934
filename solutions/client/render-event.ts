// Lesson 10: one server event in, the line the chat prints for it out, in the Python
// original's formats. A pure function (no socket, no clock, no terminal), so it is easy
// to test. It decides a message's kind from `type`, never from the text, and it cleans
// every string that came over the network before a terminal can see it.

import type { LeaveReason, StatusEntry, UnknownEvent, WireEvent } from '../../app/protocol.js';

// C0 controls (ESC is one of them), DEL, and C1 controls: what lets a string drive a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A remote value made safe to print: whatever it is, text without a single control character. */
export function sanitize(value: unknown): string {
  return String(value ?? '').replace(CONTROL, '');
}

/** A server's multi-line text (the /help list): each line sanitised, later lines indented. */
function sanitizeLines(value: unknown): string {
  return String(value ?? '').split('\n').map(sanitize).join('\n    ');
}

/** `[HH:MM:SS]` in this computer's time zone. */
export function clock(ms: number): string {
  const time = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `[${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}]`;
}

/** Why someone left, when it is worth saying: quitting and hanging up are the ordinary ways. */
function leaveNote(reason: LeaveReason): string {
  switch (reason) {
    case 'timeout': return ' (timed out)';
    case 'slow': return ' (too slow)';
    case 'kicked': return ' (kicked)';
    case 'moved': return ' (moved to another room)';
    default: return '';
  }
}

/** '(3): alice, bob (away: lunch), carol', or '(600, first 500 shown): ...' for a cut list. */
function members(users: unknown, count: unknown, statuses: Record<string, StatusEntry> | undefined): string {
  const names: string[] = Array.isArray(users) ? users.map(sanitize) : [];
  const size = typeof count === 'number' && count > names.length ? `${count}, first ${names.length} shown` : String(names.length);
  const marked = names.map((name) => {
    const entry = statuses?.[name];
    if (!entry || typeof entry !== 'object') return name;
    return `${name} (${sanitize(entry.status)}${entry.note ? `: ${sanitize(entry.note)}` : ''})`;
  });
  return `(${size}): ${marked.join(', ')}`;
}

/**
 * The line to print for one event. `me` is your own name ('' before the welcome): a
 * whisper you sent comes back to you as confirmation. `now` stands in for a missing `ts`.
 */
export function renderEvent(event: WireEvent | UnknownEvent, me: string, now: number = Date.now()): string {
  // The protocol lets servers add event types: show those as they came, as plain text.
  if (event.type === 'unknown') return sanitize(event.raw);
  // The time the server stamped on the event, not the time it reached us.
  const time = clock(Number.isFinite(event.ts) ? event.ts : now);
  switch (event.type) {
    case 'hello':
      return sanitize(event.text);
    case 'chat':
      return `${time} ${sanitize(event.from)}: ${sanitize(event.text)}`;
    case 'whisper':
      return event.from === me
        ? `${time} [WHISPER to ${sanitize(event.to)}]: ${sanitize(event.text)}`
        : `${time} [WHISPER from ${sanitize(event.from)}]: ${sanitize(event.text)}`;
    case 'join':
      return `*** ${sanitize(event.user)} has joined the chat! ***`;
    case 'leave':
      return `*** ${sanitize(event.user)} has left the chat${leaveNote(event.reason)}. ***`;
    case 'users': {
      // With rooms, the list is of your room, and may be cut (count is the room's size).
      const where = event.room === undefined ? 'online' : `in #${sanitize(event.room)}`;
      return `[SYSTEM]: Users ${where} ${members(event.users, event.count, event.statuses)}`;
    }
    case 'room':
      return `[SYSTEM]: You are now in #${sanitize(event.room)}. Users here ${members(event.users, event.count, event.statuses)}`;
    case 'rooms': {
      const rooms = Array.isArray(event.rooms) ? event.rooms : [];
      return `[SYSTEM]: Rooms (${rooms.length}): ${rooms.map((r) => `#${sanitize(r.name)} (${sanitize(r.users)})`).join(', ')}`;
    }
    case 'status':
      return event.status === 'online'
        ? `*** ${sanitize(event.user)} is back. ***`
        : `*** ${sanitize(event.user)} is ${sanitize(event.status)}${event.note ? `: ${sanitize(event.note)}` : ''}. ***`;
    case 'history': {
      // What was said before you came, marked off from what happens now.
      const messages = Array.isArray(event.messages) ? event.messages : [];
      const where = event.room === undefined ? '' : ` in #${sanitize(event.room)}`;
      const lines = messages.map((m) => `  ${clock(Number(m.ts))} ${sanitize(m.from)}: ${sanitize(m.text)}`);
      return [`--- earlier${where} (${messages.length}) ---`, ...lines, '--- end of history ---'].join('\n');
    }
    // Files (lesson 17): an offer, its answer, and how the transfer ended.
    case 'offer_sent':
      return `[FILE]: You offered ${sanitize(event.name)} (${bytes(event.size)}) to ${sanitize(event.to)}; waiting for an answer (offer ${sanitize(event.id)}).`;
    case 'offer':
      return `[FILE]: ${sanitize(event.from)} offers you ${sanitize(event.name)} (${bytes(event.size)}). /accept ${sanitize(event.id)} or /reject ${sanitize(event.id)}`;
    case 'transfer':
      return `[FILE]: Offer ${sanitize(event.id)} accepted: ${event.role === 'send' ? 'sending' : 'receiving'}...`;
    case 'transfer_done':
      return `[FILE]: Transfer ${sanitize(event.id)} is done.`;
    case 'transfer_failed':
      return `[FILE]: Transfer ${sanitize(event.id)} failed: ${sanitize(event.reason)}.`;
    case 'welcome':
    case 'password':
    case 'info':
    case 'error':
    case 'bye':
    case 'shutdown':
      return `[SYSTEM]: ${sanitizeLines(event.text)}`;
    default: {
      // Every type has its case above, so TypeScript knows `event` cannot be anything here.
      // Add a type to app/protocol.ts and this line stops compiling until it gets a case.
      const unhandled: never = event;
      return sanitize(JSON.stringify(unhandled));
    }
  }
}

/** A size for people: 532 B, 20.0 MB (powers of 1000, as file managers show them). */
export function bytes(size: unknown): string {
  const n = Number(size);
  if (!Number.isFinite(n) || n < 1000) return `${sanitize(size)} B`;
  const unit = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let i = 0;
  while (value >= 1000 && i < unit.length - 1) {
    value /= 1000;
    i++;
  }
  return `${value.toFixed(1)} ${unit[i]}`;
}

/**
 * The line to print for a line you typed, or undefined when it is not a chat message
 * (a command, or blank). The server does not send your own messages back to you.
 */
export function renderOwnLine(line: string, now: number = Date.now()): string | undefined {
  const text = line.trim();
  if (text === '' || (text.startsWith('/') && !text.startsWith('//'))) return undefined;
  // '//text' is how you send a message that starts with '/': the server drops one '/'.
  return `${clock(now)} You: ${sanitize(text.startsWith('//') ? text.slice(1) : text)}`;
}
