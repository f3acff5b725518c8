import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { readConnectionFile } from '../../config/connection-file.ts';
import { readEnv } from '../../config/env.ts';
import type { ConnectionRecord, ConnectionStore } from '../../connections/connection-store.ts';
import { connectionState } from '../../connections/connection-state.ts';
import { describeSchedule } from '../../domain/schedule.ts';
import type { OpenDatabase } from '../../db/database.ts';
import { removeConnection, resumeConnection } from '../../jobs/connection-controls.ts';
import { startQueue } from '../../jobs/queue.ts';
import { notifyWake } from '../../jobs/wake.ts';
import { createLogger } from '../../observability/logger.ts';
import { openConnectionStore } from '../connection-store-cli.ts';
import { describeConnection } from '../describe-connection.ts';

async function withStore<T>(fn: (store: ConnectionStore, database: OpenDatabase) => Promise<T>): Promise<T> {
  const { store, database } = await openConnectionStore(readEnv());
  try {
    return await fn(store, database);
  } finally {
    await database.close();
  }
}

async function storedOrFail(store: ConnectionStore, id: string): Promise<ConnectionRecord> {
  const record = await store.bySlug(id);
  if (!record)
    throw new Error(
      `there is no stored connection "${id}"; \`netbaron connections list\` shows the stored ones`,
    );
  return record;
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** The operator's way to the service's stores. No credential value is ever printed, only whether it is set. */
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
    .option('--removed', 'list the removed connections instead (their history is kept)')
    .action(async (opts: { removed?: boolean }) => {
      await withStore(async (store) => {
        const list = opts.removed ? await store.listRemoved() : await store.list();
        if (list.length === 0) console.log(opts.removed ? 'No removed connections.' : 'No connections yet.');
        for (const c of list) {
          const set = Object.entries(c.secretsSet)
            .filter(([, v]) => v)
            .map(([k]) => k);
          const state = c.archivedAt
            ? `removed ${c.archivedAt.toISOString()}`
            : c.pausedAt
              ? 'PAUSED'
              : 'active';
          console.log(
            `${c.slug}\t${c.name}\t${state}\t${c.settings.mycashflow.baseUrl || '(no store address)'}\tschedule: ${describeSchedule(c.settings.schedule)}\tcredentials: ${set.join(', ') || 'none'}`,
          );
        }
      });
    });
  connections
    .command('show <id>')
    .description(
      "a stored connection's settings, which credentials are set (never their values) and its state",
    )
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(async (store, database) => {
        const record = await storedOrFail(store, id);
        const state = await connectionState(database.db, record);
        const view = describeConnection(record, state);
        console.log(opts.json ? JSON.stringify(view.json, null, 2) : view.text);
      });
    });
  connections
    .command('pause <id>')
    .description('pause a connection: no import runs and no order is sent; orders keep arriving and wait')
    .action(async (id: string) => {
      await withStore(async (store) => {
        const record = await storedOrFail(store, id);
        const paused = await store.pause(record.id);
        console.log(
          paused
            ? `Paused "${id}": no import runs and no order is sent until \`netbaron connections resume ${id}\`. Orders keep arriving and wait.`
            : `"${id}" was already paused.`,
        );
      });
    });
  connections
    .command('resume <id>')
    .description('resume a paused connection and send every order that waited for it')
    .action(async (id: string) => {
      await withStore(async (store, database) => {
        const record = await storedOrFail(store, id);
        const logger = createLogger({ level: readEnv().LOG_LEVEL });
        const boss = await startQueue(database.url, logger);
        try {
          const { resumed, queued } = await resumeConnection(
            boss,
            database.db,
            store,
            record.id,
            'command line',
          );
          await notifyWake(database.db).catch(() => undefined);
          console.log(
            `${resumed ? `Resumed "${id}".` : `"${id}" was not paused.`} ${queued} waiting ${queued === 1 ? 'order is' : 'orders are'} queued to be sent.`,
          );
        } finally {
          await boss.stop({ graceful: false, wait: true });
        }
      });
    });
  connections
    .command('remove <id>')
    .description(
      'remove a connection from the service; its runs and orders stay readable (`connections list --removed`)',
    )
    .option('--yes', 'remove without asking')
    .action(async (id: string, opts: { yes?: boolean }, command: Command) => {
      await withStore(async (store, database) => {
        const record = await storedOrFail(store, id);
        if (!opts.yes) {
          if (!process.stdin.isTTY)
            command.error(`error: not removed: confirm with --yes to remove "${id}" without a terminal`, {
              exitCode: 64,
            });
          if (!(await confirmOnTerminal(`Remove connection "${id}" (${record.name}) from the service?`))) {
            console.log('Nothing removed.');
            return;
          }
        }
        const logger = createLogger({ level: readEnv().LOG_LEVEL });
        const { archivedAs, unsubscribed } = await removeConnection(database.db, store, record.id, logger);
        console.log(
          `Removed "${id}". Its credentials are erased; its runs and orders are kept as "${archivedAs}" (\`netbaron connections list --removed\`).` +
            (unsubscribed === false
              ? " The order webhook at MyCashflow could not be deleted: delete it in the store's admin."
              : ''),
        );
      });
    });
}
