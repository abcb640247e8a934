// A setup file for the suites under Stryker, for lessons whose suite runs the code under test
// in a child process (lessons 8 and 10, with tsx: tests/harness/program.ts). It runs after
// Stryker's own setup file, and before the suite's file is loaded.

import { inject } from 'vitest';

interface StrykerGlobal {
  mutantCoverage?: unknown;
}

// Stryker names the active mutant in a global of this thread, which a child cannot see. The
// instrumented code also reads __STRYKER_ACTIVE_MUTANT__ from the environment, and a child
// inherits the environment: put it there now, as a suite may start its children while it
// loads. (The vitest runner provides 'mode' and 'activeMutant' to its own setup file.)
const ENV = '__STRYKER_ACTIVE_MUTANT__';
const provided = inject as (key: string) => unknown;
const active = provided('mode') === 'mutant' ? provided('activeMutant') : undefined;
if (active === undefined) delete process.env[ENV];
else process.env[ENV] = String(active);

// Which tests reach which mutant is counted in this thread only: a mutant reached only in a
// child would be "not covered", and never run. The vitest runner reports that count even with
// coverageAnalysis "off"; for these suites (MUTATE_ALL_TESTS, set by main.ts) keep it from
// being stored, so that Stryker, seeing no coverage, runs every mutant against the whole suite.
if (process.env.MUTATE_ALL_TESTS === '1') {
  const ns = ((globalThis as { __stryker__?: StrykerGlobal }).__stryker__ ??= {});
  Object.defineProperty(ns, 'mutantCoverage', { get: () => undefined, set: () => {}, configurable: true });
}
