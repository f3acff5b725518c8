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
  /** Set while this process hears every change of a connection (`trustUntilChanged`). */
  private trusted = false;
  /** Kept connections whose row changed since: read again at the next use (kept when the settings did not change). */
  private readonly changed = new Set<string>();

  constructor(
    readonly store: ConnectionStore,
    private readonly logger: Logger,
  ) {}

  /** The connection ready to run, undefined when it does not exist; throws `ConnectionNotReady`. */
  async get(id: string): Promise<RuntimeConnection | undefined> {
    const cached = this.cache.get(id);
    if (cached && this.trusted && !this.changed.has(id)) return cached.runtime;
    // Cleared before the read: a change told while it runs marks it again.
    this.changed.delete(id);
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

  /**
   * From now on every change of a connection's row is told through `forget`: what is kept is used
   * without reading the row. Whatever changed before is read again first.
   */
  trustUntilChanged(): void {
    for (const id of this.cache.keys()) this.changed.add(id);
    this.trusted = true;
  }

  /** Changes may go unheard (the listener lost its connection): the row is read before each use again. */
  checkEveryTime(): void {
    this.trusted = false;
  }

  /** The connection's row changed: it is read at the next use, and its clients built again if its settings did. */
  forget(id: string): void {
    this.changed.add(id);
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
