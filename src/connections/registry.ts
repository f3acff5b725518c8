import type { ConnectionFile } from '../config/connection-file.ts';
import { clientsFor } from './clients.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConnectionStore } from './connection-store.ts';

export interface RuntimeConnection {
  id: string;
  slug: string;
  connection: ConnectionFile;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
}

export class ConnectionNotReady extends Error {
  override name = 'ConnectionNotReady';
  constructor(
    readonly slug: string,
    readonly missing: string[],
  ) {
    super(`connection "${slug}" is not ready: set ${missing.join(', ')} in its settings`);
  }
}

/**
 * Clients per connection, built from the stored settings and rebuilt when they change (keyed by
 * `updated_at`), so a saved password takes effect in every job of this process without a restart.
 */
export class ConnectionRegistry {
  private readonly cache = new Map<string, { updatedAt: Date; runtime: RuntimeConnection }>();

  constructor(
    readonly store: ConnectionStore,
    private readonly logger: Logger,
  ) {}

  /** The connection ready to run, undefined when it does not exist; throws `ConnectionNotReady`. */
  async get(id: string): Promise<RuntimeConnection | undefined> {
    const cached = this.cache.get(id);
    const assembled = await this.store.assembleIfChanged(id, cached?.updatedAt);
    if (assembled === 'unchanged') return cached!.runtime;
    // Removed: its jobs find nothing to run, as for a connection that no longer exists.
    if (!assembled || assembled.record.archivedAt) return undefined;
    if (!assembled.ok) throw new ConnectionNotReady(assembled.record.slug, assembled.missing);
    const updatedAt = assembled.record.updatedAt;
    const logger = this.logger.child({ connection: assembled.record.slug });
    const runtime = {
      id,
      slug: assembled.record.slug,
      connection: assembled.connection,
      ...clientsFor(assembled.connection, logger),
    };
    this.cache.set(id, { updatedAt, runtime });
    return runtime;
  }

  /** Every connection that is ready, for polling and schedules; one not ready is skipped. */
  async ready(): Promise<RuntimeConnection[]> {
    const out: RuntimeConnection[] = [];
    for (const record of await this.store.list()) {
      try {
        const runtime = await this.get(record.id);
        if (runtime) out.push(runtime);
      } catch (err) {
        if (!(err instanceof ConnectionNotReady)) throw err;
      }
    }
    return out;
  }
}
