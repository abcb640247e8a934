// A program of the course run as a child process (with tsx), watched from outside: what it
// prints and how it ends. Lesson 8 grades whole servers this way (signals, exit codes) and
// lesson 10 the command-line client (typed input, printed output).

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { ROOT } from '../../app/server/pieces.js';
import { ANSWERS_BY_MESSAGE, signalChild } from './child-messages.js';
import { TREE } from './mine.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProgramOptions {
  /** Variables on top of the suite's environment (which already names the tree under test). */
  env?: Record<string, string>;
  /** Node flags that go before the program's own arguments. */
  nodeArgs?: string[];
  /** Pipe its standard input, to type into it. */
  stdin?: boolean;
  /** Open an IPC channel that takes signals (lesson 8 sends them through it on Windows). */
  ipc?: boolean;
}

export class Program {
  stdout = '';
  stderr = '';
  /** stdout and stderr together, in the order they came. */
  output = '';
  exit: Exit | undefined;
  /** Resolves once it has ended and everything it printed has been read. */
  readonly exited: Promise<Exit>;
  protected readonly proc: ChildProcess;
  private readonly changes = new EventEmitter();

  constructor(args: string[], options: ProgramOptions = {}) {
    const answers = options.ipc ? ['--import', ANSWERS_BY_MESSAGE] : [];
    this.proc = spawn(process.execPath, ['--import', 'tsx', ...answers, ...(options.nodeArgs ?? []), ...args], {
      cwd: ROOT,
      env: { ...process.env, COURSE_TREE: TREE, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
    });
    this.proc.stdin?.on('error', () => {}); // typing into a program that has ended
    this.proc.stdout!.setEncoding('utf8').on('data', (text: string) => this.printed('stdout', text));
    this.proc.stderr!.setEncoding('utf8').on('data', (text: string) => this.printed('stderr', text));
    // 'close', not 'exit': by then everything it printed has been read.
    this.exited = new Promise((resolve) =>
      this.proc.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.changes.emit('change');
        resolve(this.exit);
      }),
    );
  }

  /** Calls `wake` whenever it prints or ends (for waitUntil); returns what stops that. */
  onChange(wake: () => void): () => void {
    this.changes.on('change', wake);
    return () => this.changes.off('change', wake);
  }

  /** Types text into its standard input (started with `stdin: true`), exactly as given. */
  type(text: string): void {
    this.proc.stdin!.write(text);
  }

  /** Delivers a signal as `kill -INT` or a terminal's Ctrl+C would (needs `ipc` on Windows). */
  signal(signal: 'SIGINT' | 'SIGTERM'): void {
    signalChild(this.proc, signal);
  }

  /** Kills it if it still runs, and waits until it has gone. */
  async stop(): Promise<void> {
    if (!this.exit) this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** How it ended, in words: 'exited with code 1', 'was killed by SIGTERM'. */
  ending(): string {
    return this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code}`;
  }

  private printed(stream: 'stdout' | 'stderr', text: string): void {
    this[stream] += text;
    this.output += text;
    this.changes.emit('change');
  }
}
