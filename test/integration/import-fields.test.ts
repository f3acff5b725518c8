import { describe, it } from 'vitest';
import {
  createImportCli,
  isVisible,
  nbProduct,
  productByCode,
  readStore,
  startScene,
  storeWrites,
  clearLogs,
  type Mode,
  type WhenRemoving,
} from '../helpers/import-cli.ts';
import { requestCounts } from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * Which fields the import writes ("Details to be updated"): a new product gets every detail, an existing
 * product or variation only price incl. VAT, purchase price and stock balance, and the descriptions only
 * when "Update product description and product details" is on. Each combination then runs a second time
 * with nothing changed in NetBaron, which must not write anything to the store.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const STORE = [
  {
    id: 1,
    product_code: 'KAHVI-1',
    name: 'Kahvi (kaupan nimi)',
    description: 'Kaupan kuvaus',
    information: 'Kaupan lisätiedot',
    price: 8.9,
    purchase_price: 4.1,
    vat_rate: 14,
    weight: 0.5,
    parcel_type: 'S',
    stock_item: { quantity: 20 },
  },
  {
    id: 3,
    product_code: 'TS-100',
    name: 'T-paita (kaupan nimi)',
    description: 'Paidan kuvaus',
    price: 24.9,
    purchase_price: 9,
    vat_rate: 25.5,
    weight: 0.25,
    parcel_type: 'S',
    variations: [
      {
        id: 31,
        product_code: 'TS-100-S',
        name: 'S',
        price: 24.9,
        purchase_price: 9,
        stock_item: { quantity: 3 },
      },
      {
        id: 32,
        product_code: 'TS-100-M',
        name: 'M',
        price: 24.9,
        purchase_price: 9,
        stock_item: { quantity: 5 },
      },
    ],
  },
  {
    id: 4,
    product_code: 'MUKI-1',
    name: 'Muki',
    price: 12.5,
    purchase_price: 5,
    stock_item: { quantity: 2 },
  },
];

const NETBARON = [
  // Differs on all four protected fields (name, weight, VAT, package type) and on the three updated ones.
  nbProduct('KAHVI-1', {
    Name: 'Kahvi (NetBaronin nimi)',
    Description: 'NetBaronin kuvaus',
    AdditionalInformation: 'NetBaronin lisätiedot äöå €',
    VatPercent: 25.5,
    SalesPriceVatIncluded: 9.5,
    PurchasePrice: 4.3,
    Weight: 0.8,
    PackageType: 'M',
    Quantity: 33,
  }),
  nbProduct('TS-100-S', {
    Name: 'T-paita S (NetBaron)',
    Description: 'Variaation kuvaus NetBaronissa',
    VatPercent: 14,
    SalesPriceVatIncluded: 26.9,
    PurchasePrice: 9.5,
    Weight: 1.25,
    PackageType: 'L',
    Quantity: 4,
  }),
  // Equal to the store on everything the import writes: nothing to write.
  nbProduct('TS-100-M', {
    Name: 'T-paita M (NetBaron)',
    Description: 'Toinen kuvaus',
    SalesPriceVatIncluded: 24.9,
    PurchasePrice: 9,
    Quantity: 5,
  }),
  nbProduct('UUSI-1', {
    EAN: '6430000000050',
    Name: 'Uusi tuote & "lainaus" <3',
    Description: 'Uuden kuvaus',
    AdditionalInformation: 'Uuden lisätiedot',
    VatPercent: 14,
    SalesPriceVatIncluded: 5.5,
    PurchasePrice: 2,
    Weight: 0.125,
    PackageType: 'XS',
    Quantity: 9,
  }),
];

const CASES: Array<{ mode: Mode; updateDescriptions: boolean; whenRemoving: WhenRemoving }> = [
  { mode: 'import-new', updateDescriptions: false, whenRemoving: 'hide' },
  { mode: 'import-new', updateDescriptions: true, whenRemoving: 'delete' },
  { mode: 'update-existing', updateDescriptions: false, whenRemoving: 'delete' },
  { mode: 'update-existing', updateDescriptions: true, whenRemoving: 'hide' },
];

