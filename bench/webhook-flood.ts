/**
 * MyCashflow's webhook intake under a mixed flood: `npm run bench:webhooks [-- --real 700 --replays 700
 * --forged 600]`. A `serve --role web` process on a fresh database of an embedded PostgreSQL, one store
 * subscribed, then real deliveries, replays of them and forged ones (a wrong subscription uuid) all at
 * once while `/healthz` is asked every 20 ms. Prints the answer times beside their goals and what was
 * stored and queued. No worker runs, so every queued export stays countable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freshDatabase, serveEnv, startServe, stopServe } from './lib/cluster.ts';
import { markdownTable } from './lib/format.ts';
import {
  floodOutcome,
  MYCASHFLOW_WAIT_MS,
  percentile,
  storeWithSubscription,
  webhookFlood,
} from './lib/webhook-flood.ts';

const { values } = parseArgs({
  options: {
    real: { type: 'string', default: '700' },
    replays: { type: 'string', default: '700' },
    forged: { type: 'string', default: '600' },
  },
});
const size = { real: Number(values.real), replays: Number(values.replays), forged: Number(values.forged) };

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-webhooks-'));
const pgServer = await startEmbeddedPostgres({ dataDir: dir, unsafeFast: true });
let web: Awaited<ReturnType<typeof startServe>> | undefined;
try {
  const { url, db } = await freshDatabase(pgServer.connectionString, 'webhook_flood');
  const uuid = await storeWithSubscription(db, 'flood');
  web = await startServe('web', serveEnv(url, randomBytes(32), dir));
  const result = await webhookFlood({ url: web.url, slug: 'flood', uuid }, size);
  const outcome = await floodOutcome(db, 'flood');
  await db.destroy();

  const ms = (n: number) => `${Math.round(n)} ms`;
  const ok = (a: { status: number }) => a.status >= 200 && a.status < 300;
  const all = [...result.real, ...result.replays, ...result.forged];
  const realMs = result.real.map((a) => a.ms);
  const lateReal = result.real.filter((a) => !ok(a) || a.ms > MYCASHFLOW_WAIT_MS).length;
  const duplicated = [...outcome.jobsByKey.values()].filter((n) => n > 1).length;
  const forgedStored = outcome.orderIds.filter((id) => result.forged.some((f) => f.orderId === id)).length;
  const rows: string[][] = [
    ['`/healthz` answer p50', ms(percentile(result.healthz, 50)), ''],
    ['`/healthz` answer p95', ms(percentile(result.healthz, 95)), '< 100 ms'],
    ['real deliveries answered p50', ms(percentile(realMs, 50)), ''],
    ['real deliveries answered p95', ms(percentile(realMs, 95)), '< 1 000 ms'],
    ['real deliveries answered max', ms(Math.max(...realMs)), '< 1 000 ms'],
    ['real deliveries not 2xx within 10 s', String(lateReal), '0'],
    ['answers 2xx (real + replays)', String(all.filter(ok).length), String(size.real + size.replays)],
    [
      'answers 4xx (forged)',
      String(all.filter((a) => a.status >= 400 && a.status < 500).length),
      String(size.forged),
    ],
    ['answers 5xx or none', String(all.filter((a) => a.status >= 500 || a.status === 0).length), '0'],
    ['orders stored', String(outcome.orderIds.length), String(size.real)],
    ['forged orders stored', String(forgedStored), '0'],
    ['export jobs queued', String(outcome.jobsByKey.size), String(size.real)],
    ['orders queued twice', String(duplicated), '0'],
    ['whole flood', ms(result.wallMs), ''],
  ];
  console.log(
    `\nWebhook intake: ${size.real} real deliveries, ${size.replays} replays and ${size.forged} forged, at once ` +
      `(${os.cpus().length} cores, one \`serve --role web\`)\n`,
  );
  console.log(markdownTable(['', 'measured', 'goal'], rows, [false, true, true]));
} finally {
  if (web) await stopServe([web.child]);
  await pgServer.stop();
  await rm(dir, { recursive: true, force: true });
}
