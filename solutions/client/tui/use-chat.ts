// Lesson 11: the chat's state, kept apart from how it is drawn.
//
// useChat() owns one connection to the server: it logs in, turns every event into state
// (who is online, the messages), and reconnects when the connection is lost. It draws
// nothing, so a test can run it without a screen, and the screen only draws what it gets.
//
// Python (tkinter): a thread blocks in recv() and puts each message on a queue, and the
//   Tk mainloop polls that queue with root.after() to update the widgets.
// Node + React: one thread. The socket's 'data' event dispatches an action, a reducer
//   computes the next state, and React redraws: no second thread, no queue, no polling.

import type net from 'node:net';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { CLOSING_ERRORS, parseEvent, type LeaveReason, type UnknownEvent, type WireEvent } from '../../../app/protocol.js';
import { withExtensions, type ExtensionView, type TransferAction } from '../../../app/client/chat-extensions.js';
import { FileTransfers } from '../../../app/client/file-transfers.js';
import { LineDecoder } from '../../server/line-decoder.js';
import { openConnection, type TlsTrust } from '../open-connection.js';
import { CLOSED_BEFORE_HELLO, explainConnectError } from '../../../app/client/connect-errors.js';
import * as filePiece from '../file-transfer.js';

// ── The state ────────────────────────────────────────────────────────────────

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

const LEFT: Record<LeaveReason, string> = {
  quit: 'has left the chat',
  disconnect: 'disconnected',
  timeout: 'timed out',
  slow: 'was dropped (too slow to read)',
  kicked: 'was removed by the server',
  moved: 'moved to another room',
};

/** The next state: a pure function of the state and one action, so it is easy to test. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'received':
      return action.events.reduce((next, event) => applyEvent(next, event, action.at), state);
    case 'sent':
      return addMessages(state, [{ kind: 'own', from: action.from, text: action.text, ts: action.at }]);
    case 'note':
      return addMessages(state, [{ kind: action.kind, text: action.text, ts: action.at }]);
    case 'status':
      if (JSON.stringify(action.status) === JSON.stringify(state.status)) return state; // nothing to redraw
      // Offline we do not know who is online; the next welcome tells us again.
      return { ...state, status: action.status, users: action.status.state === 'connected' ? state.users : [] };
  }
}

function applyEvent(state: ChatState, event: WireEvent | UnknownEvent, at: number): ChatState {
  if (event.type === 'unknown') return addMessages(state, [{ kind: 'info', text: event.raw, ts: at }]);
  // The server is a stranger too: a field that is not what the protocol says becomes harmless.
  const ts = typeof event.ts === 'number' ? event.ts : at;
  const e = event as unknown as Record<string, unknown>;
  const text = str(e.text);
  switch (event.type) {
    case 'hello':
      return state; // answered by the connection with our name; nothing to show
    case 'welcome':
      return addMessages({ ...state, status: { state: 'connected' }, users: names(e.users) }, lines('info', text, ts));
    case 'join':
      return addMessages({ ...state, users: names([...without(state.users, str(e.user)), str(e.user)]) }, [
        { kind: 'system', text: `${str(e.user)} has joined the chat`, ts },
      ]);
    case 'leave':
      return addMessages({ ...state, users: without(state.users, str(e.user)) }, [
        { kind: 'system', text: `${str(e.user)} ${LEFT[event.reason] ?? LEFT.quit}`, ts },
      ]);
    case 'chat':
      return addMessages(state, [{ kind: 'chat', from: str(e.from), text, ts }]);
    case 'whisper':
      return addMessages(state, [{ kind: 'whisper', from: str(e.from), to: str(e.to), text, ts }]);
    case 'users': {
      const users = names(e.users);
      return addMessages({ ...state, users }, [{ kind: 'info', text: `Online (${users.length}): ${users.join(', ')}`, ts }]);
    }
    case 'info':
    case 'bye':
      return addMessages(state, lines('info', text, ts));
    case 'error':
      return addMessages(state, lines('error', text, ts));
    case 'shutdown':
      return addMessages(state, lines('shutdown', text, ts));
    default:
      // Rooms and status events (lessons 12, 13): shown as they came, until this screen knows them.
      return addMessages(state, [{ kind: 'info', text: JSON.stringify(event), ts: at }]);
  }
}

type NewMessage = Omit<Message, 'id'>;

/** Appends messages and forgets the oldest beyond the limit: a long chat must not fill memory. */
function addMessages(state: ChatState, added: NewMessage[]): ChatState {
  const numbered = added.map((m, i) => ({ ...m, id: state.nextId + i }));
  return { ...state, nextId: state.nextId + added.length, messages: [...state.messages, ...numbered].slice(-state.limit) };
}

