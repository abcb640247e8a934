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
  const port = Number(values.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port wants a whole number from 1 to 65535; got '${values.port}'.`);
  }
  return { host: values.host ?? DEFAULT_HOST, port, name: values.name, help: values.help ?? false };
}
