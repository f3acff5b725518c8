import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import type { Database } from '../../src/db/schema.ts';
import type { LedgerState } from '../../src/orders/ledger.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, smallScenario } from './scenarios.ts';
import { simControl } from './sims.ts';

export { waitFor } from './wait.ts';

/*
 * The order-export worker as an operator runs it: `node bin/netbaron.js worker` as a child process, on
 * the test file's database, with a connection file pointing at in-process simulators. The worker listens
 * on a port the system picks (`--port 0`) and prints its receiver's URL, which is also what it
 * subscribes to; its JSON log lines (stderr) and stdout are kept for the test to read.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join('bin', 'netbaron.js');
const READY_LINE = 'Exporting orders';
const RECEIVER_LINE = /^Webhook receiver: (\S+)$/m;

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface RunningWorker {
  readonly pid: number;
  /** `http://127.0.0.1:<port>/hooks/mycashflow/<connection id>`, as the worker printed it. */
  readonly hookUrl: string;
  readonly port: number;
  /** Milliseconds from spawn to the "Exporting orders" line. */
  readonly startupMs: number;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines written so far (anything else on stderr is skipped). */
  logs(): LogLine[];
  /** Ends with SIGTERM and waits for the graceful stop. */
  stop(timeoutMs?: number): Promise<WorkerExit>;
  /** Ends with SIGKILL at once: nothing in the worker runs after this. */
  kill(): Promise<WorkerExit>;
  readonly exited: Promise<WorkerExit>;
}

export interface CliResult extends WorkerExit {
  stdout: string;
  stderr: string;
}

export interface ConnectionSpec {
  /** The connection's id (its slug): the receiver's path and the key of its rows in the database. */
  id: string;
  orderExport?: Record<string, unknown>;
}

export interface StartOptions {
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** Extra flags such as `--no-subscribe`. */
  flags?: string[];
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readyTimeoutMs?: number;
}

export interface WorkerHarness {
  /** Writes the connection file for these simulators; returns its path. */
  writeConnection(sims: RunningSimulators, spec: ConnectionSpec): Promise<string>;
  /** Spawns `worker --config <file> --port <port>` and resolves once it says it is exporting orders. */
  start(config: string, options?: StartOptions): Promise<RunningWorker>;
  /** Runs another command of the CLI to its end (`export-orders`, `orders show`, …). */
  cli(args: string[]): Promise<CliResult>;
}

function parseLogLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed && typeof parsed === 'object' && 'msg' in parsed) lines.push(parsed as LogLine);
    } catch {
      // Not a log line.
    }
  }
  return lines;
}

/**
 * Worker processes for the calling test file, on its database; call it at the top of the file. Every
 * process still running when the file ends is killed, and the temporary folder is removed.
 */
