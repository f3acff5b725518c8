import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { ConnectionStore } from '../connections/connection-store.ts';
import type { ConnectionRegistry } from '../connections/registry.ts';
import type { Database } from '../db/schema.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from './metrics.ts';
import type { SignInLimit } from './auth/sign-in-limit.ts';
import type { SessionStore } from './auth/sessions.ts';

/** What the admin app's routes work with; built once by the service. */
export interface AppContext {
  db: Kysely<Database>;
  store: ConnectionStore;
  registry: ConnectionRegistry;
  boss: PgBoss;
  sessions: SessionStore;
  limiter: SignInLimit;
  logger: Logger;
  metrics: Metrics;
  /** Send the Secure attribute on cookies (the service is reached over https). */
  cookieSecure: boolean;
  /** Reverse proxies in front (`TRUST_PROXY`): how the client's address is found. */
  trustedProxies: number;
  /** The service as MyCashflow reaches it, for webhook subscriptions. */
  publicUrl: string;
  metricsToken?: string;
  /** No METRICS_TOKEN and listening beyond this machine: `/metrics` is refused. */
  metricsNeedToken?: boolean;
  /** Wakes this process's order workers (a webhook or a retry queued a job); absent in a web-only process. */
  wakeOrderWorkers?: () => void;
  /** The priority of a webhook's export job: lower for the later orders of one store's burst. */
  exportPriority(connectionId: string): number;
  /** Subscribes a connection to order webhooks (after its credentials are saved). */
  subscribeWebhooks(connectionId: string): Promise<void>;
  /** The uuid of a connection's webhook subscription, by slug. */
  webhookFor(slug: string): Promise<{ connectionId: string; uuid: string } | undefined>;
  /** Notifications: which channels a connection has, and the page's test message. */
  notifier: Notifier;
  /** Aborted when the service stops: long-lived responses (progress streams) end. */
  stopping: AbortSignal;
  readiness(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** After a successful sign-in: the first-start password file has served its purpose. */
  afterSignIn?: () => Promise<void>;
}
