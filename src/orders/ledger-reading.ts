import { parseCents, type Cents } from '../domain/money.ts';
import { orderSchema, type McfOrder } from '../mycashflow/schemas.ts';
import { readSalesOrder, type NbSalesOrder } from '../netbaron/wire/salesorder.ts';
import { joinName } from './map-order.ts';

/*
 * What the ledger's stored texts say about an order, read for people (the admin pages). Each reader
 * gives undefined rather than throwing for a text it cannot read: a page shows what it can.
 */

/** The document last built for NetBaron (the `sent_document` column), read back. */
export function sentDocumentOf(xml: string | null | undefined): NbSalesOrder | undefined {
  if (!xml) return undefined;
  try {
    return readSalesOrder(xml);
  } catch {
    return undefined;
  }
}

/** The store's order as the ledger received it (the `order` column). */
export function storeOrderOf(json: unknown): McfOrder | undefined {
  const parsed = orderSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** An amount kept as the exact decimal text of a JSON number (`"24.9"`), in cents. */
export function centsOfText(text: string | null | undefined): Cents | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return parseCents(text);
  } catch {
    return undefined;
  }
}

export interface Customer {
  /** First and last name; '' when the order has neither. */
  name: string;
  company: string;
}

export function customerOf(info: {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
}): Customer {
  return { name: joinName(info.first_name, info.last_name), company: info.company?.trim() ?? '' };
}
