// A setup file for the suites under Stryker. Stryker tells the test thread which mutant is
// active through a global, which a child process (lessons 8 and 10 run the code under test
// with tsx, tests/harness/program.ts) cannot see. The instrumented code also reads
// __STRYKER_ACTIVE_MUTANT__ from the environment, and children inherit the environment:
// copy the global there before each file's tests. Stryker's own setup file runs first.

import { beforeAll } from 'vitest';

const ENV = '__STRYKER_ACTIVE_MUTANT__';

beforeAll(() => {
  const active = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__?.activeMutant;
  if (active === undefined) delete process.env[ENV];
  else process.env[ENV] = String(active);
});
