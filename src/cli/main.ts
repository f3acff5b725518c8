import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.ts';
import { registerSimCommand } from './commands/sim.ts';
import { installStopHandlers } from './stop-signal.ts';

installStopHandlers();

const program = new Command()
  .name('netbaron')
  .description('MyCashflow ⇄ NetBaron connector')
  .showHelpAfterError();

registerSimCommand(program);
registerDemoCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`netbaron: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
