import { beforeAll, describe, expect, it } from 'vitest';
import { ensureConnection } from '../../src/db/connections.ts';
import { ledgerEntry, ledgerStateCounts, receiveOrder } from '../../src/db/order-ledger.ts';
import { orderListPage, type OrderSearch } from '../../src/db/order-list.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Kysely } from 'kysely';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * The orders list's search on the real ledger: what the generated columns of migration 0007 hold, and
 * how the text, the days (in the store's time zone) and the connection narrow the list.
 */

let db: Kysely<Database>;
let shop: string;
let other: string;

interface Spec {
  id: number;
  first?: string;
  last?: string;
  company?: string;
  codes?: string[];
  createdAt?: string;
}

function orderJson(s: Spec) {
  return {
    id: s.id,
    created_at: s.createdAt,
    customer_information: { first_name: s.first, last_name: s.last, company: s.company },
    total: 58.6,
    payment_method_id: 2,
    products: (s.codes ?? []).map((code, i) => ({ id: s.id * 10 + i, product_code: code })),
  };
}

async function place(connectionId: string, s: Spec): Promise<void> {
  await receiveOrder(db, { connectionId, orderId: s.id }, orderJson(s), s.createdAt, 'webhook');
}

const found = async (search: OrderSearch, connectionId = shop): Promise<number[]> =>
  (await orderListPage(db, connectionId, { search, offset: 0, limit: 100 })).map((r) => Number(r.order_id));

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  shop = await ensureConnection(db, 'shop', 'Shop');
  other = await ensureConnection(db, 'other', 'Other');
  await place(shop, {
    id: 101,
    first: 'Åsa',
    last: 'Öberg',
    codes: ['KAHVI-1', 'TS-100-M'],
    // 00:30 in Helsinki on 11 March is still 10 March in UTC.
    createdAt: '2025-03-11T00:30:00+02:00',
  });
  await place(shop, {
    id: 102,
    first: 'Matti',
    last: 'Meikäläinen',
    company: 'Kahvila Aroma Oy',
    codes: ['KIRJA-1'],
    createdAt: '2025-03-10T23:30:00+02:00',
  });
  await place(shop, {
    id: 103,
    first: 'Liisa',
    last: 'Virtanen',
    codes: ['TS-100-S', '50%_ALE'],
    // The night summer time starts (03:00 → 04:00): the day is 23 hours long.
    createdAt: '2025-03-30T23:59:59+03:00',
  });
  await place(other, { id: 104, first: 'Åsa', last: 'Öberg', codes: ['KAHVI-1'] });
  // An order of a shape the search does not expect is still taken in (the generated column never fails).
  await receiveOrder(
    db,
    { connectionId: shop, orderId: 105 },
    { id: 105, products: 'none' },
    undefined,
    'poll',
  );
  await receiveOrder(db, { connectionId: shop, orderId: 106 }, [1, 2], undefined, 'poll');
});

describe('the orders list search', () => {
  it('finds a customer by any part of the name or company, in any letter case (ÅÄÖ too)', async () => {
    expect(await found({ text: 'öberg' })).toEqual([101]);
    expect(await found({ text: 'ÅSA Ö' })).toEqual([101]);
    expect(await found({ text: 'meikä' })).toEqual([102]);
    expect(await found({ text: 'AROMA' })).toEqual([102]);
    expect(await found({ text: 'Virtanen' })).toEqual([103]);
  });

  it('finds a product code of any row, partly or whole', async () => {
    expect(await found({ text: 'ts-100' })).toEqual([103, 101]);
    expect(await found({ text: 'KIRJA-1' })).toEqual([102]);
    // LIKE's wildcards are taken as themselves.
    expect(await found({ text: '50%_' })).toEqual([103]);
    expect(await found({ text: '%' })).toEqual([103]);
    expect(await found({ text: '_' })).toEqual([103]);
  });

  it('finds an order by its number, exactly', async () => {
    expect(await found({ text: '102' })).toEqual([102]);
    expect(await found({ text: '#103' })).toEqual([103]);
    // Not by part of a number: "10" finds orders 101 and 103 by their codes TS-100-…, not 102.
    expect(await found({ text: '10' })).toEqual([103, 101]);
  });

  it('filters by the day placed in Helsinki, both ends included', async () => {
    expect(await found({ text: '', from: '2025-03-11', to: '2025-03-11' })).toEqual([101]);
    expect(await found({ text: '', to: '2025-03-10' })).toEqual([102]);
    expect(await found({ text: '', from: '2025-03-10', to: '2025-03-11' })).toEqual([102, 101]);
    expect(await found({ text: '', from: '2025-03-30', to: '2025-03-30' })).toEqual([103]);
    expect(await found({ text: '', from: '2025-03-31' })).toEqual([106, 105]);
    // The text and the days together.
    expect(await found({ text: 'ts-100', from: '2025-03-12' })).toEqual([103]);
  });

  it('keeps to the connection, and counts with the same filter', async () => {
    expect(await found({ text: 'öberg' }, other)).toEqual([104]);
    expect(await ledgerStateCounts(db, shop, { text: 'ts-100' })).toMatchObject({ received: 2, sent: 0 });
    expect(await ledgerStateCounts(db, shop)).toMatchObject({ received: 5 });
    expect(await ledgerStateCounts(db, other, { text: 'kirja' })).toMatchObject({ received: 0 });
  });

  it('gives the columns the list shows, the total as exact text', async () => {
    const [row] = await orderListPage(db, shop, { search: { text: 'aroma' }, offset: 0, limit: 1 });
    expect(row).toMatchObject({
      order_id: '102',
      first_name: 'Matti',
      last_name: 'Meikäläinen',
      company: 'Kahvila Aroma Oy',
      total: '58.6',
      payment_method_id: '2',
      sent_document: null,
    });
    expect(row!.placed_at.toISOString()).toBe('2025-03-10T21:30:00.000Z');
    // Without a time in the order, it was placed when the ledger received it.
    const entry = await ledgerEntry(db, { connectionId: shop, orderId: 105 });
    expect(entry!.placed_at).toEqual(entry!.received_at);
  });
});
