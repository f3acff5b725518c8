import { z } from 'zod';
import { nbSalesOrderNumberSchema, type NbSalesOrderNumber } from '../../domain/ids.ts';
import { formatCents, formatVatRate, type Cents, type VatBasisPoints } from '../../domain/money.ts';
import { children, parseXmlDocument, writeXmlDocument, type XmlNode } from './xml.ts';

/*
 * The Sales Order module's wire format (`netbaron-ws.md` §15.7–§15.9). The only file that knows its
 * element names; the rest of the connector builds an `NbSalesOrder`.
 */

export interface NbAddress {
  street: string;
  town: string;
  postCode: string;
  countryCode: string;
}

export interface NbSeller {
  identifier?: string;
  organisationName?: string;
  address?: Partial<NbAddress>;
  phone?: string;
  email?: string;
}

export interface NbSalesOrderRow {
  articleIdentifier: string;
  articleName: string;
  quantity: number;
  unitPriceVatIncluded: Cents;
  vatRate: VatBasisPoints;
  vatAmount: Cents;
  vatExcludedAmount: Cents;
  externalRowIdentifier: string;
}

export interface NbSalesOrder {
  seller?: NbSeller;
  buyer: { identifier?: string; organisationName: string; address: NbAddress };
  buyerContactPersonName: string;
  buyerPhone?: string;
  buyerEmail: string;
  delivery: { organisationName: string; address: NbAddress };
  orderIdentifier: string;
  /** YYYY-MM-DD */
  orderDate: string;
  paymentMethodText: string;
  rows: NbSalesOrderRow[];
  totals: { vatExcluded: Cents; vat: Cents; vatIncluded: Cents };
}

const text = (name: string, value: string | undefined): XmlNode | undefined =>
  value === undefined || value === '' ? undefined : [name, value];

function sellerNode(seller: NbSeller): XmlNode {
  const a = seller.address ?? {};
  return [
    'SellerPartyDetails',
    [
      text('SellerPartyIdentifier', seller.identifier),
      text('SellerOrganisationName', seller.organisationName),
      [
        'SellerPostalAddressDetails',
        [
          text('SellerStreetName', a.street),
          text('SellerTownName', a.town),
          text('SellerPostCodeIdentifier', a.postCode),
          text('CountryCode', a.countryCode),
        ],
      ],
      [
        'SellerCommunicationDetails',
        [
          text('SellerPhoneNumberIdentifier', seller.phone),
          text('SellerEmailaddressIdentifier', seller.email),
        ],
      ],
    ],
  ];
}

export function writeSalesOrder(order: NbSalesOrder): string {
  const b = order.buyer.address;
  const d = order.delivery.address;
  const root: XmlNode = [
    'SalesOrder',
    [
      order.seller ? sellerNode(order.seller) : undefined,
      [
        'BuyerPartyDetails',
        [
          text('BuyerPartyIdentifier', order.buyer.identifier),
          ['BuyerOrganisationName', order.buyer.organisationName],
          [
            'BuyerPostalAddressDetails',
            [
              ['BuyerStreetName', b.street],
              ['BuyerTownName', b.town],
              ['BuyerPostCodeIdentifier', b.postCode],
              ['CountryCode', b.countryCode],
            ],
          ],
        ],
      ],
      ['BuyerContactPersonName', order.buyerContactPersonName],
      [
        'BuyerCommunicationDetails',
        [
          text('BuyerPhoneNumberIdentifier', order.buyerPhone),
          ['BuyerEmailaddressIdentifier', order.buyerEmail],
        ],
      ],
      [
        'DeliveryPartyDetails',
        [
          ['DeliveryOrganisationName', order.delivery.organisationName],
          [
            'DeliveryPostalAddressDetails',
            [
              ['DeliveryStreetName', d.street],
              ['DeliveryTownName', d.town],
              ['DeliveryPostCodeIdentifier', d.postCode],
              ['CountryCode', d.countryCode],
            ],
          ],
        ],
      ],
      [
        'InvoiceDetails',
        [
          ['OrderIdentifier', order.orderIdentifier],
          ['OrderDate', order.orderDate],
          ['InvoiceTotalVatExcludedAmount', formatCents(order.totals.vatExcluded)],
          ['InvoiceTotalVatAmount', formatCents(order.totals.vat)],
          ['InvoiceTotalVatIncludedAmount', formatCents(order.totals.vatIncluded)],
        ],
      ],
      ['PaymentStatusDetails', [['PaymentMethodText', order.paymentMethodText]]],
      ...order.rows.map((r): XmlNode => [
        'InvoiceRow',
        [
          ['ArticleIdentifier', r.articleIdentifier],
          ['ArticleName', r.articleName],
          ['OrderedQuantity', String(r.quantity)],
          ['UnitPriceVatIncludedAmount', formatCents(r.unitPriceVatIncluded)],
          ['RowVatRatePercent', formatVatRate(r.vatRate)],
          ['RowVatAmount', formatCents(r.vatAmount)],
          ['RowVatExcludedAmount', formatCents(r.vatExcludedAmount)],
          ['ExternalRowIdentifier', r.externalRowIdentifier],
        ],
      ]),
    ],
  ];
  return writeXmlDocument(root);
}

export interface NbSalesOrderReceipt {
  salesOrderNumber: NbSalesOrderNumber;
  orderIdentifier: string;
  status: string;
}

const receiptSchema = z.object({
  SalesOrderNumber: nbSalesOrderNumberSchema,
  OrderIdentifier: z.string(),
  Status: z.string(),
});

export function parseSalesOrderResponse(xml: string): NbSalesOrderReceipt {
  const r = receiptSchema.parse(parseXmlDocument(xml, []).SalesOrderResponse);
  return { salesOrderNumber: r.SalesOrderNumber, orderIdentifier: r.OrderIdentifier, status: r.Status };
}

export interface NbSalesOrderSummary extends NbSalesOrderReceipt {
  orderDate?: string;
  totalVatIncluded?: string;
}

const summarySchema = receiptSchema.extend({
  OrderDate: z.string().optional(),
  InvoiceTotalVatIncludedAmount: z.string().optional(),
});

/** Found orders for an identifier; an empty list is an explicit answer, not an error (§15.8). */
export function parseSalesOrdersResponse(xml: string): NbSalesOrderSummary[] {
  const doc = parseXmlDocument(xml, ['SalesOrder']);
  const response = doc.SalesOrdersResponse;
  if (response === undefined) throw new Error('SalesOrdersResponse element missing');
  const list = children(children(response).SalesOrders).SalesOrder;
  return z
    .array(summarySchema)
    .default([])
    .parse(list)
    .map((s) => ({
      salesOrderNumber: s.SalesOrderNumber,
      orderIdentifier: s.OrderIdentifier,
      status: s.Status,
      orderDate: s.OrderDate,
      totalVatIncluded: s.InvoiceTotalVatIncludedAmount,
    }));
}

export const findOrderQuery = (orderIdentifier: string): URLSearchParams =>
  new URLSearchParams({ OrderIdentifier: orderIdentifier });
export const paymentMethodsQuery = (): URLSearchParams => new URLSearchParams({ ListPaymentMethods: 'true' });

export function parsePaymentMethods(xml: string): string[] {
  const doc = parseXmlDocument(xml, ['PaymentMethod']);
  const response = doc.PaymentMethodsResponse;
  if (response === undefined) throw new Error('PaymentMethodsResponse element missing');
  const list = children(children(response).PaymentMethods).PaymentMethod;
  return z
    .array(z.object({ Name: z.string() }))
    .default([])
    .parse(list)
    .map((m) => m.Name);
}
