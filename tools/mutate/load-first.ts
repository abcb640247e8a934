// A setup file for the suites under Stryker: loads the files being mutated (MUTATE_FILES, set
// by main.ts) before the suite's first test. Per-test coverage credits code that runs while a
// module loads to the test that happens to load it first: a suite that imports the code
// inside its tests (through startChat, say) would then see a module-level mutant (an entry of
// a command table) tried against that one test only, which may never use the entry. Loaded
// here, outside any test, that code counts as static: Stryker runs every test against its
// mutants, with the module loaded again. The suite's own import later finds it loaded.

import { importFromTree } from '../../app/server/pieces.js';

for (const file of (process.env.MUTATE_FILES ?? '').split(',').filter(Boolean)) {
  await importFromTree('solutions', file);
}
