// The progress report a student's `npm run progress -- --share` sends to the instructor's
// board. The board listens on a port of its own, so reports never pass through the chat
// and nobody in the room sees them. One connection carries one report:
//
//   board → student   progress-board 1
//   student → board   progress 1,2,3 of 11 name=alice next=4:3/17
//   board → student   ok                      (or: refused WHY)
//
// The report: the lessons whose suites pass, out of how many; the student's own name; and
// the first lesson still to do, with how many of its tests pass. The board reads what anyone
// sends it, so the parser trusts nothing: a line that does not fit exactly is not a report.

export interface ProgressReport {
  /** The student's chat name, as they gave it with --name. */
  name: string | undefined;
  /** The lessons whose suites pass, in order. */
  passed: number[];
  /** How many lessons the course has. */
  total: number;
  /** The first lesson that does not pass yet, and how many of its tests do. */
  next: { lesson: number; passed: number; tests: number } | undefined;
}

export const REPORT_PREFIX = 'progress ';

/** The board's port unless --port says otherwise: next to the chat's 5050 and the tap's 5051. */
export const BOARD_PORT = 5052;
/** The board's first line, so that a share can tell a board from anything else listening. */
export const BOARD_GREETING = 'progress-board 1';

/** The chat's rule for usernames (PROTOCOL.md): the only names a report may carry. */
export const USERNAME = /^[A-Za-z0-9_-]{1,20}$/;

const MAX_LESSONS = 99;
const MAX_TESTS = 9999;

export function formatReport(report: ProgressReport): string {
  const passed = report.passed.length === 0 ? 'none' : report.passed.join(',');
  const fields = [`${REPORT_PREFIX}${passed} of ${report.total}`];
  if (report.name !== undefined) fields.push(`name=${report.name}`);
  if (report.next) fields.push(`next=${report.next.lesson}:${report.next.passed}/${report.next.tests}`);
  return fields.join(' ');
}

/** The report in a whisper's text, or undefined when the text is not a well-formed report. */
export function parseReport(text: string): ProgressReport | undefined {
  const match = /^progress (none|\d{1,2}(?:,\d{1,2})*) of (\d{1,2})((?: [a-z]+=\S+)*)$/.exec(text);
  if (!match) return undefined;
  const total = Number(match[2]);
  const passed = match[1] === 'none' ? [] : match[1].split(',').map(Number);
  const inOrder = passed.every((n, i) => n >= 1 && n <= total && (i === 0 || n > passed[i - 1]));
  if (total < 1 || total > MAX_LESSONS || !inOrder) return undefined;

  const report: ProgressReport = { name: undefined, passed, total, next: undefined };
  // Unknown fields are skipped, so that a later version of the tool can add some.
  for (const field of match[3].trim().split(' ').filter(Boolean)) {
    const [key, value] = [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)];
    if (key === 'name') {
      if (!USERNAME.test(value)) return undefined;
      report.name = value;
    } else if (key === 'next') {
      const next = /^(\d{1,2}):(\d{1,4})\/(\d{1,4})$/.exec(value);
      if (!next) return undefined;
      const [lesson, passing, tests] = next.slice(1).map(Number);
      if (lesson < 1 || lesson > total || passed.includes(lesson) || passing > tests || tests > MAX_TESTS) return undefined;
      report.next = { lesson, passed: passing, tests };
    }
  }
  return report;
}

/** Lesson numbers as short ranges: [1,2,3,5,7,8] → '1-3,5,7-8'. */
export function lessonRanges(lessons: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < lessons.length; i++) {
    const start = lessons[i];
    while (i + 1 < lessons.length && lessons[i + 1] === lessons[i] + 1) i++;
    ranges.push(start === lessons[i] ? String(start) : `${start}-${lessons[i]}`);
  }
  return ranges.join(',') || 'none';
}

/** A bar for `done` out of `total`: [██████░░░░]. */
export function progressBar(done: number, total: number, width = 20): string {
  const full = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** A remote string made safe to print: no control characters, so no remote party can drive our terminal. */
export function printable(text: string): string {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}
