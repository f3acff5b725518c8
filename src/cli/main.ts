import { Command } from 'commander';
import { registerCheckCommand } from './commands/check.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerImportProductsCommand } from './commands/import-products.ts';
import { registerReportCommand } from './commands/report-stock.ts';
import { registerOrderCommands } from './commands/orders.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerAdminPasswordCommand } from './commands/admin-password.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import { installStopHandlers } from './stop-signal.ts';

installStopHandlers();

const program = new Command()
  .name('netbaron')
  .description('MyCashflow ⇄ NetBaron connector')
  .showHelpAfterError();

registerServeCommand(program);
registerAdminPasswordCommand(program);
registerConnectionCommands(program);
registerSimCommand(program);
registerDemoCommand(program);
registerImportProductsCommand(program);
registerCheckCommand(program);
registerReportCommand(program);
registerOrderCommands(program);
registerWorkerCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`netbaron: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
