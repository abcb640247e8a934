// `npm test -- ...` (tools/test.js) as students type it: a lesson however it is written, and
// a mistake in the command as one line that says what works, never vitest's stack trace.

import { describe, expect, test } from 'vitest';
import { LESSONS } from '../../lessons/index.js';
import { runCommand, STACK_LINE } from './run-command.js';

describe('npm test (tools/test.js)', () => {
  test.concurrent.for([
    [['lesson', '3', '--bogus'], /^\[TEST\] Unknown option '--bogus'\. npm test takes lessons \(3, lesson3, "lesson 3"\) and --watch \(-w\)\.$/m],
    [['lesson3', '-x'], /^\[TEST\] Unknown option '-x'\./m],
    [['lesson', '99'], new RegExp(`^\\[TEST\\] There is no lesson 99: the lessons are ${LESSONS[0]!.number} to ${LESSONS[LESSONS.length - 1]!.number}\\.$`, 'm')],
    [['lesson0'], /^\[TEST\] There is no lesson 0/m],
    [['chat'], /^\[TEST\] 'chat' is not a lesson\./m],
  ] as const)('npm test -- %j: one line that says why, exit code 2, no stack trace', async ([args, says]) => {
    const { code, stdout, stderr } = await runCommand(['tools/test.js', ...args]);
    expect(stderr).toMatch(says);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the reason, and where --help is
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  test('--help says what it takes', async () => {
    const { code, stdout } = await runCommand(['tools/test.js', '--help']);
    expect(stdout).toMatch(/lesson3 or "lesson 3"/);
    expect(stdout).toMatch(/--watch, -w/);
    expect(code).toBe(0);
  });

  // The one case that runs a suite: on solutions/ it passes, and it must be lesson 3's alone
  // (before, "lesson 3" with a space ran all eleven suites).
  test('"Lesson 3", two words in any case, runs lesson 3\'s suite and no other', async () => {
    const { code, stdout } = await runCommand(['tools/test.js', 'Lesson', '3'], { COURSE_TREE: 'solutions' }, 60_000);
    expect(stdout).toMatch(/tests\/lesson03\.test\.ts/);
    expect(stdout).not.toMatch(/tests\/lesson(0[0-24-9]|1\d)\.test\.ts/);
    expect(stdout).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(code).toBe(0);
  });
});
