import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { readEnv } from '../config/env.ts';
import { registerCheckCommand } from './commands/check.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerImportProductsCommand } from './commands/import-products.ts';
import { registerReportCommand } from './commands/report-stock.ts';
import { registerOrderCommands } from './commands/orders.ts';
import { registerProbeCommand } from './commands/probe.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerAdminPasswordCommand } from './commands/admin-password.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import { installStopHandlers } from './stop-signal.ts';
import { describeFailure } from './describe-failure.ts';
import { EXIT, exitCodeForCommander } from './exit-codes.ts';

installStopHandlers();

const { version } = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')));

// Before the commands are added: they inherit how errors end the program.
const program = new Command()
  .name('netbaron')
  .description('MyCashflow ⇄ NetBaron connector')
  .version(version, '-V, --version', 'print the version')
  .option(
    '--verbose',
    "on failure, also print the details behind the one-line reason (PostgreSQL's own lines)",
  )
  .showHelpAfterError('(netbaron --help lists the commands; a command followed by --help, its options)')
  .exitOverride();

registerServeCommand(program);
registerAdminPasswordCommand(program);
registerConnectionCommands(program);
registerSimCommand(program);
registerDemoCommand(program);
registerImportProductsCommand(program);
registerCheckCommand(program);
registerProbeCommand(program);
registerReportCommand(program);
registerOrderCommands(program);
registerWorkerCommand(program);

const verbose = (): boolean => {
  if (program.opts<{ verbose?: boolean }>().verbose) return true;
  try {
    return readEnv().LOG_LEVEL === 'debug';
  } catch {
    return false;
  }
};

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has already printed the usage error (or the help, or the version).
    process.exitCode = exitCodeForCommander(err.code, err.exitCode);
  } else {
    const { line, details } = describeFailure(err);
    console.error(`netbaron: ${line}`);
    if (details.length && verbose()) console.error(details.join('\n'));
    process.exitCode = EXIT.FAILED;
  }
}
