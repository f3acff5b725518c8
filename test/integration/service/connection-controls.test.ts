import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../../simulators/scenario.ts';
import type { ConnectionRecord } from '../../../src/connections/connection-store.ts';
import { enqueueExport } from '../../../src/jobs/queue.ts';
import type { CliResult } from '../../helpers/import-cli.ts';
import {
  AdminClient,
  addConnection,
  connectionFileFor,
  credentialNeedles,
  startStoreSims,
  startTestService,
} from '../../helpers/service.ts';
import { storedCli } from '../../helpers/stored-cli.ts';
import { placeOrder, waitFor } from '../../helpers/worker-process.ts';

/*
 * Stored connections from the command line, beside a running service on the same database: `--connection`
 * for the per-connection commands, `connections show/pause/resume/remove`, and what a pause holds back.
 */

let t: Awaited<ReturnType<typeof startTestService>>;
let sims: RunningSimulators;
let shop: ConnectionRecord;
let cli: (args: string[]) => Promise<CliResult>;
let admin: AdminClient;
let dir: string;

const noCredentialIn = (result: CliResult) => {
  for (const needle of credentialNeedles()) {
    expect(result.stdout).not.toContain(needle);
    expect(result.stderr).not.toContain(needle);
  }
};

const ledgerRow = (orderId: number) =>
  t.service.database.db
    .selectFrom('order_ledger')
    .select(['state', 'cause'])
    .where('connection_id', '=', shop.id)
    .where('order_id', '=', String(orderId))
    .executeTakeFirst();

const sentToNetBaron = (orderId: number) =>
  sims.netbaron.system.salesOrders().filter((o) => o.InvoiceDetails.OrderIdentifier === String(orderId));

