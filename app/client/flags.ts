// The flags every client program of the course takes: --host, --port, --name, and
// --tls, --ca FILE (lesson 16).

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FriendlyError, parseFlags, UsageError } from '../cli.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol.js';
import type { TlsTrust } from '../../solutions/client/open-connection.js';

export interface ClientFlags {
  host: string;
  port: number;
  name: string | undefined;
  /** TLS and whom to trust (lesson 16); undefined for plain TCP. */
  tls: TlsTrust | undefined;
  help: boolean;
}

/** The lines of --help for --tls and --ca, the same in every client. */
/** The --tls and --ca lines of a --help, their text starting at `column` like the program's other lines. */
export function tlsUsage(column: number): string {
  const line = (flag: string, text: string) => `  ${flag}`.padEnd(column) + text;
  return [
    line('--tls', "speak TLS, trusting the system's certificate authorities (lesson 16)"),
    line('--ca FILE', 'trust this authority too (implies --tls): --ca certs/ca.pem'),
  ].join('\n');
}

/** The flags parseFlags() needs for --tls and --ca. */
export const TLS_FLAGS = {
  tls: { type: 'boolean' },
  ca: { type: 'string' },
} as const;

export function parseClientFlags(argv: string[]): ClientFlags {
  const { values } = parseFlags({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      name: { type: 'string' },
      ...TLS_FLAGS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { host: values.host ?? DEFAULT_HOST, port: portFrom(values.port), name: values.name, tls: trustFrom(values.tls, values.ca), help: values.help ?? false };
}

/**
 * --tls and --ca FILE as a TlsTrust: undefined for plain TCP. The file must hold a
 * certificate (PEM): a key or a typo is one line now, not a puzzling failure later.
 */
export function trustFrom(tls: boolean | undefined, caFile: string | undefined): TlsTrust | undefined {
  if (caFile === undefined) return tls ? {} : undefined;
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FriendlyError(`--ca ${caFile}: ${missing ? 'no such file. The course\'s authority is certs/ca.pem (npm run certs makes it).' : (err as Error).message}`);
  }
  try {
    new X509Certificate(ca);
  } catch {
    throw new FriendlyError(`--ca ${caFile}: not a certificate in PEM form (-----BEGIN CERTIFICATE-----). Give the authority's certificate, ca.pem, never a key.`);
  }
  return { ca };
}

/** The value of --port, checked; the default port when there is none. */
export function portFrom(text: string | undefined): number {
  const port = Number(text ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port wants a whole number from 1 to 65535; got '${text}'.`);
  }
  return port;
}
