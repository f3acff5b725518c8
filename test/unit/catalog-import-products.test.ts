import { describe, expect, it } from 'vitest';
import { importProducts, type ImportOptions } from '../../src/catalog/import-products.ts';
import type { NbProduct } from '../../src/netbaron/wire/products.ts';
import type { InvalidNbProduct } from '../../src/netbaron/client.ts';
import { eur, nbDeleted, nbProduct, vat } from '../helpers/catalog-builders.ts';
import {
  fakeConnection,
  fakeMyCashflow,
  fakeNetBaron,
  mcfItem,
  remoteError,
  type RawItem,
} from '../helpers/fake-clients.ts';
import { memoryImportStore } from '../helpers/memory-import-store.ts';

/*
 * "Fetch all products" on in-memory ports: the run store with the database's rules
 * (memory-import-store.ts), and a store and a NetBaron that page their data like the real clients and
 * apply every write (fake-clients.ts). The same promises run against PostgreSQL and the simulators in
 * test/integration/import-*.test.ts.
 */

type Settings = Parameters<typeof fakeConnection>[0];

function scene(
  setup: {
    store?: RawItem[];
    netbaron?: NbProduct[];
    invalid?: InvalidNbProduct[];
    settings?: Settings;
  } = {},
) {
  const memory = memoryImportStore();
  const mcf = fakeMyCashflow({ products: setup.store ?? [] });
  const nb = fakeNetBaron({ products: setup.netbaron ?? [], invalid: setup.invalid ?? [] });
  // One write at a time: the writes come in plan order, so a test can read them as a list.
  const connection = fakeConnection({ concurrency: 1, ...setup.settings });
  const run = (options: Partial<ImportOptions> = {}) => {
    mcf.newClient();
    nb.newClient();
    return importProducts({ runs: memory.store, connection, mcf: mcf.api, nb: nb.api, ...options });
  };
  return { memory, mcf, nb, run };
}

const kindsAndCodes = (actions: ReadonlyArray<{ kind: string; code: string }> = []) =>
  actions.map((a) => `${a.kind} ${a.code}`);
const problemKeys = (problems: ReadonlyArray<{ kind: string; code: string }>) =>
  problems.map((p) => `${p.kind} ${p.code}`).sort();

