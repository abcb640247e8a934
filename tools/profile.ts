// `npm run profile -- FILE.cpuprofile`: the functions a CPU profile (node --cpu-prof) caught
// running most, by self time (the time in the function itself, not in what it called), as
// a table in the terminal. Chrome DevTools (Performance, or chrome://inspect, Open dedicated
// DevTools for Node, Profiler: Load) shows the same profile as a flame chart.
//
//   npm run profile -- CPU.20261204.232400.2353.0.001.cpuprofile          the top 25
//   npm run profile -- FILE --top 40                                       more rows
//   npm run profile -- FOLDER                                              the newest main-thread profile in it

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FriendlyError, parseFlags, runMain, UsageError } from '../app/cli.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

runMain('PROFILE', async () => {
  const { values, positionals } = parseFlags({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, help: { type: 'boolean', default: false } },
  });
  if (values.help || positionals.length !== 1) {
    if (!values.help) throw new UsageError('Usage: npm run profile -- FILE.cpuprofile (or a folder) [--top N]');
    console.log('Usage: npm run profile -- FILE.cpuprofile (or a folder) [--top N]');
    return;
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError('--top wants a whole number, e.g. --top 40.');
  const file = chooseFile(positionals[0]);
  let profile: Profile;
  try {
    profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  } catch (err) {
    throw new FriendlyError(`${file}: not a CPU profile (${(err as Error).message.split('\n')[0]}).`);
  }
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples)) throw new FriendlyError(`${file}: not a CPU profile (no nodes or samples).`);

  // Each sample says which function was running; the time until the next sample is its.
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    totalMs += ms;
    // Files compiled by tsx report line 0 for everything: a line number only where there is one.
    const where = frame.url ? ` ${shortUrl(frame.url)}${frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ''}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  });
  console.log(`${path.basename(file)}: ${totalMs.toFixed(0)} ms busy, ${idleMs.toFixed(0)} ms idle. Top ${top} by self time:\n`);
  console.log('   self ms   share  function');
  for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(1).padStart(10)}  ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
});

/** A file, or the newest main-thread profile (…​.0.NNN.cpuprofile) in a folder. */
function chooseFile(given: string): string {
  let stat;
  try {
    stat = statSync(given);
  } catch {
    throw new FriendlyError(`${given}: no such file or folder.`);
  }
  if (!stat.isDirectory()) return given;
  const profiles = readdirSync(given).filter((f) => f.endsWith('.cpuprofile'));
  const main = profiles.filter((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  const pick = (main.length > 0 ? main : profiles).map((f) => path.join(given, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!pick) throw new FriendlyError(`${given}: no .cpuprofile file in it. Run the server with node --cpu-prof --cpu-prof-dir ${given} first.`);
  return pick;
}

/** node:internal/... stays as it is; a file of the project is shown from the project's root. */
function shortUrl(url: string): string {
  if (!url.startsWith('file://')) return url;
  const file = decodeURIComponent(new URL(url).pathname);
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative.replace(/\\/g, '/');
}
