import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // Threads without per-file isolation start markedly faster; every suite starts its own
    // servers on port 0 and shares no state, so they stay independent.
    pool: 'threads',
    isolate: false,
    testTimeout: 15_000,
    hookTimeout: 15_000,
    reporters: ['default'],
  },
});
