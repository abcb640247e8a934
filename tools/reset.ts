// `npm run reset -- 4`: puts lesson 4's files in starter/ back to their original TODO state,
// to start the lesson again. "Original" means as in git's last commit (HEAD): the course as
// you cloned it, unless you have committed your own work since. Your current versions are
// saved in .backup/ first; if git cannot give every original, nothing is changed at all.

import { execFileSync } from 'node:child_process';
import { FriendlyError, runMain, UsageError } from '../app/cli.js';
import { ROOT } from '../app/server/pieces.js';
import { findLesson, LESSONS } from '../lessons/index.js';
import { readStarter, replaceStarterFiles, sameText, undoHelp, type Replacement } from './starter-files.js';

runMain('RESET', async () => {
  const args = process.argv.slice(2);
  if (args[0] === '--help' || args[0] === '-h') return console.log('Usage: npm run reset -- LESSON   (e.g. npm run reset -- 3)');
  if (args.length !== 1) throw new UsageError('Which lesson? Give one number, for example: npm run reset -- 3');
  const lesson = findLesson(args[0]);
  if (!lesson) throw new FriendlyError(`There is no lesson '${args[0]}'. Lessons: ${LESSONS.map((l) => l.number).join(', ')}.`);

  // Every original first: a failure here leaves starter/ exactly as it was.
  const originals: Replacement[] = lesson.edits.map((file) => ({ file, content: fromGit(file) }));
  const changed = originals.filter((o) => !sameText(readStarter(o.file), o.content));

  console.log(`Lesson ${lesson.number}, ${lesson.title}: its files as in git's last commit (HEAD).`);
  for (const { file } of originals) {
    console.log(changed.some((c) => c.file === file) ? `  reset      starter/${file}` : `  unchanged  starter/${file} (already as in HEAD)`);
  }
  if (changed.length === 0) return console.log('Nothing to do.');

  const backup = replaceStarterFiles(changed);
  for (const { file } of changed) {
    const others = LESSONS.filter((l) => l !== lesson && l.edits.includes(file)).map((l) => l.number);
    if (others.length > 0) console.log(`Note: starter/${file} is also part of lesson ${others.join(', ')}: that work was reset too.`);
  }
  console.log(`\n${undoHelp(backup)}\n\nStart again: npm run lesson ${lesson.number}`);
});

/** starter/<file> as in the last commit, or a clear reason why git cannot give it. */
function fromGit(file: string): Buffer {
  try {
    // './' makes the path relative to the course folder, even inside a bigger repository.
    return execFileSync('git', ['show', `HEAD:./starter/${file}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { code, stderr } = err as NodeJS.ErrnoException & { stderr?: Buffer };
    const said = stderr?.toString('utf8').trim().split('\n')[0] ?? '';
    const why =
      code === 'ENOENT' ? 'git is not installed (or not on the PATH), and reset takes the original files from git'
      : /not a git repository/i.test(said) ? 'this folder is not a git checkout (downloaded as a ZIP?), and reset takes the original files from git'
      : `git has no starter/${file} in the last commit (git said: ${said || 'nothing'})`;
    throw new FriendlyError(`Cannot reset: ${why}. Nothing was changed.`);
  }
}
