/* global performance */
// The flood's monitor, on a thread of its own: asks /healthz every `everyMs` until told to stop, then
// sends back each answer time in ms (a failed probe counts with the time it took). Plain JavaScript, so
// that the thread needs no TypeScript loader.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

const { url, everyMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const ask = () =>
  new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 30_000 }, (res) =>
      res.resume().once('end', resolve).once('error', resolve),
    );
    req.once('timeout', () => req.destroy()).once('error', resolve);
  });
const times = [];
let stopped = false;
parentPort.once('message', () => (stopped = true));
while (!stopped) {
  const started = performance.now();
  await ask();
  times.push(performance.now() - started);
  await sleep(everyMs);
}
agent.destroy();
parentPort.postMessage(times);
