import { defineConfig } from 'vitest/config';

// Every wait in the suites lasts PATIENCE_MS (COURSE_PATIENCE_MS, default 2000). On a slow
// machine raising it must not turn a readable failure into vitest's bare timeout.
const patience = Number(process.env.COURSE_PATIENCE_MS ?? 2000);
const testTimeout = Math.max(15_000, patience * 8);

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
    experimental: { fsModuleCache: true },
    testTimeout,
    hookTimeout: testTimeout,
    reporters: ['default'],
    onStackTrace: studentRun ? (_error, frame) => inStarter(frame.file) : undefined,
  },
});
