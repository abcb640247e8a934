// The flags every client program of the course takes: --host, --port, --name.

import { parseFlags, UsageError } from '../cli.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol.js';

export interface ClientFlags {
  host: string;
  port: number;
  name: string | undefined;
  help: boolean;
}

export function parseClientFlags(argv: string[]): ClientFlags {
  const { values } = parseFlags({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { host: values.host ?? DEFAULT_HOST, port: portFrom(values.port), name: values.name, help: values.help ?? false };
}

/** The value of --port, checked; the default port when there is none. */
export function portFrom(text: string | undefined): number {
  const port = Number(text ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port wants a whole number from 1 to 65535; got '${text}'.`);
  }
  return port;
}
