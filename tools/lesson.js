// `npm run lesson 3`: lesson 3 in the terminal. `npm run lesson` lists the lessons.
//
// Plain JavaScript, so that a lesson already rendered shows at once: the TypeScript
// loader (for render.ts, and marked-terminal behind it) is loaded only to render.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FriendlyError, runMain } from '../app/cli.js';
import { findLesson, lessonFile, LESSONS, unmetNeed } from '../lessons/index.js';

/** @typedef {import('../lessons/index.js').Lesson} Lesson */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'sockets-course');

runMain('LESSON', async () => {
  const arg = process.argv[2];
  if (arg === undefined) {
    console.log(listLessons());
    return;
  }
  const lesson = findLesson(arg);
  if (!lesson) throw new FriendlyError(`There is no lesson '${arg}'. ${listHint()}`);
  process.stdout.write((await rendered(lesson)) + '\n' + footer(lesson) + '\n');
});

/**
 * The lesson rendered for this terminal's width. Rendering loads the TypeScript loader,
 * marked-terminal and a code highlighter (half a second), so the result is cached until
 * the lesson file or the renderer changes.
 * @param {Lesson} lesson
 * @returns {Promise<string>}
 */
async function rendered(lesson) {
  const source = path.join(ROOT, lessonFile(lesson));
  const width = terminalWidth();
  const { mtimeMs, size } = statSync(source);
  const renderer = Math.round(statSync(path.join(ROOT, 'tools', 'render.ts')).mtimeMs);
  const cached = path.join(CACHE, `lesson-${lesson.number}-${width}-${Math.round(mtimeMs)}-${size}-${renderer}.txt`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  const { tsImport } = await import('tsx/esm/api');
  /** @type {typeof import('./render.js')} */
  const { renderMarkdown } = await tsImport('./render.ts', import.meta.url);
  const text = renderMarkdown(readFileSync(source, 'utf8'), width);
  try {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, text);
  } catch {
    // A read-only checkout still shows the lesson; it is only slower next time.
  }
  return text;
}

function terminalWidth() {
  return Math.min(process.stdout.columns || 80, 100);
}

function listLessons() {
  const rows = LESSONS.map((l) => `  ${String(l.number).padStart(2)}  ${l.title}`);
  return ['Lessons:', ...rows, '', 'Read one with: npm run lesson 1'].join('\n');
}

function listHint() {
  return `Lessons: ${LESSONS.map((l) => l.number).join(', ')}. Run npm run lesson to list them.`;
}

/**
 * The same closing lines under every lesson, from the lesson list: what to edit, how to check.
 * @param {Lesson} lesson
 */
function footer(lesson) {
  const files = lesson.edits.map((f) => `starter/${f}`).join(', ');
  const need = unmetNeed(lesson);
  return [
    '─'.repeat(60),
    `Edit:   ${files}`,
    `Check:  npm test -- lesson${lesson.number}`,
    `Stuck?  npm run hint ${lesson.number}   (${lesson.hints.length} hints, one at a time)`,
    ...(need ? [`Note:   ${need}`] : []),
  ].join('\n');
}
