// `npm run catch-up -- 6`: for a student who fell behind and wants to do lesson 6 with the
// class. It copies the reference pieces (solutions/) of lessons 1 to 5 over starter/, so that
// your own app (npm run server -- --mine) runs again up to lesson 6. A lesson whose suite
// your code already passes keeps your version; every file replaced is saved in .backup/ first.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FriendlyError, runMain, UsageError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { findLesson, LESSONS } from '../lessons/index.js';
import { readStarter, replaceStarterFiles, sameText, undoHelp, type Replacement } from './starter-files.js';
import { passes, runLessonSuites } from './suite-results.js';

runMain('CATCH-UP', async () => {
  const args = process.argv.slice(2);
  if (args[0] === '--help' || args[0] === '-h') return console.log('Usage: npm run catch-up -- LESSON   (the lesson you want to do next, e.g. npm run catch-up -- 6)');
  if (args.length !== 1) throw new UsageError('Which lesson do you want to catch up to? Give one number, for example: npm run catch-up -- 6');
  const target = findLesson(args[0]);
  const last = LESSONS[LESSONS.length - 1].number;
  if (!target) throw new FriendlyError(`There is no lesson '${args[0]}'. Catch up to a lesson from 2 to ${last}, the one you want to do next.`);
  if (target.number === 1) throw new FriendlyError('Lesson 1 is the first: there is nothing before it to catch up on. Start with: npm run lesson 1');

  const earlier = LESSONS.filter((l) => l.number < target.number);
  console.log(`Catching up to lesson ${target.number}: checking lessons 1 to ${target.number - 1} first (their suites, a few seconds)...\n`);
  const results = await runLessonSuites(earlier);

  const copies = new Map<string, Replacement>();
  for (const result of results) {
    const { lesson } = result;
    if (passes(result)) {
      console.log(`  lesson ${String(lesson.number).padStart(2)}  ✓ your code passes: kept`);
      continue;
    }
    const differing = lesson.edits.filter((file) => !sameText(readStarter(file), reference(file)));
    console.log(`  lesson ${String(lesson.number).padStart(2)}  ✗ ${result.error ? 'its suite could not run' : `${result.passed}/${result.total} tests`}: ${differing.length > 0 ? 'the reference goes in' : 'already the reference'}`);
    for (const file of differing) copies.set(file, { file, content: reference(file) });
  }
  if (copies.size === 0) return console.log(`\nNothing to copy. Go on with: npm run lesson ${target.number}`);

  const backup = replaceStarterFiles([...copies.values()]);
  console.log('\nCopied from solutions/ into starter/:');
  for (const file of copies.keys()) console.log(`  starter/${file}`);
  for (const file of copies.keys()) {
    const later = LESSONS.filter((l) => l.number >= target.number && l.edits.includes(file)).map((l) => l.number);
    if (later.length > 0) console.log(`Note: starter/${file} is also part of lesson ${later.join(', ')}: the reference copy has that part done too. Read it, then do it yourself if you like.`);
  }
  const mine = earlier.map((l) => l.number).join(',');
  console.log(`\n${undoHelp(backup)}\n\nYour own server with these lessons' pieces: npm run server -- --mine ${mine}\nNext: npm run lesson ${target.number}`);
});

function reference(file: string): Buffer {
  return readFileSync(path.join(ROOT, 'solutions', file));
}
