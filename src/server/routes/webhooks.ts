import { ledgerAndQueue } from '../../jobs/order-intake.ts';
import { WEBHOOK_PATH_PREFIX } from '../../orders/webhook-subscription.ts';
import type { AppContext } from '../app-context.ts';
import type { Route } from '../http/router.ts';
import { WebhookIntake } from '../../orders/webhook-intake.ts';
import { cachedSubscriptions } from '../webhook-lookup.ts';
import { createWebhookReceiver } from '../webhook-receiver.ts';

/** What webhook intake reads: a process serving a connection file has no more than this. */
export type WebhookContext = Pick<
  AppContext,
  'db' | 'logger' | 'boss' | 'exportPriority' | 'webhookFor' | 'trustedProxies'
>;

/** MyCashflow's order deliveries: authenticated by the subscription's uuid, not by a session. */
export function webhookRoutes(app: WebhookContext): Route[] {
  // One of each per process: a flood of deliveries shares the lookups and the ledger's batches.
  const subscriptions = cachedSubscriptions((slug) => app.webhookFor(slug));
  // The wake-up goes through the database, to this process's workers too: their listener hears it.
  const intake = new WebhookIntake({ store: ledgerAndQueue(app.db, app.boss, app.exportPriority) });
  return [
    {
      method: 'POST',
      path: `${WEBHOOK_PATH_PREFIX}/:slug`,
      access: 'webhook',
      // A receiver per request, so that its log lines carry the request's id.
      handler: async ({ req, res, params, logger }) =>
        createWebhookReceiver({
          intake,
          connectionFor: subscriptions.connectionFor,
          recheck: subscriptions.recheck,
          trustedProxies: app.trustedProxies,
          logger,
        })(req, res, params.slug!),
    },
  ];
}
