/**
 * Webhook intake under a mixed flood (bench/README.md): one `serve --role web` process (no worker, so queued
 * exports stay countable) on a fresh database with one subscribed store, and the flood of lib/webhook-flood.ts.
 */
import {
  floodOutcome,
  MYCASHFLOW_WAIT_MS,
  storeWithSubscription,
  webhookFlood,
} from './lib/webhook-flood.ts';
import { startServer, startService, stopAll } from './lib/processes.ts';
import { benchResult, distribution, options } from './lib/results.ts';

const params = options({ real: [700, 0], replays: [700, 0], forged: [600, 0] });

/** Answer times and what the flood left in the database. */
function summary(
  flood: Awaited<ReturnType<typeof webhookFlood>>,
  outcome: Awaited<ReturnType<typeof floodOutcome>>,
) {
  const all = [...flood.real, ...flood.replays, ...flood.forged];
  const answered = (from: number, to: number) => all.filter((a) => a.status >= from && a.status < to).length;
  const forgedIds = new Set(flood.forged.map((a) => a.orderId));
  return {
    healthz: distribution(flood.healthz),
    real: distribution(flood.real.map((a) => a.ms)),
    realLate: flood.real.filter((a) => a.status !== 200 || a.ms >= MYCASHFLOW_WAIT_MS).length,
    answers2xx: answered(200, 300),
    answers4xx: answered(400, 500),
    answers5xxOrNone: all.length - answered(1, 500),
    ordersStored: outcome.orderIds.length,
    forgedStored: outcome.orderIds.filter((id) => forgedIds.has(id)).length,
    jobsQueued: outcome.jobsByKey.size,
    queuedTwice: [...outcome.jobsByKey.values()].filter((n) => n > 1).length,
    wallMs: flood.wallMs,
  };
}
export type FloodRow = ReturnType<typeof summary>;

const result = benchResult<FloodRow>('webhooks', params);
const server = await startServer({ unsafeFast: true });
const database = await server.database();
const { procs } = await startService(server, database, [], { workers: 0, web: true });
try {
  const uuid = await storeWithSubscription(database.db, 'flood');
  const flood = await webhookFlood({ url: procs[0]!.url, slug: 'flood', uuid }, params);
  const row = summary(flood, await floodOutcome(database.db, 'flood'));
  // What must never happen, as test/faults/webhook-flood.test.ts asserts; the times are measured only.
  const expect = (check: string, ok: boolean) => result.expect(check, ok, JSON.stringify(row));
  expect('every real delivery answered 200 within MyCashflow’s 10 s', row.realLate === 0);
  expect('no answer 5xx or none', row.answers5xxOrNone === 0);
  const { ordersStored, forgedStored } = row;
  expect('every real order stored, nothing forged', ordersStored === params.real && forgedStored === 0);
  expect('every stored order queued once', row.jobsQueued === params.real && row.queuedTwice === 0);
  result.rows.push(row);
  result.write();
} finally {
  await stopAll(procs);
  await database.db.destroy();
  await server.stop();
}
