/**
 * Many pairs of simulators in one process of their own, for the multi-store benchmark:
 * `node --import tsx bench/lib/multi-sim-runner.ts <pairs>`. Prints one line per pair,
 * `pair <i> <mycashflow url> <netbaron url>`, then `ready`; states are PUT through the control API.
 * Stops when its stdin closes (signals from outside are ignored, as in sim-runner.ts).
 */
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';

const pairs = Number(process.argv[2] ?? '1');
const running: RunningSimulators[] = [];
for (let i = 0; i < pairs; i += 1) {
  const sims = await startSimulators({ mycashflowPort: 0, netbaronPort: 0 });
  running.push(sims);
  console.log(`pair ${i} ${sims.mycashflow.url} ${sims.netbaron.url}`);
}
console.log('ready');

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => process.stderr.write(`multi-sim runner: ${signal} from outside; ignored\n`));
}
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all(running.map((s) => s.close())).then(() => process.exit(0));
});
