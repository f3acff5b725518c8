/* global performance, setTimeout */
// The flood's monitor, on a thread of its own: asks /healthz every `everyMs` until told to stop, then
// sends back each answer time in ms (a failed probe counts with the time it took). Plain JavaScript, so
// that the thread needs no TypeScript loader.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, everyMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const [times, ask] = [
  [],
  () =>
    new Promise((resolve) => {
      const req = http.get(url, { agent, timeout: 30_000 }, (res) =>
        res.resume().once('end', resolve).once('error', resolve),
      );
      req.once('timeout', () => req.destroy()).once('error', resolve);
    }),
];
let stopped = false;
parentPort.once('message', () => (stopped = true));
while (!stopped) {
  const started = performance.now();
  await ask();
  times.push(performance.now() - started);
  await new Promise((r) => setTimeout(r, everyMs));
}
agent.destroy();
parentPort.postMessage(times);
