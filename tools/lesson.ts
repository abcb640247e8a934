// `npm run lesson 3`: lesson 3 in the terminal. `npm run lesson` lists the lessons.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FriendlyError, runMain } from '../app/cli.js';
import { findLesson, lessonFile, LESSONS, type Lesson } from '../lessons/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

runMain('LESSON', async () => {
  const arg = process.argv[2];
  if (arg === undefined) {
    console.log(listLessons());
    return;
  }
  const lesson = findLesson(arg);
  if (!lesson) throw new FriendlyError(`There is no lesson '${arg}'. ${listHint()}`);
  // Loaded only now: the list above stays instant.
  const { renderMarkdown } = await import('./render.js');
  const markdown = readFileSync(path.join(ROOT, lessonFile(lesson)), 'utf8');
  process.stdout.write(renderMarkdown(markdown) + '\n' + footer(lesson) + '\n');
});

function listLessons(): string {
  const rows = LESSONS.map((l) => `  ${String(l.number).padStart(2)}  ${l.title}`);
  return ['Lessons:', ...rows, '', 'Read one with: npm run lesson 1'].join('\n');
}

function listHint(): string {
  return `Lessons: ${LESSONS.map((l) => l.number).join(', ')}. Run npm run lesson to list them.`;
}

/** The same closing lines under every lesson, from the lesson list: what to edit, how to check. */
export function footer(lesson: Lesson): string {
  const files = lesson.edits.map((f) => `starter/${f}`).join(', ');
  return [
    '─'.repeat(60),
    `Edit:   ${files}`,
    `Check:  npm test -- lesson${lesson.number}`,
    `Stuck?  npm run hint ${lesson.number}   (${lesson.hints.length} hints, one at a time)`,
  ].join('\n');
}
