// Lesson 15's two experiments, run on the student's own machine:
//   node --import tsx tools/password-lab.ts cost      how long scrypt takes at each N
//   node --import tsx tools/password-lab.ts compare   why === leaks and timingSafeEqual does not
// Both print what they measured and nothing else; neither touches the chat or the network.

import { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import { parseFlags, runMain, UsageError } from '../app/cli.js';

const USAGE = `Usage: node --import tsx tools/password-lab.ts cost|compare
  cost      times scrypt (r 8, p 1) at N = 2^12 to 2^17, and sha256 beside it
  compare   times === and timingSafeEqual on a guess wrong in its first byte
            against one wrong in its last byte
  --help    show this help`;

runMain('PASSWORD-LAB', async () => {
  const { values, positionals } = parseFlags({ args: process.argv.slice(2), allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) return console.log(USAGE);
  const [what, ...rest] = positionals;
  if (rest.length > 0 || (what !== 'cost' && what !== 'compare')) throw new UsageError(`Say cost or compare; got '${positionals.join(' ')}'.`);
  if (what === 'cost') await cost();
  else compare();
});

/** scrypt at growing N, each hashed a few times: the median, and what a guesser's core gets through. */
async function cost(): Promise<void> {
  const salt = Buffer.alloc(16, 1);
  const hashOnce = (N: number) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      scrypt('correct horse', salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err) => (err ? reject(err) : resolve(performance.now() - started)));
    });
  const started = performance.now();
  let sha = 0;
  for (; performance.now() - started < 200; sha++) createHash('sha256').update(salt).update('correct horse').digest();
  const shaPerSecond = (sha / (performance.now() - started)) * 1000;
  console.log(`sha256:          ${(1000 / shaPerSecond).toFixed(4)} ms a hash, ${Math.round(shaPerSecond).toLocaleString('en')} guesses a second on one core`);
  for (const power of [12, 13, 14, 15, 16, 17]) {
    const N = 2 ** power;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await hashOnce(N));
    const ms = times.sort((a, b) => a - b)[1]!;
    const memory = (128 * N * 8) / 2 ** 20;
    console.log(`scrypt N=2^${power}:`.padEnd(17) + `${ms.toFixed(1).padStart(6)} ms a hash, ${(1000 / ms).toFixed(1).padStart(6)} guesses a second, ${memory} MiB each`);
  }
}

/**
 * A secret of 1 KiB, and two guesses of the same length: one wrong in its first byte, one
 * wrong in its last. Each comparison is timed over many rounds, in turns, several times over,
 * and the median kept: a single run says little on a busy machine.
 */
function compare(): void {
  const size = 1024;
  const rounds = 20_000;
  const secret = Buffer.alloc(size, 'a');
  const wrongFirst = Buffer.from(secret);
  wrongFirst[0] = 'b'.charCodeAt(0);
  const wrongLast = Buffer.from(secret);
  wrongLast[size - 1] = 'b'.charCodeAt(0);
  const [secretText, firstText, lastText] = [secret, wrongFirst, wrongLast].map((b) => b.toString('latin1'));

  let sink = 0; // keeps the comparisons from being optimised away
  const nsPerCall = (compare: () => boolean) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) if (compare()) sink++;
    return Number(process.hrtime.bigint() - started) / rounds;
  };
  const ways = {
    '===': [() => secretText === firstText, () => secretText === lastText],
    'timingSafeEqual': [() => timingSafeEqual(secret, wrongFirst), () => timingSafeEqual(secret, wrongLast)],
  } as const;
  const samples = new Map<string, number[][]>(Object.keys(ways).map((k) => [k, [[], []]]));
  for (let turn = 0; turn < 25; turn++) {
    for (const [name, [first, last]] of Object.entries(ways)) {
      samples.get(name)![0]!.push(nsPerCall(first));
      samples.get(name)![1]!.push(nsPerCall(last));
    }
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log(`A ${size}-byte secret; each comparison ${rounds.toLocaleString('en')} times, 25 turns, the median:`);
  console.log(`${''.padEnd(17)}wrong at byte 1   wrong at byte ${size}`);
  for (const [name, [first, last]] of samples) {
    const [a, b] = [median(first!), median(last!)];
    console.log(`${name.padEnd(17)}${`${a.toFixed(1)} ns`.padStart(13)}   ${`${b.toFixed(1)} ns`.padStart(15)}   (${(b / a).toFixed(1)}x)`);
  }
  if (sink < 0) console.log(sink);
}
