// The reference command-line client (solutions/client/cli.ts) run in this process on a
// FakeTerminal, as the suites of what later lessons add to it drive it: a keyboard to type
// on, the screen to read, and a wait for something to show on it.

import { PassThrough } from 'node:stream';
import { onTestFinished } from 'vitest';
import { importFromTree } from '../../app/server/pieces.js';
import { escapeText } from '../../app/wire-text.js';
import { FakeTerminal } from '../harness/fake-terminal.js';
import { failure } from '../harness/teach.js';
import { PATIENCE_MS, waitUntil } from '../harness/wait.js';

export const { runCli } = await importFromTree<typeof import('../../solutions/client/cli.js')>('solutions', 'client/cli.ts');

/** The CLI connected to 127.0.0.1:`port`; a failed wait names `see`, the lesson section. */
export function cliOnTerminal(port: number, see: string) {
  const terminal = new FakeTerminal();
  const keyboard = new PassThrough();
  const ended = runCli({ host: '127.0.0.1', port, input: keyboard, output: terminal });
  onTestFinished(() => void keyboard.end());
  /** The screen's rows, escaped and indented for a failure message. */
  const screen = () => terminal.lines().map((l) => `    | ${escapeText(l)}`).join('\n');
  const until = (what: string, check: () => boolean) =>
    waitUntil(
      () => (check() ? true : undefined),
      (wake) => (terminal.changes.on('change', wake), () => terminal.changes.off('change', wake)),
      () => failure({ problem: `The screen did not show ${what} within ${PATIENCE_MS} ms:\n${screen()}`, expected: what, see }),
    );
  return { terminal, keyboard, ended, screen, until };
}
