/**
 * The two state documents as the demo generator writes them (issue 2, item 6). Field names are the
 * remote systems' own; amounts and rates are JSON numbers whose shortest text is the exact decimal.
 */

export interface McfStockItem {
  quantity: number;
  reserved: number;
}

export interface McfVariation {
  id: number;
  product_code: string;
  name: string;
  price: number;
  purchase_price: number;
  stock_item: McfStockItem;
}

export interface McfVisibility {
  version_id: number;
  is_visible: boolean;
}

export interface McfProduct {
  id: number;
  product_code: string;
  name: string;
  description: string;
  information: string;
  price: number;
  purchase_price: number;
  vat_rate: number;
  weight: number;
  parcel_type: string;
  visibilities: McfVisibility[];
  /** Null when the product has variations: stock then lives on each variation. */
  stock_item: McfStockItem | null;
  variations: McfVariation[];
}

export interface McfContact {
  company: string | null;
  business_id: string | null;
  street_address: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  email: string | null;
  phone: string | null;
}

export interface McfVersion {
  id: number;
  name: string;
  language: string;
  contact: McfContact;
}

export interface McfAddress {
  company: string | null;
  vat_code: string | null;
  first_name: string;
  last_name: string;
  street_address: string;
  postal_code: string;
  city: string;
  country: string;
  phone: string;
  email: string;
}

/** §13.4: the delivery address has the billing fields except the Business ID. */
export type McfShippingAddress = Omit<McfAddress, 'vat_code'>;

export interface McfOrderLine {
  id: number;
  product_id: number;
  variation_id: number | null;
  product_code: string;
  product_name: string;
  model_name: string | null;
  quantity: number;
  unit_price: number;
  vat_rate: number;
}

export interface McfTaxRow {
  tax_rate: number;
  total: number;
  total_tax: number;
  total_without_tax: number;
}

export interface McfTaxSummary {
  subtotal: McfTaxRow[];
  discount: McfTaxRow[];
  shipping_costs: McfTaxRow[];
  payment_costs: McfTaxRow[];
  total: McfTaxRow[];
}

export interface McfOrder {
  id: number;
  created_at: string;
  updated_at: string;
  version_id: number;
  language: string;
  status: 'open';
  payment_method_id: number;
  shipping_method_id: number;
  customer_information: McfAddress;
  shipping_address: McfShippingAddress;
  different_shipping_address: boolean;
  products: McfOrderLine[];
  subtotal: number;
  shipping_costs: number;
  payment_costs: number;
  discount: number;
  total: number;
  tax_summary: McfTaxSummary;
}

export interface McfState {
  store: { name: string; plan: string };
  api_users: { email: string; api_key: string }[];
  versions: McfVersion[];
  payment_methods: { id: number; name: string }[];
  shipping_methods: { id: number; name: string }[];
  products: McfProduct[];
  orders: McfOrder[];
  webhooks: unknown[];
}

export interface NbProduct {
  ProductCode: string;
  EAN: string;
  Name: string;
  Description: string;
  AdditionalInformation: string;
  VatPercent: number;
  SalesPriceVatIncluded: number;
  PurchasePrice: number;
  Weight: number;
  PackageType: string;
  Quantity: number;
  Marketplaces: string[];
  Deleted: boolean;
}

export interface NbState {
  organisation: string;
  modules: {
    products: { password: string; interface: number };
    salesorder: { password: string; interface: number };
  };
  allowed_ips: Record<string, string[]>;
  marketplaces: { Id: string; Name: string }[];
  payment_methods: string[];
  products: NbProduct[];
  sales_orders: unknown[];
}

export interface DemoScenario {
  mycashflow: McfState;
  netbaron: NbState;
}
