import { ConnectionStore } from '../../connections/connection-store.ts';
import { ConnectionRegistry } from '../../connections/registry.ts';
import type { WorkerConnections } from '../../jobs/order-worker.ts';
import { createMailer } from '../../notifications/mailer.ts';
import { Notifier } from '../../notifications/notifier.ts';
import { loadEncryptionKey } from '../../security/encryption-key.ts';
import { ensureAdminPassword } from '../auth/admin-users.ts';
import { forgetInitialPassword, keepInitialPassword } from '../auth/initial-password.ts';
import { checkBeforeNewKey } from '../startup-checks.ts';
import type { ServiceBase } from './service-base.ts';
import type { OrderSubscriber } from './start-up.ts';

/** The connections the service keeps in its database, with what it takes to open and use them. */
export interface StoredConnections {
  store: ConnectionStore;
  registry: ConnectionRegistry;
  notifier: Notifier;
  encryptionKeySource: string;
  /** The admin password generated at this first start, to be shown once; undefined otherwise. */
  generatedPassword?: string;
  /** Where that password is kept until the first sign-in (`auth/initial-password.ts`). */
  initialPasswordFile?: string;
}

/**
 * The key that unseals stored credentials and the admin password: both live in the database every
 * process of a service shares, so every role opens them the same way.
 */
export async function openStoredConnections(
  base: ServiceBase,
  options: {
    /** A database handed in (tests) keeps its key in the data folder even when it is a shared server. */
    databaseGiven: boolean;
    /** The notifications' clock; the real time by default. */
    clock?: () => Date;
  },
): Promise<StoredConnections> {
  const { env, logger, database } = base;
  const { key, source, permissionsTightened } = await loadEncryptionKey({
    envValue: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    sharedDatabase: database.mode === 'shared' && !options.databaseGiven,
    beforeNewKey: (path) =>
      checkBeforeNewKey(database.db, path, (message) => {
        base.warnings.push(message);
        logger.error(message);
      }),
  });
  if (permissionsTightened)
    logger.warn('the encryption key file was readable by others; its mode is now 0600');
  const { generated } = await ensureAdminPassword(database.db, env.ADMIN_PASSWORD);
  const initialPasswordFile = generated ? await keepInitialPassword(env.DATA_DIR, generated) : undefined;
  if (env.ADMIN_PASSWORD) await forgetInitialPassword(env.DATA_DIR);

  const store = new ConnectionStore(database.db, key);
  const mailer =
    env.SMTP_URL && env.MAIL_FROM ? createMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) : undefined;
  return {
    store,
    registry: new ConnectionRegistry(store, logger),
    notifier: new Notifier({
      db: database.db,
      store,
      mailer,
      logger,
      publicUrl: () => base.publicUrl,
      clock: options.clock,
    }),
    encryptionKeySource: source,
    generatedPassword: generated,
    initialPasswordFile,
  };
}

/** The stored connections that are ready, to subscribe to their orders. */
export async function readySubscribers(registry: ConnectionRegistry): Promise<OrderSubscriber[]> {
  return (await registry.ready()).map((r) => ({ connectionId: r.id, slug: r.slug, mcf: r.mcf }));
}

/** The order worker's view of the stored connections: a connection that is not ready is skipped. */
export function storedWorkerConnections(registry: ConnectionRegistry): WorkerConnections {
  const toWorker = (r: Awaited<ReturnType<ConnectionRegistry['get']>>) =>
    r && { connectionId: r.id, connection: r.connection, mcf: r.mcf, nb: r.nb };
  return {
    get: async (id) => toWorker(await registry.get(id)),
    all: async () => (await registry.ready()).map((r) => toWorker(r)!),
  };
}
