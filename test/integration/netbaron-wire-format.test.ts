import { beforeEach, describe, expect, it } from 'vitest';
import { parseConnection, type ConnectionFile } from '../../src/config/connection-file.ts';
import { clientsFor } from '../../src/connections/clients.ts';
import { ensureConnection } from '../../src/db/connections.ts';
import { ledgerEntry } from '../../src/db/order-ledger.ts';
import { nbMarketplaceId } from '../../src/domain/ids.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { exportOrders } from '../../src/orders/export-orders.ts';
import { collect } from '../../src/util/collect.ts';
import type { LoggedRequest } from '../../simulators/kit/request-log.ts';
import { exampleOrder } from '../helpers/orders.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import { clearRequests, mcfClient, nbClient, simControl, useSimulators } from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { connectionFileFor } from '../helpers/service.ts';
import { CUSTOMER, placeOrder, STORE_CONTACT } from '../helpers/worker-process.ts';
import { orderLedgerStore } from '../../src/db/order-ledger-store.ts';

/*
 * How flags, decimals and text go onto NetBaron's wire (issue 13, items 4, 5 and 8), over real HTTP:
 * what the client sends (read from the simulator's request log) and that the simulator takes it.
 */

const sims = await useSimulators(smallScenario());
const { db } = await createTestDatabase();
let counter = 0;

const loggedQueries = async (path: string): Promise<string[]> =>
  (await simControl<{ requests: LoggedRequest[] }>(`${sims.netbaron.url}/__sim/requests`)).requests
    .filter((r) => r.path === path)
    .map((r) => r.query);

function connection(netbaron: Record<string, unknown> = {}): ConnectionFile {
  counter += 1;
  const base = connectionFileFor(sims, `wire-${counter}`, 'Wire format test');
  return parseConnection({
    ...base,
    netbaron: { ...base.netbaron, ...netbaron },
    orderExport: { ...base.orderExport, storeContact: STORE_CONTACT },
  });
}

describe('NetBaron wire format against the simulator', () => {
  beforeEach(async () => {
    const { mycashflow, netbaron } = smallScenario();
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', mycashflow);
    await simControl(`${sims.netbaron.url}/__sim/state`, 'PUT', netbaron);
    await clearRequests(sims.netbaron.url);
  });

  it('sends the documented TRUE/FALSE flags by default, and the simulator honours them', async () => {
    const client = clientsFor(connection(), silentLogger).nb;
    const products = await collect(
      client.listProducts({ marketplace: nbMarketplaceId('3'), prices: true, quantity: false }),
      100,
    );
    expect(products.find((p) => p.code === 'KIRJA-1')?.priceVatIncluded).toBe(2690);
    expect(products.every((p) => p.quantity === undefined)).toBe(true);
    expect(await client.listMarketplaces()).toHaveLength(2);
    expect((await client.listPaymentMethods()).length).toBeGreaterThan(0);
    const queries = await loggedQueries('/ws/products');
    expect(queries.some((q) => q.includes('GetPrices=TRUE') && q.includes('GetQuantity=FALSE'))).toBe(true);
    expect(queries.some((q) => q.includes('ListMarketplaces=TRUE'))).toBe(true);
    const orderQueries = await loggedQueries('/ws/salesorder');
    expect(orderQueries.some((q) => q.includes('ListPaymentMethods=TRUE'))).toBe(true);
  });

  it("sends lower-case true/false with booleanSpelling 'lower'", async () => {
    const client = clientsFor(connection({ booleanSpelling: 'lower' }), silentLogger).nb;
    const products = await collect(
      client.listProducts({ marketplace: nbMarketplaceId('3'), prices: true }),
      100,
    );
    expect(products.find((p) => p.code === 'KIRJA-1')?.priceVatIncluded).toBe(2690);
    const queries = await loggedQueries('/ws/products');
    expect(queries.some((q) => q.includes('GetPrices=true') && q.includes('GetQuantity=false'))).toBe(true);
  });

  it("sends every number of a sales order with a comma under decimalSeparator ','; the simulator takes it", async () => {
    const client = clientsFor(connection({ decimalSeparator: ',' }), silentLogger).nb;
    const order = exampleOrder({ orderIdentifier: 'WIRE-COMMA-1' });
    const document = client.salesOrderDocument(order);
    expect(document).toContain('<UnitPriceVatIncludedAmount>24,90</UnitPriceVatIncludedAmount>');
    expect(document).toContain('<RowVatRatePercent>25,5</RowVatRatePercent>');
    expect(document).not.toMatch(/>-?\d+\.\d+</);
    const receipt = await client.putSalesOrder(order);
    const [found] = await client.findSalesOrders('WIRE-COMMA-1');
    expect(found?.salesOrderNumber).toBe(receipt.salesOrderNumber);
    expect(found?.totalVatIncluded).toMatch(/^\d+,\d\d$/);

    const dotted = nbClient(sims).salesOrderDocument(order);
    expect(dotted).toContain('<UnitPriceVatIncludedAmount>24.90</UnitPriceVatIncludedAmount>');
  });

  it('sends an order without a control character pasted into the name, and notes it on the order', async () => {
    const conn = connection();
    const placed = await placeOrder(sims, {
      customer_information: { ...CUSTOMER, first_name: 'Å\u0007sa', last_name: 'Öberg\u001B' },
    });
    const summary = await exportOrders({
      ledger: orderLedgerStore(db),
      connection: conn,
      mcf: mcfClient(sims),
      nb: clientsFor(conn, silentLogger).nb,
      since: new Date('2020-01-01'),
    });
    expect(summary).toMatchObject({ exported: 1, waiting: [], outcomeUnknown: [] });

    const state = await simControl<{
      sales_orders: Array<{ InvoiceDetails: { OrderIdentifier: string }; BuyerContactPersonName: string }>;
    }>(`${sims.netbaron.url}/__sim/state`);
    const sent = state.sales_orders.find((o) => o.InvoiceDetails.OrderIdentifier === String(placed.id));
    expect(sent?.BuyerContactPersonName).toBe('Åsa Öberg');

    const connectionId = await ensureConnection(db, conn.id!, conn.name);
    const entry = await ledgerEntry(db, { connectionId, orderId: placed.id });
    expect(entry?.state).toBe('sent');
    expect(entry?.sent_document).toContain('<BuyerContactPersonName>Åsa Öberg</BuyerContactPersonName>');
    const note = entry?.events.find((e) => e.kind === 'text-cleaned');
    expect(note?.detail).toMatch(/Characters that XML does not allow were removed/);
    expect(note?.detail).toContain('buyerContactPersonName (2 characters)');
  });
});
