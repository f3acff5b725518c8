import type { Command } from 'commander';
import { generateDemoScenario } from '../../../simulators/demo/index.ts';
import { loadScenarioFile, startSimulators, type Scenario } from '../../../simulators/scenario.ts';
import { portOption, positiveIntOption } from '../options.ts';
import { stopRequested } from '../stop-signal.ts';

interface SimOptions {
  mycashflowPort: number;
  netbaronPort: number;
  host: string;
  state?: string;
  demo?: number;
  seed: number;
  controlToken?: string;
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the MyCashflow and NetBaron simulators until stopped')
    .option('--mycashflow-port <port>', 'MyCashflow API port', portOption, 4010)
    .option('--netbaron-port <port>', 'NetBaron WS port', portOption, 4020)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--state <file>', 'scenario file: {"mycashflow": <state>, "netbaron": <state>}')
    .option(
      '--demo <products>',
      'seed both sides with a generated demo catalog of this many products',
      positiveIntOption,
    )
    .option('--seed <n>', 'seed of the demo generator', positiveIntOption, 1)
    .option('--control-token <token>', 'require this token in X-Sim-Control-Token on /__sim/ routes')
    .action(async (opts: SimOptions) => {
      if (opts.state && opts.demo) throw new Error('give either --state or --demo, not both');
      let scenario: Scenario | undefined;
      if (opts.state) scenario = await loadScenarioFile(opts.state);
      if (opts.demo) scenario = generateDemoScenario({ products: opts.demo, seed: opts.seed });
      const sims = await startSimulators({
        scenario,
        mycashflowPort: opts.mycashflowPort,
        netbaronPort: opts.netbaronPort,
        host: opts.host,
        controlToken: opts.controlToken,
      });
      console.log(
        `MyCashflow simulator: ${sims.mycashflow.url}/api/v1   (control: ${sims.mycashflow.url}/__sim/state)`,
      );
      console.log(
        `NetBaron simulator:   ${sims.netbaron.url}/ws/products   (control: ${sims.netbaron.url}/__sim/state)`,
      );
      console.log(
        opts.state
          ? `State from ${opts.state}; credentials are in that file.`
          : 'Credentials are in the state document (GET /__sim/state on each simulator).',
      );
      console.log('Press Ctrl-C to stop.');
      await stopRequested();
      await sims.close();
    });
}
