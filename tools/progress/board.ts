// `npm run progress -- --board`: the instructor's view of the whole room. It listens on a port
// of its own (5052), apart from the chat, so that reports never show in anyone's chat, and
// no student can stand in for it: a second board on the same port fails to start. It keeps
// each student's latest report (report.ts) in a file, so a restarted board starts where it
// was, counts only the lessons the instructor chose, and shows who has gone silent.

import { existsSync, readFileSync, renameSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { FriendlyError } from '../../app/cli.js';
import { LineDecoder } from '../../solutions/server/line-decoder.js';
import { writeJson } from './record.js';
import { BOARD_GREETING, formatReport, lessonRanges, parseReport, printable, progressBar, type ProgressReport } from './report.js';

export interface BoardOptions {
  host: string;
  port: number;
  /** Where the reports are kept between runs. */
  file: string;
  /** The lessons that count, in order (the agenda's). */
  lessons: number[];
  /** A student not heard from for this long is shown as silent. */
  silentAfterMs: number;
  /** Start empty; the old file is kept as FILE.bak. */
  fresh: boolean;
}

export interface Student {
  /** The student's name, as in their latest report. */
  student: string;
  report: ProgressReport;
  /** When the board last heard from them, by its own clock. */
  heardAt: number;
}

/** A report must arrive this soon after connecting; a silent caller is let go. */
const REPORT_DEADLINE_MS = 5000;
const MAX_CALLERS = 200;
const REDRAW_MS = 30_000;
const TTY = process.stdout.isTTY === true;
const CLEAR = '\x1b[H\x1b[2J';

export async function runBoard(options: BoardOptions): Promise<void> {
  const { file } = options;
  if (options.fresh && existsSync(file)) renameSync(file, file + '.bak');
  const students = loadStudents(file);
  let status = students.size > 0 ? `Kept ${students.size} student${students.size === 1 ? '' : 's'} from ${file}.` : 'Waiting for the first report.';
  let where = '';

  const draw = () => {
    const text = renderBoard({ students: [...students.values()], lessons: options.lessons, now: Date.now(), silentAfterMs: options.silentAfterMs, where, status });
    process.stdout.write(TTY ? CLEAR + text + '\n' : text + '\n\n');
  };
  const heard = (student: Student) => {
    students.set(student.student.toLowerCase(), student);
    try {
      // Each report kept as the line it came as: read back, it passes the same checks.
      writeJson(file, { students: [...students.values()].map((s) => ({ report: formatReport(s.report), heardAt: s.heardAt })) });
    } catch (err) {
      return `could not save the reports to ${file}: ${(err as Error).message}`;
    }
    const done = student.report.passed.filter((n) => options.lessons.includes(n)).length;
    return `${student.student} reported ${done}/${options.lessons.length}`;
  };

  const server = net.createServer((socket) => {
    socket.on('error', () => {}); // a caller that resets is its own problem, never the board's
    socket.setTimeout(REPORT_DEADLINE_MS, () => socket.destroy());
    socket.write(BOARD_GREETING + '\n');
    const decoder = new LineDecoder(512);
    const onData = (chunk: Buffer) => {
      let line: string | undefined;
      try {
        line = decoder.push(chunk)[0];
      } catch {
        line = '';
      }
      if (line === undefined) return;
      socket.off('data', onData);
      const report = parseReport(line);
      const from = printable(socket.remoteAddress ?? 'someone');
      if (!report?.name) {
        socket.end('refused that is not a progress report with a name\n');
        status = `${clock(Date.now())}  ignored a line from ${from} that is not a progress report`;
      } else {
        status = `${clock(Date.now())}  ${heard({ student: report.name, report, heardAt: Date.now() })}`;
        socket.end('ok\n');
      }
      draw();
    };
    socket.on('data', onData);
  });
  server.maxConnections = MAX_CALLERS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options)));
    server.listen({ host: options.host, port: options.port }, resolve);
  });
  where = addresses(options.host, (server.address() as net.AddressInfo).port);
  draw();
  if (TTY) setInterval(draw, REDRAW_MS); // "last heard" ages, and silence shows, without a report

  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => {}); // until Ctrl+C
}

