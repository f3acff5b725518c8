import { z } from 'zod';
import type { OrderSearch } from '../../db/order-list.ts';
import type { LedgerState } from '../../orders/ledger.ts';

/** The filters in the order the merchant needs them: what needs a person first. */
export const ORDER_FILTERS = ['all', 'waiting', 'outcome-unknown', 'sent', 'received', 'sending'] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

/** Longer search text is cut here: no name or code is this long, and the query stays cheap. */
export const SEARCH_MAX_LENGTH = 100;

export interface OrderListQuery extends OrderSearch {
  filter: OrderFilter;
  /** 1-based. */
  page: number;
}

/**
 * A real calendar day as `<input type="date">` sends it (`2026-02-30` is not one), in years PostgreSQL
 * takes as a date (it has no year 0).
 */
const daySchema = z
  .string()
  .regex(/^[1-9]\d{3}-\d{2}-\d{2}$/)
  .refine((text) => {
    const d = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
  });

const fields = {
  state: z.enum(ORDER_FILTERS),
  page: z
    .string()
    .regex(/^\d{1,7}$/)
    .transform(Number)
    .refine((n) => n >= 1),
  // Control characters never belong in a name or a code; runs of spaces count as one.
  q: z.string().transform((text) =>
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, SEARCH_MAX_LENGTH)
      .trim(),
  ),
  day: daySchema,
};

/** One parameter read with its schema; anything missing or malformed is simply not applied. */
function read<T>(schema: z.ZodType<T, string>, value: string | null): T | undefined {
  if (value === null) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The orders list's query string. Each part is read on its own, and a malformed part is dropped (a page
 * of `-2` is the first page, a date that is not one filters nothing), so that no address gives an error.
 * Days given the wrong way round are swapped: the merchant meant the days between them.
 */
export function orderListQuery(params: URLSearchParams): OrderListQuery {
  let from = read(fields.day, params.get('from'));
  let to = read(fields.day, params.get('to'));
  if (from !== undefined && to !== undefined && from > to) [from, to] = [to, from];
  return {
    filter: read(fields.state, params.get('state')) ?? 'all',
    page: read(fields.page, params.get('page')) ?? 1,
    text: read(fields.q, params.get('q')) ?? '',
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** The list's address for a query, with only what differs from the defaults (so links stay short). */
export function orderListUrl(
  base: string,
  query: OrderListQuery,
  change: Partial<OrderListQuery> = {},
): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.text) params.set('q', q.text);
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  if (q.filter !== 'all') params.set('state', q.filter);
  if (q.page > 1) params.set('page', String(q.page));
  const qs = params.toString();
  return `${base}/orders${qs ? `?${qs}` : ''}`;
}

/** The state to filter the ledger by, or undefined for all. */
export const stateOf = (filter: OrderFilter): LedgerState | undefined =>
  filter === 'all' ? undefined : filter;

/** `?requeued=N` after "Retry all waiting": how many were queued again, when the number is readable. */
export function requeuedOf(params: URLSearchParams): number | undefined {
  return read(
    z
      .string()
      .regex(/^\d{1,7}$/)
      .transform(Number),
    params.get('requeued'),
  );
}
