import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The project's vitest settings, for Stryker's vitest runner: only the suites of the lesson
// being mutated (MUTATE_SUITES, set by main.ts), each file in a fresh module context (a
// mutant that runs while a module loads must see that module loaded again), and no module
// cache in node_modules (the sandbox's instrumented files would only fill it), and the
// mutated files loaded before any test (load-first.ts).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: (process.env.MUTATE_SUITES ?? 'no suite given').split(','),
    isolate: true,
    experimental: { fsModuleCache: false },
    setupFiles: ['tools/mutate/child-mutant.ts', 'tools/mutate/load-first.ts'],
  },
});
