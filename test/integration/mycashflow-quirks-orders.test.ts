import { describe, expect, it } from 'vitest';
import { parseConnection, type ConnectionFile } from '../../src/config/connection-file.ts';
import { exportOrders } from '../../src/orders/export-orders.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import {
  FAST_RETRY,
  MCF_USER,
  mcfClient,
  NB_ORDERS_PASSWORD,
  NB_ORG,
  nbClient,
  simControl,
  useSimulators,
} from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { placeOrder } from '../helpers/worker-process.ts';
import { orderLedgerStore } from '../../src/db/order-ledger-store.ts';

/*
 * Order export over real HTTP against a store answering with every quirk of the simulator (quirks.ts):
 * the sales order NetBaron gets is the one a plain store gives. And the polling's `created_at-from` is
 * sent as public clients send it: the store's offset, no milliseconds, URL-encoded.
 */

const sims = await useSimulators(smallScenario());
const { db } = await createTestDatabase();

const ALL_QUIRKS = {
  emptyRelationsAsArray: true,
  numbersAsStrings: true,
  longPurchasePrices: true,
  timestampsWithoutOffset: true,
};

function connection(id: string): ConnectionFile {
  return parseConnection({
    id,
    name: 'Quirks test',
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, user: MCF_USER.email, apiKey: MCF_USER.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation: NB_ORG,
      orderApiPassword: NB_ORDERS_PASSWORD,
      marketplace: '3',
    },
    orderExport: {
      storeContact: { company: 'Testikauppa Oy', business_id: '1234567-8', country: 'FI' },
    },
  });
}

interface StoredSalesOrder {
  Status: string;
  InvoiceDetails: Record<string, string>;
  PaymentStatusDetails: unknown;
  InvoiceRow: unknown[];
}

async function resetSims(): Promise<void> {
  const { mycashflow, netbaron } = smallScenario();
  await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', mycashflow);
  await simControl(`${sims.netbaron.url}/__sim/state`, 'PUT', netbaron);
  await simControl(`${sims.mycashflow.url}/__sim/requests`, 'DELETE');
}

async function setQuirks(quirks: Record<string, boolean>): Promise<void> {
  const state = await simControl<Record<string, unknown>>(`${sims.mycashflow.url}/__sim/state`);
  await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', { ...state, quirks });
}

/** One order placed and exported; what NetBaron stored of it. */
async function exportOne(id: string, quirks?: Record<string, boolean>) {
  await resetSims();
  const order = await placeOrder(sims, { payment_costs: 2.9, version_id: 2 });
  if (quirks) await setQuirks(quirks);
  const summary = await exportOrders({
    ledger: orderLedgerStore(db),
    connection: connection(id),
    mcf: mcfClient(sims),
    nb: nbClient(sims, { retry: FAST_RETRY }),
    since: new Date('2026-01-15T10:20:30.456Z'),
  });
  const nb = await simControl<{ sales_orders: StoredSalesOrder[] }>(`${sims.netbaron.url}/__sim/state`);
  const sent = nb.sales_orders.filter((o) => o.InvoiceDetails.OrderIdentifier === String(order.id));
  return { summary, sent };
}

describe('order export against a store answering with quirks', () => {
  it('sends the same sales order as without quirks', async () => {
    const plain = await exportOne('quirks-orders-plain');
    for (const [name, quirks] of [
      ['local', ALL_QUIRKS],
      ['zulu', { ...ALL_QUIRKS, timestampsWithoutOffset: false, timestampsZulu: true }],
    ] as const) {
      const quirky = await exportOne(`quirks-orders-${name}`, quirks);
      expect(quirky.summary, name).toMatchObject({ exported: 1, waiting: [], outcomeUnknown: [] });
      expect(quirky.sent).toHaveLength(1);
      const [a, b] = [plain.sent[0]!, quirky.sent[0]!];
      expect(b.InvoiceRow).toEqual(a.InvoiceRow);
      expect(b.PaymentStatusDetails).toEqual(a.PaymentStatusDetails);
      expect(b.Status).toBe(a.Status);
      expect(b.InvoiceDetails.InvoiceTotalVatIncludedAmount).toBe(
        a.InvoiceDetails.InvoiceTotalVatIncludedAmount,
      );
    }
    expect(plain.summary).toMatchObject({ exported: 1, waiting: [], outcomeUnknown: [] });
  });

  it('polls from the store offset without milliseconds, URL-encoded', async () => {
    await exportOne('quirks-orders-poll');
    const log = await simControl<{ requests: Array<{ method: string; path: string; query: string }> }>(
      `${sims.mycashflow.url}/__sim/requests`,
    );
    const polls = log.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/orders');
    expect(polls.length).toBeGreaterThan(0);
    const params = new URLSearchParams(polls[0]!.query);
    expect(params.get('created_at-from')).toBe('2026-01-15T12:20:30+02:00');
    expect(polls[0]!.query).toContain('created_at-from=2026-01-15T12%3A20%3A30%2B02%3A00');
  });
});
