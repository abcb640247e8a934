// The progress report's text (tools/progress/report.ts): what a student's progress tool
// sends and what the instructor's board accepts. The board reads whatever anyone sends it,
// so everything that is not exactly a report must be turned away.

import { describe, expect, test } from 'vitest';
import { formatReport, lessonRanges, parseReport, progressBar, type ProgressReport } from '../../tools/progress/report.js';

describe('progress reports', () => {
  test('a report survives the trip: format, then parse', () => {
    const reports: ProgressReport[] = [
      { name: 'alice', passed: [1, 2, 3], total: 11, next: { lesson: 4, passed: 3, tests: 17 } },
      { name: 'bob', passed: [], total: 11, next: { lesson: 1, passed: 0, tests: 5 } },
      { name: 'Carol_with_a_long_nm', passed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], total: 11, next: undefined },
      { name: undefined, passed: [2, 5], total: 10, next: { lesson: 1, passed: 4, tests: 5 } },
    ];
    for (const report of reports) expect(parseReport(formatReport(report))).toEqual(report);
    expect(formatReport(reports[0])).toBe('progress 1,2,3 of 11 name=alice next=4:3/17');
  });

  test('the short form from the course design parses; fields a later version adds are skipped', () => {
    expect(parseReport('progress 1,2,3 of 11')).toEqual({ name: undefined, passed: [1, 2, 3], total: 11, next: undefined });
    expect(parseReport('progress none of 11 name=bob mood=great')?.name).toBe('bob');
  });

  test.for([
    'progress',
    'progress 1,2 of',
    'progress 1,,2 of 10',
    'progress 0 of 10',
    'progress 11 of 10',
    'progress 3,2 of 10',
    'progress 2,2 of 10',
    'progress 1 of 0',
    'progress 1 of 10 name=',
    'progress 1 of 10 name=bad\u001b[31mname',
    'progress 1 of 10 name=far_too_long_for_a_username',
    'progress 1 of 10 next=1:0/5',
    'progress 1 of 10 next=2:6/5',
    'progress 1 of 10 next=abc',
    'progress 1 of 10  name=alice',
    'progress 1 of 10 name=alice\n',
    'PROGRESS 1 of 10',
    ' progress 1 of 10',
  ])('not a report: %j', (text) => {
    expect(parseReport(text)).toBeUndefined();
  });

  test('lessons show as ranges, progress as a bar', () => {
    expect(lessonRanges([1, 2, 3, 5, 7, 8])).toBe('1-3,5,7-8');
    expect(lessonRanges([])).toBe('none');
    expect(progressBar(5, 10, 10)).toBe('[█████░░░░░]');
    expect(progressBar(0, 0, 4)).toBe('[░░░░]');
  });
});
