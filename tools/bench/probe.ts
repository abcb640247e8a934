// The latency probe, a program of its own: two clients, one whispering to the other every
// few milliseconds, the other timing each whisper. Its event loop has nothing else to do, so
// what it measures is the server's delay (and the machine's), not the load generator's,
// which on the same process would add its own waiting to every line it times.
//
//   node --import tsx tools/bench/probe.ts PORT SECONDS
//
// Prints `ready` once both clients are logged in, then, SECONDS later, one line of JSON.

import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram.js';
import { LoadClient } from './load-client.js';

/** One whisper this often: 200 samples a second, a light load next to the benchmark's. */
const INTERVAL_MS = 5;
/** Load-client indices far from the benchmark's own (b900001 and b900002). */
const SENDER = 900_001;
const RECEIVER = 900_002;

const now = () => performance.timeOrigin + performance.now();
const [port, seconds] = process.argv.slice(2).map(Number);

const sender = await LoadClient.login(port, SENDER);
const receiver = await LoadClient.login(port, RECEIVER);
const histogram = new Histogram();
receiver.onOther = (event) => {
  if (event.type === 'whisper') histogram.add(now() - Number(event.text));
};
console.log('ready');

const to = LoadClient.name(RECEIVER);
const timer = setInterval(() => sender.socket.write(`/whisper ${to} ${now().toFixed(3)}\n`), INTERVAL_MS);
setTimeout(() => {
  clearInterval(timer);
  // The last whispers are still on their way: give them a moment (the figures are not timed).
  setTimeout(() => {
    console.log(JSON.stringify({ samples: histogram.count, p50Ms: histogram.percentile(0.5), p99Ms: histogram.percentile(0.99), maxMs: Math.round(histogram.max * 10) / 10 }));
    process.exit(0);
  }, 200);
}, seconds * 1000);
