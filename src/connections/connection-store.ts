import { sql, type Kysely } from 'kysely';
import { ConnectionFileError, slugOf, type ConnectionFile } from '../config/connection-file.ts';
import { exportOrdersFrom } from '../db/order-ledger.ts';
import type { ConnectionOrigin, Database } from '../db/schema.ts';
import { openSecrets, SecretBoxError, sealSecrets } from '../security/secret-box.ts';
import type { NotificationSettings } from '../config/notification-settings.ts';
import { credentialsToRetype } from './address-change.ts';
import {
  assembleConnection,
  FILE_SECRET_FIELDS,
  mergeSecrets,
  parseStoredSettings,
  SECRET_FIELDS,
  splitConnectionFile,
  type Assembled,
  type SecretField,
  type Secrets,
  type StoredSettings,
} from './settings.ts';

export interface ConnectionRecord {
  id: string;
  slug: string;
  name: string;
  settings: StoredSettings;
  /** Which credentials are stored; the values themselves never leave this module but to a client. */
  secretsSet: Record<SecretField, boolean>;
  scheduleFiredAt: Date | null;
  updatedAt: Date;
  /** The stored credentials were sealed with another key and must be entered again. */
  credentialsUnreadable: boolean;
  origin: ConnectionOrigin;
  /** Paused by a person: no import runs and no order is sent; orders are still received and wait. */
  pausedAt: Date | null;
  /** Removed by a person: the history is kept, nothing runs. */
  archivedAt: Date | null;
}

export type AssembledRecord = Assembled & { record: ConnectionRecord };

type Row = {
  id: string;
  slug: string;
  name: string;
  settings: unknown;
  secrets: string | null;
  schedule_fired_at: Date | null;
  updated_at: Date;
  origin: ConnectionOrigin;
  paused_at: Date | null;
  archived_at: Date | null;
};

const COLUMNS = [
  'id',
  'slug',
  'name',
  'settings',
  'secrets',
  'schedule_fired_at',
  'updated_at',
  'origin',
  'paused_at',
  'archived_at',
] as const;

/**
 * The connections of the service, with their credentials sealed at rest. Every read and write of a
 * connection's settings goes through here, so the sealing key is used in one place.
 */