describe('importProducts', () => {
  it('creates every NetBaron product in an empty store, visible and with its stock, and links the codes', async () => {
    const { run, mcf, memory } = scene({
      netbaron: [
        nbProduct('KAHVI-1', { priceVatIncluded: eur('26.90'), quantity: '40' }),
        nbProduct('MUKI-1', { quantity: '0' }),
        nbProduct('TEE-1', { vatRate: vat('14'), quantity: '3' }),
      ],
    });
    const { summary } = await run();
    expect(summary).toMatchObject({
      connection: 'shop',
      status: 'completed',
      dryRun: false,
      resumed: false,
      created: 3,
      updated: 0,
      unchanged: 0,
      hidden: 0,
      deleted: 0,
      failed: 0,
      problems: [],
      held: [],
    });
    // A new product's stock starts at 0: only another quantity is written after the POST.
    expect(mcf.writes()).toEqual([
      'POST /products',
      'PATCH /stock/KAHVI-1',
      'POST /products',
      'POST /products',
      'PATCH /stock/TEE-1',
    ]);
    expect(mcf.requests[0]!.body).toEqual({
      name: 'NetBaron KAHVI-1',
      product_code: 'KAHVI-1',
      price: 26.9,
      purchase_price: 8,
      vat_rate: 25.5,
      weight: 0.25,
      parcel_type: 'S',
      visibilities: [
        { version_id: 1, is_visible: true },
        { version_id: 2, is_visible: true },
      ],
    });
    expect(mcf.item('KAHVI-1')).toMatchObject({ price: 26.9, stock_item: { quantity: 40 } });
    expect(mcf.item('TEE-1')).toMatchObject({ vat_rate: 14, stock_item: { quantity: 3 } });
    expect(summary.requests.mycashflow).toMatchObject({ POST: 3, PATCH: 2 });
    expect(memory.links('shop')).toEqual(['KAHVI-1', 'MUKI-1', 'TEE-1']);
    expect(memory.run(summary.runId)).toMatchObject({ status: 'completed', finishedAt: expect.any(Date) });
  });

  it('writes nothing when run again on the same data, then only the price NetBaron changed', async () => {
    const netbaron = [nbProduct('A'), nbProduct('B', { quantity: '2' }), nbProduct('C')];
    // A matches a product the store already has; B and C are created by the first run.
    const { run, mcf, nb } = scene({ store: [mcfItem(1, 'A')], netbaron });
    expect((await run()).summary).toMatchObject({ status: 'completed', created: 2, unchanged: 1 });

    mcf.clearWrites();
    const again = (await run()).summary;
    expect(again).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(mcf.writes()).toEqual([]);
    expect(Object.keys(again.requests.mycashflow)).toEqual(['GET']);

    nb.set([
      nbProduct('A'),
      nbProduct('B', { quantity: '2', priceVatIncluded: eur('21.50') }),
      nbProduct('C'),
    ]);
    const changed = (await run()).summary;
    expect(changed).toMatchObject({ status: 'completed', updated: 1, unchanged: 2 });
    expect(mcf.requests.map((r) => [`${r.method} ${r.path}`, r.body])).toEqual([
      [`PATCH /products/2`, { price: 21.5 }],
    ]);
  });

  it('shows the plan of a dry run and writes nothing, and a real run afterwards carries it out', async () => {
    const { run, mcf, memory } = scene({
      store: [
        mcfItem(1, 'KAHVI-1', { price: 24.9, quantity: 20 }),
        mcfItem(5, 'DEL-1'),
        mcfItem(6, 'SAMA-1'),
      ],
      netbaron: [
        nbProduct('KAHVI-1', { priceVatIncluded: eur('26.90'), quantity: '40' }),
        nbDeleted('DEL-1'),
        nbProduct('SAMA-1'),
        nbProduct('UUSI-1'),
      ],
      settings: { guards: { maxRemovalShare: 1 } },
    });
    const before = mcf.products();

    const dry = await run({ dryRun: true });
    expect(dry.summary).toMatchObject({
      status: 'dry-run',
      dryRun: true,
      created: 1,
      updated: 1,
      unchanged: 1,
      hidden: 1,
    });
    expect(kindsAndCodes(dry.actions).sort()).toEqual([
      'create-product UUSI-1',
      'hide-product DEL-1',
      'set-stock KAHVI-1',
      'update-product KAHVI-1',
    ]);
    expect(dry.actions!.find((a) => a.kind === 'update-product')!.changes).toEqual([
      { field: 'price', from: '24.90', to: '26.90' },
    ]);
    expect(mcf.writes()).toEqual([]);
    expect(mcf.products()).toEqual(before);
    expect(Object.keys(dry.summary.requests.mycashflow)).toEqual(['GET']);
    // Nothing is left behind that a real run would resume or take as imported.
    expect(memory.run(dry.summary.runId)!.status).toBe('dry-run');
    expect(memory.links('shop')).toEqual([]);

    const real = (await run()).summary;
    expect(real).toMatchObject({ status: 'completed', resumed: false, created: 1, updated: 1, hidden: 1 });
    expect(real.runId).not.toBe(dry.summary.runId);
    // Removals run last, after every other write.
    expect(mcf.writes()).toEqual([
      'PATCH /products/1',
      'PATCH /stock/KAHVI-1',
      'POST /products',
      'PATCH /stock/UUSI-1',
      'PATCH /products/5',
    ]);
    expect(mcf.item('DEL-1')!.visibilities!.every((v) => !v.is_visible)).toBe(true);
  });

  it('skips each bad product with its code and reason and imports the others', async () => {
    const { run, mcf } = scene({
      store: [mcfItem(9, 'ODD-1', { price: 'abc' })],
      netbaron: [
        nbProduct('GOOD-1', { quantity: '4' }),
        nbProduct('VAT24-1', { vatRate: vat('24') }),
        nbProduct('NOPRICE-1', { priceVatIncluded: undefined }),
        // Unreadable in the store: left alone, although NetBaron has another price for it.
        nbProduct('ODD-1', { priceVatIncluded: eur('30.00') }),
      ],
      invalid: [{ code: 'BROKEN-1', reason: 'VatPercent: is not a decimal number' }],
    });
    const { summary } = await run();
    expect(summary).toMatchObject({ status: 'completed', created: 1, updated: 0, failed: 0 });
    expect(problemKeys(summary.problems)).toEqual([
      'invalid-netbaron-data BROKEN-1',
      'invalid-store-data ODD-1',
      'missing-price NOPRICE-1',
      'unknown-vat-rate VAT24-1',
    ]);
    for (const p of summary.problems) expect(p.reason, p.code).toContain(p.code);
    expect(summary.problems.find((p) => p.code === 'BROKEN-1')!.reason).toContain('VatPercent');
    expect(mcf.writes()).toEqual(['POST /products', 'PATCH /stock/GOOD-1']);
    expect(mcf.item('GOOD-1')).toMatchObject({ stock_item: { quantity: 4 } });
    expect(mcf.item('ODD-1')).toMatchObject({ price: 'abc' });
  });

  it('ends with the failed writes counted and reported when the store refuses one, the rest written', async () => {
    const { run, mcf, memory } = scene({
      store: [mcfItem(1, 'A'), mcfItem(2, 'B'), mcfItem(3, 'C')],
      netbaron: [
        nbProduct('A', { quantity: '1' }),
        nbProduct('B', { quantity: '2' }),
        nbProduct('C', { quantity: '3' }),
      ],
    });
    mcf.faults.write = (request) =>
      request === 'PATCH /stock/B'
        ? remoteError('mycashflow', request, 'validation', 'fatal', 422)
        : undefined;
    const { summary } = await run();
    expect(summary).toMatchObject({ status: 'completed-with-failures', updated: 2, failed: 1 });
    expect(summary.problems).toEqual([
      expect.objectContaining({
        kind: 'write-failed',
        code: 'B',
        reason: expect.stringContaining('set-stock'),
      }),
    ]);
    expect(mcf.writes()).toEqual(['PATCH /stock/A', 'PATCH /stock/C']);
    expect([mcf.item('A'), mcf.item('B'), mcf.item('C')].map((p) => p!.stock_item!.quantity)).toEqual([
      1, 5, 3,
    ]);
    expect(memory.run(summary.runId)!.status).toBe('completed-with-failures');
    expect(memory.actions(summary.runId).map((a) => `${a.code} ${a.status}`)).toEqual([
      'A done',
      'B failed',
      'C done',
    ]);
  });

  it.each(['netbaron', 'mycashflow'] as const)(
    'stores no plan and writes nothing when a page of %s cannot be read, and the next import runs whole',
    async (side) => {
      const { run, mcf, nb, memory } = scene({
        // Two to a page: the second page holds C and D.
        store: ['A', 'B', 'C', 'D'].map((code, i) => mcfItem(i + 1, code)),
        netbaron: ['A', 'B', 'C', 'D'].map((code) => nbProduct(code, { quantity: '9' })),
      });
      (side === 'netbaron' ? nb : mcf).faults.readPage = 2;
      const failure = await run().then(
        () => expect.fail('the import should have failed'),
        (err: unknown) => err,
      );
      // Planned from half a listing, it would create C and D again or hide them: nothing is planned.
      expect(failure).toMatchObject({ name: 'RemoteError', system: side, kind: 'unavailable' });
      expect(mcf.writes()).toEqual([]);
      expect(memory.runs()).toEqual([]);
      expect(memory.links('shop')).toEqual([]);

      // The lock was let go, and nothing half-done is in the way.
      delete (side === 'netbaron' ? nb : mcf).faults.readPage;
      expect((await run()).summary).toMatchObject({ status: 'completed', resumed: false, updated: 4 });
    },
  );

  it('is interrupted when stopped partway, and the next import resumes it, writing only what was left', async () => {
    const codes = ['A', 'B', 'C', 'D'];
    const { run, mcf, memory } = scene({
      store: codes.map((code, i) => mcfItem(i + 1, code)),
      netbaron: codes.map((code) => nbProduct(code, { quantity: '9' })),
    });
    const stop = new AbortController();
    mcf.faults.write = () => {
      // The worker is told to stop during the second write: that one still lands and is recorded.
      if (mcf.requests.length === 1) stop.abort('shutdown');
      return undefined;
    };
    const first = (await run({ signal: stop.signal })).summary;
    expect(first).toMatchObject({ status: 'interrupted', interruptedBecause: 'stopped on request' });
    expect(mcf.writes()).toEqual(['PATCH /stock/A', 'PATCH /stock/B']);
    expect(memory.run(first.runId)).toMatchObject({ status: 'interrupted', finishedAt: null });
    // Links are saved only when a run completes.
    expect(memory.links('shop')).toEqual([]);

    delete mcf.faults.write;
    const resumed = (await run()).summary;
    expect(resumed).toMatchObject({ runId: first.runId, resumed: true, status: 'completed', updated: 4 });
    expect(mcf.writes()).toEqual(['PATCH /stock/A', 'PATCH /stock/B', 'PATCH /stock/C', 'PATCH /stock/D']);
    expect(memory.actions(first.runId).map((a) => `${a.code} ${a.status}`)).toEqual([
      'A done',
      'B done',
      'C done',
      'D done',
    ]);
    expect(memory.links('shop')).toEqual(codes);

    const after = (await run()).summary;
    expect(after).toMatchObject({ resumed: false, status: 'completed', unchanged: 4 });
    expect(after.runId).not.toBe(first.runId);
    expect(mcf.writes()).toHaveLength(4);
  });

  it('stops before writing when a guard is tripped, and writes the plan when forced', async () => {
    const codes = ['A', 'B', 'C', 'D', 'E'];
    const { run, mcf, nb, memory } = scene({
      store: codes.map((code, i) => mcfItem(i + 1, code)),
      netbaron: codes.map((code) => nbProduct(code)),
    });
    await run();
    // Two of five store products deleted in NetBaron: 40 % would be hidden, over the 10 % allowed.
    nb.set([nbProduct('A'), nbProduct('B'), nbProduct('C'), nbDeleted('D'), nbDeleted('E')]);

    const blocked = await run();
    expect(blocked.summary).toMatchObject({ status: 'blocked', hidden: 2, guard: { ok: false } });
    expect(blocked.summary.guard.reasons).toEqual([
      expect.stringContaining("would hide or delete 2 of the store's 5 products and variations (40.0 %)"),
    ]);
    expect(kindsAndCodes(blocked.actions)).toEqual(['hide-product D', 'hide-product E']);
    expect(mcf.writes()).toEqual([]);
    expect(memory.run(blocked.summary.runId)!.status).toBe('blocked');
    expect(memory.links('shop')).toEqual(codes);

    const forced = (await run({ force: true })).summary;
    expect(forced).toMatchObject({ status: 'completed', hidden: 2, guard: { ok: false, forced: true } });
    expect(mcf.writes()).toEqual(['PATCH /products/4', 'PATCH /products/5']);
    expect(memory.links('shop')).toEqual(['A', 'B', 'C']);
  });

  it('refuses to start while another import of the connection holds its lock, reading nothing', async () => {
    const { run, mcf, nb, memory } = scene({ netbaron: [nbProduct('A')] });
    const release = memory.holdLock('shop');
    await expect(run()).rejects.toThrow(/another product import of connection "shop" is running/);
    expect(nb.asked).toEqual([]);
    expect(mcf.writes()).toEqual([]);
    release();
    expect((await run()).summary.created).toBe(1);
  });
});
