import type { AppContext } from '../app-context.ts';
import type { Route } from '../http/router.ts';
import { authRoutes } from './auth.ts';
import { connectionControlRoutes } from './connection-controls.ts';
import { connectionRoutes } from './connections.ts';
import { importRoutes } from './imports.ts';
import { notificationRoutes } from './notifications.ts';
import { opsRoutes } from './ops.ts';
import { orderRoutes } from './orders.ts';
import { probeRoutes } from './probe.ts';
import { reportRoutes } from './reports.ts';
import { settingsRoutes } from './settings.ts';
import { webhookRoutes } from './webhooks.ts';

/** Every route of the service. The protection test walks this list, so a new route is tested by being here. */
export function adminRoutes(app: AppContext): Route[] {
  return [
    ...opsRoutes(app),
    ...authRoutes(app),
    ...connectionRoutes(app),
    ...connectionControlRoutes(app),
    ...settingsRoutes(app),
    ...probeRoutes(app),
    ...notificationRoutes(app),
    ...importRoutes(app),
    ...orderRoutes(app),
    ...reportRoutes(app),
    ...webhookRoutes(app),
  ];
}
