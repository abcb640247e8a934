// `npm run lesson 3`: lesson 3 in the terminal, paged like git and man do it.
// `npm run lesson 3 "try it"` (or `-- --section "try it"`) shows one section.
// `npm run lesson` lists the lessons.
//
// Plain JavaScript, so that a lesson already rendered shows at once: the TypeScript
// loader (for render.ts, and marked-terminal behind it) is loaded only to render.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FriendlyError, parseFlags, runMain, UsageError } from '../app/cli.js';
import { findLesson, lessonFile, LESSONS, unmetNeed } from '../lessons/index.js';

/** @typedef {import('../lessons/index.js').Lesson} Lesson */
/** @typedef {{ heading: string, markdown: string }} Section */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'sockets-course');

const USAGE = `Usage: npm run lesson -- [LESSON] [SECTION] [--section SECTION] [--no-pager]
  LESSON               3 or lesson3 (none: the list of lessons)
  SECTION              a heading, or part of one, in any case: "try it", framing
  --no-pager           print it all at once, even on a terminal
  --help               show this help`;

runMain('LESSON', async () => {
  const { values, positionals } = parseFlags({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { section: { type: 'string', short: 's' }, 'no-pager': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return console.log(USAGE);
  // "lesson 3", as people type it, is lesson 3.
  const [arg, ...words] = /^lesson$/i.test(positionals[0] ?? '') && positionals.length > 1 ? [positionals[0] + positionals[1], ...positionals.slice(2)] : positionals;
  if (arg === undefined) return console.log(listLessons());
  const lesson = findLesson(arg);
  if (!lesson) throw new FriendlyError(`There is no lesson '${arg}'. ${listHint()}`);
  if (values.section !== undefined && words.length > 0) throw new UsageError('Give the section once: as a word after the lesson, or with --section.');
  const query = values.section ?? (words.length > 0 ? words.join(' ') : undefined);

  // Colour only for a person at a terminal who has not asked for none (https://no-color.org).
  const terminal = process.stdout.isTTY === true;
  const colour = terminal && !process.env.NO_COLOR;
  const text = (await rendered(lesson, query, colour)) + '\n' + footer(lesson, query !== undefined) + '\n';
  if (!terminal || values['no-pager']) return void process.stdout.write(text);
  // Loaded only for a terminal: a pipe gets its text without paying for the pager's imports.
  const { choosePager, page } = await import('./pager.js');
  await page(text, choosePager());
});

/**
 * The lesson (or the sections matching `query`) rendered for this terminal's width, with
 * or without colour. Rendering loads the TypeScript loader, marked-terminal and a code
 * highlighter (half a second), so the result is cached until the lesson file or the
 * renderer changes.
 * @param {Lesson} lesson
 * @param {string | undefined} query
 * @param {boolean} colour
 * @returns {Promise<string>}
 */
async function rendered(lesson, query, colour) {
  const source = path.join(ROOT, lessonFile(lesson));
  const markdown = readFileSync(source, 'utf8');
  let part = 'all';
  let chosen = markdown;
  if (query !== undefined) {
    const { title, sections } = splitSections(markdown);
    const found = findSections(sections, query);
    if (found.length === 0) {
      const list = sections.map((s) => `  ${s.heading}`).join('\n');
      throw new FriendlyError(`Lesson ${lesson.number} has no section '${query}'. Its sections:\n${list}`);
    }
    part = found.map((s) => sections.indexOf(s)).join('+');
    chosen = [title, ...found.map((s) => s.markdown)].join('\n\n');
  }
  const width = terminalWidth();
  const { mtimeMs, size } = statSync(source);
  const renderer = Math.round(statSync(path.join(ROOT, 'tools', 'render.ts')).mtimeMs);
  const mode = colour ? 'colour' : 'plain';
  const cached = path.join(CACHE, `lesson-${lesson.number}-${width}-${mode}-${part}-${Math.round(mtimeMs)}-${size}-${renderer}.txt`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  const { tsImport } = await import('tsx/esm/api');
  /** @type {typeof import('./render.js')} */
  const { renderMarkdown, stripEscapes } = await tsImport('./render.ts', import.meta.url);
  const coloured = renderMarkdown(chosen, width);
  const text = colour ? coloured : stripEscapes(coloured);
  try {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(cached, text);
  } catch {
    // A read-only checkout still shows the lesson; it is only slower next time.
  }
  return text;
}

/**
 * The lesson's title line and its `##` sections, each up to the next one (a `##` inside a
 * code block is code, not a heading).
 * @param {string} markdown
 * @returns {{ title: string, sections: Section[] }}
 */
function splitSections(markdown) {
  const lines = markdown.split('\n');
  /** @type {Section[]} */
  const sections = [];
  /** @type {string[]} */
  let current = [];
  let inCode = false;
  for (const line of lines) {
    if (/^(```|~~~)/.test(line)) inCode = !inCode;
    if (!inCode && line.startsWith('## ')) {
      current = [line];
      sections.push({ heading: line.slice(3).trim(), markdown: '' });
    } else {
      current.push(line);
    }
    if (sections.length > 0) sections[sections.length - 1].markdown = current.join('\n');
  }
  const title = lines.find((l) => l.startsWith('# ')) ?? '';
  return { title, sections };
}

/**
 * The sections whose heading is the query (any case); failing that, those whose heading
 * starts with it; failing that, those that contain it.
 * @param {Section[]} sections
 * @param {string} query
 */
function findSections(sections, query) {
  const q = query.trim().toLowerCase();
  const heading = (/** @type {Section} */ s) => s.heading.toLowerCase();
  for (const test of [(/** @type {string} */ h) => h === q, (/** @type {string} */ h) => h.startsWith(q), (/** @type {string} */ h) => h.includes(q)]) {
    const found = sections.filter((s) => test(heading(s)));
    if (found.length > 0) return found;
  }
  return [];
}

function terminalWidth() {
  return Math.min(process.stdout.columns || 80, 100);
}

function listLessons() {
  const rows = LESSONS.map((l) => `  ${String(l.number).padStart(2)}  ${l.title}`);
  return ['Lessons:', ...rows, '', 'Read one with: npm run lesson 1', 'One section of it: npm run lesson 1 "try it"'].join('\n');
}

function listHint() {
  return `Lessons: ${LESSONS.map((l) => l.number).join(', ')}. Run npm run lesson to list them.`;
}

/**
 * The same closing lines under every lesson, from the lesson list: what to edit, how to check.
 * @param {Lesson} lesson
 * @param {boolean} partial only some sections were shown
 */
function footer(lesson, partial) {
  const files = lesson.edits.map((f) => `starter/${f}`).join(', ');
  const need = unmetNeed(lesson);
  return [
    '─'.repeat(60),
    ...(partial ? [`Whole lesson: npm run lesson ${lesson.number}`] : []),
    `Edit:   ${files}`,
    `Check:  npm test -- lesson${lesson.number}`,
    `Stuck?  npm run hint ${lesson.number}   (${lesson.hints.length} hints, one at a time)`,
    ...(need ? [`Note:   ${need}`] : []),
  ].join('\n');
}
