import { describe, expect, it } from 'vitest';
import { formatCents } from '../../src/domain/money.ts';
import { readProduct } from '../../src/netbaron/wire/products.ts';
import { productSchema } from '../../src/mycashflow/schemas.ts';
import { storeProductFrom } from '../../src/catalog/store-catalog.ts';
import {
  actionsOf,
  eur,
  kindsAndCodes,
  modeSettings,
  nbProduct,
  planOf,
  problemKindsAndCodes,
  problemsOf,
  settings,
  storeProduct,
  storeProductWithVariations,
  storeVariation,
  vat,
} from '../helpers/catalog-builders.ts';

const MODES = ['import-new', 'update-existing'] as const;

/** Fields the extension sets on a new product only: never in an update's patch or changes. */
const CREATE_ONLY_FIELDS = ['name', 'vat_rate', 'weight', 'parcel_type', 'product_code', 'visibility'];

describe('planImport: a new code', () => {
  const villasukat = nbProduct('NEW-1', {
    name: 'Villasukat',
    description: 'Lyhyt kuvaus',
    additionalInformation: 'Pitkä kuvaus',
    vatRate: vat('25.5'),
    priceVatIncluded: eur('24.90'),
    purchasePrice: eur('9.20'),
    weight: '0.25',
    packageType: 'S',
    quantity: '17',
  });

  it('is created in import-new with every detail, visible in every version, without descriptions by default', () => {
    const plan = planOf({ netbaron: [villasukat], store: [storeProduct(1, 'OLD-1')] });
    expect(kindsAndCodes(plan)).toEqual([['create-product', 'NEW-1']]);
    const [create] = actionsOf(plan, 'create-product');
    // toStrictEqual: a description or information key, even undefined, would fail.
    expect(create!.create).toStrictEqual({
      name: 'Villasukat',
      product_code: 'NEW-1',
      price: 2490,
      purchase_price: 920,
      vat_rate: 2550,
      weight: 0.25,
      parcel_type: 'S',
      visibilities: [
        { version_id: 1, is_visible: true },
        { version_id: 2, is_visible: true },
      ],
    });
    expect(create!.stock).toBe(17);
    expect(create!.changes).toEqual([
      { field: 'name', from: null, to: 'Villasukat' },
      { field: 'product_code', from: null, to: 'NEW-1' },
      { field: 'vat_rate', from: null, to: '25.5' },
      { field: 'price', from: null, to: '24.90' },
      { field: 'purchase_price', from: null, to: '9.20' },
      { field: 'weight', from: null, to: '0.25' },
      { field: 'parcel_type', from: null, to: 'S' },
      { field: 'stock', from: null, to: '17' },
      { field: 'visibility', from: null, to: 'visible in every version' },
    ]);
    expect(plan.counts).toEqual({
      create: 1,
      update: 0,
      unchanged: 0,
      hide: 0,
      delete: 0,
      deleteVariation: 0,
    });
    expect(plan.linkedCodes).toEqual(['NEW-1']);
    expect(plan.problems).toEqual([]);
  });

  it('gets Description and AdditionalInformation when updateDescriptions is on', () => {
    const plan = planOf({ netbaron: [villasukat], settings: settings({ updateDescriptions: true }) });
    const [create] = actionsOf(plan, 'create-product');
    expect(create!.create.description).toBe('Lyhyt kuvaus');
    expect(create!.create.information).toBe('Pitkä kuvaus');
    expect(create!.changes.filter((c) => c.field === 'description' || c.field === 'information')).toEqual([
      { field: 'description', from: null, to: 'Lyhyt kuvaus' },
      { field: 'information', from: null, to: 'Pitkä kuvaus' },
    ]);
  });

  it('gets no parcel type, weight or purchase price when NetBaron sends none', () => {
    const bare = nbProduct('NEW-2', { packageType: undefined, weight: undefined, purchasePrice: undefined });
    const [create] = actionsOf(planOf({ netbaron: [bare] }), 'create-product');
    expect(Object.keys(create!.create).sort()).toEqual([
      'name',
      'price',
      'product_code',
      'vat_rate',
      'visibilities',
    ]);
  });

  it('without a quantity from NetBaron is created with no stock to write', () => {
    const [create] = actionsOf(
      planOf({ netbaron: [nbProduct('NEW-3', { quantity: undefined })] }),
      'create-product',
    );
    expect(create!.stock).toBeNull();
    expect(create!.changes.some((c) => c.field === 'stock')).toBe(false);
  });

  it('is visible in exactly the versions the store has', () => {
    const [create] = actionsOf(
      planOf({ netbaron: [nbProduct('NEW-4')], versions: [7] as never }),
      'create-product',
    );
    expect(create!.create.visibilities).toEqual([{ version_id: 7, is_visible: true }]);
  });

  it.each([false, true])(
    'is never created in update-existing (updateDescriptions %s)',
    (updateDescriptions) => {
      const plan = planOf({
        netbaron: [villasukat, nbProduct('OLD-1', { priceVatIncluded: eur('21.00') })],
        store: [storeProduct(1, 'OLD-1')],
        settings: settings({ mode: 'update-existing', updateOnly: ['OLD-1'], updateDescriptions }),
      });
      expect(kindsAndCodes(plan)).toEqual([['update-product', 'OLD-1']]);
      expect(plan.counts.create).toBe(0);
      expect(plan.linkedCodes).toEqual(['OLD-1']);
      expect(plan.problems).toEqual([]);
    },
  );

  it.each([
    ['25.5', 2550],
    ['14', 1400],
    ['10', 1000],
    ['0', 0],
  ])('with VAT %s %% is created with the exact rate', (rate, basisPoints) => {
    const [create] = actionsOf(
      planOf({ netbaron: [nbProduct('NEW-5', { vatRate: vat(rate) })] }),
      'create-product',
    );
    expect(create!.create.vat_rate).toBe(basisPoints);
  });
});

