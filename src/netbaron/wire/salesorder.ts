import { z } from 'zod';
import { nbSalesOrderNumberSchema, type NbSalesOrderNumber } from '../../domain/ids.ts';
import { decimalMoneySchema, decimalVatRateSchema } from '../../domain/money-schemas.ts';
import { formatCents, formatVatRate, type Cents, type VatBasisPoints } from '../../domain/money.ts';
import { DEFAULT_WIRE_FORMAT, formatDecimal, formatFlag, type NbWireFormat } from './format.ts';
import {
  children,
  parseXmlDocument,
  unescapeXml,
  withoutNonXmlChars,
  writeXmlDocument,
  XmlFormatError,
  type XmlNode,
} from './xml.ts';

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

export interface CleanedSalesOrder {
  order: NbSalesOrder;
  /** Each field that lost characters, e.g. `buyer.organisationName (1 character)`. */
  removals: string[];
}

/**
 * The order without characters XML forbids (a control character pasted into a name, say): they are
 * dropped, and each field that lost some is named, so that the order can say what was changed.
 */
export function cleanSalesOrder(order: NbSalesOrder): CleanedSalesOrder {
  const removals: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const { text, removed } = withoutNonXmlChars(value);
      if (removed > 0) removals.push(`${path} (${removed} character${removed === 1 ? '' : 's'})`);
      return text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i + 1}]`));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]),
      );
    }
    return value;
  };
  return { order: walk(order, '') as NbSalesOrder, removals };
}

export function writeSalesOrder(order: NbSalesOrder, format: NbWireFormat = DEFAULT_WIRE_FORMAT): string {
  const money = (amount: Cents): string => formatDecimal(formatCents(amount), format);
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
          ['InvoiceTotalVatExcludedAmount', money(order.totals.vatExcluded)],
          ['InvoiceTotalVatAmount', money(order.totals.vat)],
          ['InvoiceTotalVatIncludedAmount', money(order.totals.vatIncluded)],
        ],
      ],
      ['PaymentStatusDetails', [['PaymentMethodText', order.paymentMethodText]]],
      ...order.rows.map((r): XmlNode => [
        'InvoiceRow',
        [
          ['ArticleIdentifier', r.articleIdentifier],
          ['ArticleName', r.articleName],
          ['OrderedQuantity', formatDecimal(String(r.quantity), format)],
          ['UnitPriceVatIncludedAmount', money(r.unitPriceVatIncluded)],
          ['RowVatRatePercent', formatDecimal(formatVatRate(r.vatRate), format)],
          ['RowVatAmount', money(r.vatAmount)],
          ['RowVatExcludedAmount', money(r.vatExcludedAmount)],
          ['ExternalRowIdentifier', r.externalRowIdentifier],
        ],
      ]),
    ],
  ];
  return writeXmlDocument(root);
}

const optional = z.string().optional();
const required = z.string().default('');
/** A container the writer left out because all its children were empty. */
const block = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => v ?? {}, z.object(shape));

// A document sent with the decimal-comma setting is read back (for the pages) like one with a dot.
const dotted = (v: unknown): unknown => (typeof v === 'string' ? v.replace(',', '.') : v);
const moneyText = z.preprocess(dotted, decimalMoneySchema);
const vatRateText = z.preprocess(dotted, decimalVatRateSchema);

const rowSchema = z.object({
  ArticleIdentifier: required,
  ArticleName: required,
  OrderedQuantity: z
    .string()
    .regex(/^-?\d+$/, 'OrderedQuantity is not a whole number')
    .transform(Number),
  UnitPriceVatIncludedAmount: moneyText,
  RowVatRatePercent: vatRateText,
  RowVatAmount: moneyText,
  RowVatExcludedAmount: moneyText,
  ExternalRowIdentifier: required,
});

const documentSchema = z.object({
  SellerPartyDetails: z
    .object({
      SellerPartyIdentifier: optional,
      SellerOrganisationName: optional,
      SellerPostalAddressDetails: block({
        SellerStreetName: optional,
        SellerTownName: optional,
        SellerPostCodeIdentifier: optional,
        CountryCode: optional,
      }),
      SellerCommunicationDetails: block({
        SellerPhoneNumberIdentifier: optional,
        SellerEmailaddressIdentifier: optional,
      }),
    })
    .optional(),
  BuyerPartyDetails: z.object({
    BuyerPartyIdentifier: optional,
    BuyerOrganisationName: required,
    BuyerPostalAddressDetails: block({
      BuyerStreetName: required,
      BuyerTownName: required,
      BuyerPostCodeIdentifier: required,
      CountryCode: required,
    }),
  }),
  BuyerContactPersonName: required,
  BuyerCommunicationDetails: block({
    BuyerPhoneNumberIdentifier: optional,
    BuyerEmailaddressIdentifier: required,
  }),
  DeliveryPartyDetails: z.object({
    DeliveryOrganisationName: required,
    DeliveryPostalAddressDetails: block({
      DeliveryStreetName: required,
      DeliveryTownName: required,
      DeliveryPostCodeIdentifier: required,
      CountryCode: required,
    }),
  }),
  InvoiceDetails: z.object({
    OrderIdentifier: z.string(),
    OrderDate: required,
    InvoiceTotalVatExcludedAmount: moneyText,
    InvoiceTotalVatAmount: moneyText,
    InvoiceTotalVatIncludedAmount: moneyText,
  }),
  PaymentStatusDetails: block({ PaymentMethodText: required }),
  InvoiceRow: z.array(rowSchema).default([]),
});

/** Keeps only the fields that are present, as `writeSalesOrder` takes an absent field: not written. */
function present<T extends Record<string, string | undefined>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}

/**
 * A `<SalesOrder>` as `writeSalesOrder` writes it, read back (the ledger keeps the exact document that
 * was sent; the admin page shows it to people). Money and VAT rates come back exact, from their text.
 * Throws `XmlFormatError` or a zod error when the document is not one.
 */
export function readSalesOrder(xml: string): NbSalesOrder {
  const root = parseXmlDocument(xml, ['InvoiceRow']).SalesOrder;
  if (root === undefined) throw new XmlFormatError('SalesOrder element missing');
  const d = documentSchema.parse(root);
  const s = d.SellerPartyDetails;
  const b = d.BuyerPartyDetails;
  const delivery = d.DeliveryPartyDetails;
  return {
    ...(s
      ? {
          seller: {
            ...present({ identifier: s.SellerPartyIdentifier, organisationName: s.SellerOrganisationName }),
            address: present({
              street: s.SellerPostalAddressDetails.SellerStreetName,
              town: s.SellerPostalAddressDetails.SellerTownName,
              postCode: s.SellerPostalAddressDetails.SellerPostCodeIdentifier,
              countryCode: s.SellerPostalAddressDetails.CountryCode,
            }),
            ...present({
              phone: s.SellerCommunicationDetails.SellerPhoneNumberIdentifier,
              email: s.SellerCommunicationDetails.SellerEmailaddressIdentifier,
            }),
          },
        }
      : {}),
    buyer: {
      ...present({ identifier: b.BuyerPartyIdentifier }),
      organisationName: b.BuyerOrganisationName,
      address: {
        street: b.BuyerPostalAddressDetails.BuyerStreetName,
        town: b.BuyerPostalAddressDetails.BuyerTownName,
        postCode: b.BuyerPostalAddressDetails.BuyerPostCodeIdentifier,
        countryCode: b.BuyerPostalAddressDetails.CountryCode,
      },
    },
    buyerContactPersonName: d.BuyerContactPersonName,
    ...present({ buyerPhone: d.BuyerCommunicationDetails.BuyerPhoneNumberIdentifier }),
    buyerEmail: d.BuyerCommunicationDetails.BuyerEmailaddressIdentifier,
    delivery: {
      organisationName: delivery.DeliveryOrganisationName,
      address: {
        street: delivery.DeliveryPostalAddressDetails.DeliveryStreetName,
        town: delivery.DeliveryPostalAddressDetails.DeliveryTownName,
        postCode: delivery.DeliveryPostalAddressDetails.DeliveryPostCodeIdentifier,
        countryCode: delivery.DeliveryPostalAddressDetails.CountryCode,
      },
    },
    orderIdentifier: d.InvoiceDetails.OrderIdentifier,
    orderDate: d.InvoiceDetails.OrderDate,
    paymentMethodText: d.PaymentStatusDetails.PaymentMethodText,
    rows: d.InvoiceRow.map((r) => ({
      articleIdentifier: r.ArticleIdentifier,
      articleName: r.ArticleName,
      quantity: r.OrderedQuantity,
      unitPriceVatIncluded: r.UnitPriceVatIncludedAmount,
      vatRate: r.RowVatRatePercent,
      vatAmount: r.RowVatAmount,
      vatExcludedAmount: r.RowVatExcludedAmount,
      externalRowIdentifier: r.ExternalRowIdentifier,
    })),
    totals: {
      vatExcluded: d.InvoiceDetails.InvoiceTotalVatExcludedAmount,
      vat: d.InvoiceDetails.InvoiceTotalVatAmount,
      vatIncluded: d.InvoiceDetails.InvoiceTotalVatIncludedAmount,
    },
  };
}

const PAYMENT_METHOD_TEXT = /<PaymentMethodText>([^<]*)<\/PaymentMethodText>/;

/**
 * Only the payment method of a document `writeSalesOrder` wrote (one element, no CDATA, no attributes):
 * a hundred of them for a list cost microseconds where reading each whole would cost a millisecond.
 */
export function readPaymentMethodText(xml: string): string | undefined {
  const text = PAYMENT_METHOD_TEXT.exec(xml)?.[1];
  return text === undefined ? undefined : unescapeXml(text);
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
export const paymentMethodsQuery = (format: NbWireFormat = DEFAULT_WIRE_FORMAT): URLSearchParams =>
  new URLSearchParams({ ListPaymentMethods: formatFlag(true, format) });

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
