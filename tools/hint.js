// `npm run hint 3` shows lesson 3's first hint; `npm run hint 3 2` the second.
// Hints come one at a time so that each gives away as little as it can. Plain JavaScript
// (like lesson.js and test.js), so that it answers without loading the TypeScript loader.

import { FriendlyError, parseFlags, runMain, UsageError } from '../app/cli.js';
import { findLesson } from '../lessons/index.js';

runMain('HINT', async () => {
  const { values, positionals } = parseFlags({ args: process.argv.slice(2), allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) return console.log('Usage: npm run hint LESSON [N]   (e.g. npm run hint 3, then npm run hint 3 2)');
  // "lesson 3", as people type it, is lesson 3.
  const words = /^lesson$/i.test(positionals[0] ?? '') ? [positionals[0] + (positionals[1] ?? ''), ...positionals.slice(2)] : positionals;
  const [lessonArg, numberArg = '1', ...extra] = words;
  if (lessonArg === undefined) throw new FriendlyError('Which lesson? For example: npm run hint 3');
  if (extra.length > 0) throw new UsageError(`Give a lesson and a hint number, no more; got '${positionals.join(' ')}'.`);
  const lesson = findLesson(lessonArg);
  if (!lesson) throw new FriendlyError(`There is no lesson '${lessonArg}'. Run npm run lesson to list them.`);
  const n = Number(numberArg);
  if (!Number.isInteger(n) || n < 1 || n > lesson.hints.length) {
    throw new FriendlyError(`Lesson ${lesson.number} has hints 1 to ${lesson.hints.length}.`);
  }
  console.log(`Lesson ${lesson.number}, hint ${n} of ${lesson.hints.length}:\n\n${wrap(lesson.hints[n - 1] ?? '', '  ')}\n`);
  console.log(n < lesson.hints.length ? `Still stuck? npm run hint ${lesson.number} ${n + 1}` : 'That was the last hint. The lesson text has the rest: npm run lesson ' + lesson.number);
});

/**
 * The hint in lines that fit the terminal (80 columns when it is not one), each indented.
 * A word longer than a line (a long code sample) keeps a line of its own.
 * @param {string} text
 * @param {string} indent
 */
function wrap(text, indent) {
  const width = Math.min(process.stdout.columns || 80, 100) - indent.length;
  /** @type {string[]} */
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}