describe.each(CASES)(
  'mode $mode, updateDescriptions $updateDescriptions, whenRemoving $whenRemoving',
  ({ mode, updateDescriptions, whenRemoving }) => {
    const spec = {
      id: `fields-${mode}-${updateDescriptions}-${whenRemoving}`,
      productImport: {
        mode,
        updateDescriptions,
        whenRemoving,
        updateOnly: mode === 'update-existing' ? ['KAHVI-1', 'TS-100'] : [],
      },
    };

    it.concurrent(
      'writes only price, purchase price and stock to existing items, descriptions only when enabled, and every detail to a new product; a second run writes nothing',
      async ({ expect, onTestFinished }) => {
        const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);

        const first = await cli.importProducts(sims, spec);
        expect(first.code, first.stderr).toBe(0);
        const s = first.summary;
        expect(s.status).toBe('completed');
        expect(s.problems).toEqual([]);
        expect(s.created).toBe(mode === 'import-new' ? 1 : 0);
        expect(s.updated).toBe(2); // KAHVI-1 and TS-100-S
        expect(s.unchanged).toBe(1); // TS-100-M
        expect([s.hidden, s.deleted, s.variationsDeleted, s.failed]).toEqual([0, 0, 0, 0]);

        const store = await readStore(sims);

        // An existing product: name, weight, VAT and package type kept; price, purchase price, stock updated.
        const kahvi = productByCode(store, 'KAHVI-1')!;
        expect(kahvi).toMatchObject({
          id: 1,
          name: 'Kahvi (kaupan nimi)',
          vat_rate: 14,
          weight: 0.5,
          parcel_type: 'S',
          price: 9.5,
          purchase_price: 4.3,
          stock_item: { quantity: 33 },
        });
        expect(isVisible(kahvi)).toBe(true);
        if (updateDescriptions) {
          expect(kahvi.description).toBe('NetBaronin kuvaus');
          expect(kahvi.information).toBe('NetBaronin lisätiedot äöå €');
        } else {
          expect(kahvi.description).toBe('Kaupan kuvaus');
          expect(kahvi.information).toBe('Kaupan lisätiedot');
        }

        // A variation: price, purchase price and stock updated; its name and the product's details kept.
        const shirt = productByCode(store, 'TS-100')!;
        expect(shirt).toMatchObject({
          name: 'T-paita (kaupan nimi)',
          description: 'Paidan kuvaus',
          price: 24.9,
          purchase_price: 9,
          vat_rate: 25.5,
          weight: 0.25,
          parcel_type: 'S',
        });
        expect(shirt.variations).toEqual([
          expect.objectContaining({
            id: 31,
            name: 'S',
            price: 26.9,
            purchase_price: 9.5,
            stock_item: expect.objectContaining({ quantity: 4 }),
          }),
          expect.objectContaining({
            id: 32,
            name: 'M',
            price: 24.9,
            purchase_price: 9,
            stock_item: expect.objectContaining({ quantity: 5 }),
          }),
        ]);

        // A store product NetBaron does not list is left alone.
        expect(productByCode(store, 'MUKI-1')).toMatchObject({
          price: 12.5,
          purchase_price: 5,
          stock_item: { quantity: 2 },
        });
        expect(isVisible(productByCode(store, 'MUKI-1')!)).toBe(true);

        const created = productByCode(store, 'UUSI-1');
        if (mode === 'import-new') {
          expect(created).toMatchObject({
            name: 'Uusi tuote & "lainaus" <3',
            vat_rate: 14,
            price: 5.5,
            purchase_price: 2,
            weight: 0.125,
            parcel_type: 'XS',
            stock_item: { quantity: 9 },
            description: updateDescriptions ? 'Uuden kuvaus' : '',
            information: updateDescriptions ? 'Uuden lisätiedot' : '',
          });
          expect(isVisible(created!)).toBe(true);
        } else {
          expect(created).toBeUndefined();
        }
        expect(store.products).toHaveLength(mode === 'import-new' ? 4 : 3);

        // Nothing already equal is written: no PATCH of variation 32, no stock write for TS-100-M.
        // The summary's request counts are what the two systems received.
        expect(first.summary.requests.mycashflow).toEqual(
          (await requestCounts(sims.mycashflow.url)).counts.byMethod,
        );
        expect(first.summary.requests.netbaron).toEqual(
          (await requestCounts(sims.netbaron.url)).counts.byMethod,
        );

        const writes = await storeWrites(sims);
        expect(writes).not.toContain('PATCH /api/v1/variations/32');
        expect(writes).not.toContain('PATCH /api/v1/stock/TS-100-M');
        expect(writes).not.toContain('PATCH /api/v1/products/3');
        expect(writes).not.toContain('PATCH /api/v1/products/4');
        expect(writes.filter((w) => w.startsWith('POST'))).toHaveLength(mode === 'import-new' ? 1 : 0);
        expect(writes.filter((w) => w.startsWith('DELETE'))).toEqual([]);

        // Nothing changed in NetBaron: the second run reads and writes nothing.
        await clearLogs(sims);
        const second = await cli.importProducts(sims, spec);
        expect(second.code, second.stderr).toBe(0);
        expect(second.summary).toMatchObject({
          status: 'completed',
          created: 0,
          updated: 0,
          hidden: 0,
          deleted: 0,
          variationsDeleted: 0,
        });
        expect(second.summary.unchanged).toBe(mode === 'import-new' ? 4 : 3);
        expect(await storeWrites(sims)).toEqual([]);
        expect(Object.keys(second.summary.requests.mycashflow)).toEqual(['GET']);
        expect(await readStore(sims)).toEqual(store);
      },
    );
  },
);
