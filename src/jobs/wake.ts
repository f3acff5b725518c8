import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';

/*
 * Across processes, a queued export should not wait for the workers' next poll: the web process that
 * received the webhook sends a NOTIFY, and every worker process LISTENing wakes its fetchers at once.
 * It is only a nudge; the workers' polling still finds every job if a notification is lost.
 */

const CHANNEL = 'netbaron_wake';

export async function notifyWake(db: Kysely<Database>): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, '')`.execute(db);
}

const CONNECTION_CHANGED = 'netbaron_connection_changed';

export interface WakeListener {
  close(): Promise<void>;
}

/**
 * Listens on its own connection, reconnecting after a database restart, until closed: `onWake` for a
 * queued export, `onConnectionChanged` for a connection's row written by anyone (a trigger of the
 * database announces it). `onListening` runs each time both are heard from now on, `onLost` when the
 * connection is gone and notifications may be missed. `onReconnect` runs each time the connection is
 * back after it was lost: the database may have been away, and whatever failed meanwhile (webhooks
 * answered 500, jobs that could not be recorded) is worth a look now.
 */
export function listenForWake(options: {
  connectionString: string;
  logger: Logger;
  onWake(): void;
  onReconnect?(): void;
  onConnectionChanged?(connectionId: string): void;
  onListening?(): void;
  onLost?(): void;
}): WakeListener {
  const { connectionString, logger } = options;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let connectedBefore = false;
  const scheduleRetry = (): void => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1_000);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, application_name: 'netbaron-connector-wake' });
    next.on('notification', (n) => {
      if (n.channel === CONNECTION_CHANGED) options.onConnectionChanged?.(n.payload ?? '');
      else options.onWake();
    });
    next.on('error', () => undefined);
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        options.onLost?.();
      }
      scheduleRetry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}; LISTEN ${CONNECTION_CHANGED}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      options.onListening?.();
      if (connectedBefore) {
        logger.info('the database answers again');
        options.onReconnect?.();
      }
      connectedBefore = true;
    } catch (err) {
      logger.debug('wake listener could not connect; retrying', { error: (err as Error).message });
      await next.end().catch(() => undefined);
      scheduleRetry();
    }
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const last = client;
      client = undefined;
      options.onLost?.();
      await last?.end().catch(() => undefined);
    },
  };
}
