// What a suite asks a child process over its IPC channel, because no way from outside works
// on every system: Windows cannot send a signal to another process (kill() there ends it on
// the spot), and only Linux shows a process's memory in /proc.
//
// Start the child with `--import ANSWERS_BY_MESSAGE` before its program and an 'ipc' entry in
// its stdio. The channel is unref'd, so it never keeps the child alive on its own.

import type { ChildProcess } from 'node:child_process';
import { DEADLINES } from './wait.js';

const answers = `
process.on('message', (m) => {
  if (m === 'SIGINT' || m === 'SIGTERM') {
    // A signal's name runs that signal's listeners, as a Ctrl+C in the child's console would.
    // With none, a real signal would end the process at once: do that, and say why.
    if (process.listenerCount(m) > 0) process.emit(m, m);
    else {
      console.error('(nothing listened for ' + m + ': the signal ended the process at once)');
      process.exit(m === 'SIGINT' ? 130 : 143);
    }
  }
  if (m === 'memory') process.send({ rss: process.memoryUsage().rss });
});
process.channel.unref();
`;

/** The module to load into the child with `--import`. */
export const ANSWERS_BY_MESSAGE = 'data:text/javascript,' + encodeURIComponent(answers);

/**
 * Signals go through the IPC channel on Windows, and anywhere with COURSE_SIGNALS=ipc (to
 * try that path on Linux or macOS); elsewhere they are real signals, as `kill -INT` sends.
 */
export const SIGNALS_BY_MESSAGE = process.platform === 'win32' || process.env.COURSE_SIGNALS === 'ipc';

/** Delivers SIGINT or SIGTERM to a child started with ANSWERS_BY_MESSAGE. */
export function signalChild(child: ChildProcess, signal: 'SIGINT' | 'SIGTERM'): void {
  if (SIGNALS_BY_MESSAGE) child.send(signal);
  else child.kill(signal);
}

/** The child's resident memory in bytes, as it reports it itself (process.memoryUsage().rss). */
export function memoryOf(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const rss = (m as { rss?: unknown } | null)?.rss;
      if (typeof rss !== 'number') return;
      finish();
      resolve(rss);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`waited ${DEADLINES.step} ms for ${what} to report its memory over IPC (was it started with ANSWERS_BY_MESSAGE and an 'ipc' stdio?)`));
    }, DEADLINES.step);
    const finish = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    child.send('memory');
  });
}
