import type { Command } from 'commander';
import { portOption } from '../options.ts';
import { serveConnectionFile } from './serve.ts';

interface WorkerOptions {
  config: string;
  port: number;
  host?: string;
  publicUrl?: string;
  subscribe: boolean;
}

/** A word as a shell reads it back: quoted when it holds anything but the plainest characters. */
const shellWord = (word: string): string =>
  /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** The `serve` command line that does what this `worker` command line did. */
function serveEquivalent(opts: WorkerOptions): string {
  return [
    'netbaron serve --role worker',
    `--config ${shellWord(opts.config)}`,
    `--port ${opts.port}`,
    ...(opts.host ? [`--host ${shellWord(opts.host)}`] : []),
    ...(opts.publicUrl ? [`--public-url ${shellWord(opts.publicUrl)}`] : []),
    ...(opts.subscribe ? [] : ['--no-subscribe']),
  ].join(' ');
}

/**
 * The former name of `serve --role worker --config <file>`, kept so that existing scripts and units
 * still run: it says what to run instead, then runs exactly that, with this command's old defaults.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('the former name of `serve --role worker --config <file>`, which it runs')
    .requiredOption('--config <file>', 'the connection file')
    .option('--port <port>', 'port of the webhook receiver', portOption, 4030)
    .option('--host <address>', 'address of the webhook receiver (default 127.0.0.1)')
    .option('--public-url <url>', 'the receiver as MyCashflow reaches it (default: http://host:port)')
    .option('--no-subscribe', 'do not subscribe to order.created (polling only)')
    .action(async (opts: WorkerOptions) => {
      console.error(
        `netbaron: \`worker\` is now \`serve --role worker\`; run \`${serveEquivalent(opts)}\` instead.`,
      );
      await serveConnectionFile({ ...opts, host: opts.host ?? '127.0.0.1' });
    });
}
