import { type Kysely, sql } from 'kysely';

/**
 * What an import plans from, a part at a time (`src/catalog/chunked-planning.ts`): NetBaron's listing as
 * read, and the store's codes from the mirror. Both are filled at the start of a planning and emptied at
 * its end, so they are unlogged: a crash loses nothing the next import does not stage again. Codes
 * compare byte by byte ("C"), the order the plan takes them in whatever the database's locale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unlogged table import_listing (
    connection_id bigint not null references connections(id) on delete cascade,
    seq integer not null,
    code text collate "C" not null,
    doc jsonb not null,
    primary key (connection_id, seq))`.execute(db);
  await sql`create index import_listing_code on import_listing (connection_id, code)`.execute(db);
  await sql`create unlogged table import_store_codes (
    connection_id bigint not null references connections(id) on delete cascade,
    code text collate "C" not null,
    product_id bigint not null)`.execute(db);
  await sql`create index import_store_codes_code on import_store_codes (connection_id, code)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_store_codes`.execute(db);
  await sql`drop table import_listing`.execute(db);
}
