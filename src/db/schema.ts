import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ConnectionsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  settings: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The typed shape of the database, table by table, as the migrations leave it. */
export interface Database {
  connections: ConnectionsTable;
}

export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnection = Insertable<ConnectionsTable>;