describe.each(MODES)('planImport (%s): an existing product or variation', (mode) => {
  const s = (codes: string[], updateDescriptions = false) =>
    modeSettings(mode, codes, { updateDescriptions });

  it('gets only price, purchase price and stock, even when name, weight, VAT and package type differ', () => {
    const plan = planOf({
      netbaron: [
        nbProduct('P-1', {
          name: 'Renamed in NetBaron',
          weight: '2.00',
          vatRate: vat('14'),
          packageType: 'XL',
          priceVatIncluded: eur('12.50'),
          purchasePrice: eur('6.00'),
          quantity: '9',
          ean: '6430012345678',
        }),
      ],
      store: [
        storeProduct(1, 'P-1', {
          name: 'Store name',
          weight: 1,
          vatRate: vat('25.5'),
          parcelType: 'M',
          price: eur('10.00'),
          purchasePrice: eur('5.00'),
          stockQuantity: 3,
        }),
      ],
      settings: s(['P-1']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['update-product', 'P-1'],
      ['set-stock', 'P-1'],
    ]);
    const [update] = actionsOf(plan, 'update-product');
    expect(update!.productId).toBe(1);
    expect(update!.patch).toStrictEqual({ price: 1250, purchase_price: 600 });
    expect(update!.changes).toEqual([
      { field: 'price', from: '10.00', to: '12.50' },
      { field: 'purchase_price', from: '5.00', to: '6.00' },
    ]);
    const [stock] = actionsOf(plan, 'set-stock');
    expect(stock!.quantity).toBe(9);
    expect(stock!.changes).toEqual([{ field: 'stock', from: '3', to: '9' }]);
    for (const action of plan.actions)
      for (const change of action.changes) expect(CREATE_ONLY_FIELDS).not.toContain(change.field);
    expect(plan.counts).toEqual({
      create: 0,
      update: 1,
      unchanged: 0,
      hide: 0,
      delete: 0,
      deleteVariation: 0,
    });
    expect(plan.linkedCodes).toEqual(['P-1']);
  });

  it('that already holds every value is not in the plan and counts as unchanged', () => {
    const plan = planOf({
      // Name, weight, VAT and package type differ; they are not compared at all.
      netbaron: [nbProduct('P-1', { name: 'Other', weight: '9', vatRate: vat('14'), packageType: 'L' })],
      store: [storeProduct(1, 'P-1')],
      settings: s(['P-1']),
    });
    expect(plan.actions).toEqual([]);
    expect(plan.counts).toEqual({
      create: 0,
      update: 0,
      unchanged: 1,
      hide: 0,
      delete: 0,
      deleteVariation: 0,
    });
    expect(plan.linkedCodes).toEqual(['P-1']);
    expect(plan.problems).toEqual([]);
  });

  it('writes only the fields that differ', () => {
    const plan = planOf({
      netbaron: [
        nbProduct('ONLY-PRICE', { priceVatIncluded: eur('21.00') }),
        nbProduct('ONLY-STOCK', { quantity: '0' }),
        nbProduct('ONLY-PURCHASE', { purchasePrice: eur('7.99') }),
      ],
      store: [storeProduct(1, 'ONLY-PRICE'), storeProduct(2, 'ONLY-STOCK'), storeProduct(3, 'ONLY-PURCHASE')],
      settings: s(['ONLY-PRICE', 'ONLY-STOCK', 'ONLY-PURCHASE']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['update-product', 'ONLY-PRICE'],
      ['update-product', 'ONLY-PURCHASE'],
      ['set-stock', 'ONLY-STOCK'],
    ]);
    const [price, purchase] = actionsOf(plan, 'update-product');
    expect(price!.patch).toStrictEqual({ price: 2100 });
    expect(purchase!.patch).toStrictEqual({ purchase_price: 799 });
    expect(actionsOf(plan, 'set-stock')[0]!.quantity).toBe(0);
    expect(plan.counts.update).toBe(3);
  });

  it('gets a price where the store has none', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1')],
      store: [storeProduct(1, 'P-1', { price: null, purchasePrice: null, stockQuantity: null })],
      settings: s(['P-1']),
    });
    const [update] = actionsOf(plan, 'update-product');
    expect(update!.changes).toEqual([
      { field: 'price', from: null, to: '19.90' },
      { field: 'purchase_price', from: null, to: '8.00' },
    ]);
    expect(actionsOf(plan, 'set-stock')[0]!.changes).toEqual([{ field: 'stock', from: null, to: '5' }]);
  });

  it('never gets descriptions when updateDescriptions is off, even when they differ', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { description: 'New text', additionalInformation: 'New info' })],
      store: [storeProduct(1, 'P-1', { description: 'Old text', information: 'Old info' })],
      settings: s(['P-1'], false),
    });
    expect(plan.actions).toEqual([]);
    expect(plan.counts.unchanged).toBe(1);
  });

  it('gets the descriptions that differ when updateDescriptions is on', () => {
    const plan = planOf({
      netbaron: [
        nbProduct('P-1', { description: 'New text', additionalInformation: 'New info' }),
        nbProduct('P-2', { additionalInformation: 'Only info changed' }),
      ],
      store: [
        storeProduct(1, 'P-1', { description: 'Old text', information: 'Old info' }),
        storeProduct(2, 'P-2'),
      ],
      settings: s(['P-1', 'P-2'], true),
    });
    const [p1, p2] = actionsOf(plan, 'update-product');
    expect(p1!.patch).toStrictEqual({ description: 'New text', information: 'New info' });
    expect(p1!.changes).toEqual([
      { field: 'description', from: 'Old text', to: 'New text' },
      { field: 'information', from: 'Old info', to: 'New info' },
    ]);
    expect(p2!.patch).toStrictEqual({ information: 'Only info changed' });
    expect(plan.actions).toHaveLength(2);
  });

  it('leaves descriptions alone when NetBaron sent none, even with updateDescriptions on', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { description: undefined, additionalInformation: undefined })],
      store: [storeProduct(1, 'P-1', { description: 'Kept', information: 'Kept too' })],
      settings: s(['P-1'], true),
    });
    expect(plan.actions).toEqual([]);
  });

  it('as a variation gets price, purchase price and stock, never descriptions', () => {
    const shirt = storeProduct(10, 'TS-100', {
      stockQuantity: null,
      variations: [
        storeVariation(101, 10, 'TS-100-S', {
          price: eur('24.90'),
          purchasePrice: eur('9.20'),
          stockQuantity: 4,
        }),
        storeVariation(102, 10, 'TS-100-M', {
          price: eur('24.90'),
          purchasePrice: eur('9.20'),
          stockQuantity: 4,
        }),
      ],
    });
    const plan = planOf({
      netbaron: [
        nbProduct('TS-100-S', {
          name: 'Renamed',
          priceVatIncluded: eur('26.90'),
          purchasePrice: eur('9.50'),
          quantity: '12',
          description: 'Variation text',
        }),
        nbProduct('TS-100-M', { priceVatIncluded: eur('24.90'), purchasePrice: eur('9.20'), quantity: '4' }),
      ],
      store: [shirt],
      settings: s(['TS-100'], true),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['update-variation', 'TS-100-S'],
      ['set-stock', 'TS-100-S'],
    ]);
    const [variation] = actionsOf(plan, 'update-variation');
    expect(variation).toMatchObject({ productId: 10, variationId: 101 });
    expect(variation!.patch).toStrictEqual({ price: 2690, purchase_price: 950 });
    expect(variation!.changes).toEqual([
      { field: 'price', from: '24.90', to: '26.90' },
      { field: 'purchase_price', from: '9.20', to: '9.50' },
    ]);
    expect(actionsOf(plan, 'set-stock')[0]!.quantity).toBe(12);
    expect(plan.counts).toMatchObject({ update: 1, unchanged: 1, create: 0 });
    expect(plan.linkedCodes.sort()).toEqual(['TS-100-M', 'TS-100-S']);
  });

  it('as a product with variations gets its price but no stock for its own code', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100', { priceVatIncluded: eur('29.90'), quantity: '40' })],
      store: [
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
        ]),
      ],
      settings: s(['TS-100']),
    });
    expect(kindsAndCodes(plan)).toEqual([['update-product', 'TS-100']]);
    expect(actionsOf(plan, 'update-product')[0]!.patch).toStrictEqual({ price: 2990 });
    expect(problemKindsAndCodes(plan)).toEqual([['stock-on-variations', 'TS-100']]);
  });

  it('as a product with variations and no quantity from NetBaron raises no stock problem', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100', { quantity: undefined })],
      store: [storeProductWithVariations(10, 'TS-100', [{ id: 101, code: 'TS-100-S' }])],
      settings: s(['TS-100']),
    });
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([]);
  });

  it('is matched by product code only: an EAN equal to a store code matches nothing', () => {
    const plan = planOf({
      netbaron: [nbProduct('NB-1', { ean: 'STORE-7', priceVatIncluded: eur('99.00'), quantity: '1' })],
      store: [storeProduct(7, 'STORE-7')],
      settings: s(['STORE-7']),
    });
    expect(actionsOf(plan, 'update-product')).toEqual([]);
    expect(actionsOf(plan, 'set-stock')).toEqual([]);
    expect(plan.counts.update + plan.counts.unchanged).toBe(0);
    if (mode === 'import-new') {
      expect(kindsAndCodes(plan)).toEqual([['create-product', 'NB-1']]);
      expect(plan.linkedCodes).toEqual(['NB-1']);
    } else {
      expect(plan.actions).toEqual([]);
      expect(plan.linkedCodes).toEqual([]);
    }
  });

  it('is not matched through a store EAN either: a store code equal to a NetBaron EAN is not touched', () => {
    const plan = planOf({
      netbaron: [nbProduct('6430012345678', { priceVatIncluded: eur('1.00') }), nbProduct('A', { ean: 'B' })],
      store: [storeProduct(1, 'B', { price: eur('5.00') })],
      settings: s(['B']),
    });
    expect(plan.actions.some((a) => a.code === 'B')).toBe(false);
  });
});