beforeAll(async () => {
  t = await startTestService();
  sims = await startStoreSims();
  shop = await addConnection(t, {
    ...connectionFileFor(sims, 'shop', 'Shop'),
    schedule: { frequency: 'hourly', at: '03:00', timeZone: 'Europe/Helsinki' },
  });
  cli = await storedCli(t);
  admin = new AdminClient(t.url);
  await admin.signIn();
  dir = await mkdtemp(path.join(tmpdir(), 'controls-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('--connection <id>: a connection the service stores', () => {
  it('check reads the stored connection with its sealed credentials', async () => {
    const result = await cli(['check', '--connection', 'shop', '--json']);
    expect([0, 2], result.stderr).toContain(result.code);
    const report = JSON.parse(result.stdout) as { wouldDo: { create: number }; problems: unknown[] };
    expect(report.wouldDo.create).toBeGreaterThan(0);
    noCredentialIn(result);
  });

  it('probe reads the stored connection with its sealed credentials, and pauses do not stop it', async () => {
    await cli(['connections', 'pause', 'shop']);
    try {
      const result = await cli(['probe', '--connection', 'shop', '--json']);
      expect([0, 2], result.stderr).toContain(result.code);
      const report = JSON.parse(result.stdout) as { connection: string; blocked: unknown[] };
      expect(report.blocked).toEqual([]);
      noCredentialIn(result);
    } finally {
      await cli(['connections', 'resume', 'shop']);
    }
  });

  it('import-products writes into the stored connection’s history', async () => {
    const result = await cli(['import-products', '--connection', 'shop', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; runId: string };
    expect(summary.status).toBe('completed');
    const run = await t.service.database.db
      .selectFrom('import_runs')
      .select(['connection_id', 'trigger'])
      .where('id', '=', summary.runId)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ connection_id: shop.id, trigger: 'cli' });
    noCredentialIn(result);
  });

  it('takes exactly one of --connection and --config, and names an unknown id in one line', async () => {
    expect((await cli(['check'])).code).toBe(64);
    expect((await cli(['check', '--connection', 'shop', '--config', 'x.json'])).code).toBe(64);
    const unknown = await cli(['check', '--connection', 'nosuch']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no stored connection "nosuch"');
  });
});

describe('connections show', () => {
  it('prints settings, which credentials are set and the service’s state, never a value', async () => {
    await t.service.orderWorker!.pollNow();
    const result = await cli(['connections', 'show', 'shop']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('mycashflowApiKey set');
    expect(result.stdout).toContain('webhookSecret not set');
    expect(result.stdout).toMatch(/Webhook\s+subscribed since/);
    expect(result.stdout).toMatch(/Last order poll\s+\d{4}-/);
    expect(result.stdout).toMatch(/Next import\s+\d{4}-/);
    noCredentialIn(result);
    const json = JSON.parse((await cli(['connections', 'show', 'shop', '--json'])).stdout) as {
      credentials: Record<string, boolean>;
    };
    expect(json.credentials.productApiPassword).toBe(true);
  });
});

describe('a paused connection', () => {
  let orderId: number;

  it('receives orders, which wait with the paused cause; no import runs by schedule or by request', async () => {
    const paused = await cli(['connections', 'pause', 'shop']);
    expect(paused.code, paused.stderr).toBe(0);
    expect((await cli(['connections', 'list'])).stdout).toMatch(/shop\tShop\tPAUSED/);

    orderId = (await placeOrder(sims)).id;
    await waitFor('the order waiting for the resume', async () => {
      const row = await ledgerRow(orderId);
      return row?.state === 'waiting' ? row : undefined;
    });
    expect(await ledgerRow(orderId)).toEqual({ state: 'waiting', cause: 'paused' });
    expect(sentToNetBaron(orderId)).toHaveLength(0);
    const problems = await admin.get('/connections/shop/problems');
    expect(problems.text).toContain('The connection is paused');

    await t.service.database.db
      .updateTable('connections')
      .set({ schedule_fired_at: new Date(Date.now() - 2 * 3600_000) })
      .where('id', '=', shop.id)
      .execute();
    expect(await t.service.scheduler!.tick()).toBe(0);
    const manual = await admin.post('/connections/shop/imports', { dry_run: '1' });
    expect(manual.status).toBe(409);
    const viaCli = await cli(['import-products', '--connection', 'shop']);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('is paused');
    const page = await admin.get('/connections/shop');
    expect(page.text).toContain('id="paused-banner"');
  });

  it('resumes: the waiting order is sent exactly once', async () => {
    const resumed = await cli(['connections', 'resume', 'shop']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('1 waiting order is queued');
    await waitFor(
      'the order sent',
      async () => ((await ledgerRow(orderId))?.state === 'sent' ? true : undefined),
      {
        timeoutMs: 15_000,
      },
    );
    // A poll's sweep after the resume does not send it again.
    await t.service.orderWorker!.pollNow();
    expect(sentToNetBaron(orderId)).toHaveLength(1);
  });

  it('reads back, never re-sends, an order whose earlier send may have arrived, when paused', async () => {
    // The order is in NetBaron, but its answer was lost: the ledger says the outcome is unknown.
    const ledger = t.service.database.db;
    await ledger
      .updateTable('order_ledger')
      .set({ state: 'outcome-unknown', cause: 'outcome-unknown' })
      .where('connection_id', '=', shop.id)
      .where('order_id', '=', String(orderId))
      .execute();
    expect((await cli(['connections', 'pause', 'shop'])).code).toBe(0);
    await enqueueExport(t.service.boss, { connectionId: shop.id, orderId });
    // Paused or not, the read-back finds it: sent, not a plain waiting order that a resume would send again.
    await waitFor('the order read back', async () =>
      (await ledgerRow(orderId))?.state === 'sent' ? true : undefined,
    );
    expect((await cli(['connections', 'resume', 'shop'])).stdout).toContain('0 waiting orders are queued');
    await t.service.orderWorker!.pollNow();
    expect(sentToNetBaron(orderId)).toHaveLength(1);
  });
});

describe('the overview page shows the service’s own state', () => {
  it('the webhook subscription, the last webhook order, the last poll and the next import', async () => {
    const page = await admin.get('/connections/shop');
    const panel = page.text.slice(page.text.indexOf('id="service-state"'));
    expect(panel).toContain('Active since');
    expect(panel).toMatch(/Last order by webhook<\/th>\s*<td>\d/);
    expect(panel).toMatch(/Last order poll<\/th>\s*<td>\d/);
    expect(panel).toMatch(/Next scheduled import<\/th>\s*<td>\s*\d/);
  });
});

describe('a connection file on the command line', () => {
  it('leaves no stored connection behind', async () => {
    const file = path.join(dir, 'file-only.json');
    await writeFile(file, JSON.stringify({ ...connectionFileFor(sims, 'file-only', 'File only') }), 'utf8');
    const run = await cli(['import-products', '--config', file, '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((await cli(['connections', 'list'])).stdout).not.toContain('file-only');
    expect((await admin.get('/')).text).not.toContain('File only');
    expect((await admin.get('/connections/file-only')).status).toBe(404);
    const row = await t.service.database.db
      .selectFrom('connections')
      .select('origin')
      .where('slug', '=', 'file-only')
      .executeTakeFirstOrThrow();
    expect(row.origin).toBe('file');
  });
});

describe('connections remove', () => {
  it('asks for --yes without a terminal', async () => {
    const result = await cli(['connections', 'remove', 'shop']);
    expect(result.code).toBe(64);
    expect((await cli(['connections', 'list'])).stdout).toContain('shop\tShop');
  });

  it('removes the connection and keeps its runs and orders', async () => {
    const before = await t.service.database.db
      .selectFrom('order_ledger')
      .select(t.service.database.db.fn.countAll<string>().as('n'))
      .where('connection_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    const result = await cli(['connections', 'remove', 'shop', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`shop~removed-${shop.id}`);
    expect((await cli(['connections', 'list'])).stdout).not.toContain('shop\tShop');
    expect((await cli(['connections', 'list', '--removed'])).stdout).toContain(`shop~removed-${shop.id}`);
    expect((await admin.get('/connections/shop')).status).toBe(404);
    const after = await t.service.database.db
      .selectFrom('order_ledger')
      .select(t.service.database.db.fn.countAll<string>().as('n'))
      .where('connection_id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(Number(after.n)).toBeGreaterThan(0);
    const runs = await t.service.database.db
      .selectFrom('import_runs')
      .select('id')
      .where('connection_id', '=', shop.id)
      .execute();
    expect(runs.length).toBeGreaterThan(0);
    const row = await t.service.database.db
      .selectFrom('connections')
      .select(['secrets', 'archived_at'])
      .where('id', '=', shop.id)
      .executeTakeFirstOrThrow();
    expect(row.secrets).toBeNull();
    expect(row.archived_at).not.toBeNull();
  });
});
