// Turns command-line flags (PROTOCOL.md, "Starting a server") into ServerOptions.
// A mistake in a flag is the user's, so it becomes one clear line, never a stack trace.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { FriendlyError, parseFlags, UsageError } from '../cli.js';
import { LESSONS } from '../../lessons/index.js';
import { FEATURES, type Feature } from '../protocol.js';
import { piecesOfLessons, ROOT, SERVER_LESSONS, type PieceName } from './pieces.js';
import { HISTORY_NEEDS, sqliteAvailable } from './sqlite.js';
import { DEFAULT_OPTIONS, type ServerOptions, type TlsIdentity } from './types.js';

/** Where history lives unless --db says otherwise: a git-ignored folder of the project. */
export const DEFAULT_DB = path.join(ROOT, '.data', 'chat-history.db');

/** The features that keep their rows in the SQLite database (--db); with --redis, in Redis. */
export const NEEDS_SQLITE: readonly Feature[] = ['history', 'auth'];

export const SERVER_USAGE = `Usage: npm run server -- [flags]
  --host HOST                   address to listen on (default 127.0.0.1; 0.0.0.0 for a classroom)
  --port PORT                   port to listen on (default 5050; 0 picks a free one)
  --max-clients N               most connections at once (default 50)
  --max-per-address N           most connections from one address (default 10; 0: no limit)
  --handshake-timeout-ms N      time allowed to send a username (default 30000)
  --max-queued-bytes N          bytes queued for one client before it is dropped (default 1048576)
  --rate-limit BURST/PER_SEC    lines a client may send (default 20/10)
  --no-rate-limit               no rate limit (for benchmarks)
  --features LIST|none          the extensions to run, e.g. rooms or rooms,status
                                (default: all of them, ${FEATURES.join(',')}; none: version 1)
  --presence-limit N            rooms: no join/leave in a room larger than this (default 500)
  --db FILE                     history and auth (registered names): the SQLite database
                                (default .data/chat-history.db; :memory: keeps nothing on
                                disk). Needs Node 22.13 or newer; not with --redis
  --tls-cert FILE --tls-key FILE
                                speak TLS with this certificate and key (lesson 16;
                                npm run certs makes them: certs/server.pem, server-key.pem)
  --max-file-bytes N            files: the largest file a user may send (default 67108864,
                                64 MiB)
  --redis URL                   several servers, one chat: every server started with the same
                                Redis (e.g. redis://127.0.0.1:6379) serves one chat; history
                                and registered names live in it (any Node)
  --lease-ms N                  with --redis: a name's lease, renewed every third of it; a
                                stopped server's names free and its users leave within it
                                (default 10000)
  --mine [LESSONS]              run your own pieces from starter/: all of them, or only
                                those of the lessons listed, e.g. --mine 2 or --mine 2,3
  --quiet                       print no line per connection, login and leave
  --slow-name-check-ms N        make each name check take N ms (lesson 7's race demo)
  --help                        show this help`;

export interface ServerFlags extends ServerOptions {
  help: boolean;
  /** The lessons whose pieces come from starter/ instead of solutions/ (none: the reference). */
  mineLessons: number[];
  /** Those lessons' pieces. */
  mine: PieceName[];
  /** No activity log (one line per connection, login, leave and refusal). */
  quiet: boolean;
  /** How long each name check takes (0: as the name store answers). */
  slowNameCheckMs: number;
}

