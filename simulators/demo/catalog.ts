import {
  addCents,
  cents,
  centsToNumber,
  vatRateToNumber,
  type Cents,
  type VatBasisPoints,
} from '../../src/domain/money.ts';
import { ean13CheckDigit } from './check-digits.ts';
import { FateTable, type Fate } from './catalog-fates.ts';
import { earlierPrice, gramsToKilograms, percentOf, purchasePrice, retailPrice } from './pricing.ts';
import { FAMILIES, FAMILY_CHOICES, SIZES, templatesOf, type ProductTemplate } from './product-templates.ts';
import { mixSeed, Rng, STREAM } from './random.ts';
import type { McfProduct, McfStockItem, McfVariation, NbProduct } from './state-types.ts';
import { MARKETPLACE_B2B, MARKETPLACE_WEB, VERSION_FI, VERSION_SV } from './store-setup.ts';

/** One sellable item as both systems would hold it when in step. */
interface Item {
  code: string;
  ean: string;
  nbName: string;
  /** The variation's name in the store (its size), or null for a product without variations. */
  size: string | null;
  price: Cents;
  purchase: Cents;
  quantity: number;
}

/** One catalog product, before it is written out for either side. */
interface Draft {
  code: string;
  name: string;
  description: string;
  information: string;
  vatRate: VatBasisPoints;
  grams: number;
  parcel: string;
  price: Cents;
  purchase: Cents;
  items: Item[];
}

export interface Catalog {
  store: McfProduct[];
  netbaron: NbProduct[];
}

const EAN_SLOTS_PER_PRODUCT = SIZES.length + 1;
const EAN_BODY_SPACE = 10_000_000_000;
/** Odd and not a multiple of 5, so `serial × step mod 10^10` is a bijection: distinct serials, distinct EANs. */
const EAN_STEP = 982_451_653;

/** Beyond this, `serial × step` would leave the range where integer arithmetic on numbers is exact. */
export const MAX_PRODUCTS = Math.floor(Number.MAX_SAFE_INTEGER / EAN_STEP / EAN_SLOTS_PER_PRODUCT) - 1;

/** An EAN-13 with the Finnish GS1 prefix 64, unique per serial, scrambled so neighbours do not look alike. */
function ean(seed: number, serial: number): string {
  const offset = mixSeed(seed, STREAM.ean) % EAN_BODY_SPACE;
  const body = String((serial * EAN_STEP + offset) % EAN_BODY_SPACE).padStart(10, '0');
  const first12 = `64${body}`;
  return `${first12}${ean13CheckDigit(first12)}`;
}

function distinct<T>(rng: Rng, pool: readonly T[], count: number): T[] {
  return rng.shuffle([...pool]).slice(0, count);
}

function stockQuantity(rng: Rng): number {
  if (rng.chance(0.08)) return 0;
  const u = rng.float();
  return 1 + Math.floor(249 * u * u);
}

function productName(rng: Rng, template: ProductTemplate): { name: string; grams: number } {
  const noun = rng.pick(template.nouns);
  if (template.packs) {
    const [label, netGrams] = rng.pick(template.packs);
    // Gross weight: the packaging adds five to fifteen per cent.
    return { name: `${noun} ${label}`, grams: netGrams + Math.ceil((netGrams * rng.int(5, 15)) / 100) };
  }
  return {
    name: `${noun}${template.separator}${rng.pick(template.attributes)}`,
    grams: rng.int(template.grams[0], template.grams[1]),
  };
}

/**
 * Names and texts repeat across a large catalog; keeping one copy of each keeps 100 000 products in a
 * modest heap. The repeats come from a few hundred combinations, so the table stays small.
 */
class TextTable {
  private readonly seen = new Map<string, string>();

  intern(text: string): string {
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    this.seen.set(text, text);
    return text;
  }
}

function draft(seed: number, index: number, fate: Fate, texts: TextTable): Draft {
  const rng = Rng.derive(seed, STREAM.product, index);
  const family = FAMILIES[rng.weighted(FAMILY_CHOICES)];
  const template = rng.pick(templatesOf(family.key));
  const { name: rawName, grams } = productName(rng, template);
  const name = texts.intern(rawName);
  const code = `${template.prefix}-${1000 + index}`;
  const price = retailPrice(rng, template.euros[0], template.euros[1]);
  const margin = rng.int(40, 72);
  const purchase = purchasePrice(price, family.vatRate, margin);
  const description = texts.intern(distinct(rng, template.descriptions ?? family.descriptions, 2).join(' '));
  const information = texts.intern(
    distinct(rng, template.details ?? family.details, 3)
      .map((alternatives) => `* ${rng.pick(alternatives)}`)
      .join('\n'),
  );
  const parcel = rng.pick(template.parcels);

  // A store-only product cannot have variations: every store variation code must exist in NetBaron.
  // Of the new ones, most clothing arrives as single items; the rest show "variations missing in the store".
  const sized = template.sized && fate !== 'storeOnly' && (fate !== 'new' || rng.chance(0.25));
  const items: Item[] = [];
  if (sized) {
    const dearerXl = rng.chance(0.2);
    SIZES.forEach((size, k) => {
      const step = cents(price >= 10000 ? 500 : 200);
      const sizePrice = size === 'XL' && dearerXl ? addCents(price, step) : price;
      items.push({
        code: `${code}-${size}`,
        ean: ean(seed, index * EAN_SLOTS_PER_PRODUCT + k),
        nbName: `${name}, ${size}`,
        size,
        price: sizePrice,
        purchase: purchasePrice(sizePrice, family.vatRate, margin),
        quantity: stockQuantity(rng),
      });
    });
  } else {
    items.push({
      code,
      ean: ean(seed, index * EAN_SLOTS_PER_PRODUCT),
      nbName: name,
      size: null,
      price,
      purchase,
      quantity: stockQuantity(rng),
    });
  }
  return {
    code,
    name,
    description,
    information,
    vatRate: family.vatRate,
    grams,
    parcel,
    price,
    purchase,
    items,
  };
}

