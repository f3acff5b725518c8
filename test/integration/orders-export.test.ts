import { beforeEach, describe, expect, it } from 'vitest';
import { parseConnection, type ConnectionFile } from '../../src/config/connection-file.ts';
import { ensureConnection } from '../../src/db/connections.ts';
import { receiveOrder } from '../../src/db/order-ledger.ts';
import { exportOrders } from '../../src/orders/export-orders.ts';
import { sendOrder } from '../../src/orders/send-order.ts';
import { StoreLookups } from '../../src/orders/store-lookups.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import {
  FAST_RETRY,
  MCF_USER,
  mcfClient,
  NB_ORDERS_PASSWORD,
  NB_ORG,
  nbClient,
  setFaults,
  useSimulators,
} from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { placeOrder as placeStoreOrder } from '../helpers/worker-process.ts';
import { orderLedgerStore } from '../../src/db/order-ledger-store.ts';

const sims = await useSimulators(smallScenario());
const { db } = await createTestDatabase();
let connectionCounter = 0;

const STORE_CONTACT = {
  company: 'Testikauppa Oy',
  business_id: '1234567-8',
  street_address: 'Kauppakatu 1',
  postal_code: '33100',
  city: 'Tampere',
  country: 'FI',
  email: 'kauppa@testi.example',
  phone: '+35831234567',
};

function connection(orderExport: Record<string, unknown> = {}): ConnectionFile {
  connectionCounter += 1;
  return parseConnection({
    id: `orders-${connectionCounter}`,
    name: 'Orders test',
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, user: MCF_USER.email, apiKey: MCF_USER.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation: NB_ORG,
      orderApiPassword: NB_ORDERS_PASSWORD,
      marketplace: '3',
    },
    orderExport: { storeContact: STORE_CONTACT, ...orderExport },
  });
}

interface StoredSalesOrder {
  SalesOrderNumber: string;
  Status: string;
  InvoiceDetails: Record<string, string>;
  PaymentStatusDetails: { PaymentMethodText: string };
  SellerPartyDetails?: Record<string, unknown>;
  InvoiceRow: Array<Record<string, string>>;
}

