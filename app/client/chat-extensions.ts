// What the full-screen chat knows of the extensions (lessons 12-15, 17): the room you are in,
// who is away or busy, a cut member list's true size, the rooms to complete after /join,
// a room's history, that the server asks for a password, and the files on the move (their
// progress bars). Lesson 11's reducer knows only version 1; this one wraps it:
//
//   action ──> withExtensions ──┬─ room, rooms, status, history: handled here
//                               └─ anything else: lesson 11's reducer, then the
//                                  optional fields (room, statuses, count) are read
//
// Against a version 1 server none of those events or fields ever comes, so the state,
// and the screen drawn from it, are exactly lesson 11's.

import type { StatusEntry, UnknownEvent, UserStatus, WireEvent } from '../protocol.js';
import type { ChatAction, ChatState, Message } from '../../solutions/client/tui/use-chat.js';
import type { TransferProgress } from './file-transfers.js';

/** The extensions' part of the chat state; absent until a server uses one of them. */
export interface ExtensionView {
  /** The room you are in (rooms). */
  room?: string;
  /** Everyone listed who is not `online` (status). */
  statuses: Record<string, StatusEntry>;
  /** The room's true size when the member list was cut at the presence limit. */
  count?: number;
  /** The room names of the last `/rooms` answer, and the rooms you have been in. */
  roomNames: string[];
  /** auth: the server asked for this name's password; the next line typed is it. */
  passwordAsked?: boolean;
  /** Files on the move (lesson 17), oldest first: one progress bar each. */
  transfers?: TransferProgress[];
  /** The name of each file offered, by the offer's id (lesson 17). */
  fileNames?: Record<string, string>;
}

/** Lesson 17: a file moved on, or (ended) stopped moving. Dispatched by the hook, never by the server. */
export interface TransferAction {
  type: 'transfer';
  progress: TransferProgress;
  ended: boolean;
}

type Reducer = (state: ChatState, action: ChatAction) => ChatState;

const EMPTY: ExtensionView = { statuses: {}, roomNames: [] };

/** Lesson 11's reducer, taught the extensions' events and fields, and file progress. */
export function withExtensions(base: Reducer): (state: ChatState, action: ChatAction | TransferAction) => ChatState {
  return (state, action) => {
    if (action.type === 'transfer') return moved(state, action);
    if (action.type === 'status') {
      const next = keep(base(state, action), state);
      // Offline we do not know where we are nor who is away; the next welcome says it again.
      return action.status.state === 'connected' || !next.extensions ? next : { ...next, extensions: { ...EMPTY, roomNames: next.extensions.roomNames } };
    }
    if (action.type !== 'received') return keep(base(state, action), state);
    return action.events.reduce((next, event) => applyEvent(base, next, event, action.at), state);
  };
}

/** The base reducer knows nothing of `extensions`: carry it over to what it returns. */
function keep(next: ChatState, before: ChatState): ChatState {
  return next === before || !before.extensions ? next : { ...next, extensions: before.extensions };
}

function applyEvent(base: Reducer, state: ChatState, event: WireEvent | UnknownEvent, at: number): ChatState {
  if (event.type === 'welcome' && state.extensions?.passwordAsked) {
    // The password was right: what is typed shows again.
    const { passwordAsked: _answered, ...view } = state.extensions;
    return applyEvent(base, { ...state, extensions: view }, event, at);
  }
  const ts = 'ts' in event && typeof event.ts === 'number' ? event.ts : at;
  const e = event as unknown as Record<string, unknown>;
  const view = state.extensions ?? EMPTY;
  switch (event.type) {
    case 'room': {
      // A room change: its members replace the old room's.
      const room = str(e.room);
      const users = names(e.users);
      const extensions = { ...view, ...listed(e), room, roomNames: names([...view.roomNames, room]) };
      const size = extensions.count ?? users.length;
      return append({ ...state, users, extensions }, [{ kind: 'info', text: `You are now in #${room} (${size} here).`, ts }]);
    }
    case 'rooms': {
      const rooms = (Array.isArray(e.rooms) ? e.rooms : []).filter(isRoom);
      const text = rooms.length === 0 ? 'No rooms.' : `Rooms: ${rooms.map((r) => `#${r.name} (${r.users})`).join(', ')}`;
      return append({ ...state, extensions: { ...view, roomNames: names(rooms.map((r) => r.name)) } }, [{ kind: 'info', text, ts }]);
    }
    case 'status': {
      const user = str(e.user);
      const status = str(e.status) as UserStatus;
      const note = str(e.note);
      const statuses = { ...view.statuses };
      delete statuses[user];
      if (status === 'away' || status === 'busy') statuses[user] = note ? { status, note } : { status };
      const text = status === 'away' || status === 'busy' ? `${user} is ${status}${note ? `: ${note}` : ''}` : `${user} is back`;
      return append({ ...state, extensions: { ...view, statuses } }, [{ kind: 'system', text, ts }]);
    }
    case 'password': {
      // The input line hides what is typed until the welcome (or the refusal) comes.
      const text = `${str(e.text) || 'Password:'} type it below; it is not shown.`;
      return append({ ...state, extensions: { ...view, passwordAsked: true } }, [{ kind: 'info', text, ts }]);
    }
    case 'history': {
      const messages = (Array.isArray(e.messages) ? e.messages : []).filter(isSaid);
      const where = typeof e.room === 'string' ? ` in #${e.room}` : '';
      if (messages.length === 0) return append(state, [{ kind: 'info', text: `No earlier messages${where}.`, ts }]);
      // Dimmed, then a line that marks where what was said before you came ends.
      const earlier = messages.map((m): NewMessage => ({ kind: 'chat', from: m.from, text: m.text, ts: m.ts, look: 'earlier' }));
      return append(state, [...earlier, { kind: 'info', text: `earlier messages${where}`, ts, look: 'divider' }]);
    }
    case 'offer':
    case 'offer_sent':
    case 'transfer':
    case 'transfer_done':
    case 'transfer_failed':
      return fileEvent(state, view, e, ts);
  }
  const next = keep(base(state, { type: 'received', events: [event], at }), state);
  switch (event.type) {
    case 'welcome':
    case 'users': {
      if (e.room === undefined && e.statuses === undefined && e.count === undefined) return next; // version 1
      const room = typeof e.room === 'string' ? e.room : view.room;
      return { ...next, extensions: { ...view, ...listed(e), room, roomNames: room ? names([...view.roomNames, room]) : view.roomNames } };
    }
    case 'join':
    case 'leave': {
      if (!state.extensions) return next;
      // A newcomer is online; someone who left has no status any more. A cut list's size follows.
      const statuses = { ...view.statuses };
      delete statuses[str(e.user)];
      const count = view.count === undefined ? undefined : view.count + (event.type === 'join' ? 1 : -1);
      return { ...next, extensions: { ...view, statuses, count } };
    }
    default:
      return next;
  }
}

