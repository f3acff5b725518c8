import { describe, expect, it } from 'vitest';
import { smallScenario } from '../helpers/scenarios.ts';
import { simControl, useSimulators } from '../helpers/sims.ts';
import { MCF_AUTH, placeOrder } from '../helpers/worker-process.ts';

/* The simulator's quirks (quirks.ts): each variant as it appears on the wire, set through the state document. */

const sims = await useSimulators(smallScenario());

async function withQuirks(quirks: Record<string, boolean>): Promise<void> {
  await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', { ...smallScenario().mycashflow, quirks });
}

async function get(path: string): Promise<{ data: Array<Record<string, unknown>> }> {
  const res = await fetch(`${sims.mycashflow.url}/api/v1${path}`, {
    headers: { Authorization: MCF_AUTH, Accept: 'application/json' },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { data: Array<Record<string, unknown>> };
}

const product = async (code: string) =>
  (await get('/products?expand=stock_item,variations.stock_item,brand')).data.find(
    (p) => p.product_code === code,
  )!;

describe('MyCashflow simulator quirks', () => {
  it('are all off by default and kept by the state document', async () => {
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', smallScenario().mycashflow);
    const off = await simControl<{ quirks: Record<string, boolean> }>(`${sims.mycashflow.url}/__sim/state`);
    expect(Object.values(off.quirks).every((v) => v === false)).toBe(true);
    const plain = await product('KAHVI-1');
    expect(plain.price).toBe(8.9);
    expect(String(plain.created_at)).toMatch(/[+-]\d{2}:\d{2}$/);
    await withQuirks({ numbersAsStrings: true });
    const on = await simControl<{ quirks: Record<string, boolean> }>(`${sims.mycashflow.url}/__sim/state`);
    expect(on.quirks.numbersAsStrings).toBe(true);
  });

  it('emptyRelationsAsArray: an empty to-one expand is []', async () => {
    await withQuirks({ emptyRelationsAsArray: true });
    const withVariations = (await get('/products?expand=stock_item,brand')).data.find((p) =>
      Array.isArray(p.stock_item),
    );
    expect(withVariations?.stock_item).toEqual([]);
    expect(withVariations?.brand).toEqual([]);
  });

  it('numbersAsStrings: prices, VAT and quantities as decimal text', async () => {
    await withQuirks({ numbersAsStrings: true });
    const p = await product('KAHVI-1');
    expect(p).toMatchObject({ price: '8.90', purchase_price: '4.10', vat_rate: '14', weight: '0' });
    expect(p.stock_item).toMatchObject({ quantity: '20', reserved: '2', balance: '18' });
    expect(typeof p.id).toBe('number');
  });

  it('longPurchasePrices: purchase prices below the cent, other money as it was', async () => {
    await withQuirks({ longPurchasePrices: true });
    expect(await product('KAHVI-1')).toMatchObject({ price: 8.9, purchase_price: 4.1034 });
  });

  it('timestampsZulu and timestampsWithoutOffset: the same instant written otherwise', async () => {
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', smallScenario().mycashflow);
    await placeOrder(sims);
    const state = await simControl<Record<string, unknown>>(`${sims.mycashflow.url}/__sim/state`);
    const plain = String((await get('/orders')).data[0]!.created_at);
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', {
      ...state,
      quirks: { timestampsZulu: true },
    });
    const zulu = String((await get('/orders')).data[0]!.created_at);
    expect(zulu).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(zulu)).toBe(Date.parse(plain));
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', {
      ...state,
      quirks: { timestampsWithoutOffset: true },
    });
    const local = String((await get('/orders')).data[0]!.created_at);
    expect(local).toBe(plain.slice(0, 19));
  });
});
