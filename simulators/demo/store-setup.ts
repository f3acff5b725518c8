import { parseCents, parseVatRate, type Cents, type VatBasisPoints } from '../../src/domain/money.ts';
import type { McfVersion, NbProduct, NbState } from './state-types.ts';

/*
 * The fixed parts of the demo: the store "Pohjolan Puoti", its methods and versions, and the NetBaron
 * organisation behind it. Credentials here are demo values known to everyone, never real ones.
 */

export const STORE = { name: 'Pohjolan Puoti', plan: 'advanced' } as const;
export const API_USER = {
  email: 'api@pohjolanpuoti.fi',
  api_key: 'demo-pohjolanpuoti-3f9a6c2e8b174d05',
} as const;

export const VERSION_FI = 1;
export const VERSION_SV = 2;

export const VERSIONS: readonly McfVersion[] = [
  {
    id: VERSION_FI,
    name: 'Suomi',
    language: 'fi',
    // No override: orders from this version use the store's general contact details.
    contact: {
      company: null,
      business_id: null,
      street_address: null,
      postal_code: null,
      city: null,
      country: null,
      email: null,
      phone: null,
    },
  },
  {
    id: VERSION_SV,
    name: 'Sverige',
    language: 'sv',
    contact: {
      company: 'Nordens Bod – Pohjolan Puoti Oy',
      business_id: null,
      street_address: null,
      postal_code: null,
      city: null,
      country: null,
      email: 'kundtjanst@pohjolanpuoti.fi',
      phone: '+358942421200',
    },
  },
];

export function versionById(id: number): McfVersion {
  const version = VERSIONS.find((v) => v.id === id);
  if (!version) throw new RangeError(`the demo store has no version ${id}`);
  return version;
}

export interface DemoPaymentMethod {
  id: number;
  name: string;
  /** Gross fee added to the order, at the cost VAT rate. */
  fee: Cents;
  /** Relative frequency in generated orders. */
  weight: number;
}

/** Klarna is deliberately missing from NetBaron, so the demo shows a waiting order and a pre-flight warning. */
export const PAYMENT_METHODS: readonly DemoPaymentMethod[] = [
  { id: 1, name: 'Paytrail', fee: parseCents('0'), weight: 55 },
  { id: 2, name: 'Lasku', fee: parseCents('2.90'), weight: 20 },
  { id: 3, name: 'MobilePay', fee: parseCents('0'), weight: 22 },
  { id: 4, name: 'Klarna', fee: parseCents('0'), weight: 3 },
];

export interface DemoShippingMethod {
  id: number;
  name: string;
  fee: Cents;
  /** Subtotal from which shipping is free; null when it never is (or costs nothing anyway). */
  freeFrom: Cents | null;
  weight: number;
}

export const SHIPPING_METHODS: readonly DemoShippingMethod[] = [
  { id: 1, name: 'Posti Paketti', fee: parseCents('5.90'), freeFrom: parseCents('150.00'), weight: 50 },
  {
    id: 2,
    name: 'Matkahuolto Lähellä-paketti',
    fee: parseCents('4.90'),
    freeFrom: parseCents('150.00'),
    weight: 35,
  },
  { id: 3, name: 'Nouto myymälästä', fee: parseCents('0'), freeFrom: null, weight: 15 },
];

/** Shipping and payment costs are taxed at the general rate. */
export const COST_VAT_RATE: VatBasisPoints = parseVatRate('25.5');

export const MARKETPLACE_WEB = '3';
export const MARKETPLACE_B2B = '5';

export function netbaronSetup(products: NbProduct[]): NbState {
  return {
    organisation: 'pohjolan-puoti',
    modules: {
      products: { password: 'demo-tuotteet-7c41e9', interface: 1 },
      salesorder: { password: 'demo-tilaukset-52b8d0', interface: 1 },
    },
    allowed_ips: {},
    marketplaces: [
      { Id: MARKETPLACE_WEB, Name: 'Verkkokauppa' },
      { Id: MARKETPLACE_B2B, Name: 'B2B-kauppa' },
    ],
    payment_methods: PAYMENT_METHODS.filter((m) => m.name !== 'Klarna').map((m) => m.name),
    products,
    sales_orders: [],
  };
}
