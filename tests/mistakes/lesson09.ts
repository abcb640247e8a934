import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'writeBounded always says yes: a client that never reads is never dropped',
    file: 'server/write-bounded.ts',
    change: [{ from: 'return socket.writableLength <= maxQueuedBytes;', to: 'return true;' }],
    says: 'still returns true',
  },
  {
    name: 'writeBounded passes on what write() says: drops healthy clients on any burst',
    file: 'server/write-bounded.ts',
    change: [{ from: 'socket.write(line);\n  return socket.writableLength <= maxQueuedBytes;', to: 'return socket.write(line);' }],
    says: 'high-water mark',
  },
  {
    name: 'writeBounded checks the queue but never writes the line',
    file: 'server/write-bounded.ts',
    change: [{ from: 'socket.write(line);\n', to: '' }],
    says: 'never called socket.write()',
  },
  {
    name: 'the bucket never refills',
    file: 'server/rate-limiter.ts',
    change: [{ from: 'this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);', to: '' }],
    says: 'no token came back',
  },
  {
    name: 'the bucket refills without a cap: after a quiet spell, a flood passes',
    file: 'server/rate-limiter.ts',
    change: [{ from: 'Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)', to: 'this.tokens + ((now - this.last) / 1000) * this.perSecond' }],
    says: 'held more than its size',
  },
  {
    name: 'the bucket counts whole tokens only and loses the fractions',
    file: 'server/rate-limiter.ts',
    change: [{ from: 'this.tokens + ((now - this.last) / 1000) * this.perSecond)', to: 'this.tokens + Math.floor(((now - this.last) / 1000) * this.perSecond))' }],
    says: 'lost the fraction',
  },
  {
    name: 'stripControl removes only ESC',
    file: 'server/strip-control.ts',
    change: [{ from: 'const CONTROL = /[\\u0000-\\u001f\\u007f-\\u009f]/g;', to: 'const CONTROL = /\\u001b/g;' }],
    says: 'U+0000–U+001A',
  },
  {
    name: 'stripControl removes C0 controls only: C1 controls such as U+009B (CSI) pass',
    file: 'server/strip-control.ts',
    change: [{ from: 'const CONTROL = /[\\u0000-\\u001f\\u007f-\\u009f]/g;', to: 'const CONTROL = /[\\u0000-\\u001f]/g;' }],
    says: 'C1 controls are control characters too',
  },
  {
    name: 'stripControl without the g flag removes only the first control character',
    file: 'server/strip-control.ts',
    change: [{ from: 'const CONTROL = /[\\u0000-\\u001f\\u007f-\\u009f]/g;', to: 'const CONTROL = /[\\u0000-\\u001f\\u007f-\\u009f]/;' }],
    says: 'replaces the first match only',
  },
];
