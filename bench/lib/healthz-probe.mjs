/* global performance, setTimeout */
// The flood's monitor, on its own thread: asks /healthz every `everyMs` until told to stop, then sends
// back every answer time in ms (a failed probe counts with the time it took). Plain JavaScript, so the
// thread needs no TypeScript loader.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, everyMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const times = [];
let stopped = false;
parentPort.once('message', () => (stopped = true));

const ask = () =>
  new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.once('end', resolve);
      res.once('error', resolve);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', resolve);
  });

while (!stopped) {
  const started = performance.now();
  await ask();
  times.push(performance.now() - started);
  await new Promise((r) => setTimeout(r, everyMs));
}
agent.destroy();
parentPort.postMessage(times);