export async function createWorkerHarness(databaseUrl: string): Promise<WorkerHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'worker-test-'));
  const live = new Set<RunningWorker>();
  afterAll(async () => {
    await Promise.all([...live].map((w) => w.kill()));
    await rm(dir, { recursive: true, force: true });
  });
  const env = (logLevel: string) => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dir,
    LOG_LEVEL: logLevel,
  });

  const writeConnection: WorkerHarness['writeConnection'] = async (sims, spec) => {
    const file = path.join(dir, `${spec.id}.json`);
    const connection = {
      id: spec.id,
      name: `Worker test ${spec.id}`,
      mycashflow: {
        baseUrl: `${sims.mycashflow.url}/api/v1`,
        user: MCF_USER.email,
        apiKey: MCF_USER.api_key,
      },
      netbaron: {
        baseUrl: sims.netbaron.url,
        organisation: NB_ORG,
        orderApiPassword: NB_ORDERS_PASSWORD,
        marketplace: '3',
      },
      orderExport: { storeContact: STORE_CONTACT, ...spec.orderExport },
    };
    await writeFile(file, `${JSON.stringify(connection, null, 2)}\n`, 'utf8');
    return file;
  };

  const start: WorkerHarness['start'] = async (config, options = {}) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [BIN, 'worker', '--config', config, '--port', String(options.port ?? 0), ...(options.flags ?? [])],
      { cwd: ROOT, env: env(options.logLevel ?? 'info'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // 'close', not 'exit': the process has ended and its output is read to the end, so that what a test
    // reads of its log after a stop or a kill is everything it wrote.
    const exited = new Promise<WorkerExit>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let ended = false;
    void exited.then(() => (ended = true));

    // A start takes seconds on a busy machine: the bound only ends one that hangs.
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const ready = await new Promise<{ hookUrl: string } | { error: string }>((resolve) => {
      const check = () => {
        const receiver = RECEIVER_LINE.exec(stdout);
        if (stdout.includes(READY_LINE) && receiver) return finish({ hookUrl: receiver[1]! });
        if (ended) return finish({ error: 'the worker exited before it was ready' });
      };
      const timer = setTimeout(() => finish({ error: `not ready within ${timeoutMs} ms` }), timeoutMs);
      const finish = (outcome: { hookUrl: string } | { error: string }) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(outcome);
      };
      child.stdout.on('data', check);
      void exited.then(check);
      check();
    });
    if ('error' in ready) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${ready.error}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }

    const stopWith = async (signal: NodeJS.Signals, timeoutMs?: number): Promise<WorkerExit> => {
      if (!ended) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        exited,
        ...(timeoutMs === undefined
          ? []
          : [new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)))]),
      ]);
      clearTimeout(timer);
      if (exit) {
        live.delete(worker);
        return exit;
      }
      child.kill('SIGKILL');
      live.delete(worker);
      await exited;
      throw new Error(`the worker did not stop within ${timeoutMs} ms after ${signal}; killed`);
    };

    const worker: RunningWorker = {
      pid: child.pid!,
      hookUrl: ready.hookUrl,
      port: Number(new URL(ready.hookUrl).port),
      startupMs: Math.round(performance.now() - started),
      stdout: () => stdout,
      stderr: () => stderr,
      logs: () => parseLogLines(stderr),
      stop: (stopTimeoutMs = 20_000) => stopWith('SIGTERM', stopTimeoutMs),
      kill: () => stopWith('SIGKILL'),
      exited,
    };
    live.add(worker);
    return worker;
  };

  const cli: WorkerHarness['cli'] = async (args) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: env('warn'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exit = await new Promise<WorkerExit>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    return { ...exit, stdout, stderr };
  };

  return { writeConnection, start, cli };
}

// ---------------------------------------------------------------------------------------------------
// The scene: both simulators, orders placed in the store, what NetBaron and the ledger hold

export const STORE_CONTACT = {
  company: 'Testikauppa Oy',
  business_id: '1234567-8',
  street_address: 'Kauppakatu 1',
  postal_code: '33100',
  city: 'Tampere',
  country: 'FI',
  email: 'kauppa@testi.example',
  phone: '+35831234567',
};

/**
 * Both simulators with the small hand-written scenario, closed by the hook given (`onTestFinished`, or
 * `afterAll` for a file whose tests share one scenario). A scene serves one connection: a worker's first
 * poll looks back 24 hours, so it must not see another connection's orders.
 */
export async function startScene(
  onTestFinished: (fn: () => Promise<void>) => void,
): Promise<RunningSimulators> {
  const sims = await startSimulators({ scenario: smallScenario() });
  onTestFinished(() => sims.close());
  return sims;
}

const control = simControl;

export interface PlacedOrder {
  id: number;
  total: number;
  payment_method_id: number;
}

/** The customer of the orders `placeOrder` places. */
export const CUSTOMER = {
  first_name: 'Åsa',
  last_name: 'Öberg',
  street_address: 'Kotitie 3',
  postal_code: '00200',
  city: 'Helsinki',
  country: 'FI',
  email: 'asa@example.com',
};

/** A checkout in the store (`POST /__sim/orders`); the simulator then delivers `order.created` itself. */
export async function placeOrder(
  sims: RunningSimulators,
  overrides: Record<string, unknown> = {},
): Promise<PlacedOrder> {
  const { data } = await control<{ data: PlacedOrder }>(`${sims.mycashflow.url}/__sim/orders`, 'POST', {
    customer_information: CUSTOMER,
    payment_method_id: 2,
    shipping_method_id: 1,
    shipping_costs: 5.9,
    products: [
      { product_code: 'KAHVI-1', quantity: 1 },
      { product_code: 'TS-100-M', quantity: 1 },
    ],
    ...overrides,
  });
  return data;
}

/** HTTP Basic of the scenario's API user, for reading orders as the connector does. */
export const MCF_AUTH = `Basic ${Buffer.from(`${MCF_USER.email}:${MCF_USER.api_key}`).toString('base64')}`;

export interface StoreStateDoc {
  payment_methods: Array<{ id: number; name: string }>;
  webhooks: Array<{ uuid: string; topic: string; url: string; expands: string[] }>;
}

