import { mkdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { DEADLINES } from './tests/harness/wait.js';

// Every wait in the suites lasts PATIENCE_MS (COURSE_PATIENCE_MS, default 2000), and the test
// timeout grows with it: on a slow machine raising it must not turn a readable failure into
// vitest's bare timeout.
const testTimeout = DEADLINES.test;
mkdirSync('node_modules/.experimental-vitest-cache', { recursive: true });

// A student's run (`npm test` grades starter/, as the suites do when COURSE_TREE is unset)
// shows stack frames only in the student's own files: a frame in tests/ or solutions/
// would point at the answers. Maintainers (COURSE_TREE=solutions, npm run check) see all.
const studentRun = (process.env.COURSE_TREE ?? 'starter') === 'starter';
const inStarter = (file: string) => /[\\/]starter[\\/]/.test(file);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Threads without per-file isolation start markedly faster; every suite starts its own
    // servers on port 0 and shares no state, so they stay independent.
    pool: 'threads',
    isolate: false,
    // Transformed TypeScript is kept in node_modules between runs, keyed by each file's
    // content: a student's `npm test -- lessonN` starts in half the time after the first.
    // Its folder is made here: right after an `npm install` that added a package, a run
    // found it gone and every suite failed with ENOENT on its first write there.
    experimental: { fsModuleCache: true },
    testTimeout,
    hookTimeout: testTimeout,
    // The second records each run's result against starter/ for `npm run progress`.
    reporters: ['default', './tools/progress/recorder.ts'],
    onStackTrace: studentRun ? (_error, frame) => inStarter(frame.file) : undefined,
  },
});
