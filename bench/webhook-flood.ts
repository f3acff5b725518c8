/**
 * Webhook intake under a mixed flood: `npx tsx bench/webhook-flood.ts [--real 700] [--replays 700]
 * [--forged 600]`. One `serve --role web` process (no worker, so queued exports stay countable) on a
 * fresh database with one subscribed store; real deliveries, replays and forged ones all at once while
 * `/healthz` is asked every 20 ms. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  floodOutcome,
  MYCASHFLOW_WAIT_MS,
  storeWithSubscription,
  webhookFlood,
} from './lib/webhook-flood.ts';
import { startServe, startServer, stopAll } from './lib/processes.ts';
import { Checks, numbers, writeResult } from './lib/results.ts';
import { distribution } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    real: { type: 'string', default: '700' },
    replays: { type: 'string', default: '700' },
    forged: { type: 'string', default: '600' },
  },
});
const [real, replays, forged] = [values.real, values.replays, values.forged].map(
  (v) => numbers(v, 'real, --replays and --forged', 0)[0]!,
);
const params = { real: real!, replays: replays!, forged: forged! };

/** Answer times and what the flood left in the database. */
function summary(
  result: Awaited<ReturnType<typeof webhookFlood>>,
  outcome: Awaited<ReturnType<typeof floodOutcome>>,
) {
  const all = [...result.real, ...result.replays, ...result.forged];
  const forgedIds = new Set(result.forged.map((a) => a.orderId));
  return {
    healthz: distribution(result.healthz),
    real: distribution(result.real.map((a) => a.ms)),
    realLate: result.real.filter((a) => a.status !== 200 || a.ms >= MYCASHFLOW_WAIT_MS).length,
    answers2xx: all.filter((a) => a.status >= 200 && a.status < 300).length,
    answers4xx: all.filter((a) => a.status >= 400 && a.status < 500).length,
    answers5xxOrNone: all.filter((a) => a.status >= 500 || a.status === 0).length,
    ordersStored: outcome.orderIds.length,
    forgedStored: outcome.orderIds.filter((id) => forgedIds.has(id)).length,
    jobsQueued: outcome.jobsByKey.size,
    queuedTwice: [...outcome.jobsByKey.values()].filter((n) => n > 1).length,
    wallMs: result.wallMs,
  };
}
export type FloodRow = ReturnType<typeof summary>;

const started = new Date();
const checks = new Checks();
const server = await startServer({ unsafeFast: true });
const { url, db } = await server.database();
const web = await startServe('web', server.env(url, randomBytes(32)));
try {
  const result = await webhookFlood(
    { url: web.url, slug: 'flood', uuid: await storeWithSubscription(db, 'flood') },
    params,
  );
  const row = summary(result, await floodOutcome(db, 'flood'));
  // What must never happen, as test/faults/webhook-flood.test.ts asserts; the times are measured only.
  const expect = (check: string, ok: boolean) => checks.expect(check, ok, JSON.stringify(row));
  expect('every real delivery answered 200 within MyCashflow’s 10 s', row.realLate === 0);
  expect('no answer 5xx or none', row.answers5xxOrNone === 0);
  expect(
    'every real order stored, nothing forged',
    row.ordersStored === params.real && row.forgedStored === 0,
  );
  expect('every stored order queued once', row.jobsQueued === params.real && row.queuedTwice === 0);
  writeResult('webhooks', started, params, [row], checks);
} finally {
  await stopAll([web.child]);
  await db.destroy();
  await server.stop();
}