export class ConnectionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: Buffer,
  ) {}

  /**
   * The row's credentials, opened once. Sealed with another key (the key file lost or replaced), they
   * count as not set: the connection shows them so, with a problem saying why, and saving new ones
   * seals them with the current key. Nothing else of the service stops over it.
   */
  private open(row: Row): { secrets: Secrets; unreadable: boolean } {
    if (!row.secrets) return { secrets: {}, unreadable: false };
    try {
      return {
        secrets: openSecrets(this.key, `connection:${row.id}`, row.secrets) as Secrets,
        unreadable: false,
      };
    } catch (err) {
      if (err instanceof SecretBoxError) return { secrets: {}, unreadable: true };
      throw err;
    }
  }

  private record(row: Row, opened = this.open(row)): ConnectionRecord {
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      settings: parseStoredSettings(row.settings),
      secretsSet: Object.fromEntries(SECRET_FIELDS.map((f) => [f, Boolean(opened.secrets[f])])) as Record<
        SecretField,
        boolean
      >,
      scheduleFiredAt: row.schedule_fired_at,
      updatedAt: row.updated_at,
      credentialsUnreadable: opened.unreadable,
      origin: row.origin,
      pausedAt: row.paused_at,
      archivedAt: row.archived_at,
    };
  }

  private select() {
    return this.db.selectFrom('connections').select(COLUMNS);
  }

  /** The connections the service keeps and runs: neither a connection file's history nor removed. */
  private served() {
    return this.select().where('origin', '=', 'stored').where('archived_at', 'is', null);
  }

  async list(): Promise<ConnectionRecord[]> {
    return (await this.served().orderBy('name').execute()).map((r) => this.record(r));
  }

  /** Removed connections, newest first: their runs and ledger stay readable. */
  async listRemoved(): Promise<ConnectionRecord[]> {
    const rows = await this.select()
      .where('archived_at', 'is not', null)
      .orderBy('archived_at', 'desc')
      .execute();
    return rows.map((r) => this.record(r));
  }

  /** A connection the service keeps, by its id (slug); a file's history or a removed one is not found. */
  async bySlug(slug: string): Promise<ConnectionRecord | undefined> {
    const row = await this.served().where('slug', '=', slug).executeTakeFirst();
    return row && this.record(row);
  }

  /** Whether any row (stored, a file's history, removed) has this slug. */
  async slugTaken(slug: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('connections')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row !== undefined;
  }

  async byId(id: string): Promise<ConnectionRecord | undefined> {
    const row = await this.select().where('id', '=', id).executeTakeFirst();
    return row && this.record(row);
  }

  /** The runnable connection (credentials included) for the clients, or what is still missing. */
  async assemble(id: string): Promise<AssembledRecord | undefined> {
    const row = await this.select().where('id', '=', id).executeTakeFirst();
    return row && this.assembled(row);
  }

  async assembleBySlug(slug: string): Promise<AssembledRecord | undefined> {
    const row = await this.served().where('slug', '=', slug).executeTakeFirst();
    return row && this.assembled(row);
  }

  /**
   * As `assemble`, but `unchanged`, with nothing opened or parsed, while the row's `updated_at` is still
   * `since` (every change of settings or credentials moves it): a job's look-up of a connection whose
   * clients it already holds then costs one read and no decryption.
   */
  async assembleIfChanged(
    id: string,
    since: Date | undefined,
  ): Promise<AssembledRecord | 'unchanged' | undefined> {
    const row = await this.select().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    if (since && row.updated_at.getTime() === since.getTime()) return 'unchanged';
    return this.assembled(row);
  }

  private assembled(row: Row): AssembledRecord {
    const opened = this.open(row);
    const record = this.record(row, opened);
    return { ...assembleConnection(row.slug, row.name, record.settings, opened.secrets), record };
  }

  /** The credentials themselves, for building a client before the connection is complete. */
  async secrets(id: string): Promise<Secrets> {
    const row = await this.select().where('id', '=', id).executeTakeFirst();
    return row ? this.open(row).secrets : {};
  }

  /**
   * A new connection exports the orders placed from now on: a store that moves over from another
   * integration (MyCashflow's own extension) has sent its earlier orders already, and sending them
   * again would duplicate them in NetBaron. (The command-line `export-orders --since` reaches further.)
   */
  async create(slug: string, name: string, settings?: StoredSettings): Promise<ConnectionRecord> {
    const record = await this.insert(slug, name, settings);
    // Whole seconds, as MyCashflow's timestamps are: an order of this very second is not left out.
    await exportOrdersFrom(this.db, record.id, new Date(Math.floor(Date.now() / 1000) * 1000));
    return record;
  }

  private async insert(slug: string, name: string, settings?: StoredSettings): Promise<ConnectionRecord> {
    const row = await this.db
      .insertInto('connections')
      // The schedule counts from now: a new connection with a schedule does not import at once.
      .values({
        slug,
        name,
        settings: JSON.stringify(settings ?? parseStoredSettings({})),
        schedule_fired_at: new Date(),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return this.record(row);
  }

  /**
   * Saves the settings. A changed schedule starts counting from now, so that switching it on does not
   * fire an import at once. The notifications are kept as stored: their own page saves them.
   */
  async saveSettings(id: string, name: string, settings: StoredSettings): Promise<void> {
    const before = await this.byId(id);
    const scheduleChanged =
      !before || JSON.stringify(before.settings.schedule) !== JSON.stringify(settings.schedule);
    const { notifications: _kept, ...rest } = settings;
    await this.db
      .updateTable('connections')
      .set({
        name,
        settings: sql<string>`${JSON.stringify(rest)}::jsonb || jsonb_strip_nulls(jsonb_build_object('notifications', settings->'notifications'))`,
        updated_at: new Date(),
        ...(scheduleChanged ? { schedule_fired_at: new Date() } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** The notification settings alone, beside whatever the settings page saves. */
  async saveNotifications(id: string, notifications: NotificationSettings): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({
        settings: sql<string>`jsonb_set(settings, '{notifications}', ${JSON.stringify(notifications)}::jsonb)`,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Write-only credentials: a field given replaces the stored one, a field absent or blank keeps it,
   * a field named in `clear` removes it.
   */
  async saveSecrets(id: string, changes: Secrets, clear: SecretField[] = []): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('connections')
        .select(COLUMNS)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const next = mergeSecrets(this.open(row).secrets, changes, clear) as Record<string, string>;
      await trx
        .updateTable('connections')
        .set({ secrets: sealSecrets(this.key, `connection:${id}`, next), updated_at: new Date() })
        .where('id', '=', id)
        .execute();
    });
  }

  /** Marks the schedule fired, unless another process fired it first; true when this caller won. */
  async claimScheduledRun(id: string, firedBefore: Date | null, now: Date): Promise<boolean> {
    let query = this.db.updateTable('connections').set({ schedule_fired_at: now }).where('id', '=', id);
    query = firedBefore
      ? query.where('schedule_fired_at', '=', firedBefore)
      : query.where('schedule_fired_at', 'is', null);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Adds or replaces a connection from a connection file (the demo, `connections add`). */
  async upsertFromFile(file: ConnectionFile): Promise<ConnectionRecord> {
    const slug = slugOf(file);
    const { settings, secrets } = splitConnectionFile(file);
    // The history of this file's command-line runs becomes the stored connection's.
    await this.db
      .updateTable('connections')
      .set({ origin: 'stored', schedule_fired_at: new Date() })
      .where('slug', '=', slug)
      .where('origin', '=', 'file')
      .execute();
    const existing = await this.bySlug(slug);
    if (existing) refuseMovedCredentials(slug, existing, settings, secrets);
    const record = existing ?? (await this.create(slug, file.name, settings));
    await this.saveSettings(record.id, file.name, settings);
    await this.saveSecrets(
      record.id,
      secrets,
      FILE_SECRET_FIELDS.filter((f) => !secrets[f]),
    );
    return (await this.byId(record.id))!;
  }

  /** Pauses the connection; false when it was paused already. */
  async pause(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({ paused_at: new Date() })
      .where('id', '=', id)
      .where('paused_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Ends a pause; false when it was not paused. The caller requeues the orders that waited. */
  async resume(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({ paused_at: null })
      .where('id', '=', id)
      .where('paused_at', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Removes the connection from the service and keeps its history: the row stays, archived, with its runs,
   * ledger and events, under the id `<slug>~removed-<n>` (so the id is free for a new connection). Its
   * credentials are erased and its webhook subscription forgotten; the caller unsubscribes at MyCashflow
   * first while the credentials can still do it. Returns the archived id.
   */
  async remove(id: string): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('connections')
        .set({
          slug: sql<string>`slug || '~removed-' || id::text`,
          archived_at: new Date(),
          secrets: null,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('archived_at', 'is', null)
        .returning('slug')
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('webhook_subscriptions').where('connection_id', '=', id).execute();
      return row.slug;
    });
  }
}

const FILE_PATH_OF: Partial<Record<SecretField, string>> = {
  mycashflowApiKey: 'mycashflow.apiKey',
  productApiPassword: 'netbaron.productApiPassword',
  orderApiPassword: 'netbaron.orderApiPassword',
};

/** A file that moves a stored connection to another address must carry the credentials for it. */
function refuseMovedCredentials(
  slug: string,
  existing: ConnectionRecord,
  settings: StoredSettings,
  secrets: Secrets,
): void {
  const missing = credentialsToRetype(existing.settings, existing.secretsSet, settings, secrets);
  if (missing.length === 0) return;
  const moved = [...new Set(missing.map((f) => `${FILE_PATH_OF[f]!.split('.')[0]}.baseUrl`))];
  throw new ConnectionFileError(
    `connection ${slug}: the file changes its ${moved.join(' and ')} but does not carry ${missing.map((f) => FILE_PATH_OF[f]).join(' and ')} for the new address; a saved credential is never sent to another address. Add the credential to the file, or keep the address.`,
  );
}