type NewMessage = Omit<Message, 'id'>;

/** Lesson 17's events, as lines: an offer to answer, and how each transfer went. */
function fileEvent(state: ChatState, view: ExtensionView, e: Record<string, unknown>, ts: number): ChatState {
  const id = str(e.id);
  const known = view.fileNames ?? {};
  const name = str(e.name) || known[id] || `file ${id}`;
  const size = typeof e.size === 'number' ? ` (${(e.size / 1_000_000).toFixed(1)} MB)` : '';
  const fileNames = { ...known, [id]: name };
  let line: NewMessage;
  switch (e.type) {
    case 'offer':
      line = { kind: 'info', text: `${str(e.from)} offers you ${name}${size}: /accept ${id} or /reject ${id}`, ts };
      break;
    case 'offer_sent':
      line = { kind: 'info', text: `You offered ${name}${size} to ${str(e.to)}; waiting for an answer.`, ts };
      break;
    case 'transfer':
      line = { kind: 'info', text: `${name}: ${e.role === 'send' ? 'sending' : 'receiving'}...`, ts };
      break;
    case 'transfer_done':
      line = { kind: 'info', text: `${name}: done.`, ts };
      break;
    default:
      line = { kind: 'error', text: `${name}: failed (${str(e.reason)}).`, ts };
  }
  return append({ ...state, extensions: { ...view, fileNames } }, [line]);
}

/** A transfer's bar: added, moved on, or gone once it ended. */
function moved(state: ChatState, { progress, ended }: TransferAction): ChatState {
  const view = state.extensions ?? EMPTY;
  const before = view.transfers ?? [];
  const known = before.some((t) => t.id === progress.id);
  const transfers = ended
    ? before.filter((t) => t.id !== progress.id)
    : known
      ? before.map((t) => (t.id === progress.id ? { ...progress } : t))
      : [...before, { ...progress }];
  return { ...state, extensions: { ...view, transfers } };
}

/** Appends messages as lesson 11's reducer does: numbered, and only the last `limit` kept. */
function append(state: ChatState, added: NewMessage[]): ChatState {
  const numbered = added.map((m, i) => ({ ...m, id: state.nextId + i }));
  return { ...state, nextId: state.nextId + added.length, messages: [...state.messages, ...numbered].slice(-state.limit) };
}

/** What a member list (welcome, users, room) says of its members beyond their names. */
function listed(e: Record<string, unknown>): { statuses: Record<string, StatusEntry>; count?: number } {
  const statuses: Record<string, StatusEntry> = {};
  if (typeof e.statuses === 'object' && e.statuses !== null) {
    for (const [user, entry] of Object.entries(e.statuses as Record<string, unknown>)) {
      const { status, note } = (entry ?? {}) as Record<string, unknown>;
      if (status === 'away' || status === 'busy') statuses[user] = typeof note === 'string' && note !== '' ? { status, note } : { status };
    }
  }
  return { statuses, count: typeof e.count === 'number' ? e.count : undefined };
}

function isRoom(value: unknown): value is { name: string; users: number } {
  const r = value as { name?: unknown; users?: unknown } | null;
  return typeof r?.name === 'string' && typeof r.users === 'number';
}

function isSaid(value: unknown): value is { from: string; text: string; ts: number } {
  const m = value as { from?: unknown; text?: unknown; ts?: unknown } | null;
  return typeof m?.from === 'string' && typeof m.text === 'string' && typeof m.ts === 'number';
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function names(value: unknown): string[] {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  return [...new Set(list)].sort((a, b) => a.localeCompare(b));
}

/** '/join ga' → '/join games ' when one room starts so; with several, as far as they agree. */
export function completeRoom(line: string, rooms: string[]): string {
  const match = /^(\/join\s+#?)(\S*)$/i.exec(line);
  if (!match) return line;
  const [, command = '', typed = ''] = match;
  const found = rooms.filter((room) => room.startsWith(typed.toLowerCase()));
  if (found.length === 0) return line;
  if (found.length === 1) return `${command}${found[0]} `;
  let common = found[0]!;
  for (const room of found) while (!room.startsWith(common)) common = common.slice(0, -1);
  return common.length > typed.length ? command + common : line;
}
