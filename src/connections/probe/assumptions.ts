import type { ProbeSystem } from './check.ts';

/*
 * The assumptions the probe compares, one per id. Each id is named in the README's tables of what is
 * assumed and not documented (a unit test keeps the two in step), so a difference in a report points
 * at the row, the code and the simulator that carry the assumption.
 */

interface Assumption {
  system: ProbeSystem;
  text: string;
}

const mcf = (text: string): Assumption => ({ system: 'MyCashflow', text });
const nb = (text: string): Assumption => ({ system: 'NetBaron', text });

export const ASSUMPTIONS = {
  'mcf.auth': mcf('HTTP Basic with the API user and key answers JSON to Accept: application/json'),
  'mcf.auth-refused': mcf('A wrong API user or key is answered 401, telling nothing of the plan'),
  'mcf.trailing-slash': mcf('A path with a trailing slash is an error (404)'),
  'mcf.envelope': mcf('Lists come as {data, meta} with page, page_size, page_count and item_count'),
  'mcf.next-url': mcf(
    'meta.next is a full URL with the request’s scheme (the connector pages by page_count)',
  ),
  'mcf.page-size-cap': mcf('page_size above 1000 is capped to 1000, not refused'),
  'mcf.error-body': mcf('Errors carry the body {code, error, message}'),
  'mcf.products-read': mcf(
    'Products with variations, stock items and visibilities read with the model’s fields',
  ),
  'mcf.numbers-as-text': mcf('Numbers come as JSON numbers (decimal text such as "24.90" is read too)'),
  'mcf.empty-relations': mcf('An empty to-one expand comes as null (`[]` is read as null too)'),
  'mcf.purchase-price-decimals': mcf(
    'Purchase prices have at most two decimals (more are rounded, with a warning)',
  ),
  'mcf.timestamps': mcf('Timestamps carry the Helsinki offset (`Z` or none is read too)'),
  'mcf.timestamp-filter': mcf('created_at-from takes Helsinki time with its offset, without milliseconds'),
  'mcf.order-read': mcf('Orders read with products, tax_summary and payments; status in lower case'),
  'mcf.order-totals': mcf('Order amounts include VAT: total = subtotal + shipping + payment − discount'),
  'mcf.stock': mcf('GET /stock/{code} answers the stock item of a product or variation code'),
  'mcf.payment-methods': mcf('Payment and shipping methods list with id and name'),
  'mcf.versions': mcf('Store versions carry the contact fields, null where not overridden'),
  'mcf.webhooks': mcf('Webhook subscriptions can be listed'),
  'mcf.writes': mcf(
    'Writes: 409 on a duplicate code, visibilities by PATCH, variations deleted by DELETE, absolute stock by PATCH',
  ),
  'mcf.webhook-delivery': mcf('Webhook delivery: JSON {topic, uuid, data}, once, no retries'),
  'mcf.rate-limit': mcf('Rate limiting by 429 with Retry-After in seconds'),
  'nb.auth': nb('Modules at /ws/{module}{N}, HTTP Basic with the organisation and the module’s password'),
  'nb.flag-spelling': nb('Flags sent as TRUE/FALSE (or the connection’s spelling) are accepted'),
  'nb.marketplace': nb('The connection’s marketplace is listed by ListMarketplaces'),
  'nb.products-read': nb('<Product> elements read with the model’s elements and a dot as decimal separator'),
  'nb.flags-read': nb('Flags NetBaron writes (Deleted) are true/false in any case, or 1/0'),
  'nb.paging': nb('Pages of at most PageSize products, in ascending code order, with Page and PageCount'),
  'nb.duplicate-codes': nb('A code listed twice is held back and reported (the extension warns of it)'),
  'nb.payment-methods': nb('ListPaymentMethods lists the names PaymentMethodText must equal'),
  'nb.order-lookup': nb('Looking up a sales order that does not exist answers an empty list'),
  'nb.writes': nb(
    'Sales orders: one PUT each, the row rule to the cent, the decimal separator, no de-duplication of a repeated PUT',
  ),
} as const satisfies Record<string, Assumption>;

export type AssumptionId = keyof typeof ASSUMPTIONS;
