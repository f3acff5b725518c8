import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { generateDemoScenario } from '../../../simulators/demo/index.ts';
import { createOrderStream, type McfOrder, type McfProduct } from '../../../simulators/demo/index.ts';
import { startSimulators, type RunningSimulators } from '../../../simulators/scenario.ts';
import { readConnectionFile } from '../../config/connection-file.ts';
import { readEnv, type Env } from '../../config/env.ts';
import { exportOrdersFrom } from '../../db/order-ledger.ts';
import { createLogger, type Logger } from '../../observability/logger.ts';
import { webhookUrl } from '../../orders/webhook-subscription.ts';
import {
  framePassword,
  initialPasswordFile,
  initialPasswordKept,
} from '../../server/auth/initial-password.ts';
import { startFileWorker } from '../../server/file-worker.ts';
import { startService, type RunningService, type ServiceRole } from '../../server/service.ts';
import { demoConnectionFile, resetDemoConnection } from '../demo-setup.ts';
import { portOption, positiveIntOption } from '../options.ts';
import { stopRequested } from '../stop-signal.ts';

/** Where the service listens and keeps its data: the command's options over the environment's. */
interface ListenOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  publicUrl?: string;
}

interface ServeOptions extends ListenOptions {
  demo?: boolean;
  products: number;
  orderEvery: number;
  role: ServiceRole;
  config?: string;
  subscribe: boolean;
}

/** A new demo order every so often, placed in the store simulator as a shopper would (webhook included). */
function startDemoOrders(sims: RunningSimulators, everySeconds: number): () => void {
  const state = sims.mycashflow.system.getState() as { products?: McfProduct[]; orders?: unknown[] };
  const stream = createOrderStream({
    seed: 7,
    catalog: state.products ?? [],
    startIndex: (state.orders ?? []).length + 50,
  });
  const timer = setInterval(() => {
    try {
      const { created_at: _c, updated_at: _u, ...order }: McfOrder = stream.nextOrder();
      sims.mycashflow.system.placeOrder(order);
    } catch {
      // The demo catalog sold out: the stream has nothing more to offer.
      clearInterval(timer);
    }
  }, everySeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function passwordSource(fromEnvironment: boolean, generated: boolean, dataDir: string): string {
  if (fromEnvironment) return 'ADMIN_PASSWORD of the environment';
  if (generated) return 'generated at this first start: printed below';
  if (initialPasswordKept(dataDir))
    return `the one generated at the first start, in ${initialPasswordFile(dataDir)} until the first sign-in`;
  return 'the one printed at the first start (npx netbaron admin-password sets a new one)';
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the service: admin web app, webhook receiver, job workers and schedules, until stopped')
    .option(
      '--port <port>',
      'port of the admin app and webhook receiver (env PORT, default 4000)',
      portOption,
    )
    .option('--host <address>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option(
      '--data-dir <dir>',
      'folder of the embedded database and the key file (env DATA_DIR, default ./data)',
    )
    .option('--public-url <url>', 'the service as MyCashflow reaches it, for webhooks (env PUBLIC_URL)')
    .addOption(
      new Option(
        '--role <role>',
        'all: everything in one process; web: admin app and webhooks; worker: jobs only (web and worker need DATABASE_URL)',
      )
        .choices(['all', 'web', 'worker'])
        .default('all'),
    )
    .option(
      '--config <file>',
      "with --role worker: export one connection file's orders (its webhooks included) instead of the stored connections",
    )
    .option('--no-subscribe', 'with --config: do not subscribe to order.created (polling only)')
    .option('--demo', 'also start both simulators with a demo catalog and a "Demo store" connection to them')
    .option('--products <n>', 'size of the demo catalog', positiveIntOption, 2000)
    .option(
      '--order-every <seconds>',
      'with --demo: a new demo order every this many seconds',
      positiveIntOption,
      20,
    )
    .action(async (opts: ServeOptions, command: Command) => {
      if (opts.config !== undefined && opts.role !== 'worker')
        command.error('error: --config runs a worker for one connection file: add --role worker', {
          exitCode: 64,
        });
      if (opts.config === undefined && !opts.subscribe)
        command.error('error: --no-subscribe goes with --config <file>', { exitCode: 64 });
      if (opts.config !== undefined) await serveConnectionFile({ ...opts, config: opts.config });
      else await serveStoredConnections(opts);
    });
}

/** The environment, with the command's options in front of it. */
function serveEnv(opts: ListenOptions): Env {
  // A .env file beside the project is read when present; the environment itself wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return readEnv({
    ...process.env,
    ...(opts.port !== undefined ? { PORT: String(opts.port) } : {}),
    ...(opts.host ? { HOST: opts.host } : {}),
    ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
    ...(opts.publicUrl ? { PUBLIC_URL: opts.publicUrl } : {}),
  });
}

