import { describe, expect, it } from 'vitest';
import { addConnection, connectionFileFor, startStoreSims, startTestService } from '../../helpers/service.ts';
import { placeOrder, waitFor } from '../../helpers/worker-process.ts';

describe('a store added to the service', () => {
  it('exports the orders placed from then on, not those an earlier integration already sent', async () => {
    const t = await startTestService();
    const sims = await startStoreSims();
    const before = await placeOrder(sims);
    await new Promise((r) => setTimeout(r, 1_100));
    const record = await addConnection(t, connectionFileFor(sims, 'alpha'));
    const after = await placeOrder(sims);
    await t.service.orderWorker!.pollNow();
    await waitFor('the new order sent', async () => {
      const row = await t.service.database.db
        .selectFrom('order_ledger')
        .select('state')
        .where('connection_id', '=', record.id)
        .where('order_id', '=', String(after.id))
        .executeTakeFirst();
      return row?.state === 'sent' ? true : undefined;
    });
    const ledger = await t.service.database.db.selectFrom('order_ledger').select('order_id').execute();
    expect(ledger.map((r) => Number(r.order_id))).toEqual([after.id]);
    expect(sims.netbaron.system.salesOrders().map((o) => Number(o.InvoiceDetails.OrderIdentifier))).toEqual([
      after.id,
    ]);
    expect(before.id).not.toBe(after.id);
  });
});
