import { type Kysely, sql } from 'kysely';

/**
 * What the orders list searches and filters by, kept beside each ledger row so that a search over a
 * ledger of 100 000 orders reads a short text column instead of every order's JSON:
 * - `search_text`: the customer's first and last name, company and every line's product code, in lower
 *   case (the database's own case folding, so that the search term is folded the same way);
 * - `placed_at`: when the order was placed in the store, or when the ledger received it for an order
 *   that carried no time; indexed with the connection for the date filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table order_ledger
      add column search_text text generated always as (
        lower(
          coalesce("order" -> 'customer_information' ->> 'first_name', '') || ' ' ||
          coalesce("order" -> 'customer_information' ->> 'last_name', '') || E'\n' ||
          coalesce("order" -> 'customer_information' ->> 'company', '') || E'\n' ||
          -- silent: an order of an unexpected shape is still stored, only unfound by code.
          jsonb_path_query_array("order", '$.products[*].product_code', '{}', true)::text
        )) stored,
      add column placed_at timestamptz generated always as (coalesce(order_created_at, received_at)) stored
  `.execute(db);
  await db.schema
    .createIndex('order_ledger_placed')
    .on('order_ledger')
    .columns(['connection_id', 'placed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('order_ledger_placed').execute();
  await db.schema.alterTable('order_ledger').dropColumn('search_text').dropColumn('placed_at').execute();
}