export function parseServerFlags(argv: string[]): ServerFlags {
  // --mine takes an optional list, which parseArgs cannot express: take it out first.
  let mineLessons: number[] = [];
  const at = argv.indexOf('--mine');
  if (at !== -1) {
    const list = argv[at + 1];
    const numbered = list !== undefined && /^\d+(,\d+)*$/.test(list);
    mineLessons = numbered ? mineList(list) : SERVER_LESSONS;
    argv = argv.filter((_, i) => i !== at && !(numbered && i === at + 1));
  }
  const { values } = parseFlags({
    args: argv,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'max-clients': { type: 'string' },
      'max-per-address': { type: 'string' },
      'handshake-timeout-ms': { type: 'string' },
      'max-queued-bytes': { type: 'string' },
      'rate-limit': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      quiet: { type: 'boolean' },
      'slow-name-check-ms': { type: 'string' },
      features: { type: 'string' },
      'presence-limit': { type: 'string' },
      db: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'max-file-bytes': { type: 'string' },
      redis: { type: 'string' },
      'lease-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

  let rateLimit = DEFAULT_OPTIONS.rateLimit;
  if (values['rate-limit'] !== undefined) {
    const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(values['rate-limit']);
    if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) {
      throw new UsageError(`--rate-limit wants BURST/PER_SECOND, like 20/10; got '${values['rate-limit']}'.`);
    }
    rateLimit = { burst: Number(match[1]), perSecond: Number(match[2]) };
  }
  if (values['no-rate-limit']) rateLimit = null;

  // History and auth need node:sqlite (Node 22.13+): by default they run where they can;
  // asked for on an older Node, it is one line that says why. With --redis, both live in
  // Redis (no SQLite needed, any Node), and a --db would name a file nobody opens.
  const redis = values.redis;
  if (redis !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redis)) {
    throw new UsageError(`--redis wants a Redis URL, like redis://127.0.0.1:6379; got '${redis}'.`);
  }
  if (values['lease-ms'] !== undefined && redis === undefined) throw new UsageError('--lease-ms is the lease of a name in Redis: it goes with --redis URL.');
  const needsSqlite = (f: Feature) => NEEDS_SQLITE.includes(f) && redis === undefined;
  const features = values.features === undefined ? FEATURES.filter((f) => !needsSqlite(f) || sqliteAvailable()) : parseFeatures(values.features);
  const usesDb = features.some(needsSqlite);
  if (values.db !== undefined && redis !== undefined) {
    throw new UsageError('--db names a SQLite file, but with --redis history and registered names live in Redis: leave --db out.');
  }
  if (values.db !== undefined && !usesDb && values.features !== undefined) {
    throw new UsageError(`--db names the database of history and auth, but --features ${values.features} leaves both out.`);
  }
  if ((usesDb || values.db !== undefined) && !sqliteAvailable()) throw new FriendlyError(HISTORY_NEEDS);
  if (values.db === '') throw new UsageError('--db wants a file name, or :memory:.');

  return {
    host: values.host ?? DEFAULT_OPTIONS.host,
    port: integer('--port', values.port, DEFAULT_OPTIONS.port, 0, 65535),
    maxClients: integer('--max-clients', values['max-clients'], DEFAULT_OPTIONS.maxClients, 1),
    maxPerAddress: integer('--max-per-address', values['max-per-address'], DEFAULT_OPTIONS.maxPerAddress, 0),
    handshakeTimeoutMs: integer('--handshake-timeout-ms', values['handshake-timeout-ms'], DEFAULT_OPTIONS.handshakeTimeoutMs, 1),
    maxQueuedBytes: integer('--max-queued-bytes', values['max-queued-bytes'], DEFAULT_OPTIONS.maxQueuedBytes, 1),
    maxLineBytes: DEFAULT_OPTIONS.maxLineBytes,
    rateLimit,
    features,
    presenceLimit: integer('--presence-limit', values['presence-limit'], DEFAULT_OPTIONS.presenceLimit, 1),
    db: values.db ?? DEFAULT_DB,
    tls: tlsIdentity(values['tls-cert'], values['tls-key']),
    maxFileBytes: integer('--max-file-bytes', values['max-file-bytes'], DEFAULT_OPTIONS.maxFileBytes, 1),
    offerTimeoutMs: DEFAULT_OPTIONS.offerTimeoutMs,
    dataConnectTimeoutMs: DEFAULT_OPTIONS.dataConnectTimeoutMs,
    redis: redis ?? '',
    leaseMs: integer('--lease-ms', values['lease-ms'], DEFAULT_OPTIONS.leaseMs, 100, 60_000),
    help: values.help ?? false,
    mineLessons,
    mine: piecesOfLessons(mineLessons),
    quiet: values.quiet ?? false,
    slowNameCheckMs: integer('--slow-name-check-ms', values['slow-name-check-ms'], 0, 0, 60_000),
  };
}

/** --tls-cert and --tls-key: both or neither, each a readable PEM file, the key the certificate's. */
function tlsIdentity(certFile: string | undefined, keyFile: string | undefined): TlsIdentity | null {
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined) {
    throw new UsageError(`TLS needs both --tls-cert FILE and --tls-key FILE (npm run certs makes certs/server.pem and certs/server-key.pem).`);
  }
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new FriendlyError(`${flag} ${file}: ${missing ? 'no such file. npm run certs makes one.' : (err as Error).message}`);
    }
  };
  const identity = { cert: read('--tls-cert', certFile), key: read('--tls-key', keyFile) };
  try {
    tls.createSecureContext(identity); // a key of another certificate, a file that is not PEM...
  } catch (err) {
    throw new FriendlyError(`--tls-cert ${certFile} with --tls-key ${keyFile}: ${(err as Error).message.replace(/^error:[0-9A-F]+:[^:]*::/, '')}. Are they a certificate and its own key (npm run certs)?`);
  }
  return identity;
}

/** 'rooms,status' → ['rooms', 'status']; 'none' → []. */
function parseFeatures(text: string): Feature[] {
  if (text.trim() === 'none') return [];
  const asked = text.split(',').map((f) => f.trim());
  const unknown = asked.filter((f) => !(FEATURES as readonly string[]).includes(f));
  if (unknown.length > 0 || asked.length === 0) {
    throw new UsageError(`--features wants a comma-separated list of ${FEATURES.join(', ')}, or none; got '${text}'.`);
  }
  return FEATURES.filter((f) => asked.includes(f)); // in a fixed order, each once
}

/** `--mine 2,3`: lesson numbers, each one that has a server piece. */
function mineList(list: string): number[] {
  const numbers = [...new Set(list.split(',').map(Number))].sort((a, b) => a - b);
  const which = `Lessons with a server piece: ${SERVER_LESSONS.join(', ')}.`;
  for (const n of numbers) {
    const lesson = LESSONS.find((l) => l.number === n);
    if (!lesson) throw new UsageError(`--mine ${list}: there is no lesson ${n}. ${which}`);
    if (!SERVER_LESSONS.includes(n)) {
      throw new UsageError(`--mine ${list}: lesson ${n} (${lesson.title}) writes no server piece. ${which}`);
    }
  }
  return numbers;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} wants a whole number from ${min} to ${max}; got '${text}'.`);
  }
  return value;
}
