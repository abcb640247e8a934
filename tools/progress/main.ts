// `npm run progress`: which lessons your code passes, at a glance. Every `npm test` records
// its result as it ends (recorder.ts), so this answers at once; `--rerun` runs every suite
// first. In a classroom, `--share HOST:PORT --name NAME` sends the result to the instructor's
// board (`--auto`: after every test run from now on), and `--board` is that board.

import { runMain } from '../../app/cli.js';
import { LESSONS } from '../../lessons/index.js';
import { runLessonSuites, TREE, type SuiteResult } from '../suite-results.js';
import { runBoard } from './board.js';
import { editedSince, passes, readResults, readShare, recordResults, toReport, writeShare, type Results } from './record.js';
import { parseProgressFlags } from './flags.js';
import { BOARD_PORT, lessonRanges, progressBar } from './report.js';
import { sendReport } from './share.js';

const USAGE = `Usage:
  npm run progress                  which lessons pass, from your latest test runs
  npm run progress -- --rerun       the same, after running every lesson suite now
  npm run progress -- --share HOST[:PORT] --name NAME [--auto]
                                    send it to the instructor's board; with --auto,
                                    every later npm test sends its result too
  npm run progress -- --no-auto     stop sending after every test run
  npm run progress -- --board [--port P] [--lessons 1-6] [--silent-after MIN]
                      [--host H] [--file F] [--new]
                                    (instructor) the room's progress, live, on
                                    port ${BOARD_PORT}; reports are kept in a file`;

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint('32');
const red = paint('31');
const dim = paint('2');

runMain('PROGRESS', async () => {
  const flags = parseProgressFlags(process.argv.slice(2));
  if (flags.mode === 'help') return console.log(USAGE);
  if (flags.mode === 'board') return runBoard(flags);
  if (flags.mode === 'no-auto') {
    writeShare(undefined);
    return console.log('Your test runs are no longer sent to a board.');
  }

  const results = flags.rerun ? await runWithTicker() : readResults();
  console.log(table(results));
  if (flags.mode === 'local') return console.log(footer(flags.rerun));

  const report = toReport(results, flags.name);
  await sendReport(flags.host, flags.port, report);
  console.log(`\nSent to the board at ${flags.host}:${flags.port}: ${lessonRanges(report.passed)} of ${report.total} pass.`);
  if (flags.auto) {
    writeShare({ host: flags.host, port: flags.port, name: flags.name });
    console.log('From now on every npm test sends its result there too, silently. To stop: npm run progress -- --no-auto');
  }
});

/** The suites take a while: on a terminal, show that something is happening. */
async function runWithTicker(): Promise<Results> {
  const started = Date.now();
  const what = `Running the ${LESSONS.length} lesson suites against ${TREE}/`;
  const ticker = process.stdout.isTTY ? setInterval(() => process.stdout.write(`\r${what}... ${Math.round((Date.now() - started) / 1000)} s`), 1000) : undefined;
  try {
    const results = fromSuites(await runLessonSuites());
    // The vitest run records starter/ results itself (recorder.ts); this covers any other reporter.
    return TREE === 'starter' ? recordResults(results) : results;
  } finally {
    clearInterval(ticker);
    if (ticker) process.stdout.write('\r\x1b[2K');
  }
}

function fromSuites(suites: SuiteResult[]): Results {
  const at = Date.now();
  return Object.fromEntries(suites.map((s) => [s.lesson.number, { passed: s.passed, total: s.total, at, ...(s.error ? { error: s.error } : {}) }]));
}

function table(results: Results): string {
  const done = LESSONS.filter((l) => passes(results[l.number])).length;
  const width = Math.max(...LESSONS.map((l) => l.title.length));
  let edited = false;
  const rows = LESSONS.map((lesson) => {
    const r = results[lesson.number];
    const start = `  ${String(lesson.number).padStart(2)}  ${lesson.title.padEnd(width)}  `;
    if (!r) return start + dim('·  not run yet');
    const changed = editedSince(lesson, r);
    edited ||= changed;
    const tests = r.error ? red(`could not run: ${r.error}`) : `${r.passed}/${r.total} tests`.padEnd(11);
    return `${start}${passes(r) ? green('✓') : red('✗')}  ${tests}  ${dim(clock(r.at))}${changed ? '*' : ''}`;
  });
  return [
    `Your progress (${TREE}/):`,
    '',
    ...rows,
    ...(edited ? ['', dim('  * a file of that lesson changed since its suite ran: run it again')] : []),
    '',
    `  ${progressBar(done, LESSONS.length, 12)} ${done}/${LESSONS.length} lessons`,
    '',
    nextStep(results),
  ].join('\n');
}

function footer(rerun: boolean): string {
  const lines = [''];
  if (!rerun) lines.push(dim('From your latest test runs. npm run progress -- --rerun runs every suite now.'));
  const share = readShare();
  if (share) {
    const last = share.last ? ` Last: ${clock(share.last.at)}, ${share.last.ok ? 'sent.' : `not sent: ${share.last.message}`}` : '';
    lines.push(`Every test run is sent to the board at ${share.host}:${share.port} as ${share.name}.${last}`);
    lines.push(dim('To stop: npm run progress -- --no-auto'));
  }
  return lines.join('\n');
}

function nextStep(results: Results): string {
  const next = LESSONS.find((l) => !passes(results[l.number]));
  if (!next) return 'All lessons pass. Your own chat, end to end: npm run server -- --mine, then npm run chat -- --mine --name YOU';
  const n = next.number;
  const r = results[n];
  if (r?.error) return `Next: npm test -- lesson${n}   (its suite could not run: the first lines it prints say why)`;
  if (!r || r.passed === 0) return `Next: npm run lesson ${n}   ${dim(`(then npm test -- lesson${n})`)}`;
  return `Next: npm test -- lesson${n}   ${dim(`(${r.passed} of ${r.total} tests pass; each failure says what to fix)`)}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

