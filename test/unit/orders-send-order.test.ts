import { describe, expect, it } from 'vitest';
import { nbSalesOrderNumberSchema } from '../../src/domain/ids.ts';
import { RemoteError, type RemoteErrorDetails } from '../../src/http/remote-error.ts';
import { versionSchema } from '../../src/mycashflow/schemas.ts';
import type { NbSalesOrderSummary } from '../../src/netbaron/wire/salesorder.ts';
import { PAUSED_CAUSE } from '../../src/orders/order-cause.ts';
import { sendOrder, type SalesOrderApi, type SendContext } from '../../src/orders/send-order.ts';
import { memoryLedger } from '../helpers/memory-ledger.ts';
import { apiOrder, exampleExportSettings } from '../helpers/orders.ts';

/*
 * Sending exactly once, on in-memory ports: the ledger's rules (memory-ledger.ts) and a NetBaron that
 * answers from a script. The same rules run against PostgreSQL and the simulator in
 * test/integration/orders-export.test.ts.
 */

const CONNECTION = 'c-1';
const ORDER = apiOrder();

const settings = exampleExportSettings();

const lookups = {
  paymentMethodName: async () => 'Lasku',
  shippingMethodName: async () => 'Posti Paketti',
  version: async () => versionSchema.parse({ id: 2, name: 'Suomi', language: 'fi', contact: {} }),
} satisfies SendContext['lookups'];

const failure = (details: Partial<RemoteErrorDetails> & Pick<RemoteErrorDetails, 'kind' | 'disposition'>) =>
  new RemoteError(`NetBaron: ${details.kind}`, {
    system: 'netbaron',
    request: 'PUT salesorder',
    attempts: 1,
    ...details,
  });

const summary = (n: string): NbSalesOrderSummary => ({
  salesOrderNumber: nbSalesOrderNumberSchema.parse(n),
  orderIdentifier: String(ORDER.id),
  status: 'created',
});

/** NetBaron answering each PUT and each look-up from a script; what was asked is kept. */
function scriptedNetBaron(
  script: { puts?: Array<'ok' | RemoteError>; finds?: NbSalesOrderSummary[][] } = {},
) {
  const asked = { puts: [] as string[], finds: 0 };
  const nb = {
    salesOrderDocument: (order) => `<SalesOrder>${order.orderIdentifier}</SalesOrder>`,
    async putSalesOrder(order, document) {
      asked.puts.push(document ?? '');
      const next = script.puts?.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      return summary(`SO-${asked.puts.length}`);
    },
    async findSalesOrders() {
      asked.finds += 1;
      return script.finds?.shift() ?? [];
    },
    async listPaymentMethods() {
      return ['Paytrail'];
    },
  } satisfies SalesOrderApi;
  return { nb, asked };
}

async function scene(script?: Parameters<typeof scriptedNetBaron>[0]) {
  const memory = memoryLedger();
  const { nb, asked } = scriptedNetBaron(script);
  await memory.ledger.receiveOrder(
    { connectionId: CONNECTION, orderId: ORDER.id },
    ORDER,
    ORDER.created_at,
    'poll',
  );
  const ctx: SendContext = { ledger: memory.ledger, connectionId: CONNECTION, nb, lookups, settings };
  return { memory, asked, ctx, row: () => memory.row(CONNECTION, ORDER.id)! };
}

