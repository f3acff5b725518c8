/**
 * Both simulators in a process of their own, for the benchmarks: `node --import tsx
 * bench/lib/sim-runner.ts`. It prints the same address lines as `netbaron sim`, starts empty (states
 * are PUT through the control API), and stops only when its stdin closes: a SIGINT or SIGTERM sent
 * from outside the benchmark (a broad kill by another job on the machine) is reported and ignored, so
 * that it cannot end a long run halfway.
 */
import { startSimulators } from '../../simulators/scenario.ts';

const sims = await startSimulators({ mycashflowPort: 0, netbaronPort: 0 });
console.log(`MyCashflow simulator: ${sims.mycashflow.url}/api/v1`);
console.log(`NetBaron simulator:   ${sims.netbaron.url}/ws/products`);
console.log('Press Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () =>
    process.stderr.write(
      `sim runner: ${signal} received from outside the benchmark at ${new Date().toISOString()}; ignored\n`,
    ),
  );
}

process.stdin.resume();
process.stdin.on('end', () => {
  void sims.close().then(() => process.exit(0));
});
