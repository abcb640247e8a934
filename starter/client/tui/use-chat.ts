// Lesson 11: the chat's state, kept apart from how it is drawn.
// Read the lesson first: npm run lesson 11      Check your work: npm test -- lesson11
//
// useChat() owns one connection to the server: it logs in, turns every event into state
// (who is online, the messages), and reconnects when the connection is lost. It draws
// nothing: the screen (chat-screen.tsx) draws what it returns.
// It reads lines with your LineDecoder from lesson 4 (../../server/line-decoder.js).

import net from 'node:net';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { CLOSING_ERRORS, parseEvent, type UnknownEvent, type WireEvent } from '../../../app/protocol.js';
import type { ExtensionView } from '../../../app/client/chat-extensions.js';
import { LineDecoder } from '../../server/line-decoder.js';
import type { TlsTrust } from '../open-connection.js';

// ── The state (given: the screen and the suite rely on these shapes) ─────────

/** What a line of the message list is. The screen colours by this, never by the text. */
export type MessageKind = 'chat' | 'own' | 'whisper' | 'system' | 'info' | 'error' | 'shutdown';

export interface Message {
  /** Unique within one chat: React's key for the row. */
  id: number;
  kind: MessageKind;
  /** When it happened, in milliseconds since 1970: the server's `ts`, or ours for local lines. */
  ts: number;
  text: string;
  /** Who wrote it (chat, own, whisper). */
  from?: string;
  /** Whom a whisper was for. */
  to?: string;
  /** Extensions only (app/client/chat-extensions.ts): a line of a room's history, or the line under it. */
  look?: 'earlier' | 'divider';
}

export type Status =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: string; attempt: number; retryInMs: number }
  /** For good: after /quit (`failed` false), a refused name or an unreachable server (`failed` true). */
  | { state: 'closed'; reason: string; failed: boolean };

export interface ChatState {
  status: Status;
  /** Everyone online, as the server last told us (welcome, join, leave, users). */
  users: string[];
  /** The newest last, at most `limit` of them. */
  messages: Message[];
  limit: number;
  /** The id the next message gets. */
  nextId: number;
  /** Rooms, away/busy (lessons 12, 13): kept by app/client/chat-extensions.ts, not by this reducer. */
  extensions?: ExtensionView;
}

/** Everything that can change the state. `at` is when it happened. */
export type ChatAction =
  /** The events of one chunk from the server: one update, one redraw. */
  | { type: 'received'; events: (WireEvent | UnknownEvent)[]; at: number }
  | { type: 'sent'; from: string; text: string; at: number }
  | { type: 'note'; kind: MessageKind; text: string; at: number }
  | { type: 'status'; status: Status };

export function initialState(limit: number): ChatState {
  return { status: { state: 'connecting' }, users: [], messages: [], limit, nextId: 1 };
}

export interface ChatOptions {
  host: string;
  port: number;
  name: string;
  /** Lesson 16: speak TLS, trusting these authorities: open the socket with openConnection({ host, port, tls }). */
  tls?: TlsTrust;
  /** How many messages to keep (default 500). */
  maxMessages?: number;
  /** The wait before the first reconnection attempt (default 500 ms); it doubles after each failure. */
  retryMs?: number;
  /** The longest wait between attempts (default 10 s). */
  maxRetryMs?: number;
  /** Lesson 17: where received files are saved (default: downloads, in the current folder). */
  downloads?: string;
}

/** What the hook gives the screen: the state, and the two things a user can do. */
export interface Chat {
  name: string;
  /** The server, as `host:port`. */
  address: string;
  status: Status;
  users: string[];
  messages: Message[];
  /** Rooms, away/busy (lessons 12, 13), from a server that runs them: app/client/chat-extensions.ts. */
  extensions?: ExtensionView;
  /** Sends one line as typed: a chat message or a command. `/quit` leaves. */
  send(line: string): void;
  /** Leaves the chat: `/quit` if connected, then closed for good. */
  quit(): void;
}

// ── Your part ────────────────────────────────────────────────────────────────

/** The next state: a pure function of the state and one action. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  // TODO (lesson 11): return a new state for each action; never change `state` itself.
  //  - 'received': for each event, in order, messages of the right kind: chat, whisper (from,
  //    to), join and leave are 'system', info and bye are 'info', error is 'error', shutdown is
  //    'shutdown', an unknown event shows its raw line as 'info'. A text with '\n' (the /help
  //    text) is one message per line. welcome, join, leave and users also update `users`, and
  //    welcome makes the status 'connected'. hello shows nothing. A leave says why (its reason),
  //    users also shows as an 'info' line ("Online (3): alice, bob, carol"), and each message
  //    has the event's ts. A field of the wrong type becomes '' (a ts: action.at), and users
  //    keeps only names: strings, not empty, each once, sorted.
  //  - 'sent': your own chat line, kind 'own' (the server does not send it back to you).
  //  - 'note': a line of the client's own (e.g. "Connection lost").
  //  - 'status': the new status; when it is not 'connected', nobody is known to be online.
  //  Give each new message id: state.nextId (then + 1), and keep only the last state.limit.
  return state;
}

/**
 * The chat, for a component: state that changes as events arrive, and send/quit.
 */
export function useChat({ host, port, name, maxMessages = 500, retryMs = 500, maxRetryMs = 10_000 }: ChatOptions): Chat {
  // TODO (lesson 11):
  //  1. const [state, dispatch] = useReducer(chatReducer, maxMessages, initialState);
  //  2. In a useEffect with [host, port, name, retryMs, maxRetryMs] as dependencies, open the
  //     connection: net.connect({ host, port }), a LineDecoder, parseEvent() for each line.
  //     On `hello` write name + '\n'. Dispatch the events of each chunk in one 'received' action.
  //     Return a cleanup that closes the socket and cancels any retry timer: after it, nothing
  //     more may be dispatched.
  //  3. When the socket closes: after /quit (the server said bye), or when the name was
  //     refused (an error whose code is NAME_TAKEN or INVALID_NAME), or when we never got in,
  //     dispatch status closed. Otherwise dispatch status reconnecting and try again after
  //     retryMs, doubling the wait after each failure, up to maxRetryMs; its reason says why
  //     (a shutdown, a closing error's text, or the server closed the connection), and one
  //     note of kind 'error' per lost connection says so too. A line too long for your
  //     LineDecoder (it throws): destroy the socket.
  //  4. send(line) and quit() reach the current socket through a useRef; useCallback keeps
  //     them the same functions from one render to the next. A line sent before the welcome
  //     (or while reconnecting) waits in a queue and goes out, in order, once logged in. send()
  //     trims, ignores a blank line, and leaves on a line that starts with /quit. quit() when
  //     not logged in closes at once (status closed, failed: false).
  return {
    name,
    address: `${host}:${port}`,
    status: { state: 'closed', reason: 'TODO (lesson 11): useChat() is not written yet. Read the lesson: npm run lesson 11', failed: true },
    users: [],
    messages: [],
    send: () => {},
    quit: () => {},
  };
}