describe('sending one order', () => {
  it('records the document, sends it once and settles the order as sent', async () => {
    const { ctx, asked, row } = await scene();
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'sent', salesOrderNumber: 'SO-1' });
    expect(asked.puts).toEqual([`<SalesOrder>${ORDER.id}</SalesOrder>`]);
    expect(row()).toMatchObject({ state: 'sent', salesOrderNumber: 'SO-1', document: asked.puts[0] });
    // Sent is final: a second job for the same order sends nothing.
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'not-claimed' });
    expect(asked.puts).toHaveLength(1);
  });

  it('turns a second sender away while the first holds the order', async () => {
    const { ctx, asked, memory, row } = await scene();
    const release = memory.holdLock({ connectionId: CONNECTION, orderId: ORDER.id });
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'not-claimed' });
    expect(asked.puts).toEqual([]);
    expect(row().state).toBe('received');
    release();
    expect((await sendOrder(ctx, ORDER.id)).outcome).toBe('sent');
  });

  it('reads back after an unclear PUT and sends again only when NetBaron provably lacks the order', async () => {
    const unclear = failure({ kind: 'connection', disposition: 'outcome-unknown' });
    const { ctx, asked, row } = await scene({ puts: [unclear, 'ok'], finds: [[]] });
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'sent', salesOrderNumber: 'SO-2' });
    expect(asked.finds).toBe(1);
    expect(asked.puts).toHaveLength(2);
    expect(asked.puts[1]).toBe(asked.puts[0]);
    expect(row().state).toBe('sent');
  });

  it('settles as sent, without a second PUT, an order whose unclear PUT did land', async () => {
    const unclear = failure({ kind: 'connection', disposition: 'outcome-unknown' });
    const { ctx, asked, row } = await scene({
      puts: [unclear],
      finds: [[summary('SO-7')], [summary('SO-7')]],
    });
    expect((await sendOrder(ctx, ORDER.id)).outcome).toBe('found-already-sent');
    expect(asked.puts).toHaveLength(1);
    expect(row()).toMatchObject({ state: 'sent', salesOrderNumber: 'SO-7' });
  });

  it('waits, sending nothing more, when the read-back finds two orders with this identifier', async () => {
    const unclear = failure({ kind: 'connection', disposition: 'outcome-unknown' });
    const { ctx, asked, row } = await scene({ puts: [unclear], finds: [[summary('A'), summary('B')]] });
    const outcome = await sendOrder(ctx, ORDER.id);
    expect(outcome.outcome).toBe('waiting');
    expect(row()).toMatchObject({ state: 'waiting', cause: 'duplicates-in-netbaron' });
    expect(asked.puts).toHaveLength(1);
  });

  it('holds an order of a paused connection with the paused cause, and sends nothing', async () => {
    const { ctx, asked, memory, row } = await scene();
    memory.pause(CONNECTION);
    expect((await sendOrder(ctx, ORDER.id)).outcome).toBe('waiting');
    expect(row()).toMatchObject({ state: 'waiting', cause: PAUSED_CAUSE });
    expect(asked.puts).toEqual([]);
    // Waiting orders are sent only when asked (the resume, a person's retry).
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'not-claimed' });
  });

  it('waits no less than NetBaron asked after a 429, and is not taken early by a repeated job', async () => {
    const busy = failure({
      kind: 'rate-limited',
      disposition: 'retryable',
      status: 429,
      retryAfterMs: 120_000,
    });
    const { ctx, row } = await scene({ puts: [busy] });
    const before = Date.now();
    const outcome = await sendOrder(ctx, ORDER.id);
    if (outcome.outcome !== 'retry-later') return expect.fail(`retry-later expected, got ${outcome.outcome}`);
    expect(outcome.retryAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(row()).toMatchObject({ state: 'received', nextAttemptAt: outcome.retryAt });
    expect(await sendOrder(ctx, ORDER.id)).toEqual({ outcome: 'not-claimed' });
  });

  it('names both sides when NetBaron refuses the payment method', async () => {
    const refused = failure({ kind: 'unknown-payment-method', disposition: 'fatal', status: 400 });
    const { ctx, row } = await scene({ puts: [refused] });
    const outcome = await sendOrder(ctx, ORDER.id);
    expect(outcome.outcome).toBe('waiting');
    expect(row().reason).toContain('payment method "Lasku"');
    expect(row().reason).toContain('(NetBaron has: "Paytrail")');
    expect(row().cause).toBe('payment-method:Lasku');
  });
});