function listenError(err: NodeJS.ErrnoException, { host, port }: BoardOptions): Error {
  if (err.code === 'EADDRINUSE') return new FriendlyError(`Port ${port} is taken on this machine: is a board already running? Stop it first, or start this one with --port ${port + 10} and give students that address.`);
  if (err.code === 'EADDRNOTAVAIL') return new FriendlyError(`${host} is not an address of this machine; leave --host out to listen on all of them.`);
  if (err.code === 'EACCES') return new FriendlyError(`Port ${port} needs special rights on this system; choose one above 1023.`);
  return new FriendlyError(`The board could not listen on ${host}:${port}: ${err.message}`);
}

/** Where students reach the board: this machine's network addresses when it listens on all of them. */
function addresses(host: string, port: number): string {
  if (host !== '0.0.0.0' && host !== '::') return `${host}:${port}`;
  const mine = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${a!.address}:${port}`);
  return mine.length > 0 ? mine.join(' or ') : `THIS_MACHINE_IP:${port}`;
}

function loadStudents(file: string): Map<string, Student> {
  const students = new Map<string, Student>();
  if (!existsSync(file)) return students;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new FriendlyError(`${file} is not a board's file (damaged?): move it away, or start with --new to begin empty.`);
  }
  const list = (data as { students?: unknown })?.students;
  for (const s of Array.isArray(list) ? (list as { report?: unknown; heardAt?: unknown }[]) : []) {
    const report = parseReport(String(s?.report));
    if (report?.name && typeof s.heardAt === 'number' && Number.isFinite(s.heardAt)) students.set(report.name.toLowerCase(), { student: report.name, report, heardAt: s.heardAt });
  }
  return students;
}

export interface BoardView {
  students: Student[];
  lessons: number[];
  now: number;
  silentAfterMs: number;
  where: string;
  status: string;
}

/** The board as text, every line within 79 columns. */
export function renderBoard({ students, lessons, now, silentAfterMs, where, status }: BoardView): string {
  const sorted = [...students].sort((a, b) => a.student.localeCompare(b.student));
  const silent = sorted.filter((s) => now - s.heardAt >= silentAfterMs);
  const lines = [
    `Progress board: ${sorted.length} student${sorted.length === 1 ? '' : 's'}, lessons ${lessonRanges(lessons)}`,
    '',
    row('student', 'progress', 'done', 'passed', 'working on', 'last heard'),
  ];
  for (const s of sorted) {
    const { passed, next: working } = s.report;
    const done = passed.filter((n) => lessons.includes(n));
    const todo = lessons.find((n) => !passed.includes(n));
    const next = todo === undefined ? 'all done' : working?.lesson === todo ? `${todo}: ${working.passed}/${working.tests}` : String(todo);
    const heard = now - s.heardAt >= silentAfterMs ? `silent ${since(now - s.heardAt)}` : `${since(now - s.heardAt)} ago`;
    lines.push(row(s.student, progressBar(done.length, lessons.length, 10), `${done.length}/${lessons.length}`, lessonRanges(done), next, heard));
  }
  if (sorted.length === 0) lines.push('(nobody yet)');
  lines.push('');
  if (silent.length > 0) lines.push(cut(`Silent for ${Math.round(silentAfterMs / 60_000)}+ min: ${silent.map((s) => s.student).join(', ')}`, 79));
  lines.push(
    status,
    `Listening on ${where}. Students send their progress with:`,
    `  npm run progress -- --share ${where.split(' or ')[0]} --name THEIR_NAME --auto`,
    'Ctrl+C stops the board; the reports are kept for its next start.',
  );
  return lines.join('\n');
}

function row(student: string, bar: string, count: string, passed: string, next: string, heard: string): string {
  return `${student.padEnd(20)} ${bar.padEnd(12)} ${count.padStart(5)}  ${cut(passed, 9).padEnd(9)}  ${cut(next, 11).padEnd(11)}  ${heard}`.trimEnd();
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width - 1) + '…';
}

/** A time span, short: <1m, 4m, 2h. */
function since(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return '<1m';
  return min < 60 ? `${min}m` : `${Math.floor(min / 60)}h`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
