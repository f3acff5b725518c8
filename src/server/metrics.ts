import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/schema.ts';
import { observeAttempts } from '../http/request-loop.ts';
import type { ImportMetrics } from '../jobs/import-jobs.ts';

export interface Metrics extends ImportMetrics {
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  signIn(outcome: 'ok' | 'failed'): void;
  importRun(connection: string, status: string, counts?: ImportCounts): void;
  /** The Prometheus text of every metric, orders by state read from the ledger now. */
  render(): Promise<{ contentType: string; text: string }>;
  close(): void;
}

interface ImportCounts {
  created: number;
  updated: number;
  hidden: number;
  deleted: number;
  variationsDeleted: number;
  failed: number;
}

/**
 * Prometheus metrics of one process, in a registry of its own (tests start several services in one
 * process). Remote requests are observed at the clients' single request path; orders by state are
 * read from the ledger at scrape time, so every process reports the same truth.
 */
export function createMetrics(db: Kysely<Database>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'netbaron_connector_process_' });
  const http = new Histogram({
    name: 'netbaron_connector_http_request_duration_seconds',
    help: 'Requests to this service, by route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'netbaron_connector_sign_ins_total',
    help: 'Admin sign-in attempts by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const runs = new Counter({
    name: 'netbaron_connector_import_runs_total',
    help: 'Product import runs finished, by connection and status',
    labelNames: ['connection', 'status'],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'netbaron_connector_import_actions_total',
    help: 'Writes to MyCashflow made by product imports, by kind',
    labelNames: ['connection', 'kind'],
    registers: [registry],
  });
  const remote = new Histogram({
    name: 'netbaron_connector_remote_request_duration_seconds',
    help: 'Requests to MyCashflow and NetBaron, by system, method and outcome (HTTP status or failure kind)',
    labelNames: ['system', 'method', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'netbaron_connector_remote_retries_total',
    help: 'Requests to a remote system tried again, by system and outcome of the failed attempt',
    labelNames: ['system', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'netbaron_connector_orders',
    help: 'Orders in the ledger, by connection and state',
    labelNames: ['connection', 'state'],
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('order_ledger')
        .innerJoin('connections', 'connections.id', 'order_ledger.connection_id')
        .select(['connections.slug', 'order_ledger.state'])
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .groupBy(['connections.slug', 'order_ledger.state'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ connection: r.slug, state: r.state }, Number(r.n));
    },
  });
  const stop = observeAttempts((a) => {
    remote.observe({ system: a.system, method: a.method, outcome: a.outcome }, a.seconds);
    if (a.retried) retries.inc({ system: a.system, outcome: a.outcome });
  });

  return {
    httpRequest: (method, route, status, seconds) =>
      http.observe({ method, route, status: String(status) }, seconds),
    signIn: (outcome) => signIns.inc({ outcome }),
    importRun: (connection, status, counts) => {
      runs.inc({ connection, status });
      if (!counts) return;
      const kinds: Array<[string, number]> = [
        ['create-product', counts.created],
        ['update', counts.updated],
        ['hide-product', counts.hidden],
        ['delete-product', counts.deleted],
        ['delete-variation', counts.variationsDeleted],
        ['failed', counts.failed],
      ];
      for (const [kind, n] of kinds) if (n > 0) actions.inc({ connection, kind }, n);
    },
    render: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
    close: () => {
      stop();
      registry.clear();
    },
  };
}
