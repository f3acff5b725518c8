import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { LedgerState } from '../orders/ledger.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** The calendar the date filter counts days in: the store's, as the merchant reads dates on orders. */
export const STORE_TIME_ZONE = 'Europe/Helsinki';

/** What the orders list is narrowed to, besides the state. Built by the page's query parser. */
export interface OrderSearch {
  /** An order number, or part of a customer's name or company, or of a product code; '' for none. */
  text: string;
  /** The first and last day placed, `YYYY-MM-DD` in the store's time zone, both inclusive. */
  from?: string;
  to?: string;
}

export const NO_SEARCH: OrderSearch = { text: '' };

export const isSearching = (s: OrderSearch): boolean =>
  s.text !== '' || s.from !== undefined || s.to !== undefined;

/** The search text as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** An order number as typed (`10023` or `#10023`), when the text can be one (18 digits always fit a bigint). */
export const orderNumberOf = (text: string): string | undefined => /^#?(\d{1,18})$/.exec(text)?.[1];

/**
 * Narrows a query of the ledger to the orders the search finds. The text is matched against the short
 * generated `search_text` column (lower case, see migration 0007) rather than the order's JSON, and folded
 * by the same `lower()`; days are turned into instants in the store's time zone by PostgreSQL, which knows
 * its daylight-saving dates.
 */
export function whereSearchFinds<O>(
  query: SelectQueryBuilder<Database, 'order_ledger', O>,
  search: OrderSearch,
): SelectQueryBuilder<Database, 'order_ledger', O> {
  let q = query;
  if (search.text !== '') {
    const pattern = containsPattern(search.text);
    const number = orderNumberOf(search.text);
    q = q.where((eb) =>
      eb.or([
        eb('search_text', 'like', sql<string>`lower(${pattern})`),
        ...(number === undefined ? [] : [eb('order_id', '=', number)]),
      ]),
    );
  }
  if (search.from !== undefined)
    q = q.where(
      'placed_at',
      '>=',
      sql<Date>`(${search.from}::date)::timestamp at time zone ${sql.lit(STORE_TIME_ZONE)}`,
    );
  if (search.to !== undefined)
    q = q.where(
      'placed_at',
      '<',
      sql<Date>`(${search.to}::date + 1)::timestamp at time zone ${sql.lit(STORE_TIME_ZONE)}`,
    );
  return q;
}

/** One order of the list, as the ledger holds it; the view reads the money and the document. */
export interface OrderListEntry {
  order_id: string;
  state: LedgerState;
  placed_at: Date;
  sales_order_number: string | null;
  reason: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  /** The order's total as the exact decimal text of its JSON number. */
  total: string | null;
  payment_method_id: string | null;
  /** The document last built for NetBaron, whose payment method text names the method. */
  sent_document: string | null;
}

/** One page of the orders the search finds, newest first (MyCashflow's order ids only grow). */
export async function orderListPage(
  db: Db,
  connectionId: string,
  options: { search: OrderSearch; state?: LedgerState; offset: number; limit: number },
): Promise<OrderListEntry[]> {
  let query = db
    .selectFrom('order_ledger')
    .select([
      'order_id',
      'state',
      'placed_at',
      'sales_order_number',
      'reason',
      'sent_document',
      sql<string | null>`"order" -> 'customer_information' ->> 'first_name'`.as('first_name'),
      sql<string | null>`"order" -> 'customer_information' ->> 'last_name'`.as('last_name'),
      sql<string | null>`"order" -> 'customer_information' ->> 'company'`.as('company'),
      sql<string | null>`"order" ->> 'total'`.as('total'),
      sql<string | null>`"order" ->> 'payment_method_id'`.as('payment_method_id'),
    ])
    .where('connection_id', '=', connectionId);
  if (options.state) query = query.where('state', '=', options.state);
  return whereSearchFinds(query, options.search)
    .orderBy('order_id', 'desc')
    .offset(options.offset)
    .limit(options.limit)
    .execute();
}
