import type { SimResponse } from '../kit/types.ts';
import { validationError, xmlResponse } from './errors.ts';
import { QueryParams } from './query-params.ts';
import { readSalesOrderDocument } from './sales-order-document.ts';
import { checkSalesOrder, type OrderContext } from './sales-order-rules.ts';
import type { NbSalesOrder } from './state-schema.ts';
import { leaf, node, renderXmlDocument } from './xml-writer.ts';
import { parseXmlBytes, XmlSyntaxError } from './xml-reader.ts';

/** The register as the sales-order module sees it; the simulator owns the state and the numbering. */
export interface SalesOrderBook extends OrderContext {
  ordersFor(orderIdentifier: string): NbSalesOrder[];
  /** Numbers, stamps and stores the order; a repeated OrderIdentifier is stored again (§15.7). */
  store(order: Record<string, unknown>): NbSalesOrder;
}

/** PUT /ws/salesorder (§15.7): one order per request. */
export function putSalesOrder(book: SalesOrderBook, body: Buffer): SimResponse {
  let root;
  try {
    root = parseXmlBytes(body);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw validationError(err.message);
    throw err;
  }
  const order = readSalesOrderDocument(root);
  checkSalesOrder(order, book);
  const stored = book.store(order);
  const response = node('SalesOrderResponse', [
    leaf('SalesOrderNumber', stored.SalesOrderNumber),
    leaf('OrderIdentifier', stored.InvoiceDetails.OrderIdentifier),
    leaf('Status', stored.Status),
  ]);
  return xmlResponse(200, renderXmlDocument(response));
}

/** GET /ws/salesorder?OrderIdentifier= (§15.8) or ?ListPaymentMethods=true (§15.9). */
export function getSalesOrders(book: SalesOrderBook, query: URLSearchParams): SimResponse {
  const params = new QueryParams(query, ['OrderIdentifier', 'ListPaymentMethods']);
  const listPaymentMethods = params.flag('ListPaymentMethods');
  const orderIdentifier = params.text('OrderIdentifier');
  if (listPaymentMethods && orderIdentifier !== undefined) {
    throw validationError('Give either OrderIdentifier or ListPaymentMethods=true, not both.');
  }
  if (listPaymentMethods) {
    const methods = book.paymentMethods.map((name) => node('PaymentMethod', [leaf('Name', name)]));
    return xmlResponse(
      200,
      renderXmlDocument(node('PaymentMethodsResponse', [node('PaymentMethods', methods)])),
    );
  }
  if (orderIdentifier === undefined || orderIdentifier === '') {
    throw validationError(
      'GET /ws/salesorder needs OrderIdentifier=<store order number> or ListPaymentMethods=true.',
    );
  }
  // "Not found" is an empty list with 200, never a 404 that could be mistaken for a wrong path (§15.8).
  const orders = book
    .ordersFor(orderIdentifier)
    .map((o) =>
      node('SalesOrder', [
        leaf('SalesOrderNumber', o.SalesOrderNumber),
        leaf('OrderIdentifier', o.InvoiceDetails.OrderIdentifier),
        leaf('Status', o.Status),
        leaf('OrderDate', o.InvoiceDetails.OrderDate ?? ''),
        leaf('InvoiceTotalVatIncludedAmount', o.InvoiceDetails.InvoiceTotalVatIncludedAmount ?? ''),
      ]),
    );
  return xmlResponse(200, renderXmlDocument(node('SalesOrdersResponse', [node('SalesOrders', orders)])));
}
