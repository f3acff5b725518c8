import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ActionStatus, RunStatus } from '../catalog/import-store.ts';
import type { LedgerState } from '../orders/ledger.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ConnectionsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  settings: ColumnType<unknown, string | undefined, string>;
  /** The credentials, sealed with the service's key (AES-256-GCM, bound to the row's id). */
  secrets: string | null;
  schedule_fired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** (0012) `stored`: kept by the service; `file`: only the history of a connection file's CLI runs. */
  origin: ColumnType<ConnectionOrigin, ConnectionOrigin | undefined, ConnectionOrigin>;
  /** (0012) Paused by a person: no import, no order sent; orders are still received and wait. */
  paused_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** (0012) Removed by a person; its history stays readable. */
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type ConnectionOrigin = 'stored' | 'file';

type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;

export interface ImportRunsTable {
  id: Generated<string>;
  connection_id: string;
  status: RunStatus;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  forced: ColumnType<boolean, boolean | undefined, boolean>;
  settings: Json;
  counts: Json;
  guard: Json;
  linked_codes: ColumnType<string[], string | undefined, string>;
  removed_codes: ColumnType<string[], string | undefined, string>;
  summary: NullableJson;
  error: string | null;
  /** `cli`, `manual` (the admin page) or `schedule`. */
  trigger: ColumnType<string, string | undefined, string>;
  job_id: string | null;
  /** A retry run: the run whose failed writes it retries. */
  retry_of: ColumnType<string | null, string | null | undefined, string | null>;
  /** A retry run: the only codes it planned for. */
  scope: NullableJson<string[]>;
  /** When it began reading both systems: the next import counts the store's returns from here. */
  read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface StockHoldsTable {
  connection_id: string;
  code: string;
  /** Returned units NetBaron does not have yet, counted until `counted_until`. */
  returned: number;
  store_quantity: number;
  netbaron_quantity: number;
  held_since: Timestamp;
  counted_until: ColumnType<Date, Date | string, Date | string>;
  last_run_id: string;
}

export interface ImportCancelRequestsTable {
  job_id: string;
  requested_at: Timestamp;
}

export interface ImportActionsTable {
  id: Generated<string>;
  run_id: string;
  seq: number;
  phase: number;
  kind: string;
  code: string;
  action: Json;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  verify: ColumnType<boolean, boolean | undefined, boolean>;
  attempts: ColumnType<number, number | undefined, number>;
  result: NullableJson;
  error: string | null;
  updated_at: Timestamp;
}

export interface ImportProblemsTable {
  id: Generated<string>;
  run_id: string;
  kind: string;
  code: string;
  reason: string;
  places: NullableJson<string[]>;
}

export interface ProductLinksTable {
  connection_id: string;
  code: string;
  linked_at: Timestamp;
  last_run_id: string;
}

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OrderLedgerTable {
  connection_id: string;
  order_id: string;
  state: LedgerState;
  source: string;
  order: Json;
  order_created_at: NullableTime;
  reason: string | null;
  /** Why it is not in NetBaron, as a code the inbox groups by (`src/orders/order-cause.ts`). */
  cause: ColumnType<string | null, string | null | undefined, string | null>;
  sent_document: string | null;
  sales_order_number: string | null;
  netbaron_answer: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  received_at: Timestamp;
  sending_since: NullableTime;
  next_attempt_at: NullableTime;
  sent_at: NullableTime;
  updated_at: Timestamp;
  /** Generated (0007): customer names, company and product codes in lower case, for the list's search. */
  search_text: ColumnType<string, never, never>;
  /** Generated (0007): `order_created_at`, or `received_at` for an order that carried no time. */
  placed_at: ColumnType<Date, never, never>;
}

export interface OrderEventsTable {
  id: Generated<string>;
  connection_id: string;
  order_id: string;
  at: Timestamp;
  kind: string;
  detail: string | null;
}

export interface OrderPollCursorsTable {
  connection_id: string;
  created_from: ColumnType<Date, Date | string, Date | string>;
  /** Orders created before this are never polled in (set when a store is added to the service). */
  not_before: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Timestamp;
  /** (0012) When the last poll of the store's orders finished. */
  polled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface WebhookSubscriptionsTable {
  connection_id: string;
  topic: string;
  uuid: string;
  url: string;
  expands: Json<string[]>;
  created_at: Timestamp;
}

export interface AdminUsersTable {
  username: string;
  password_hash: string;
  created_at: Timestamp;
  password_set_at: Timestamp;
}

export interface AdminSessionsTable {
  /** SHA-256 of the cookie's value: a leaked table does not give a usable session. */
  id_hash: string;
  username: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface NotificationGroupsTable {
  id: Generated<string>;
  connection_id: string;
  key: string;
  opened_at: ColumnType<Date, Date | string, Date | string>;
  closed_at: NullableTime;
}

export interface NotificationStateTable {
  connection_id: string;
  /** The connection's local day (YYYY-MM-DD) whose digest moment has passed. */
  digest_on: string | null;
}

export type NotificationState = 'pending' | 'delivered' | 'failed';

export interface NotificationsTable {
  /** The delivery id: the same on every attempt of one message. */
  id: string;
  connection_id: string;
  channel: 'email' | 'webhook';
  event: string;
  body: string;
  dedupe_key: string | null;
  state: NotificationState;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: NullableTime;
  created_at: ColumnType<Date, Date | string, Date | string>;
  delivered_at: NullableTime;
}

/** (0015) The store's catalog as the last reading left it: cursors and doubt (`src/db/store-mirror.ts`). */
export interface StoreMirrorTable {
  connection_id: string;
  /** Bumped by each full reading; rows of older generations are gone when it ends. */
  generation: ColumnType<number, number | undefined, number>;
  /** The store's API address the mirror was read from: another address, another store. */
  store_address: ColumnType<string | null, string | null | undefined, string | null>;
  full_read_at: NullableTime;
  /** The store's time from which `updated_at-from` reads changed products next. */
  products_from: NullableTime;
  stock_change_id: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  stock_change_at: NullableTime;
  stock_read_at: NullableTime;
  /** From when the stored return entries are complete. */
  returns_from: NullableTime;
  /** Why the next reading must be full; null when the mirror is trusted. */
  doubt: ColumnType<string | null, string | null | undefined, string | null>;
  product_count: ColumnType<number, number | undefined, number>;
  unreadable: ColumnType<unknown, string | undefined, string>;
}

export interface StoreMirrorProductsTable {
  connection_id: string;
  product_id: string | number;
  generation: number;
  doc: ColumnType<unknown, string, string>;
}

export interface StoreMirrorStockTable {
  connection_id: string;
  stock_item_id: string | number;
  quantity: number;
}

export interface StoreMirrorReturnsTable {
  connection_id: string;
  change_id: string | number;
  changed_at: ColumnType<Date, Date | string, Date | string>;
  entry: ColumnType<unknown, string, string>;
}

/** The typed shape of the database, table by table, as the migrations leave it. */
export interface Database {
  connections: ConnectionsTable;
  import_runs: ImportRunsTable;
  import_actions: ImportActionsTable;
  import_problems: ImportProblemsTable;
  import_cancel_requests: ImportCancelRequestsTable;
  stock_holds: StockHoldsTable;
  product_links: ProductLinksTable;
  order_ledger: OrderLedgerTable;
  order_events: OrderEventsTable;
  order_poll_cursors: OrderPollCursorsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  notification_groups: NotificationGroupsTable;
  notification_state: NotificationStateTable;
  notifications: NotificationsTable;
  sign_in_attempts: SignInAttemptsTable;
  store_mirror: StoreMirrorTable;
  store_mirror_products: StoreMirrorProductsTable;
  store_mirror_stock: StoreMirrorStockTable;
  store_mirror_returns: StoreMirrorReturnsTable;
}

/** One address's sign-in attempts in its current window (`*`: every address together). */
export interface SignInAttemptsTable {
  address: string;
  attempts: number;
  window_started_at: Timestamp;
}

export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnection = Insertable<ConnectionsTable>;
