import type { Mistake } from './mistake.js';

const FILE = 'server/batching.ts';

export const mistakes: Mistake[] = [
  {
    name: 'add() flushes every line at once: one write per line, as before batching',
    file: FILE,
    change: [{ from: '    if (this.size >= FLUSH_AT_CHARS) this.flush();\n', to: '    this.flush();\n' }],
    says: 'One write per line is what batching removes',
  },
  {
    name: 'the flusher runs its pass on a 10 ms timer: every line waits',
    file: FILE,
    change: [{ from: '    else setImmediate(this.pass);', to: '    else setTimeout(this.pass, 10);' }],
    says: 'your flush waits for a timer',
  },
  {
    name: 'add() never asks the flusher: lines wait until 64 KiB have gathered',
    file: FILE,
    change: [{ from: '    if (this.pending.length === 0) this.flusher.request(this); // once per batch is enough\n', to: '' }],
    says: 'nobody asked the flusher for a pass',
  },
  {
    name: 'flush() writes the gathered text and keeps it: lines arrive twice',
    file: FILE,
    change: [{ from: '    this.pending = [];\n    this.size = 0;\n    this.write(data);', to: '    this.write(data);' }],
    says: 'the client would get the lines twice',
  },
  {
    name: 'flush() leaves the writing for later (setImmediate): a close loses the last lines',
    file: FILE,
    change: [{ from: '    this.write(data);\n', to: '    setImmediate(() => this.write(data));\n' }],
    says: 'before flush() returns',
  },
  {
    name: 'no early flush: a burst gathers without bound before the end of the turn',
    file: FILE,
    change: [{ from: '    if (this.size >= FLUSH_AT_CHARS) this.flush();\n', to: '' }],
    says: "beyond lesson 9's bound",
  },
  {
    name: 'the flusher never rests: passes back to back under load',
    file: FILE,
    change: [{ from: '    if (rest >= 1) setTimeout(this.pass, rest);\n    else setImmediate(this.pass);', to: '    setImmediate(this.pass);' }],
    says: 'leave the server no time to read',
  },
  {
    name: 'request() schedules a pass on every call: an empty pass right after a long one wipes out its rest',
    file: FILE,
    change: [{ from: '    if (this.scheduled) return;\n', to: '' }],
    says: 'Schedule a pass only when none is scheduled yet',
  },
  {
    name: 'the flusher keeps targets in an array: one that asks twice is flushed twice',
    file: FILE,
    change: [
      { from: '  private waiting = new Set<Flushable>();', to: '  private waiting: Flushable[] = [];' },
      { from: '    this.waiting.add(target);', to: '    this.waiting.push(target);' },
      { from: '    this.waiting = new Set(); // what a flush asks for now belongs to the next pass', to: '    this.waiting = [];' },
    ],
    says: 'each once',
  },
];
