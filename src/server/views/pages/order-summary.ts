import {
  addCents,
  cents,
  formatVatRate,
  multiplyCents,
  type Cents,
  type VatBasisPoints,
} from '../../../domain/money.ts';
import type { McfOrder } from '../../../mycashflow/schemas.ts';
import type { NbAddress, NbSalesOrder } from '../../../netbaron/wire/salesorder.ts';
import { customerOf } from '../../../orders/ledger-reading.ts';
import { day, euros } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';

/*
 * An order as a person reads it: the parties, the rows with their money, the totals. From the document
 * built for NetBaron when there is one (exactly what was sent), else from the store's own order.
 */

export interface SummaryRow {
  code: string;
  name: string;
  quantity: number;
  unitPrice: Cents;
  vatRate: VatBasisPoints;
  /** Quantity × unit price, VAT included. */
  total: Cents;
}

/** The document's rows; a row's total is its VAT plus its VAT-excluded amount, as NetBaron adds them. */
export const documentRows = (doc: NbSalesOrder): SummaryRow[] =>
  doc.rows.map((r) => ({
    code: r.articleIdentifier,
    name: r.articleName,
    quantity: r.quantity,
    unitPrice: r.unitPriceVatIncluded,
    vatRate: r.vatRate,
    total: addCents(r.vatAmount, r.vatExcludedAmount),
  }));

export const storeOrderRows = (order: McfOrder): SummaryRow[] =>
  (order.products ?? []).map((l) => ({
    code: l.product_code ?? '',
    name: l.model_name ? `${l.product_name}, ${l.model_name}` : l.product_name,
    quantity: l.quantity,
    unitPrice: l.unit_price,
    vatRate: l.vat_rate,
    total: multiplyCents(l.unit_price, l.quantity),
  }));

export const vatText = (rate: VatBasisPoints): string => `${formatVatRate(rate)} %`;

/** Non-empty lines only: a party block shows what it has. */
const lines = (...parts: Array<string | undefined | null>): Html => {
  const kept = parts.map((p) => p?.trim()).filter((p): p is string => Boolean(p));
  return kept.length === 0
    ? html`<span class="muted">—</span>`
    : html`${kept.map((p, i) => (i === 0 ? html`${p}` : html`<br />${p}`))}`;
};

const placeLine = (a: Partial<NbAddress>): string => [a.postCode, a.town].filter(Boolean).join(' ');

function party(heading: string, body: Html): Html {
  return html`<section>
    <h3>${heading}</h3>
    <p>${body}</p>
  </section>`;
}

interface TotalLine {
  label: string;
  amount: Cents;
  /** The grand total: set apart. */
  grand?: boolean;
}

function rowsTable(rows: readonly SummaryRow[], totals: readonly TotalLine[]): Html {
  return html`<table class="summary">
    <thead>
      <tr>
        <th>Code</th>
        <th>Product</th>
        <th class="num">Quantity</th>
        <th class="num">Unit price incl. VAT</th>
        <th class="num">VAT</th>
        <th class="num">Row total incl. VAT</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <td>${r.code || '—'}</td>
            <td>${r.name}</td>
            <td class="num">${r.quantity}</td>
            <td class="num">${euros(r.unitPrice)}</td>
            <td class="num">${vatText(r.vatRate)}</td>
            <td class="num">${euros(r.total)}</td>
          </tr>`,
      )}
    </tbody>
    <tfoot>
      ${totals.map(
        (t) =>
          html`<tr${t.grand ? html` class="grand"` : ''}>
            <th colspan="5" class="num">${t.label}</th>
            <td class="num">${euros(t.amount)}</td>
          </tr>`,
      )}
    </tfoot>
  </table>`;
}

/** What the document built for NetBaron says, for the order's page. */
export function documentSummary(doc: NbSalesOrder): Html {
  const s = doc.seller;
  const b = doc.buyer;
  const contact = doc.buyerContactPersonName !== b.organisationName ? doc.buyerContactPersonName : undefined;
  return html`<div class="parties">
      ${party(
        'Seller',
        s
          ? lines(
              s.organisationName,
              s.identifier && `Business ID ${s.identifier}`,
              s.address?.street,
              placeLine(s.address ?? {}),
              s.address?.countryCode,
              s.phone,
              s.email,
            )
          : lines(),
      )}
      ${party(
        'Buyer',
        lines(
          b.organisationName,
          contact,
          b.identifier && `Business ID ${b.identifier}`,
          b.address.street,
          placeLine(b.address),
          b.address.countryCode,
          doc.buyerPhone,
          doc.buyerEmail,
        ),
      )}
      ${party(
        'Delivery address',
        lines(
          doc.delivery.organisationName,
          doc.delivery.address.street,
          placeLine(doc.delivery.address),
          doc.delivery.address.countryCode,
        ),
      )}
    </div>
    <p class="order-meta">
      <span>Order date: ${day(doc.orderDate)}</span>
      <span>Payment method: ${doc.paymentMethodText || '—'}</span>
    </p>
    ${rowsTable(documentRows(doc), [
      { label: 'Total excl. VAT', amount: doc.totals.vatExcluded },
      { label: 'VAT', amount: doc.totals.vat },
      { label: 'Total incl. VAT', amount: doc.totals.vatIncluded, grand: true },
    ])}`;
}

/** The store's own order, for an order no document has been built for yet. */
export function storeOrderSummary(order: McfOrder): Html {
  const info = order.customer_information;
  const customer = customerOf(info);
  const ship = order.different_shipping_address ? order.shipping_address : undefined;
  const shipName = ship && customerOf(ship);
  const costs: TotalLine[] = [
    { label: 'Products', amount: order.subtotal },
    ...(order.shipping_costs ? [{ label: 'Shipping', amount: order.shipping_costs }] : []),
    ...(order.payment_costs ? [{ label: 'Payment costs', amount: order.payment_costs }] : []),
    ...(order.discount ? [{ label: 'Discount', amount: cents(-order.discount) }] : []),
    { label: 'Total incl. VAT', amount: order.total, grand: true },
  ];
  return html`<div class="parties">
      ${party(
        'Customer',
        lines(
          customer.company,
          customer.name,
          info.vat_code && `Business ID ${info.vat_code}`,
          info.street_address,
          placeLine({ postCode: info.postal_code ?? undefined, town: info.city ?? undefined }),
          info.country,
          info.phone,
          info.email,
        ),
      )}
      ${party(
        'Delivery address',
        ship && shipName
          ? lines(
              shipName.company,
              shipName.name,
              ship.street_address,
              placeLine({ postCode: ship.postal_code ?? undefined, town: ship.city ?? undefined }),
              ship.country,
            )
          : html`<span class="muted">The customer's address</span>`,
      )}
    </div>
    ${rowsTable(storeOrderRows(order), costs)}`;
}