describe('planImport: money is compared exactly', () => {
  it('19.90 from NetBaron equals 19.9 from MyCashflow', () => {
    const fromWire = readProduct({
      ProductCode: 'M-1',
      EAN: '',
      Name: 'Hattu',
      VatPercent: '25.5',
      SalesPriceVatIncluded: '19.90',
      PurchasePrice: '8.1',
      Quantity: '3',
      Deleted: 'false',
      Marketplaces: { Marketplace: ['3'] },
    });
    if (!fromWire.ok) throw new Error(fromWire.reason);
    const inStore = storeProductFrom(
      productSchema.parse({
        id: 1,
        product_code: 'M-1',
        name: 'Hattu',
        price: 19.9,
        purchase_price: 8.1,
        vat_rate: 25.5,
        stock_item: { id: 5, product_id: 1, code: 'M-1', quantity: 3, reserved: 0, balance: 3 },
      }),
    );
    const plan = planOf({ netbaron: [fromWire.product], store: [inStore] });
    expect(plan.actions).toEqual([]);
    expect(plan.counts.unchanged).toBe(1);
  });

  it('a one-cent difference is a change, and amounts that floats get wrong stay exact', () => {
    const plan = planOf({
      netbaron: [
        nbProduct('M-1', { priceVatIncluded: eur('1.15') }),
        nbProduct('M-2', { priceVatIncluded: eur('4.35') }),
      ],
      store: [storeProduct(1, 'M-1', { price: eur('1.14') }), storeProduct(2, 'M-2', { price: eur('4.35') })],
    });
    expect(kindsAndCodes(plan)).toEqual([['update-product', 'M-1']]);
    expect(actionsOf(plan, 'update-product')[0]!.changes).toEqual([
      { field: 'price', from: '1.14', to: '1.15' },
    ]);
    expect(formatCents(actionsOf(plan, 'update-product')[0]!.patch.price!)).toBe('1.15');
  });

  it('25.5 % VAT from the wire is a rate the store accepts, 24 % is not', () => {
    const read = (code: string, rate: string) => {
      const r = readProduct({
        ProductCode: code,
        Name: code,
        VatPercent: rate,
        SalesPriceVatIncluded: '10.00',
        Marketplaces: { Marketplace: ['3'] },
      });
      if (!r.ok) throw new Error(r.reason);
      return r.product;
    };
    const plan = planOf({ netbaron: [read('V-255', '25.50'), read('V-24', '24')] });
    expect(kindsAndCodes(plan)).toEqual([['create-product', 'V-255']]);
    expect(actionsOf(plan, 'create-product')[0]!.create.vat_rate).toBe(2550);
    expect(problemKindsAndCodes(plan)).toEqual([['unknown-vat-rate', 'V-24']]);
    expect(problemsOf(plan, 'unknown-vat-rate')[0]!.reason).toContain('24 %');
  });
});
