/**
 * The simulators' process (`startSims` in sims.ts): `<pairs>` pairs, each printed as `pair <i> <mycashflow>
 * <netbaron>`, then `ready`. It stops only when its stdin closes: a signal from outside (a broad kill by
 * another job on the machine) once ended a long run halfway, so it is reported and ignored.
 */
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';

const running: RunningSimulators[] = [];
for (let i = 0; i < Number(process.argv[2] ?? '1'); i += 1) {
  running.push(await startSimulators({ mycashflowPort: 0, netbaronPort: 0 }));
  console.log(`pair ${i} ${running[i]!.mycashflow.url} ${running[i]!.netbaron.url}`);
}
console.log('ready');

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () =>
    process.stderr.write(`sims runner: ${signal} from outside the benchmark ignored\n`),
  );
process.stdin.resume();
process.stdin.on('end', () => void Promise.all(running.map((s) => s.close())).then(() => process.exit(0)));
