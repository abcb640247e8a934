// `npm run progress -- --board`: the instructor's view of the whole room. It logs in to the
// classroom chat as `teacher` and keeps, for each student, the latest progress report their
// `npm run progress -- --share` whispered (report.ts), redrawing the table on
// every report. Everything shown that came from the network is checked or cleaned first.

import { FriendlyError } from '../../app/cli.js';
import type { UnknownEvent, WireEvent } from '../../app/protocol.js';
import { LoginRefused, logIn, printable } from './chat-link.js';
import { lessonRanges, parseReport, progressBar, REPORT_PREFIX, type ProgressReport } from './report.js';

export interface BoardOptions {
  host: string;
  port: number;
  name: string;
}

interface Row {
  student: string;
  report: ProgressReport;
  at: number;
}

const TTY = process.stdout.isTTY === true;
const CLEAR = '\x1b[H\x1b[2J';

export async function runBoard({ host, port, name }: BoardOptions): Promise<void> {
  const where = `${host}:${port}`;
  const rows = new Map<string, Row>();
  let status = 'Waiting for the first report.';
  let shutdown = false;

  const draw = () => {
    const text = board(where, name, rows, status, host);
    process.stdout.write(TTY ? CLEAR + text + '\n' : text + '\n\n');
  };
  const onEvent = (event: WireEvent | UnknownEvent) => {
    if (event.type === 'shutdown') shutdown = true;
    if (event.type !== 'whisper') return;
    // Fields from the wire are whatever the server sent: String() before any string method.
    const [to, text, sender] = [String(event.to), String(event.text), printable(event.from).slice(0, 20)];
    // Our own whispers come back to us as confirmations: only reports sent to us count.
    if (to.toLowerCase() !== name.toLowerCase() || !text.startsWith(REPORT_PREFIX)) return;
    const report = parseReport(text);
    const at = Number.isInteger(event.ts) ? event.ts : Date.now();
    if (!report) {
      status = `${clock(at)}  ignored a report from ${sender} that is not in the expected form`;
    } else {
      // A report names its student; one typed by hand may not: it is filed under its sender.
      const student = report.name ?? sender;
      rows.set(student.toLowerCase(), { student, report, at });
      status = `${clock(at)}  ${student} reported ${report.passed.length}/${report.total}`;
    }
    draw();
  };

  let session;
  try {
    session = await logIn(host, port, name, onEvent);
  } catch (err) {
    if (err instanceof LoginRefused && err.code === 'NAME_TAKEN') {
      throw new FriendlyError(`The name '${name}' is taken at ${where}: is a board already running? Start this one with --name OTHER, and have students share with --to OTHER.`);
    }
    throw err;
  }
  draw();

  let leaving = false;
  const leave = () => {
    if (leaving) process.exit(1);
    leaving = true;
    session.quit().then(() => process.exit(0));
  };
  process.on('SIGINT', leave);
  process.on('SIGTERM', leave);
  await session.closed;
  if (!leaving) throw new FriendlyError(`The server at ${where} closed the connection${shutdown ? ': it is shutting down' : ''}. The board stops here.`);
}

function board(where: string, me: string, rows: Map<string, Row>, status: string, host: string): string {
  const students = [...rows.values()].sort((a, b) => a.student.localeCompare(b.student));
  const address = host === '127.0.0.1' || host === 'localhost' || host === '0.0.0.0' ? 'THIS_MACHINE_IP' : host;
  const port = where.slice(where.lastIndexOf(':') + 1);
  const lines = [
    `Classroom progress: ${students.length} student${students.length === 1 ? '' : 's'} reported    (board: ${me} at ${where})`,
    '',
    row('student', 'progress', '', 'passed', 'working on', 'reported'),
  ];
  for (const { student, report, at } of students) {
    const done = report.passed.length;
    const next = report.next ? `${report.next.lesson} (${report.next.passed}/${report.next.tests} tests)` : done === report.total ? 'all done' : '-';
    lines.push(row(student, progressBar(done, report.total, 10), `${done}/${report.total}`, lessonRanges(report.passed), next, clock(at)));
  }
  if (students.length === 0) lines.push('(nobody yet)');
  lines.push(
    '',
    status,
    `Students: npm run progress -- --share ${address}:${port} --name THEIR_NAME${me === 'teacher' ? '' : ` --to ${me}`}`,
    'Ctrl+C to leave.',
  );
  return lines.join('\n');
}

/** One line of the table; 79 columns wide, so that it fits an 80-column terminal. */
function row(student: string, bar: string, count: string, passed: string, next: string, at: string): string {
  return `${student.padEnd(20)}  ${bar.padEnd(12)} ${count.padStart(5)}  ${passed.padEnd(11)}  ${next.padEnd(15)}  ${at}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
