import type { OrderExportSettings, StoreContact } from '../config/connection-file.ts';
import { addCents, cents, formatCents, formatVatRate } from '../domain/money.ts';
import { priceRow, totalsOf } from '../domain/sales-order-math.ts';
import type { McfOrder, McfTaxRow, McfVersion } from '../mycashflow/schemas.ts';
import { storeDate } from '../mycashflow/timestamps.ts';
import type { NbAddress, NbSalesOrder, NbSalesOrderRow, NbSeller } from '../netbaron/wire/salesorder.ts';

export interface MappingInput {
  /** Read with `expand=products,tax_summary`. */
  order: McfOrder;
  /** The name of the order's payment method, from `/payment-methods`; undefined when unknown. */
  paymentMethodName: string | undefined;
  shippingMethodName: string | undefined;
  /** The store version the order was placed in, with its contact fields. */
  version: McfVersion | undefined;
  settings: OrderExportSettings;
}

export type MappingResult = { ok: true; salesOrder: NbSalesOrder } | { ok: false; reason: string };

/** A person's name from its parts, either of which may be missing. */
export const joinName = (first?: string | null, last?: string | null): string =>
  [first, last]
    .filter((p) => p && p.trim())
    .join(' ')
    .trim();

class WaitReason extends Error {}
const need = <T>(value: T | null | undefined, reason: string): T => {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    throw new WaitReason(reason);
  return value;
};

function costRows(
  entries: McfTaxRow[],
  article: string,
  name: string,
  id: string,
  sign: 1 | -1,
): NbSalesOrderRow[] {
  const used = entries.filter((t) => t.total !== 0);
  return used.map((t) => {
    const priced = priceRow(1, cents(sign * t.total), t.tax_rate);
    return {
      articleIdentifier: article,
      articleName: name,
      quantity: 1,
      unitPriceVatIncluded: priced.unitPriceVatIncluded,
      vatRate: t.tax_rate,
      vatAmount: priced.vatAmount,
      vatExcludedAmount: priced.vatExcludedAmount,
      externalRowIdentifier: used.length === 1 ? id : `${id}-${formatVatRate(t.tax_rate)}`,
    };
  });
}

/**
 * Seller details: the store's general contact details, or with *Use version contact details* the order's
 * store version, each field falling back to the store's when the version does not set it.
 */
function seller(input: MappingInput): NbSeller {
  const store: StoreContact = input.settings.storeContact;
  const version = input.settings.useVersionContactDetails ? (input.version?.contact ?? {}) : {};
  const pick = (field: keyof StoreContact): string | undefined => {
    const own = (version as Partial<Record<keyof StoreContact, string | null>>)[field];
    return own && own.trim() ? own : store[field];
  };
  return {
    identifier: pick('business_id'),
    organisationName: pick('company'),
    address: {
      street: pick('street_address'),
      town: pick('city'),
      postCode: pick('postal_code'),
      countryCode: pick('country'),
    },
    phone: pick('phone'),
    email: pick('email'),
  };
}

function map(input: MappingInput): NbSalesOrder {
  const { order, settings } = input;
  const lines = need(order.products, 'the order was read without its lines');
  const summary = need(order.tax_summary, 'the order was read without its tax summary');
  const billing = order.customer_information;
  const buyerName = joinName(billing.first_name, billing.last_name);
  const buyerAddress: NbAddress = {
    street: need(billing.street_address, 'the customer has no street address'),
    town: need(billing.city, 'the customer has no city'),
    postCode: need(billing.postal_code, 'the customer has no postal code'),
    countryCode: need(billing.country, 'the customer has no country'),
  };
  const shipsElsewhere = Boolean(order.different_shipping_address && order.shipping_address);
  const ship = shipsElsewhere ? order.shipping_address! : billing;
  const deliveryName = need(
    ship.company?.trim() || joinName(ship.first_name, ship.last_name),
    'the delivery address has no name',
  );
  const deliveryAddress: NbAddress = shipsElsewhere
    ? {
        street: need(ship.street_address, 'the delivery address has no street address'),
        town: need(ship.city, 'the delivery address has no city'),
        postCode: need(ship.postal_code, 'the delivery address has no postal code'),
        countryCode: need(ship.country, 'the delivery address has no country'),
      }
    : buyerAddress;

  const productRows = lines.map((line): NbSalesOrderRow => {
    const code = need(line.product_code, `line ${line.id} ("${line.product_name}") has no product code`);
    if (line.quantity <= 0)
      throw new WaitReason(
        `line ${line.id} (${code}) has quantity ${line.quantity}; returned goods are not sent as a new order`,
      );
    const priced = priceRow(line.quantity, line.unit_price, line.vat_rate);
    return {
      articleIdentifier: code,
      articleName: line.model_name ? `${line.product_name}, ${line.model_name}` : line.product_name,
      quantity: line.quantity,
      unitPriceVatIncluded: priced.unitPriceVatIncluded,
      vatRate: line.vat_rate,
      vatAmount: priced.vatAmount,
      vatExcludedAmount: priced.vatExcludedAmount,
      externalRowIdentifier: String(line.id),
    };
  });
  const paymentName = need(
    input.paymentMethodName,
    `payment method ${order.payment_method_id ?? '(none)'} of the order is not in the store's list of payment methods`,
  );
  const rows = [
    ...productRows,
    ...costRows(
      summary.shipping_costs,
      settings.shippingArticleCode,
      input.shippingMethodName ?? 'Toimitus',
      'shipping',
      1,
    ),
    ...costRows(summary.payment_costs, settings.paymentCostArticleCode, paymentName, 'payment', 1),
    ...costRows(summary.discount, settings.discountArticleCode, 'Alennus', 'discount', -1),
  ];
  const totals = totalsOf(
    rows.map((r) => ({
      gross: addCents(r.vatAmount, r.vatExcludedAmount),
      vatAmount: r.vatAmount,
      vatExcludedAmount: r.vatExcludedAmount,
    })),
  );
  if (totals.vatIncluded !== order.total) {
    throw new WaitReason(
      `the rows add up to ${formatCents(totals.vatIncluded)} but the order's total in MyCashflow is ${formatCents(order.total)}; it is not sent until they agree`,
    );
  }
  return {
    seller: seller(input),
    buyer: {
      identifier: billing.company?.trim() && billing.vat_code?.trim() ? billing.vat_code.trim() : undefined,
      organisationName: need(billing.company?.trim() || buyerName, 'the customer has no name'),
      address: buyerAddress,
    },
    buyerContactPersonName: need(buyerName || billing.company, 'the customer has no name'),
    buyerPhone: billing.phone?.trim() || undefined,
    buyerEmail: need(billing.email, 'the customer has no e-mail address'),
    delivery: { organisationName: deliveryName, address: deliveryAddress },
    orderIdentifier: String(order.id),
    orderDate: need(
      storeDate(order.created_at),
      `the order's creation time "${order.created_at}" cannot be read`,
    ),
    paymentMethodText: paymentName,
    rows,
    totals,
  };
}

/**
 * A MyCashflow order as NetBaron's sales order (`netbaron-ws.md` §15.7, §15.7.1), or the reason it cannot
 * be sent yet, in words a merchant can act on. Pure: everything it needs is in the input.
 */
export function mapOrder(input: MappingInput): MappingResult {
  try {
    return { ok: true, salesOrder: map(input) };
  } catch (err) {
    if (err instanceof WaitReason) return { ok: false, reason: `Order ${input.order.id}: ${err.message}.` };
    throw err;
  }
}