/** A text written for people may hold several lines (/help): one message per line. */
function lines(kind: MessageKind, text: string, ts: number): NewMessage[] {
  return text.split('\n').map((line) => ({ kind, text: line, ts }));
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A sorted list of names, without duplicates or anything that is not a name. */
function names(value: unknown): string[] {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  return [...new Set(list)].sort((a, b) => a.localeCompare(b));
}

function without(users: string[], name: string): string[] {
  return users.filter((u) => u.toLowerCase() !== name.toLowerCase());
}

// ── The connection ───────────────────────────────────────────────────────────

export interface ChatOptions {
  host: string;
  port: number;
  name: string;
  /** Lesson 16: speak TLS, trusting these authorities. */
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
  /** Lesson 16: the connection is TLS, so the status bar can say it is encrypted. */
  encrypted?: boolean;
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

interface Connection {
  send(line: string): void;
  quit(): void;
  /** Stops everything at once, silently (the component is going away). */
  close(): void;
}

interface Settings {
  host: string;
  port: number;
  name: string;
  tls: TlsTrust | undefined;
  retryMs: number;
  maxRetryMs: number;
  downloads: string;
}

/** How one socket ended, as its handlers saw it. */
interface Ending {
  /** The server's closing error: a refused name, a full server. */
  refusal?: { code: string; text: string };
  /** The server said `shutdown` before closing. */
  shutdown: boolean;
  error?: NodeJS.ErrnoException;
  /** The server said hello: it speaks our protocol (a plain client on a TLS port never hears it). */
  greeted: boolean;
}

const QUIT_GRACE_MS = 1000;
/** Lines kept while not connected: a few are typing ahead, many are a stuck connection. */
const MAX_WAITING = 20;

/** Connects, logs in, and reconnects until told to stop; reports everything through `dispatch`. */
function openChat({ host, port, name, tls, retryMs, maxRetryMs, downloads }: Settings, dispatch: (action: ChatAction | TransferAction) => void): Connection {
  let socket: net.Socket | undefined;
  let loggedIn = false;
  let everLoggedIn = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  /** Set by /quit: the next close is the end. */
  let leaving = false;
  /** Set by close(): nothing more happens, nothing more is dispatched. */
  let stopped = false;
  /** Lines typed while not logged in, sent after the next welcome. */
  const waiting: string[] = [];
  /** The server asked for our password (auth extension): the next line typed goes at once. */
  let passwordAsked = false;
  // Files (lesson 17): /send, /accept, /reject, and a progress bar while a file moves.
  const files = new FileTransfers({
    address: { host, port, tls },
    downloads,
    piece: filePiece,
    send: (line) => (socket && loggedIn ? socket.write(line + '\n') : note('error', 'Not connected: the file was not offered.')),
    say: (kind, text) => note(kind, text),
    progress: (progress, ended) => dispatch({ type: 'transfer', progress, ended: ended ?? false }),
  });
  const note = (kind: MessageKind, text: string) => dispatch({ type: 'note', kind, text, at: Date.now() });

  function connect(): void {
    const decoder = new LineDecoder();
    const ending: Ending = { shutdown: false, greeted: false };
    const current = openConnection({ host, port, tls }); // plain TCP, or TLS (lesson 16)
    socket = current;
    current.setNoDelay(true); // a chat line should leave now, not with the next one

    current.on('data', (chunk: Buffer) => {
      let received: string[];
      try {
        received = decoder.push(chunk);
      } catch {
        return current.destroy(); // a line too long: this is no chat server
      }
      const events = received.map(parseEvent);
      for (const event of events) {
        if (event.type === 'hello') {
          ending.greeted = true;
          current.write(name + '\n');
        }
        if (event.type === 'password') passwordAsked = true;
        if (event.type === 'welcome') {
          loggedIn = everLoggedIn = true;
          attempt = 0;
        }
        if (event.type === 'error' && CLOSING_ERRORS.has(event.code)) ending.refusal = { code: event.code, text: event.text };
        if (event.type === 'shutdown') ending.shutdown = true;
        files.onEvent(event);
      }
      if (events.length > 0) dispatch({ type: 'received', events, at: Date.now() });
      // The lines typed while we were not in go out now, in the order they were typed.
      if (loggedIn) for (const line of waiting.splice(0)) write(current, line);
    });
    current.on('error', (err: NodeJS.ErrnoException) => {
      ending.error = err; // 'close' follows and decides what to do
    });
    current.on('close', () => {
      if (current === socket) onClosed(ending);
    });
  }

  function onClosed(ending: Ending): void {
    socket = undefined;
    loggedIn = false;
    passwordAsked = false;
    if (stopped) return;
    const error = ending.error && explainConnectError(ending.error, { host, port, tls });
    const refusedName = ['NAME_TAKEN', 'INVALID_NAME', 'AUTH_FAILED'].includes(ending.refusal?.code ?? '');
    if (leaving) return finish('You left the chat.', false);
    // Retrying cannot fix a refused name, and a server we never reached is probably not there.
    if (refusedName || !everLoggedIn) return finish(ending.refusal?.text ?? error ?? (ending.greeted ? 'The server closed the connection.' : CLOSED_BEFORE_HELLO), true);

    attempt += 1;
    const retryInMs = Math.min(retryMs * 2 ** (attempt - 1), maxRetryMs);
    const reason = ending.shutdown ? 'The server shut down.' : (ending.refusal?.text ?? error ?? 'The server closed the connection.');
    if (attempt === 1) dispatch({ type: 'note', kind: 'error', text: `Connection lost: ${reason} Reconnecting...`, at: Date.now() });
    dispatch({ type: 'status', status: { state: 'reconnecting', reason, attempt, retryInMs } });
    retryTimer = setTimeout(connect, retryInMs);
  }

  function finish(reason: string, failed: boolean): void {
    stopped = true;
    clearTimeout(retryTimer);
    dispatch({ type: 'status', status: { state: 'closed', reason, failed } });
  }

  function send(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (/^\/quit(\s|$)/i.test(trimmed)) return quit();
    if (socket && passwordAsked) {
      // The answer to `password`: sent as it is, shown nowhere, kept nowhere.
      passwordAsked = false;
      return void socket.write(trimmed + '\n');
    }
    if (files.command(trimmed)) return;
    if (!socket || !loggedIn) {
      // Typed before the welcome (or while reconnecting): it goes out once we are in.
      if (waiting.length === MAX_WAITING) return dispatch({ type: 'note', kind: 'error', text: `Not connected: only ${MAX_WAITING} lines wait; that one was not kept.`, at: Date.now() });
      waiting.push(trimmed);
      if (waiting.length === 1) dispatch({ type: 'note', kind: 'info', text: 'Not connected yet: what you type is sent once you are in.', at: Date.now() });
      return;
    }
    write(socket, trimmed);
  }

  /** Sends one line on a logged-in socket, and shows it as ours when it is a chat line. */
  function write(to: net.Socket, line: string): void {
    to.write(line + '\n');
    // The server does not echo our chat back: show it ourselves, as the others will see it.
    const own = line.startsWith('//') ? line.slice(1) : line.startsWith('/') ? undefined : line;
    if (own !== undefined) dispatch({ type: 'sent', from: name, text: own, at: Date.now() });
  }

  function quit(): void {
    if (stopped) return;
    leaving = true;
    clearTimeout(retryTimer);
    if (socket && loggedIn) {
      // The server answers `bye` and closes, and 'close' finishes. A server that does not is cut.
      const leavingSocket = socket;
      leavingSocket.end('/quit\n');
      setTimeout(() => leavingSocket.destroy(), QUIT_GRACE_MS).unref();
    } else {
      socket?.destroy();
      finish('You left the chat.', false);
    }
  }

  function close(): void {
    stopped = true;
    clearTimeout(retryTimer);
    socket?.destroy();
  }

  dispatch({ type: 'status', status: { state: 'connecting' } });
  connect();
  return { send, quit, close };
}

// ── The hook ─────────────────────────────────────────────────────────────────

/** This lesson's reducer, wrapped by the one that knows rooms and away/busy (lessons 12, 13). */
const reducer = withExtensions(chatReducer);

/**
 * The chat, for a component: state that changes as events arrive, and send/quit.
 * The socket is opened in an effect and closed in its cleanup, so it lives exactly as
 * long as the component (and React's StrictMode, which mounts twice, opens one for good).
 */
export function useChat({ host, port, name, tls, maxMessages = 500, retryMs = 500, maxRetryMs = 10_000, downloads = 'downloads' }: ChatOptions): Chat {
  const [state, dispatch] = useReducer(reducer, maxMessages, initialState);
  const connection = useRef<Connection | undefined>(undefined);

  useEffect(() => {
    const opened = openChat({ host, port, name, tls, retryMs, maxRetryMs, downloads }, dispatch);
    connection.current = opened;
    return () => opened.close();
  }, [host, port, name, tls, retryMs, maxRetryMs, downloads]);

  // Stable functions: the screen can hand them to its children without redrawing them.
  const send = useCallback((line: string) => connection.current?.send(line), []);
  const quit = useCallback(() => connection.current?.quit(), []);

  return { name, address: `${host}:${port}`, encrypted: tls !== undefined, status: state.status, users: state.users, messages: state.messages, extensions: state.extensions, send, quit };
}
