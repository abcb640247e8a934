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
  {
    name: "a receiver that hangs up is noticed only by a write: with a quiet sender the copy waits for ever",
    file: FILE,
    change: [{ from: "    receiver.once('close', () => sender.destroy());\n", to: '' }],
    says: "receiver.once('close', () => sender.destroy())",
  },
  {
    name: "ended('done') as soon as the last chunk is written, before the receiver has taken it",
    file: FILE,
    change: [{ from: '  await finished(receiver);\n', to: '  receiver.end();\n' }],
    says: 'await receiver.end(callback) first',
  },
  {
    name: "cancel() forgets the transfer but not its unused tokens: one of them makes attach() throw",
    file: FILE,
    change: [{ from: '    for (const [token, side] of this.tokens) if (side.transfer.id === id) this.tokens.delete(token);\n', to: '' }],
    says: 'a token of a cancelled transfer threw',
  },
];

const CLIENT = 'client/file-transfer.ts';

mistakes.push(
  {
    name: "the received file is opened with 'w': an existing file of that name is overwritten",
    file: CLIENT,
    change: [{ from: "await open(file, 'wx')", to: "await open(file, 'w')" }],
    says: "open each new file with the 'wx' flag",
  },
  {
    name: 'receiveFile never compares the hash: a wrong file is kept',
    file: CLIENT,
    change: [{ from: "    if (hash.digest('hex') !== offer.sha256) throw new Error('the bytes that arrived are not the ones offered (their SHA-256 differs)');\n", to: '' }],
    says: 'compares the hash of what arrived',
  },
  {
    name: 'receiveFile rejects but leaves the half or wrong file on disk',
    file: CLIENT,
    change: [{ from: '    await unlink(file).catch(() => {}); // a half or wrong file must not look like the real one\n', to: '' }],
    says: 'deletes the file (unlink)',
  },
  {
    name: 'describeFile offers the whole path as the name',
    file: CLIENT,
    change: [{ from: 'return { name: path.basename(file), size,', to: 'return { name: file, size,' }],
    says: 'the base name, no folder',
  },
  {
    name: "sendFile waits for a 'drain' after every full write, even one that came while the file was read: it stalls (over TLS at 64 KiB)",
    file: CLIENT,
    change: [{ from: '    if (!socket.writableNeedDrain) return resolve();\n', to: '' }],
    says: 'only if socket.writableNeedDrain',
  },
  {
    name: "sendFile writes every chunk without waiting for 'drain': the whole file piles up in the socket's buffer",
    file: CLIENT,
    change: [{ from: '    if (full) await drained(socket);\n', to: '' }],
    says: 'write() had said false',
  },
  {
    name: "sendFile waits for 'drain' with no ear for 'close': a server that gives up leaves it waiting for ever",
    file: CLIENT,
    change: [{ from: "    socket.once('close', onClose);\n  });\n}\n\n/**\n * Receives", to: "  });\n}\n\n/**\n * Receives" }],
    says: 'while waiting, reject on',
  },
  {
    name: 'receiveFile passes on bytes past the offered size: a server that never stops fills the disk',
    file: CLIENT,
    change: [{ from: '      if (received > offer.size) return done(new Error(`more than the ${offer.size} bytes offered arrived`));\n', to: '' }],
    says: 'a failure at the first byte past',
  },
  {
    name: "createUnique tries the next name on any error: a name the system refuses loops for ever",
    file: CLIENT,
    change: [{ from: "      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;\n", to: '' }],
    says: 'only EEXIST means',
  },
);
