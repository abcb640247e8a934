// The wire protocol (PROTOCOL.md, version 1) as TypeScript types, and the two
// functions that turn events into bytes and back. Every server, client and suite
// in the course speaks through this file, so the contract lives in one place.

export const PROTOCOL_VERSION = 1;

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5050;

export type LeaveReason = 'quit' | 'disconnect' | 'timeout' | 'slow' | 'kicked';

export type ErrorCode =
  | 'INVALID_NAME'
  | 'NAME_TAKEN'
  | 'SERVER_FULL'
  | 'LINE_TOO_LONG'
  | 'TIMEOUT'
  | 'UNKNOWN_COMMAND'
  | 'USAGE'
  | 'NO_SUCH_USER'
  | 'RATE_LIMITED';

/** Error codes after which the server closes the connection. */
export const CLOSING_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INVALID_NAME',
  'NAME_TAKEN',
  'SERVER_FULL',
  'LINE_TOO_LONG',
  'TIMEOUT',
]);

// One interface per event type: a discriminated union on `type`.
export interface HelloEvent { type: 'hello'; proto: number; text: string; features?: string[] }
export interface WelcomeEvent { type: 'welcome'; user: string; users: string[]; text: string }
export interface JoinEvent { type: 'join'; user: string }
export interface LeaveEvent { type: 'leave'; user: string; reason: LeaveReason }
export interface ChatEvent { type: 'chat'; from: string; text: string }
export interface WhisperEvent { type: 'whisper'; from: string; to: string; text: string }
export interface UsersEvent { type: 'users'; users: string[] }
export interface InfoEvent { type: 'info'; text: string }
export interface ErrorEvent { type: 'error'; code: ErrorCode; text: string }
export interface ByeEvent { type: 'bye'; text: string }
export interface ShutdownEvent { type: 'shutdown'; text: string }

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
  | ShutdownEvent;

/** An event as it travels on the wire: every one carries a timestamp. */
export type WireEvent = Event & { ts: number };

export type EventType = Event['type'];

/** Encodes one event as one NDJSON line, newline included, stamped with `ts`. */
export function encodeEvent(event: Event, now: number = Date.now()): string {
  return JSON.stringify({ ...event, ts: now }) + '\n';
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
