import type { Mistake } from './mistake.js';

const FILE = 'server/file-relay.ts';

export const mistakes: Mistake[] = [
  {
    name: 'write() without waiting for drain: a slow receiver makes the relay hold the whole file',
    file: FILE,
    change: [{ from: '    if (!receiver.write(chunk)) await drained(receiver); // its buffer is full: wait, read nothing\n', to: '    receiver.write(chunk);\n' }],
    says: 'Your relay held up to',
  },
  {
    name: 'a token is not deleted when used: it opens a second data connection',
    file: FILE,
    change: [{ from: '    this.tokens.delete(token);\n    const ends', to: '    const ends' }],
    says: 'a used token is deleted',
  },
  {
    name: 'no check past size: a chunk with bytes too many is passed on',
    file: FILE,
    change: [{ from: "    if (passed + chunk.length > file.size) return 'incomplete'; // more than announced\n", to: '' }],
    says: 'never more than 1000 bytes to bob',
  },
  {
    name: 'the loop waits for the sender to close instead of stopping at size',
    file: FILE,
    change: [{ from: '    if (passed === file.size) break;\n', to: '' }],
    says: 'at exactly size bytes the relay stops reading',
  },
  {
    name: 'the hash is computed but never compared: a changed byte counts as done',
    file: FILE,
    change: [{ from: "  return hash.digest('hex') === file.sha256 ? 'done' : 'corrupt';", to: "  return 'done';" }],
    says: 'transfer_failed corrupt for both',
  },
  {
    name: 'the bytes handled as text: each chunk decoded as UTF-8 on its way to the receiver',
    file: FILE,
    change: [{ from: 'if (!receiver.write(chunk)) await', to: "if (!receiver.write(chunk.toString('utf8'))) await" }],
    says: 'exactly the bytes alice sent',
  },
  {
    name: 'cancel() forgets the transfer but leaves its data connections open',
    file: FILE,
    change: [{ from: '    ends.sender?.destroy();\n    ends.receiver?.destroy();\n', to: '' }],
    says: 'cancel(id) destroys',
  },
];
