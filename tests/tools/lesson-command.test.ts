// `npm run lesson` (tools/lesson.js, tools/pager.js): one section on request, no escape
// codes when the output is not a terminal or NO_COLOR is set, and a pager on a terminal
// that falls back to printing where there is none.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { choosePager, page } from '../../tools/pager.js';
import { runCommand, STACK_LINE } from './run-command.js';

const ESCAPE = /\x1b/;

describe('npm run lesson (tools/lesson.js)', () => {
  test.concurrent('piped, a whole lesson carries no escape code, tables included, and ends with the footer', async () => {
    const { code, stdout } = await runCommand(['tools/lesson.js', '3'], { NO_COLOR: '' });
    expect(stdout).toMatch(/^# Lesson 3: /);
    expect(stdout).toMatch(/│ Python original/); // a table, drawn without colour
    expect(stdout).not.toMatch(ESCAPE);
    expect(stdout).toMatch(/\nCheck:  npm test -- lesson3\nStuck\?  npm run hint 3 .*\n$/);
    expect(code).toBe(0);
  });

  test.concurrent('"npm run lesson 3 try it" shows only that section, under the lesson\'s title', async () => {
    const { code, stdout } = await runCommand(['tools/lesson.js', '3', 'TRY', 'it']);
    expect(stdout).toMatch(/^# Lesson 3: /);
    expect(stdout).toMatch(/^## Try it: your registry/m);
    expect(stdout.match(/^## /gm)).toHaveLength(1);
    expect(stdout).toMatch(/Whole lesson: npm run lesson 3/);
    expect(code).toBe(0);
  });

  test.concurrent('--section matches a heading in any case: an exact heading first, then a start, then a part', async () => {
    const exact = await runCommand(['tools/lesson.js', '4', '--section', 'FRAMING: marking where a message ends']);
    expect(exact.stdout.match(/^## .*/gm)).toEqual(['## Framing: marking where a message ends']);
    const part = await runCommand(['tools/lesson.js', 'lesson4', '-s', 'carriage']);
    expect(part.stdout.match(/^## .*/gm)).toEqual(['## Carriage returns: telnet and Windows']);
  });

  test.concurrent('a section that is not there: the lesson\'s headings, to pick from', async () => {
    const { code, stdout, stderr } = await runCommand(['tools/lesson.js', '3', '--section', 'no such thing']);
    expect(stderr).toMatch(/^\[LESSON\] Lesson 3 has no section 'no such thing'\. Its sections:\n {2}One client at a time is not a chat\n/);
    expect(stderr).toMatch(/^ {2}Recap$/m);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stdout).toBe('');
    expect(code).toBe(1);
  });

  test.concurrent.for([
    [['3', '--bogus'], /^\[LESSON\] Unknown option '--bogus'\.$/m, 2],
    [['99'], /^\[LESSON\] There is no lesson '99'\./m, 1],
    [['3', 'recap', '--section', 'recap'], /^\[LESSON\] Give the section once/m, 2],
  ] as const)('npm run lesson %j: one line, no stack trace', async ([args, says, exitCode]) => {
    const { code, stderr } = await runCommand(['tools/lesson.js', ...args]);
    expect(stderr).toMatch(says);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code).toBe(exitCode);
  });
});

describe('the pager (tools/pager.js)', () => {
  test('$PAGER wins, run by the shell; else less -R; LESS=FRX unless LESS is set; none on Windows without $PAGER', () => {
    expect(choosePager({ PAGER: 'most -s' }, 'linux')).toMatchObject({ command: 'most -s', shell: true, env: { LESS: 'FRX' } });
    expect(choosePager({}, 'linux')).toMatchObject({ command: 'less', args: ['-R'], shell: false, env: { LESS: 'FRX' } });
    expect(choosePager({ LESS: '-i' }, 'darwin')).toMatchObject({ command: 'less', env: { LESS: '-i' } });
    expect(choosePager({}, 'win32')).toBeUndefined();
    expect(choosePager({ PAGER: 'more' }, 'win32')).toMatchObject({ command: 'more', shell: true });
    expect(choosePager({ PAGER: 'cat' }, 'linux')).toBeUndefined();
  });

  test('the text goes through the pager, whole; the pager\'s exit ends the wait', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'course-pager-'));
    try {
      const file = path.join(dir, 'paged.txt');
      const copy = `require('node:fs').writeFileSync(${JSON.stringify(file)}, require('node:fs').readFileSync(0))`;
      const out = new PassThrough();
      let printed = '';
      out.on('data', (d: Buffer) => (printed += d));
      const text = 'line\n'.repeat(5000);
      await page(text, { command: process.execPath, args: ['-e', copy], shell: false, env: process.env }, out);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(printed).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.for([
    ['a pager that is not installed', { command: 'no-such-pager-for-the-course', args: [], shell: false }],
    ['a $PAGER the shell cannot find', { command: 'no-such-pager-for-the-course', args: [], shell: true }],
  ] as const)('%s: the text is printed instead', async ([, pager]) => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => (printed += d));
    // Through the shell, its "not found" goes to the null device, not into the test's output.
    const command = pager.shell ? `${pager.command} 2>${os.devNull}` : pager.command;
    await page('the lesson\n', { ...pager, command, args: [...pager.args], env: process.env }, out);
    expect(printed).toBe('the lesson\n');
  });
});
