// The wire protocol (PROTOCOL.md, version 1) as TypeScript types, and the two
// functions that turn events into bytes and back. Every server, client and suite
// in the course speaks through this file, so the contract lives in one place.

export const PROTOCOL_VERSION = 1;

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5050;

/** `moved` only with the rooms extension: the user went to another room. */
export type LeaveReason = 'quit' | 'disconnect' | 'timeout' | 'slow' | 'kicked' | 'moved';

/** The extensions a server may run (PROTOCOL.md, "Extensions"); `hello.features` lists them. */
export type Feature = 'rooms' | 'status' | 'history' | 'auth' | 'files';
export const FEATURES: readonly Feature[] = ['rooms', 'status', 'history', 'auth', 'files'];

export type ErrorCode =
  | 'INVALID_NAME'
  | 'NAME_TAKEN'
  | 'SERVER_FULL'
  | 'LINE_TOO_LONG'
  | 'TIMEOUT'
  | 'UNKNOWN_COMMAND'
  | 'USAGE'
  | 'NO_SUCH_USER'
  | 'RATE_LIMITED'
  | 'INVALID_ROOM' // rooms extension
  | 'AUTH_FAILED' // auth extension
  | 'NO_SUCH_OFFER' // files extension
  | 'FILE_TOO_LARGE'; // files extension

/** Error codes after which the server closes the connection. */
export const CLOSING_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INVALID_NAME',
  'NAME_TAKEN',
  'SERVER_FULL',
  'LINE_TOO_LONG',
  'TIMEOUT',
  'AUTH_FAILED',
]);

// What the extensions add to version 1's events (optional: a v1 server never sends them).
/** rooms: the room an event happened in, or the room a list of members is of. */
interface InRoom { room?: string }
/** rooms: a member list cut at the presence limit carries the room's true size. */
interface Counted { count?: number }
/** status: a user's status when it is not `online`. */
export type UserStatus = 'online' | 'away' | 'busy';
export interface StatusEntry { status: UserStatus; note?: string }
/** status: an entry for each listed user who is not `online` (`{}` when all are). */
interface WithStatuses { statuses?: Record<string, StatusEntry> }

// One interface per event type: a discriminated union on `type`.
export interface HelloEvent { type: 'hello'; proto: number; text: string; features?: string[] }
export interface WelcomeEvent extends InRoom, Counted, WithStatuses { type: 'welcome'; user: string; users: string[]; text: string }
export interface JoinEvent extends InRoom { type: 'join'; user: string }
export interface LeaveEvent extends InRoom { type: 'leave'; user: string; reason: LeaveReason }
export interface ChatEvent extends InRoom { type: 'chat'; from: string; text: string }
export interface WhisperEvent { type: 'whisper'; from: string; to: string; text: string }
export interface UsersEvent extends InRoom, Counted, WithStatuses { type: 'users'; users: string[] }
export interface InfoEvent { type: 'info'; text: string }
export interface ErrorEvent { type: 'error'; code: ErrorCode; text: string }
export interface ByeEvent { type: 'bye'; text: string }
export interface ShutdownEvent { type: 'shutdown'; text: string }
// rooms: the answer to /join (the mover's new room and its members) and to /rooms.
export interface RoomEvent extends Counted, WithStatuses { type: 'room'; room: string; users: string[] }
export interface RoomsEvent { type: 'rooms'; rooms: { name: string; users: number }[] }
// status: someone in your room went away, got busy or came back.
export interface StatusEvent { type: 'status'; user: string; status: UserStatus; note?: string }
// history: a room's last messages, oldest first (after welcome, after room, and for /history).
export interface HistoryMessage { from: string; text: string; ts: number }
export interface HistoryEvent extends InRoom { type: 'history'; messages: HistoryMessage[] }
// auth: the name just sent is registered; the next line is its password.
export interface PasswordEvent { type: 'password'; text: string }

// files: an offer to send a file, its answer, and how the transfer ended (lesson 17).
export interface OfferSentEvent { type: 'offer_sent'; id: string; to: string; name: string; size: number }
export interface OfferEvent { type: 'offer'; id: string; from: string; name: string; size: number; sha256: string }
export interface TransferEvent { type: 'transfer'; id: string; token: string; role: 'send' | 'receive' }
export interface TransferDoneEvent { type: 'transfer_done'; id: string }
export type TransferFailure = 'rejected' | 'expired' | 'incomplete' | 'corrupt' | 'gone';
export interface TransferFailedEvent { type: 'transfer_failed'; id: string; reason: TransferFailure }

/** An event as code builds it, before the server stamps it with `ts`. */
export type Event =
  | HelloEvent
  | WelcomeEvent
  | JoinEvent
  | LeaveEvent
  | ChatEvent
  | WhisperEvent
  | UsersEvent
  | InfoEvent
  | ErrorEvent
  | ByeEvent
  | ShutdownEvent
  | RoomEvent
  | RoomsEvent
  | StatusEvent
  | HistoryEvent
  | PasswordEvent
  | OfferSentEvent
  | OfferEvent
  | TransferEvent
  | TransferDoneEvent
  | TransferFailedEvent;

/** An event as it travels on the wire: every one carries a timestamp. */
export type WireEvent = Event & { ts: number };

export type EventType = Event['type'];

/**
 * Encodes one event as one NDJSON line, newline included, stamped with `ts`. An event that
 * already has one keeps it: a chat passed on to a room is the chat history stored.
 */
export function encodeEvent(event: Event | WireEvent, now: number = Date.now()): string {
  return JSON.stringify({ ...event, ts: 'ts' in event ? event.ts : now }) + '\n';
}

/** An event type this version does not know: clients show it as plain text. */
export interface UnknownEvent { type: 'unknown'; raw: string }

/**
 * Parses one line from a server. Never throws: a line that is not a JSON object
 * with a string `type` comes back as `{ type: 'unknown', raw }`, because a
 * client must survive whatever a server (or a stranger on the port) sends.
 */
export function parseEvent(line: string): WireEvent | UnknownEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { type: 'unknown', raw: line };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { type: 'unknown', raw: line };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return { type: 'unknown', raw: line };
  }
  return value as WireEvent;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set<EventType>([
  'hello', 'welcome', 'join', 'leave', 'chat', 'whisper', 'users', 'info', 'error', 'bye', 'shutdown',
  'room', 'rooms', 'status', 'history', 'password',
  'offer_sent', 'offer', 'transfer', 'transfer_done', 'transfer_failed',
]);

/** Texts the protocol fixes, so that every server says the same thing. */
export const TEXTS = {
  hello: 'Welcome to the chat server! Enter your username:',
  welcome: (name: string) => `Welcome, ${name}! Type /help for available commands.`,
  bye: 'Goodbye!',
  shutdown: 'Server is shutting down. Goodbye!',
} as const;

/** The longest line either side may send, in bytes, not counting the line ending. */
export const MAX_LINE_BYTES = 4096;

/** Thrown by a line decoder once more than its limit has arrived without a line ending. */
export class LineTooLongError extends Error {
  constructor(
    readonly limit: number,
    /** The complete lines that came before the long one in the same chunk: they still count. */
    readonly linesBefore: string[] = [],
  ) {
    super(`a line is longer than ${limit} bytes`);
    this.name = 'LineTooLongError';
  }
}
