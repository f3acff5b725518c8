import type { Env } from '../config/env.ts';
import { ConnectionStore } from '../connections/connection-store.ts';
import { openDatabase, type OpenDatabase } from '../db/database.ts';
import { loadEncryptionKey } from '../security/encryption-key.ts';

/** The service's stored connections from the command line: its database, unsealed with its key. */
export async function openConnectionStore(
  env: Env,
): Promise<{ store: ConnectionStore; database: OpenDatabase }> {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    const { key } = await loadEncryptionKey({
      envValue: env.ENCRYPTION_KEY,
      dataDir: env.DATA_DIR,
      sharedDatabase: database.mode === 'shared',
    });
    return { store: new ConnectionStore(database.db, key), database };
  } catch (err) {
    await database.close();
    throw err;
  }
}
