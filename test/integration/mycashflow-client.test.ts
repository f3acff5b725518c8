import { beforeEach, describe, expect, it } from 'vitest';
import { mcfProductIdSchema, mcfVariationIdSchema, productCode } from '../../src/domain/ids.ts';
import { formatCents, parseCents, parseVatRate } from '../../src/domain/money.ts';
import { RemoteError } from '../../src/http/remote-error.ts';
import { collect } from '../../src/util/collect.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import { clearRequests, mcfClient, requestCounts, useSimulators } from '../helpers/sims.ts';

const sims = await useSimulators(smallScenario());
const resetState = () =>
  fetch(`${sims.mycashflow.url}/__sim/state`, {
    method: 'PUT',
    body: JSON.stringify(smallScenario().mycashflow),
  });

describe('MyCashflow client against the simulator', () => {
  beforeEach(async () => {
    await resetState();
    await clearRequests(sims.mycashflow.url);
  });

  it('pages through a list across three or more pages', async () => {
    const client = mcfClient(sims, { pageSize: 2 });
    const products = await collect(client.listProducts({ expand: ['variations'] }), 100);
    expect(products.map((p) => p.product_code)).toEqual([
      'KAHVI-1',
      'KIRJA-1',
      'TS-100',
      'MUKI-1',
      'SUKKA-1',
      'KYNÄ-1',
      'LAMPPU-1',
    ]);
    expect(products[2]?.variations?.map((v) => v.product_code)).toEqual(['TS-100-S', 'TS-100-M']);
    const counts = await requestCounts(sims.mycashflow.url);
    expect(counts.counts.byPath['GET /api/v1/products']).toBe(4);
    expect(client.stats.byMethod.GET).toBe(4);
  });

  it('reads money exactly and writes it back as the same decimals', async () => {
    const client = mcfClient(sims);
    const kahvi = await client.getProduct(mcfProductIdSchema.parse(1), ['stock_item']);
    expect(kahvi.price).toBe(parseCents('8.90'));
    expect(kahvi.stock_item?.balance).toBe(18);
    const updated = await client.updateProduct(kahvi.id, {
      price: parseCents('9.95'),
      purchase_price: parseCents('4.35'),
    });
    expect(formatCents(updated.price!)).toBe('9.95');
    const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
      products: Array<{ id: number; price: number; purchase_price: number }>;
    };
    const stored = state.products.find((p) => p.id === 1)!;
    expect([stored.price, stored.purchase_price]).toEqual([9.95, 4.35]);
  });

  it('round-trips non-ASCII text (ä, ö, å, €) through JSON', async () => {
    const client = mcfClient(sims);
    const name = 'Pähkinäsekoitus €5 – åäö ÅÄÖ “lainaus”';
    const created = await client.createProduct({
      name,
      product_code: 'PÄHKINÄ-€',
      description: 'Kuvaus: äöå',
      price: parseCents('4.50'),
      vat_rate: parseVatRate('14'),
    });
    const read = await client.getProduct(created.id);
    expect(read.name).toBe(name);
    expect(read.product_code).toBe('PÄHKINÄ-€');
    const stock = await client.setStockQuantity(productCode('PÄHKINÄ-€'), 12);
    expect(stock.quantity).toBe(12);
  });

  it('answers a duplicate product code with 409, as a fatal conflict, and changes nothing', async () => {
    const client = mcfClient(sims);
    const err = await client
      .createProduct({
        name: 'Kopio',
        product_code: 'TS-100-M',
        price: parseCents('1.00'),
        vat_rate: parseVatRate('25.5'),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ status: 409, kind: 'conflict', disposition: 'fatal', attempts: 1 });
    expect((err as RemoteError).message).toContain('TS-100-M');
    const variationErr = await client
      .updateVariation(mcfVariationIdSchema.parse(31), { product_code: 'KAHVI-1' })
      .catch((e: unknown) => e);
    expect(variationErr).toMatchObject({ status: 409, kind: 'conflict' });
    expect((await client.getVariation(mcfVariationIdSchema.parse(31))).product_code).toBe('TS-100-S');
    expect((await collect(client.listProducts(), 100)).length).toBe(7);
  });

  it('sets stock as an absolute quantity and MyCashflow derives the balance', async () => {
    const client = mcfClient(sims);
    const item = await client.setStockQuantity(productCode('TS-100-M'), 40);
    expect([item.quantity, item.reserved, item.balance]).toEqual([40, 1, 39]);
    const again = await client.setStockQuantity(productCode('TS-100-M'), 40);
    expect(again.quantity).toBe(40);
    const changes = await collect(client.listStockChanges({ query: { stock_item_id: item.id } }), 100);
    expect(changes.map((c) => c.quantity)).toContain(40);
  });

  it('reads versions, payment and shipping methods', async () => {
    const client = mcfClient(sims);
    expect((await collect(client.listPaymentMethods(), 10)).map((m) => m.name)).toEqual([
      'Paytrail',
      'Lasku',
      'Klarna',
    ]);
    const versions = await collect(client.listVersions(), 10);
    expect(versions[1]?.contact?.company).toBe('Testbutik AB');
    expect((await collect(client.listShippingMethods(), 10))[0]?.name).toBe('Posti Paketti');
  });

  it('refuses wrong credentials with a fatal authentication error, without retrying', async () => {
    const client = mcfClient(sims, { apiKey: 'wrong-key-123' });
    const err = await collect(client.listProducts(), 10).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'authentication', disposition: 'fatal', status: 401, attempts: 1 });
    expect((err as Error).message).toMatch(/e-mail address and API key/);
  });

  it('tells a store on the Free plan that the API needs a paid plan', async () => {
    const free = smallScenario().mycashflow;
    free.store = { name: 'Ilmaiskauppa', plan: 'free' };
    await fetch(`${sims.mycashflow.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(free) });
    const err = await collect(mcfClient(sims).listProducts(), 10).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'plan', disposition: 'fatal', status: 403 });
    expect((err as Error).message).toMatch(/Advanced, Pro or Enterprise/);
  });
});
