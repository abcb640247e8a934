import { defineConfig } from 'vitest/config';
import { DEADLINES } from './tests/harness/wait.js';

// Every wait in the suites lasts PATIENCE_MS (COURSE_PATIENCE_MS, default 2000), and the test
// timeout grows with it: on a slow machine raising it must not turn a readable failure into
// vitest's bare timeout.
const testTimeout = DEADLINES.test;

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Threads without per-file isolation start markedly faster; every suite starts its own
    // servers on port 0 and shares no state, so they stay independent.
    pool: 'threads',
    isolate: false,
    // Transformed TypeScript is kept in node_modules between runs, keyed by each file's
    // content: a student's `npm test -- lessonN` starts in half the time after the first.
    experimental: { fsModuleCache: true },
    testTimeout,
    hookTimeout: testTimeout,
    // The second records each run's result against starter/ for `npm run progress`.
    reporters: ['default', './tools/progress/recorder.ts'],
  },
});
