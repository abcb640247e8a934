import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'decodes each chunk to a string before splitting it into lines',
    file: 'server/line-decoder.ts',
    change: [{ from: 'const lines: string[] = [];', to: "chunk = Buffer.from(chunk.toString('utf8')); // decode first, then split\n    const lines: string[] = [];" }],
    says: 'split on the newline byte (0x0A) first, then decode',
  },
  {
    name: 'forgets the unfinished line between two calls',
    file: 'server/line-decoder.ts',
    change: [{ from: '      this.pending.push(chunk.subarray(start));\n', to: '' }],
    says: 'keep the bytes of the unfinished line',
  },
  {
    name: 'counts the limit in characters (string length) instead of bytes',
    file: 'server/line-decoder.ts',
    change: [{ from: 'if (line.length > this.maxLineBytes)', to: "if (line.toString('utf8').length > this.maxLineBytes)" }],
    says: 'the limit is counted in bytes, not characters',
  },
  {
    name: 'checks the limit only when a newline arrives (buffers an endless line without bound)',
    file: 'server/line-decoder.ts',
    change: [{ from: '      if (over > 1 || (over === 1 && chunk[chunk.length - 1] !== CARRIAGE_RETURN)) throw new LineTooLongError(this.maxLineBytes, lines);\n', to: '' }],
    says: 'as soon as more than 4096 bytes are pending',
  },
  {
    name: 'gives up at 4097 pending bytes even when the last one is the \\r of a \\r\\n',
    file: 'server/line-decoder.ts',
    change: [{ from: 'if (over > 1 || (over === 1 && chunk[chunk.length - 1] !== CARRIAGE_RETURN))', to: 'if (over > 0)' }],
    says: 'it is too early to give up',
  },
  {
    name: 'drops the lines that came before a too-long one in the same chunk',
    file: 'server/line-decoder.ts',
    change: [{ from: 'if (line.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes, lines);', to: 'if (line.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);' }],
    says: 'with the lines this push() had finished',
  },
  {
    name: 'keeps the \\r of a \\r\\n line ending',
    file: 'server/line-decoder.ts',
    change: [{ from: 'return line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;', to: 'return line;' }],
    says: 'part of the line ending',
  },
  {
    name: 'removes every \\r, not only the one before the \\n',
    file: 'server/line-decoder.ts',
    change: [{ from: "lines.push(line.toString('utf8'));", to: "lines.push(line.toString('utf8').replaceAll('\\r', ''));" }],
    says: "A '\\r' anywhere else is part of the line",
  },
  {
    name: "joinChat still reads one 'data' event as one message",
    file: 'client/connect.ts',
    change: [{ from: 'lines = decoder.push(chunk);', to: "lines = [chunk.toString('utf8').trim()];" }],
    says: "treats one 'data' event as one message",
  },
  {
    name: 'joinChat makes a new LineDecoder for every chunk',
    file: 'client/connect.ts',
    change: [{ from: 'lines = decoder.push(chunk);', to: 'lines = new LineDecoder().push(chunk);' }],
    says: 'makes a new decoder for each chunk',
  },
  {
    name: 'joinChat resolves with the welcome alone: the lines glued after it are lost',
    file: 'client/connect.ts',
    change: [{ from: 'after: lines.slice(i + 1).map(parseEvent), decoder', to: 'decoder' }],
    says: 'the caller never sees it',
  },
  {
    name: 'joinChat hands over only the one line right after the welcome',
    file: 'client/connect.ts',
    change: [{ from: 'after: lines.slice(i + 1).map(parseEvent)', to: 'after: lines.slice(i + 1, i + 2).map(parseEvent)' }],
    says: "so carol's line was lost",
  },
  {
    name: 'joinChat hands over a fresh decoder, not the one holding the unfinished line',
    file: 'client/connect.ts',
    change: [{ from: 'after: lines.slice(i + 1).map(parseEvent), decoder }', to: 'after: lines.slice(i + 1).map(parseEvent), decoder: new LineDecoder() }' }],
    says: "no longer held the line's first half",
  },
  {
    name: "feeds the decoder outside a try, so a server's endless line throws inside the 'data' listener",
    file: 'client/connect.ts',
    change: [{ from: '      let lines: string[];\n      try {\n        lines = decoder.push(chunk);\n      } catch (err) {\n        socket.destroy();\n        return reject(err);\n      }\n', to: '      const lines = decoder.push(chunk);\n' }],
    says: "catch it in your 'data' listener",
  },
  {
    name: 'rejects on a line too long but leaves the socket open',
    file: 'client/connect.ts',
    change: [{ from: '      } catch (err) {\n        socket.destroy();\n        return reject(err);', to: '      } catch (err) {\n        return reject(err);' }],
    says: 'socket.destroy() before rejecting',
  },
];