const nbOrders = async (): Promise<StoredSalesOrder[]> =>
  ((await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as { sales_orders: StoredSalesOrder[] })
    .sales_orders;
const ordersWithId = async (id: number) =>
  (await nbOrders()).filter((o) => o.InvoiceDetails.OrderIdentifier === String(id));

/** A checkout with lines at 25.5, 14 and 10 %, shipping and an invoice fee. */
const placeOrder = (body: Record<string, unknown>) =>
  placeStoreOrder(sims, {
    payment_costs: 2.9,
    products: [
      { product_code: 'TS-100-M', quantity: 2 },
      { product_code: 'KAHVI-1', quantity: 1 },
      { product_code: 'KIRJA-1', quantity: 1 },
    ],
    ...body,
  });

const run = (conn: ConnectionFile) =>
  exportOrders({
    ledger: orderLedgerStore(db),
    connection: conn,
    mcf: mcfClient(sims),
    nb: nbClient(sims, { retry: FAST_RETRY }),
    since: new Date('2020-01-01'),
  });

describe('order export against both simulators', () => {
  beforeEach(async () => {
    const { mycashflow, netbaron } = smallScenario();
    await fetch(`${sims.mycashflow.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(mycashflow) });
    await fetch(`${sims.netbaron.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(netbaron) });
    await setFaults(sims.netbaron.url, []);
  });

  it('sends a placed order once, Pending, with the store payment name and rows to the cent (14, 10 and 25.5 %)', async () => {
    const order = await placeOrder({});
    const summary = await run(connection());
    expect(summary).toMatchObject({ exported: 1, waiting: [], outcomeUnknown: [] });
    const [sent, ...more] = await ordersWithId(order.id);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ Status: 'Pending', PaymentStatusDetails: { PaymentMethodText: 'Lasku' } });
    expect(sent!.InvoiceDetails.InvoiceTotalVatIncludedAmount).toBe(order.total.toFixed(2));
    expect(sent!.InvoiceRow.map((r) => [r.ArticleIdentifier, r.RowVatRatePercent])).toEqual([
      ['TS-100-M', '25.5'],
      ['KAHVI-1', '14'],
      ['KIRJA-1', '10'],
      ['TOIMITUS', '25.5'],
      ['MAKSUKULU', '25.5'],
    ]);
    expect(sent!.SellerPartyDetails).toMatchObject({
      SellerOrganisationName: 'Testikauppa Oy',
      SellerPartyIdentifier: '1234567-8',
    });
  });

  it('takes seller details from the order’s store version when the setting is on, field by field', async () => {
    const order = await placeOrder({ version_id: 2 });
    await run(connection({ useVersionContactDetails: true }));
    const [sent] = await ordersWithId(order.id);
    expect(sent!.SellerPartyDetails).toMatchObject({
      SellerOrganisationName: 'Testbutik AB',
      SellerPartyIdentifier: '1234567-8',
      SellerCommunicationDetails: {
        SellerEmailaddressIdentifier: 'butik@example.se',
        SellerPhoneNumberIdentifier: '+35831234567',
      },
    });
  });

  it('exports once an order delivered three times by webhook and seen twice by polling', async () => {
    const conn = connection();
    const order = await placeOrder({});
    const connectionId = await ensureConnection(db, conn.id!, conn.name);
    const raw = await (
      await fetch(`${sims.mycashflow.url}/api/v1/orders/${order.id}?expand=products,tax_summary`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`${MCF_USER.email}:${MCF_USER.api_key}`).toString('base64')}`,
          Accept: 'application/json',
        },
      })
    ).json();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        receiveOrder(
          db,
          { connectionId, orderId: order.id },
          (raw as { data: unknown }).data,
          undefined,
          'webhook',
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const first = await run(conn);
    const second = await run(conn);
    expect(first.exported + second.exported).toBe(1);
    expect(second.alreadyExported).toBe(1);
    expect(await ordersWithId(order.id)).toHaveLength(1);
  });

  it('a PUT dropped after NetBaron stored the order is not duplicated; one dropped before is sent once', async () => {
    const after = await placeOrder({});
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', drop: 'after', count: 1 }]);
    const first = await run(connection());
    expect(first.exported + first.alreadyExported).toBeGreaterThanOrEqual(1);
    expect(await ordersWithId(after.id)).toHaveLength(1);

    const before = await placeOrder({});
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', drop: 'before', count: 1 }]);
    const second = await run(connection());
    expect(second.outcomeUnknown).toEqual([]);
    expect(await ordersWithId(before.id)).toHaveLength(1);
  });

  it('keeps 200 orders through a NetBaron outage and sends each exactly once when it is back', async () => {
    const conn = connection();
    await setFaults(sims.netbaron.url, [{ path: '/ws/*', status: 503 }]);
    const placed: number[] = [];
    for (let i = 0; i < 200; i += 1)
      placed.push((await placeOrder({ products: [{ product_code: 'KAHVI-1', quantity: 1 }] })).id);
    const during = await run(conn);
    expect(during.exported).toBe(0);
    expect(during.outcomeUnknown.length + during.retryLater).toBeGreaterThan(0);
    await setFaults(sims.netbaron.url, []);
    // Orders told to retry later are due again once their time comes; an operator's run picks them up.
    await db.updateTable('order_ledger').set({ next_attempt_at: null }).execute();
    const after = await run(conn);
    expect(after.waiting).toEqual([]);
    expect(after.outcomeUnknown).toEqual([]);
    const stored = await nbOrders();
    for (const id of placed)
      expect(stored.filter((o) => o.InvoiceDetails.OrderIdentifier === String(id))).toHaveLength(1);
  }, 60_000);

  it('never sends one order twice at once, and resumes an order a dead process left in sending', async () => {
    const conn = connection();
    const connectionId = await ensureConnection(db, conn.id!, conn.name);
    const order = await placeOrder({});
    await run(connection({}));
    expect(await ordersWithId(order.id)).toHaveLength(1);

    const second = await placeOrder({});
    const raw = (await (
      await fetch(`${sims.mycashflow.url}/api/v1/orders/${second.id}?expand=products,tax_summary`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`${MCF_USER.email}:${MCF_USER.api_key}`).toString('base64')}`,
          Accept: 'application/json',
        },
      })
    ).json()) as { data: unknown };
    await receiveOrder(db, { connectionId, orderId: second.id }, raw.data, undefined, 'webhook');
    const ctx = {
      ledger: orderLedgerStore(db),
      connectionId,
      nb: nbClient(sims),
      lookups: new StoreLookups(mcfClient(sims)),
      settings: conn.orderExport,
    };
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => sendOrder(ctx, second.id)));
    expect(outcomes.filter((o) => o.outcome === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'not-claimed')).toHaveLength(4);
    expect(await ordersWithId(second.id)).toHaveLength(1);

    // A process that died right after its PUT leaves the row in `sending`; the next sender reads back.
    await db
      .updateTable('order_ledger')
      .set({ state: 'sending' })
      .where('order_id', '=', String(second.id))
      .execute();
    const resumed = await sendOrder(ctx, second.id);
    expect(resumed.outcome).toBe('found-already-sent');
    expect(await ordersWithId(second.id)).toHaveLength(1);
  });

  it('leaves an order with an unknown payment method waiting with both names; a retry sends it once the name exists', async () => {
    const conn = connection();
    const order = await placeOrder({ payment_method_id: 3 });
    const summary = await run(conn);
    expect(summary.waiting).toEqual([
      {
        orderId: order.id,
        reason: expect.stringContaining(
          'payment method "Klarna" of the store has no counterpart with exactly the same name in NetBaron (NetBaron has: "Paytrail", "Lasku")',
        ),
      },
    ]);
    const state = smallScenario().netbaron;
    state.payment_methods = ['Paytrail', 'Lasku', 'Klarna'];
    await fetch(`${sims.netbaron.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(state) });
    const connectionId = await ensureConnection(db, conn.id!, conn.name);
    const retried = await sendOrder(
      {
        ledger: orderLedgerStore(db),
        connectionId,
        nb: nbClient(sims),
        lookups: new StoreLookups(mcfClient(sims)),
        settings: conn.orderExport,
      },
      order.id,
      { includeWaiting: true },
    );
    expect(retried.outcome).toBe('sent');
    expect((await ordersWithId(order.id)).map((o) => o.PaymentStatusDetails.PaymentMethodText)).toEqual([
      'Klarna',
    ]);
  });
});
