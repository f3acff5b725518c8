import type { SimRequest, SimResponse, SimSystem } from '../kit/types.ts';
import { authenticate, checkCallerAddress, resolveModule } from './access.ts';
import { codeForStatus, errorXmlResponse, NbError, responseForError } from './errors.ts';
import { ProductListings } from './product-listing.ts';
import { getProducts } from './products-handler.ts';
import { getSalesOrders, putSalesOrder, type SalesOrderBook } from './sales-order-handler.ts';
import {
  nextSalesOrderNumber,
  parseNbState,
  type NbModuleName,
  type NbProduct,
  type NbSalesOrder,
  type NbStateDocument,
} from './state-schema.ts';

export interface NetBaronSimOptions {
  /** The simulator's clock: deletion retention and default timestamps follow it, so tests can move time. */
  now?: () => Date;
}

function methodNotAllowed(module: NbModuleName, method: string, allowed: string, note = ''): NbError {
  return new NbError(
    405,
    'METHOD_NOT_ALLOWED',
    `${method} is not served on the ${module} module; it serves ${allowed}.${note}`,
    { Allow: allowed.replace(/ and /g, ', ') },
  );
}

/** The simulated NetBaron Web Services of reference §15: the products and salesorder modules. */
export class NetBaronSim implements SimSystem {
  readonly name = 'netbaron';
  private readonly now: () => Date;
  private state!: NbStateDocument;
  private listings!: ProductListings;
  private articles!: Set<string>;
  private ordersByIdentifier!: Map<string, NbSalesOrder[]>;
  private nextNumber!: number;

  constructor(state: unknown = {}, options: NetBaronSimOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.load(parseNbState(state, this.now));
  }

  private load(doc: NbStateDocument): void {
    this.state = doc;
    this.listings = new ProductListings(doc);
    this.articles = new Set([...doc.products.map((p) => p.ProductCode), ...doc.service_articles]);
    this.ordersByIdentifier = new Map();
    for (const order of doc.sales_orders) this.index(order);
    this.nextNumber = nextSalesOrderNumber(doc.sales_orders);
  }

  private index(order: NbSalesOrder): void {
    const key = order.InvoiceDetails.OrderIdentifier;
    const list = this.ordersByIdentifier.get(key);
    if (list) list.push(order);
    else this.ordersByIdentifier.set(key, [order]);
  }

  private storeOrder(order: Record<string, unknown>): NbSalesOrder {
    const stored = {
      ...order,
      SalesOrderNumber: String(this.nextNumber),
      Status: 'Pending',
      ReceivedAt: this.now().toISOString(),
    } as NbSalesOrder;
    this.nextNumber += 1;
    this.state.sales_orders.push(stored);
    this.index(stored);
    return stored;
  }

  private salesOrderBook(): SalesOrderBook {
    return {
      paymentMethods: this.state.payment_methods,
      // Deleted products stay in the register, so an order may still name them.
      isKnownArticle: (code) => this.articles.has(code),
      ordersFor: (orderIdentifier) => this.ordersByIdentifier.get(orderIdentifier) ?? [],
      store: (order) => this.storeOrder(order),
    };
  }

  handle(req: SimRequest): SimResponse {
    try {
      const route = resolveModule(req.path);
      checkCallerAddress(this.state, route.module, req.remoteAddress);
      authenticate(this.state, route, req);
      if (route.module === 'products') {
        if (req.method !== 'GET') {
          const note =
            req.method === 'POST'
              ? ' NetBaron has POST on this module (price updates, new products, UpdateLanguageFields), but this simulator does not model it.'
              : '';
          throw methodNotAllowed('products', req.method, 'GET', note);
        }
        return getProducts(this.state, this.listings, req.query, this.now());
      }
      if (req.method === 'GET') return getSalesOrders(this.salesOrderBook(), req.query);
      if (req.method === 'PUT') return putSalesOrder(this.salesOrderBook(), req.body);
      throw methodNotAllowed('salesorder', req.method, 'GET and PUT');
    } catch (err) {
      if (err instanceof NbError) return responseForError(err);
      throw err;
    }
  }

  errorResponse(status: number, message: string): SimResponse {
    return errorXmlResponse(status, codeForStatus(status), message);
  }

  getState(): NbStateDocument {
    return structuredClone(this.state);
  }

  replaceState(doc: unknown): void {
    this.load(parseNbState(doc, this.now));
  }

  /** The stored sales orders, oldest first (copies). */
  salesOrders(): NbSalesOrder[] {
    return structuredClone(this.state.sales_orders);
  }

  /** The product register, sorted by ProductCode (copies). */
  products(): NbProduct[] {
    return structuredClone(this.state.products);
  }
}

export function createNetBaronSim(state?: unknown, options: NetBaronSimOptions = {}): NetBaronSim {
  return new NetBaronSim(state, options);
}
