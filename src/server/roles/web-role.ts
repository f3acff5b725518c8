import { ArrivalWindow } from '../../jobs/fairness.ts';
import type { OrderWorker } from '../../jobs/order-worker.ts';
import { notifyWake } from '../../jobs/wake.ts';
import { subscriptionBySlug } from '../../db/webhook-subscriptions.ts';
import { SignInLimit } from '../auth/sign-in-limit.ts';
import type { AppContext } from '../app-context.ts';
import { forgetInitialPassword } from '../auth/initial-password.ts';
import { SessionStore } from '../auth/sessions.ts';
import { metricsNeedToken } from '../startup-checks.ts';
import { readiness, type ServiceBase } from './service-base.ts';
import { subscribeToOrders } from './start-up.ts';
import type { StoredConnections } from './stored-connections.ts';

/** What any process's HTTP side needs, whichever routes it serves: operations and webhook intake. */
export function httpBasics(base: ServiceBase) {
  const { env } = base;
  // Per process: the later orders of one store's burst get lower priorities than a quiet store's.
  const arrivals = new ArrivalWindow();
  return {
    db: base.database.db,
    boss: base.boss,
    logger: base.logger,
    metrics: base.metrics,
    metricsToken: env.METRICS_TOKEN,
    metricsNeedToken: metricsNeedToken(env),
    trustedProxies: env.TRUST_PROXY,
    readiness: () => readiness(base),
    exportPriority: (connectionId: string) => arrivals.priorityFor(connectionId),
  };
}

/**
 * What the admin app's routes work with, over the stored connections. A worker process builds it too,
 * for its operations endpoints; `orderWorker` is this process's own, absent in a web process.
 */
export function webContext(
  base: ServiceBase,
  stored: StoredConnections,
  orderWorker?: OrderWorker,
): AppContext {
  const { env, database, logger } = base;
  const limiter = new SignInLimit({ db: database.db, logger });
  base.onStop(async () => limiter.stop());
  return {
    ...httpBasics(base),
    store: stored.store,
    registry: stored.registry,
    sessions: new SessionStore(database.db),
    limiter,
    cookieSecure:
      env.COOKIE_SECURE === 'true' || (env.COOKIE_SECURE === 'auto' && base.publicUrl.startsWith('https:')),
    get publicUrl() {
      return base.publicUrl;
    },
    // This process's workers at once, and every other worker process through the database.
    wakeOrderWorkers: () => {
      orderWorker?.wake();
      notifyWake(database.db).catch(() => undefined);
    },
    subscribeWebhooks: async (connectionId) => {
      const runtime = await stored.registry.get(connectionId).catch(() => undefined);
      if (runtime) await subscribeToOrders(base, { connectionId, slug: runtime.slug, mcf: runtime.mcf });
    },
    webhookFor: (slug) => subscriptionBySlug(database.db, slug),
    notifier: stored.notifier,
    stopping: base.stopping,
    afterSignIn: () => forgetInitialPassword(env.DATA_DIR),
  };
}
