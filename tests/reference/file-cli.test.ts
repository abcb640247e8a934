// The command-line client's files (PROTOCOL.md, "files"; lesson 17): /send offers a file from
// disk, /accept without an id takes the last offer, progress lines while the file moves, and
// the line that says where it was saved. Two reference CLIs (runCli, in this process, typing
// into a pipe) against the reference server on port 0.

import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, onTestFinished, test } from 'vitest';
import { runCli } from '../../solutions/client/cli.js';
import { startChat } from '../harness/chat.js';
import { PATIENCE_MS, waitUntil } from '../harness/wait.js';

const SEE = '17 (npm run lesson 17), section "The client: send and receive"';

/** One CLI session: type lines into it, wait for what it prints. */
function cli(port: number, downloads?: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (d: string) => (printed += d));
  const ended = runCli({ host: '127.0.0.1', port, input, output, downloads });
  onTestFinished(async () => {
    input.end();
    await ended;
  });
  return {
    type: (line: string) => input.write(line + '\n'),
    printed: () => printed,
    waitFor: (pattern: RegExp, what: string) =>
      waitUntil(
        () => pattern.exec(printed) ?? undefined,
        (wake) => {
          output.on('data', wake);
          return () => output.off('data', wake);
        },
        () => new Error(`The CLI did not print ${what} within ${PATIENCE_MS} ms (lesson ${SEE}). It printed:\n${printed}`),
      ),
  };
}

test('/send, /accept: progress lines, the file saved where the last line says', async () => {
  const chat = await startChat({ mine: [], see: SEE, options: { features: ['files'] } });
  const home = mkdtempSync(path.join(os.tmpdir(), 'cli-files-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  const photo = path.join(home, 'holiday photo.jpg');
  const content = Buffer.alloc(3_000_000, 9);
  writeFileSync(photo, content);
  const alice = cli(chat.port, path.join(home, 'alice-dl'));
  const bob = cli(chat.port, path.join(home, 'bob-dl'));
  alice.type('alice');
  bob.type('bob');
  await alice.waitFor(/\*\*\* bob has joined/, "bob's join");
  alice.type('/send bob /no/such/file.txt');
  await alice.waitFor(/\[FILE\]: Cannot send \/no\/such\/file\.txt: no such file/, 'why the file cannot be sent');
  bob.type('/accept');
  await bob.waitFor(/\[FILE\]: No offer to accept\./, 'that there is no offer');
  alice.type(`/send bob ${photo}`);
  await bob.waitFor(/\[FILE\]: alice offers you holiday photo\.jpg \(3\.0 MB\)\. \/accept 1 or \/reject 1/, 'the offer');
  bob.type('/accept');
  const saved = await bob.waitFor(/\[FILE\]: Saved holiday photo\.jpg from alice as (.+)\n/, 'where the file was saved');
  expect(saved[1]).toBe(path.join(home, 'bob-dl', 'holiday photo.jpg'));
  expect(readFileSync(saved[1]!).equals(content)).toBe(true);
  await alice.waitFor(/\[FILE\]: Transfer 1 is done\./, "alice's transfer_done");
  expect(bob.printed()).toMatch(/\[FILE\]: holiday photo\.jpg from alice: 100% \(3\.0 MB of 3\.0 MB\)/);
  expect(alice.printed()).toMatch(/\[FILE\]: holiday photo\.jpg to bob: 100% \(3\.0 MB of 3\.0 MB\)/);
  for (const [who, session] of [['alice', alice], ['bob', bob]] as const) {
    // The first 64 KiB chunk is told at once (2%, still 0% in tenths): a tenth shows once.
    const shown: string[] = session.printed().match(/^\[FILE\]: holiday photo\.jpg (?:to|from) \w+: \d+%/gm) ?? [];
    const again = shown.find((l, i) => shown.indexOf(l) !== i);
    if (again !== undefined) throw new Error(`${who}'s CLI printed "${again}" more than once (lesson ${SEE}). It printed:\n${session.printed()}`);
    // /send, /accept and /reject are the client's: the server never sees them as typed, and a pipe gets no prompt.
    const odd = session.printed().match(/^> .*|.*Unknown command.*/m);
    if (odd) throw new Error(`${who}'s CLI printed "${odd[0]}" (lesson ${SEE}): ${odd[0].startsWith('> ') ? 'a prompt, in a pipe' : 'the server got a file command as typed'}. It printed:\n${session.printed()}`);
  }
  // A chat line still works: the file took no part of the chat connection.
  alice.type('got it?');
  await bob.waitFor(/alice: got it\?/, "alice's chat line after the file");
});

test('/reject: both hear that the transfer failed, and nothing is saved', async () => {
  const chat = await startChat({ mine: [], see: SEE, options: { features: ['files'] } });
  const home = mkdtempSync(path.join(os.tmpdir(), 'cli-files-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  const notes = path.join(home, 'notes.txt');
  writeFileSync(notes, 'secret plans\n');
  const alice = cli(chat.port, path.join(home, 'alice-dl'));
  const bob = cli(chat.port, path.join(home, 'bob-dl'));
  alice.type('alice');
  bob.type('bob');
  await alice.waitFor(/\*\*\* bob has joined/, "bob's join");
  alice.type(`/send bob ${notes}`);
  await bob.waitFor(/offers you notes\.txt/, 'the offer');
  bob.type('/reject');
  await alice.waitFor(/\[FILE\]: Transfer 1 failed: rejected\./, 'the rejection');
  await bob.waitFor(/\[FILE\]: Transfer 1 failed: rejected\./, 'the rejection');
});

test('without a folder given, a file is saved in downloads, in the current folder (as npm run cli does)', async () => {
  const chat = await startChat({ mine: [], see: SEE, options: { features: ['files'] } });
  const home = mkdtempSync(path.join(os.tmpdir(), 'cli-files-'));
  // The current folder is the project's (downloads/ is in .gitignore): a name no one else has,
  // taken away afterwards, with the folder if this test made it.
  const name = `default-folder-${process.pid}-${Date.now()}.txt`;
  const hadFolder = existsSync('downloads');
  onTestFinished(() => {
    rmSync(home, { recursive: true, force: true });
    for (const left of [path.join('downloads', name), name]) rmSync(left, { force: true });
    try {
      if (!hadFolder) rmdirSync('downloads');
    } catch {
      // not made after all (the file went elsewhere), or another run's file is in it now
    }
  });
  writeFileSync(path.join(home, name), 'where do I land?\n');
  const alice = cli(chat.port, path.join(home, 'alice-dl'));
  const bob = cli(chat.port);
  alice.type('alice');
  bob.type('bob');
  await alice.waitFor(/\*\*\* bob has joined/, "bob's join");
  alice.type(`/send bob ${path.join(home, name)}`);
  await bob.waitFor(/offers you default-folder-/, 'the offer');
  bob.type('/accept');
  const saved = await bob.waitFor(/\[FILE\]: Saved default-folder-\S+ from alice as (.+)\n/, 'where the file was saved');
  if (path.resolve(saved[1]!) !== path.resolve('downloads', name)) {
    throw new Error(`Without a downloads folder given, bob's CLI saved the file as ${saved[1]} (lesson ${SEE}).\nExpected: ${path.join('downloads', name)}, in the current folder (runCli's default, as --help says)`);
  }
});