function netbaronRows(d: Draft, fate: Fate, rng: Rng): NbProduct[] {
  const deleted = fate === 'deleted' || fate === 'deletedInStore';
  // A deleted product keeps the marketplace it left, so a listing of that marketplace can report the exit.
  const marketplaces =
    fate === 'b2bOnly'
      ? [MARKETPLACE_B2B]
      : !deleted && rng.chance(0.1)
        ? [MARKETPLACE_WEB, MARKETPLACE_B2B]
        : [MARKETPLACE_WEB];
  return d.items.map((item) => ({
    ProductCode: item.code,
    EAN: item.ean,
    Name: item.nbName,
    Description: d.description,
    AdditionalInformation: d.information,
    VatPercent: vatRateToNumber(d.vatRate),
    SalesPriceVatIncluded: centsToNumber(item.price),
    PurchasePrice: centsToNumber(item.purchase),
    Weight: gramsToKilograms(d.grams),
    PackageType: d.parcel,
    Quantity: deleted ? 0 : item.quantity,
    Marketplaces: marketplaces,
    Deleted: deleted,
  }));
}

interface StoreValues {
  price: Cents;
  purchase: Cents;
  quantity: number;
}

/** What the store still holds for an item whose NetBaron values changed since the last import. */
function outOfDate(rng: Rng, item: Item): StoreValues {
  const kind = rng.weighted([
    ['price', 35],
    ['purchase', 20],
    ['stock', 35],
    ['all', 10],
  ] as const);
  const values: StoreValues = { price: item.price, purchase: item.purchase, quantity: item.quantity };
  if (kind === 'price' || kind === 'all') values.price = earlierPrice(rng, item.price);
  if (kind === 'purchase' || kind === 'all') values.purchase = percentOf(item.purchase, rng.int(88, 97));
  if (kind === 'stock' || kind === 'all') {
    const delta = rng.int(1, 20);
    values.quantity =
      item.quantity >= delta && rng.chance(0.5) ? item.quantity - delta : item.quantity + delta;
  }
  if (values.purchase <= 0) values.purchase = cents(1);
  return values;
}

interface IdCounters {
  product: number;
  variation: number;
}

function stock(quantity: number): McfStockItem {
  return { quantity, reserved: 0 };
}

function storeProduct(d: Draft, fate: Fate, rng: Rng, ids: IdCounters): McfProduct {
  const driftAt = fate === 'drifted' ? rng.int(0, d.items.length - 1) : -1;
  const values = d.items.map((item, k) =>
    k === driftAt
      ? outOfDate(rng, item)
      : { price: item.price, purchase: item.purchase, quantity: item.quantity },
  );
  const sized = d.items[0]?.size !== null;
  const variations: McfVariation[] = sized
    ? d.items.map((item, k) => {
        const v = values[k] as StoreValues;
        return {
          id: ids.variation++,
          product_code: item.code,
          name: item.size as string,
          price: centsToNumber(v.price),
          purchase_price: centsToNumber(v.purchase),
          stock_item: stock(v.quantity),
        };
      })
    : [];
  const own = sized ? { price: d.price, purchase: d.purchase, quantity: 0 } : (values[0] as StoreValues);
  return {
    id: ids.product++,
    product_code: d.code,
    name: d.name,
    description: d.description,
    information: d.information,
    price: centsToNumber(own.price),
    purchase_price: centsToNumber(own.purchase),
    vat_rate: vatRateToNumber(d.vatRate),
    weight: gramsToKilograms(d.grams),
    parcel_type: d.parcel,
    visibilities: [
      { version_id: VERSION_FI, is_visible: fate !== 'storeOnly' },
      { version_id: VERSION_SV, is_visible: fate !== 'storeOnly' && rng.chance(0.85) },
    ],
    stock_item: sized ? null : stock(own.quantity),
    variations,
  };
}

const IN_STORE: ReadonlySet<Fate> = new Set(['synced', 'drifted', 'deletedInStore', 'storeOnly']);
const IN_NETBARON: ReadonlySet<Fate> = new Set([
  'synced',
  'drifted',
  'new',
  'deleted',
  'deletedInStore',
  'b2bOnly',
]);

/**
 * `count` catalog products, each written to the store, to NetBaron or to both according to its fate.
 * Product i depends only on (seed, i), so a larger catalog starts with the smaller one's products.
 */
export function generateCatalog(seed: number, count: number): Catalog {
  if (count > MAX_PRODUCTS) throw new RangeError(`at most ${MAX_PRODUCTS} products can get distinct EANs`);
  const fates = new FateTable(seed);
  const ids: IdCounters = { product: 1, variation: 1 };
  const store: McfProduct[] = [];
  const netbaron: NbProduct[] = [];
  const texts = new TextTable();
  for (let i = 0; i < count; i++) {
    const fate = fates.fateOf(i);
    const d = draft(seed, i, fate, texts);
    // A second stream for the side-specific choices, so that adding one never shifts the product itself.
    const sides = Rng.derive(seed, STREAM.sides, i);
    if (IN_NETBARON.has(fate)) netbaron.push(...netbaronRows(d, fate, sides));
    if (IN_STORE.has(fate)) store.push(storeProduct(d, fate, sides, ids));
  }
  return { store, netbaron };
}
