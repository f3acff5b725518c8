import { enqueueExport } from '../../jobs/queue.ts';
import type { AppContext } from '../app-context.ts';
import type { Route } from '../http/router.ts';
import { createWebhookReceiver, type ReceiverOptions } from '../webhook-receiver.ts';

/** MyCashflow's order deliveries: authenticated by the subscription's uuid, not by a session. */
export function webhookRoutes(app: AppContext): Route[] {
  const options: Omit<ReceiverOptions, 'logger'> = {
    db: app.db,
    trustedProxies: app.trustedProxies,
    connectionFor: (slug) => app.webhookFor(slug),
    onReceived: async (connectionId, orderId) => {
      await enqueueExport(app.boss, { connectionId, orderId }, app.exportPriority(connectionId));
      app.wakeOrderWorkers?.();
    },
  };
  return [
    {
      method: 'POST',
      path: '/hooks/mycashflow/:slug',
      access: 'webhook',
      // A receiver per request, so that its log lines carry the request's id.
      handler: async ({ req, res, params, logger }) =>
        createWebhookReceiver({ ...options, logger })(req, res, params.slug!),
    },
  ];
}
