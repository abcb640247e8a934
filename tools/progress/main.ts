// `npm run progress`: which lessons your code passes, at a glance (every lesson's suite in one
// vitest run against starter/). In a classroom, `-- --share HOST[:PORT] --name NAME` also sends
// the result to the instructor's board, and `-- --board` is that board.

import { parseFlags, runMain, UsageError } from '../../app/cli.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../app/protocol.js';
import { LESSONS } from '../../lessons/index.js';
import { runBoard } from './board.js';
import { formatReport, progressBar, USERNAME, type ProgressReport } from './report.js';
import { openReporter } from './share.js';
import { passes, runLessonSuites, TREE, type SuiteResult } from '../suite-results.js';

const USAGE = `Usage:
  npm run progress                                   which lessons your code passes
  npm run progress -- --share HOST[:PORT] --name NAME [--to teacher]
                                                     the same, then report it to the instructor's board
  npm run progress -- --board [--host H] [--port P] [--name teacher]
                                                     (instructor) a live table of the room's reports`;

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint('32');
const red = paint('31');
const dim = paint('2');

runMain('PROGRESS', async () => {
  const flags = parseProgressFlags(process.argv.slice(2));
  if (flags.mode === 'help') return console.log(USAGE);
  if (flags.mode === 'board') return runBoard(flags);

  if (flags.mode === 'local') return console.log(table(await runWithTicker()));

  // Sharing: connect first, so that a wrong address or a missing board shows before the wait.
  const reporter = await openReporter(flags);
  try {
    const results = await runWithTicker();
    console.log(table(results));
    const report = toReport(results, flags.name);
    await reporter.send(report);
    console.log(`\nSent to ${flags.to} at ${flags.host}:${flags.port} (as ${reporter.user}): ${formatReport(report)}`);
  } finally {
    await reporter.quit();
  }
});

type Flags =
  | { mode: 'help' }
  | { mode: 'local' }
  | { mode: 'share'; host: string; port: number; name: string; to: string }
  | { mode: 'board'; host: string; port: number; name: string };

function parseProgressFlags(argv: string[]): Flags {
  const { values } = parseFlags({
    args: argv,
    options: {
      share: { type: 'string' },
      board: { type: 'boolean' },
      name: { type: 'string' },
      to: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { mode: 'help' };
  const chatName = (flag: string, text: string) => {
    if (!USERNAME.test(text)) throw new UsageError(`${flag} wants a chat name: 1 to 20 letters, digits, _ or -; got '${text}'.`);
    return text;
  };

  if (values.board) {
    if (values.share !== undefined || values.to !== undefined) throw new UsageError('--board shows reports; --share and --to are for students sending them.');
    return { mode: 'board', host: values.host ?? DEFAULT_HOST, port: portNumber(values.port ?? String(DEFAULT_PORT)), name: chatName('--name', values.name ?? 'teacher') };
  }
  if (values.share !== undefined) {
    if (values.host !== undefined || values.port !== undefined) throw new UsageError('With --share, give the address as --share HOST:PORT.');
    if (values.name === undefined) throw new UsageError('--share needs your name, so the instructor knows whose progress it is: --share HOST:PORT --name alice');
    const [host, port] = address(values.share);
    return { mode: 'share', host, port, name: chatName('--name', values.name), to: chatName('--to', values.to ?? 'teacher') };
  }
  const stray = (['name', 'to', 'host', 'port'] as const).find((f) => values[f] !== undefined);
  if (stray) throw new UsageError(`--${stray} goes with --share or --board.`);
  return { mode: 'local' };
}

/** 'HOST', 'HOST:PORT' or ':PORT', the port 5050 unless given. */
function address(text: string): [string, number] {
  const colon = text.lastIndexOf(':');
  const host = colon === -1 ? text : text.slice(0, colon);
  return [host || DEFAULT_HOST, portNumber(colon === -1 ? String(DEFAULT_PORT) : text.slice(colon + 1))];
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`A port is a whole number from 1 to 65535; got '${text}'.`);
  return port;
}

/** The suites take a few seconds: on a terminal, show that something is happening. */
async function runWithTicker(): Promise<SuiteResult[]> {
  const started = Date.now();
  const what = `Running the ${LESSONS.length} lesson suites against ${TREE}/`;
  if (!process.stdout.isTTY) return runLessonSuites();
  const tick = () => process.stdout.write(`\r${what}... ${Math.round((Date.now() - started) / 1000)} s`);
  tick();
  const ticker = setInterval(tick, 1000);
  try {
    return await runLessonSuites();
  } finally {
    clearInterval(ticker);
    process.stdout.write('\r\x1b[2K');
  }
}

function table(results: SuiteResult[]): string {
  const done = results.filter(passes).length;
  const width = Math.max(...results.map((r) => r.lesson.title.length));
  const rows = results.map((r) => {
    const mark = passes(r) ? green('✓') : red('✗');
    const tests = r.error ? red(`could not run: ${r.error}`) : `${r.passed}/${r.total} tests`;
    return `  ${String(r.lesson.number).padStart(2)}  ${r.lesson.title.padEnd(width)}  ${mark}  ${tests}`;
  });
  return [`Your progress (${TREE}/):`, '', ...rows, '', `  ${progressBar(done, results.length, 12)} ${done}/${results.length} lessons`, '', nextStep(results)].join('\n');
}

function nextStep(results: SuiteResult[]): string {
  const next = results.find((r) => !passes(r));
  if (!next) return 'All lessons pass. Your own chat, end to end: npm run server -- --mine, then npm run chat -- --mine --name YOU';
  const n = next.lesson.number;
  if (next.error) return `Next: npm test -- lesson${n}   (its suite could not run: the first lines it prints say why)`;
  if (next.passed === 0) return `Next: npm run lesson ${n}   ${dim(`(then npm test -- lesson${n})`)}`;
  return `Next: npm test -- lesson${n}   ${dim(`(${next.passed} of ${next.total} tests pass; each failure says what to fix)`)}`;
}

function toReport(results: SuiteResult[], name: string): ProgressReport {
  const next = results.find((r) => !passes(r));
  return {
    name,
    passed: results.filter(passes).map((r) => r.lesson.number),
    total: results.length,
    next: next && { lesson: next.lesson.number, passed: next.passed, tests: next.total },
  };
}
