import type { Command } from 'commander';
import { readConnectionFile } from '../../config/connection-file.ts';
import { readEnv } from '../../config/env.ts';
import { ConnectionStore } from '../../connections/connection-store.ts';
import { describeSchedule } from '../../connections/schedule.ts';
import { openDatabase, type OpenDatabase } from '../../db/database.ts';
import { loadEncryptionKey } from '../../security/encryption-key.ts';

async function withStore<T>(fn: (store: ConnectionStore, database: OpenDatabase) => Promise<T>): Promise<T> {
  const env = readEnv();
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    const { key } = await loadEncryptionKey({
      envValue: env.ENCRYPTION_KEY,
      dataDir: env.DATA_DIR,
      sharedDatabase: database.mode === 'shared',
    });
    return await fn(new ConnectionStore(database.db, key), database);
  } finally {
    await database.close();
  }
}

/** The operator's way to the service's stores: a connection file in, the list out. No credential is printed. */
export function registerConnectionCommands(program: Command): void {
  const connections = program.command('connections').description("the service's stored connections (stores)");
  connections
    .command('add')
    .description(
      'add a connection file to the service, or replace the stored one with the same id (credentials are sealed)',
    )
    .requiredOption('--config <file>', 'the connection file')
    .action(async (opts: { config: string }) => {
      const file = await readConnectionFile(opts.config);
      await withStore(async (store) => {
        const record = await store.upsertFromFile(file);
        console.log(
          `Stored connection "${record.slug}" (${record.name}). The running service picks it up at once.`,
        );
      });
    });
  connections
    .command('list')
    .description('list the stored connections')
    .action(async () => {
      await withStore(async (store) => {
        const list = await store.list();
        if (list.length === 0) console.log('No connections yet.');
        for (const c of list) {
          const set = Object.entries(c.secretsSet)
            .filter(([, v]) => v)
            .map(([k]) => k);
          console.log(
            `${c.slug}\t${c.name}\t${c.settings.mycashflow.baseUrl || '(no store address)'}\tschedule: ${describeSchedule(c.settings.schedule)}\tcredentials: ${set.join(', ') || 'none'}`,
          );
        }
      });
    });
}