export const storeState = (sims: RunningSimulators) =>
  control<StoreStateDoc>(`${sims.mycashflow.url}/__sim/state`);

/**
 * The delivery the store would send for an order to the receiver at `hookUrl`: the order with the
 * subscription's expands, and the uuid header. For repeating a delivery as MyCashflow may.
 */
export async function storeDelivery(
  sims: RunningSimulators,
  hookUrl: string,
  orderId: number,
): Promise<{ headers: Record<string, string>; body: string }> {
  const { webhooks } = await storeState(sims);
  const subscription = webhooks.find((w) => w.url === hookUrl)!;
  const res = await fetch(
    `${sims.mycashflow.url}/api/v1/orders/${orderId}?expand=${subscription.expands.join(',')}`,
    { headers: { Authorization: MCF_AUTH, Accept: 'application/json' } },
  );
  const { data } = (await res.json()) as { data: unknown };
  return {
    headers: { 'Content-Type': 'application/json', 'X-MyCashflow-Webhook-Uuid': subscription.uuid },
    body: JSON.stringify({ topic: 'order.created', uuid: subscription.uuid, data }),
  };
}

export interface WebhookDeliveryDoc {
  uuid: string;
  url: string;
  order_id: number;
  topic: string;
  status?: number;
  error?: string;
  at: string;
}

export async function webhookDeliveries(sims: RunningSimulators): Promise<WebhookDeliveryDoc[]> {
  return (await control<{ data: WebhookDeliveryDoc[] }>(`${sims.mycashflow.url}/__sim/webhook-deliveries`))
    .data;
}

export interface NbSalesOrderDoc {
  SalesOrderNumber: string;
  Status: string;
  InvoiceDetails: Record<string, string>;
  PaymentStatusDetails: { PaymentMethodText: string };
}

export async function netbaronOrders(sims: RunningSimulators): Promise<NbSalesOrderDoc[]> {
  return (await control<{ sales_orders: NbSalesOrderDoc[] }>(`${sims.netbaron.url}/__sim/state`))
    .sales_orders;
}

/** NetBaron's sales orders counted by `OrderIdentifier` (the MyCashflow order id). */
export async function netbaronCounts(sims: RunningSimulators): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const o of await netbaronOrders(sims)) {
    const id = Number(o.InvoiceDetails.OrderIdentifier);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export async function setFaults(
  sims: RunningSimulators,
  system: 'mycashflow' | 'netbaron',
  rules: unknown[],
) {
  await control(`${sims[system].url}/__sim/faults`, 'PUT', { rules });
}

export async function requestCounts(
  sims: RunningSimulators,
  system: 'mycashflow' | 'netbaron',
): Promise<Record<string, number>> {
  return (await control<{ counts: { byPath: Record<string, number> } }>(`${sims[system].url}/__sim/requests`))
    .counts.byPath;
}

export interface LedgerRow {
  orderId: number;
  state: LedgerState;
  source: string;
  attempts: number;
  salesOrderNumber: string | null;
  reason: string | null;
}

/** The ledger rows of one connection (by its slug), in order id order. */
export async function ledgerRows(db: Kysely<Database>, slug: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('order_ledger')
    .innerJoin('connections', 'connections.id', 'order_ledger.connection_id')
    .select([
      'order_ledger.order_id',
      'order_ledger.state',
      'order_ledger.source',
      'order_ledger.attempts',
      'order_ledger.sales_order_number',
      'order_ledger.reason',
    ])
    .where('connections.slug', '=', slug)
    .execute();
  return rows
    .map((r) => ({
      orderId: Number(r.order_id),
      state: r.state,
      source: r.source,
      attempts: r.attempts,
      salesOrderNumber: r.sales_order_number,
      reason: r.reason,
    }))
    .sort((a, b) => a.orderId - b.orderId);
}

/** The history of one order of one connection (by its slug): `received`, `seen-again`, `sending`, `sent`, … */
export async function ledgerEvents(
  db: Kysely<Database>,
  slug: string,
  orderId: number,
): Promise<Array<{ kind: string; detail: string | null }>> {
  return db
    .selectFrom('order_events')
    .innerJoin('connections', 'connections.id', 'order_events.connection_id')
    .select(['order_events.kind', 'order_events.detail'])
    .where('connections.slug', '=', slug)
    .where('order_events.order_id', '=', String(orderId))
    .orderBy('order_events.id')
    .execute();
}
