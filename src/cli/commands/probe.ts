import type { Command } from 'commander';
import { readConnectionFile } from '../../config/connection-file.ts';
import { readEnv } from '../../config/env.ts';
import { redactReport } from '../../connections/probe/redact-report.ts';
import { probeInputFor, runProbe, type ProbeReport } from '../../connections/probe/run-probe.ts';
import { createLogger } from '../../observability/logger.ts';
import { EXIT } from '../exit-codes.ts';
import { formatProbeReport } from '../format-probe.ts';
import {
  addConnectionOptions,
  connectionSource,
  withConnection,
  type ConnectionOptions,
} from '../with-connection.ts';

export function registerProbeCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('probe')
      .description(
        'compare the real store and NetBaron with what the connector assumes (read-only: only GET requests, nothing is ever written)',
      ),
  )
    .option('--json', 'print the report as JSON (for a support ticket)')
    .action(async (opts: ConnectionOptions & { json?: boolean }, command: Command) => {
      const source = connectionSource(opts, command);
      let report: ProbeReport;
      if ('config' in source) {
        // A first real connection may be probed before any service or database exists.
        const env = readEnv();
        const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
        const connection = await readConnectionFile(source.config);
        report = redactReport(await runProbe(probeInputFor(connection, logger)), connection);
      } else {
        report = await withConnection(source, async ({ connection, logger }) =>
          redactReport(await runProbe(probeInputFor(connection, logger)), connection),
        );
      }
      if (report.needsAttention) process.exitCode = EXIT.NEEDS_ATTENTION;
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatProbeReport(report));
    });
}
