import { describe, expect, it } from 'vitest';
import {
  AdminClient,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
} from '../../helpers/service.ts';
import { placeOrder, waitFor } from '../../helpers/worker-process.ts';

describe('retrying every waiting order at once', () => {
  it('sends all of them once their shared cause is fixed, each exactly once', async () => {
    const t = await startTestService();
    const sims = await startStoreSims();
    const record = await addConnection(t, connectionFileFor(sims, 'alpha'));
    const db = t.service.database.db;
    // Paid with Klarna, which NetBaron does not know: each waits.
    const orders = [];
    for (let i = 0; i < 3; i += 1) orders.push(await placeOrder(sims, { payment_method_id: 3 }));
    const states = async () =>
      (
        await db.selectFrom('order_ledger').select('state').where('connection_id', '=', record.id).execute()
      ).map((r) => r.state);
    await waitFor('three waiting orders', async () =>
      (await states()).filter((s) => s === 'waiting').length === 3 ? true : undefined,
    );

    const admin = new AdminClient(t.url);
    await admin.signIn();
    const page = await admin.get('/connections/alpha/orders?state=waiting');
    expect(page.text).toContain('Retry all 3 waiting orders');

    const state = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
      payment_methods: string[];
    };
    state.payment_methods.push('Klarna');
    await fetch(`${sims.netbaron.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(state) });
    const answer = await admin.post('/connections/alpha/orders/retry-waiting');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/connections/alpha/orders?requeued=3');
    expect((await admin.get(answer.location!)).text).toContain('3 waiting orders were queued again.');
    await waitFor('all sent', async () => ((await states()).every((s) => s === 'sent') ? true : undefined));
    const ids = sims.netbaron.system.salesOrders().map((o) => Number(o.InvoiceDetails.OrderIdentifier));
    expect(ids.sort()).toEqual(orders.map((o) => o.id).sort());
    expect((await admin.get('/connections/alpha/orders?state=waiting')).text).not.toContain('Retry all');
    // A second press (a page left open) finds none waiting, and says so.
    const again = await admin.post('/connections/alpha/orders/retry-waiting');
    expect(again.location).toBe('/connections/alpha/orders?requeued=0');
    expect((await admin.get(again.location!)).text).toContain(
      'No order was waiting, so none was queued again.',
    );
  });
});
