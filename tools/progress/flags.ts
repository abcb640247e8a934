// What `npm run progress` was asked to do: its flags, checked, each mistake one line.

import path from 'node:path';
import { parseFlags, UsageError } from '../../app/cli.js';
import { ROOT } from '../../app/server/pieces.js';
import { LESSONS } from '../../lessons/index.js';
import { BOARD_PORT, USERNAME } from './report.js';

export type Flags =
  | { mode: 'help' }
  | { mode: 'no-auto' }
  | { mode: 'local'; rerun: boolean }
  | { mode: 'share'; rerun: boolean; host: string; port: number; name: string; auto: boolean }
  | { mode: 'board'; host: string; port: number; file: string; lessons: number[]; silentAfterMs: number; fresh: boolean };

export function parseProgressFlags(argv: string[]): Flags {
  const { values } = parseFlags({
    args: argv,
    options: {
      rerun: { type: 'boolean' },
      share: { type: 'string' },
      name: { type: 'string' },
      auto: { type: 'boolean' },
      'no-auto': { type: 'boolean' },
      board: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      lessons: { type: 'string' },
      'silent-after': { type: 'string' },
      file: { type: 'string' },
      new: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { mode: 'help' };
  const given = (names: (keyof typeof values)[]) => names.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
  const boardOnly = given(['host', 'port', 'lessons', 'silent-after', 'file', 'new']);
  const studentOnly = given(['rerun', 'share', 'name', 'auto', 'no-auto']);

  if (values.board) {
    if (studentOnly.length > 0) throw new UsageError(`--board shows the room's reports; ${studentOnly.join(' and ')} ${studentOnly.length > 1 ? 'are' : 'is'} for students.`);
    const minutes = Number(values['silent-after'] ?? 15);
    if (!(minutes > 0)) throw new UsageError(`--silent-after wants minutes, more than 0; got '${values['silent-after']}'.`);
    return {
      mode: 'board',
      host: values.host ?? '0.0.0.0',
      port: portNumber(values.port ?? String(BOARD_PORT), true),
      file: path.resolve(values.file ?? path.join(ROOT, '.progress-board.json')),
      lessons: values.lessons === undefined ? LESSONS.map((l) => l.number) : lessonList(values.lessons),
      silentAfterMs: minutes * 60_000,
      fresh: values.new === true,
    };
  }
  if (boardOnly.length > 0) throw new UsageError(`${boardOnly[0]} goes with --board.${boardOnly[0] === '--host' || boardOnly[0] === '--port' ? ' To send to a board: --share HOST:PORT' : ''}`);
  if (values['no-auto']) {
    if (studentOnly.length > 1) throw new UsageError('--no-auto goes alone.');
    return { mode: 'no-auto' };
  }
  const rerun = values.rerun === true;
  if (values.share === undefined) {
    const stray = given(['name', 'auto'])[0];
    if (stray) throw new UsageError(`${stray} goes with --share HOST:PORT.`);
    return { mode: 'local', rerun };
  }
  if (values.name === undefined) throw new UsageError('--share needs your name, so the instructor knows whose progress it is: --share HOST:PORT --name alice');
  if (!USERNAME.test(values.name)) throw new UsageError(`--name wants a chat name: 1 to 20 ASCII letters, digits, _ or -; got '${values.name}'.`);
  const [host, port] = address(values.share);
  return { mode: 'share', rerun, host, port, name: values.name, auto: values.auto === true };
}

/** 'HOST', 'HOST:PORT' or ':PORT'; the board's port unless given. */
function address(text: string): [string, number] {
  const colon = text.lastIndexOf(':');
  const host = colon === -1 ? text : text.slice(0, colon);
  return [host || '127.0.0.1', portNumber(colon === -1 ? String(BOARD_PORT) : text.slice(colon + 1), false)];
}

function portNumber(text: string, zeroToo: boolean): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < (zeroToo ? 0 : 1) || port > 65535) throw new UsageError(`A port is a whole number from ${zeroToo ? 0 : 1} to 65535; got '${text}'.`);
  return port;
}

/** '1-6', '1-4,7', '1,2,3': the lessons the board counts. */
function lessonList(text: string): number[] {
  const numbers = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) throw new UsageError(`--lessons wants lesson numbers and ranges, like 1-6 or 1-4,7; got '${text}'.`);
    const [from, to] = [Number(range[1]), Number(range[2] ?? range[1])];
    for (let n = from; n <= to; n++) numbers.add(n);
  }
  const unknown = [...numbers].filter((n) => !LESSONS.some((l) => l.number === n));
  if (numbers.size === 0 || unknown.length > 0) throw new UsageError(`There is no lesson ${unknown[0]}. Lessons: ${LESSONS.map((l) => l.number).join(', ')}.`);
  return [...numbers].sort((a, b) => a - b);
}
