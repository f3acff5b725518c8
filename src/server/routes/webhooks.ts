import type { AppContext } from '../app-context.ts';
import type { Route } from '../http/router.ts';
import { createWebhookReceiver } from '../webhook-receiver.ts';
import { enqueueExport } from '../../jobs/queue.ts';

/** MyCashflow's order deliveries: authenticated by the subscription's uuid, not by a session. */
export function webhookRoutes(app: AppContext): Route[] {
  const receive = createWebhookReceiver({
    db: app.db,
    logger: app.logger,
    connectionFor: (slug) => app.webhookFor(slug),
    onReceived: async (connectionId, orderId) => {
      await enqueueExport(app.boss, { connectionId, orderId });
      app.wakeOrderWorkers?.();
    },
  });
  return [
    {
      method: 'POST',
      path: '/hooks/mycashflow/:slug',
      access: 'webhook',
      handler: async ({ req, res, params }) => receive(req, res, params.slug!),
    },
  ];
}