function serveLogger(env: Env, role: ServiceRole): Logger {
  // Which process wrote a line, when several run against one database.
  return createLogger({
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
    bindings: role === 'all' ? {} : { role, pid: process.pid },
  });
}

/**
 * `serve --role worker --config <file>` (and the `worker` command it replaced): one connection file's
 * orders, until stopped. Its two lines are the old command's, which scripts read.
 */
export async function serveConnectionFile(opts: ListenOptions & { config: string; subscribe: boolean }) {
  const env = serveEnv(opts);
  const connection = await readConnectionFile(opts.config);
  const worker = await startFileWorker({
    env,
    logger: serveLogger(env, 'worker'),
    connection,
    subscribe: opts.subscribe,
  });
  try {
    await worker.startUpSettled;
    console.log(`Webhook receiver: ${worker.hookUrl}`);
    console.log('Exporting orders. Ctrl-C stops.');
    await stopRequested();
    console.log('Stopping: finishing what is in flight…');
  } finally {
    await worker.stop();
  }
}

async function serveStoredConnections(opts: ServeOptions): Promise<void> {
  const env = serveEnv(opts);
  if (opts.demo && opts.role !== 'all')
    throw new Error('--demo runs everything in one process: leave out --role');
  const logger = serveLogger(env, opts.role);
  const started = performance.now();
  let sims: RunningSimulators | undefined;
  let service: RunningService | undefined;
  let stopOrders = () => undefined as void;
  try {
    if (opts.demo)
      sims = await startSimulators({ scenario: generateDemoScenario({ products: opts.products }) });
    service = await startService({ env, logger, role: opts.role });
    if (sims) {
      await resetDemoConnection(service.database.db);
      const record = await service.store.upsertFromFile(demoConnectionFile(sims));
      // The demo's orders were placed before today: the first poll reaches back to them all.
      await exportOrdersFrom(service.database.db, record.id, new Date('2000-01-01T00:00:00Z'));
      await service.context.subscribeWebhooks(record.id);
      await service.orderWorker?.pollNow();
      stopOrders = startDemoOrders(sims, opts.orderEvery);
    }
    console.log(summary(service, env, sims, opts, performance.now() - started));
    if (service.generatedPassword && service.initialPasswordFile) {
      // Last, after the start's own log lines (the background subscriptions' too, within reason),
      // so that it is not lost among them.
      await Promise.race([service.startUpSettled, new Promise((r) => setTimeout(r, 5_000).unref())]);
      console.log(`${framePassword(service.generatedPassword, service.initialPasswordFile)}\n`);
    }
    await stopRequested();
    console.log('Stopping: finishing what is in flight…');
  } finally {
    stopOrders();
    await service?.stop();
    await sims?.close();
  }
}

function summary(
  service: RunningService,
  env: Env,
  sims: RunningSimulators | undefined,
  opts: ServeOptions,
  elapsedMs: number,
): string {
  return [
    '',
    opts.role === 'worker'
      ? `Worker         health and metrics at ${service.url}/healthz, /metrics`
      : `Admin page     ${service.url}/`,
    `Password       ${passwordSource(env.ADMIN_PASSWORD !== undefined, service.generatedPassword !== undefined, env.DATA_DIR)}`,
    `Database       ${service.database.mode === 'embedded' ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'shared server (DATABASE_URL)'}`,
    `Webhooks       ${webhookUrl(service.publicUrl, '<connection>')}`,
    ...(sims
      ? [
          `Demo           "Demo store" connects simulators of MyCashflow (${sims.mycashflow.url}/api/v1) and NetBaron (${sims.netbaron.url}/ws);`,
          `               open it and press "Fetch all products". A new demo order arrives every ${opts.orderEvery} s.`,
        ]
      : []),
    ...service.warnings.map((w) => `Warning        ${w}`),
    `Ready in       ${(elapsedMs / 1000).toFixed(1)} s. Ctrl-C stops.`,
    '',
  ].join('\n');
}
