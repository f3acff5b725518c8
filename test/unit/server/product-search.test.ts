import { describe, expect, it } from 'vitest';
import {
  checkCodes,
  editDistanceWithin,
  indexCatalog,
  nearMisses,
  searchCatalog,
  type CatalogProduct,
} from '../../../src/connections/product-search.ts';
import { StoreProductCache } from '../../../src/connections/store-products.ts';
import {
  choiceDetail,
  didYouMean,
  searchSummary,
} from '../../../src/server/views/pages/settings-products.ts';

const products: CatalogProduct[] = [
  { id: '1', code: 'KAHVI-1', name: 'Kahvi, tumma paahto 500 g', variations: [] },
  { id: '2', code: 'KIRJA-1', name: 'Kirja: Pähkinänsärkijä', variations: [] },
  {
    id: '3',
    code: 'TS-100',
    name: 'T-paita',
    variations: [
      { code: 'TS-100-S', name: 'S' },
      { code: 'TS-100-M', name: 'M' },
    ],
  },
  { id: '4', code: 'MUKI-1', name: 'Muki Äitienpäivä', variations: [] },
  { id: '5', code: null, name: 'Ilman koodia', variations: [] },
];
const index = indexCatalog(products);
const codes = (choices: Array<{ code: string }>) => choices.map((c) => c.code);

describe('searching the store products', () => {
  it('finds by code or by part of the name, case-insensitively, the exact code first', () => {
    expect(codes(searchCatalog(index, 'kirja-1').choices)).toEqual(['KIRJA-1']);
    expect(codes(searchCatalog(index, 'ÄITIENPÄ').choices)).toEqual(['MUKI-1']);
    expect(codes(searchCatalog(index, 'ts-100').choices)).toEqual(['TS-100', 'TS-100-M', 'TS-100-S']);
    expect(codes(searchCatalog(index, 'I-1').choices)).toEqual(['KAHVI-1', 'MUKI-1']);
    expect(searchCatalog(index, '   ')).toEqual({ total: 0, choices: [] });
  });

  it('says how many variations a product has, and whose variation a variation is', () => {
    const [product, small] = searchCatalog(index, 'TS-100').choices.filter((c) => c.code !== 'TS-100-M');
    expect(product).toEqual({ code: 'TS-100', name: 'T-paita', variations: 2 });
    expect(small).toEqual({ code: 'TS-100-S', name: 'T-paita, S', variations: 0, variationOf: 'TS-100' });
    expect(choiceDetail(product!)).toBe('2 variations');
    expect(choiceDetail(small!)).toBe('variation of TS-100');
    expect(choiceDetail({ code: 'K', name: 'K', variations: 0 })).toBe('no variations');
  });

  it('counts every match but returns at most the limit', () => {
    const many = indexCatalog(
      Array.from({ length: 50 }, (_, i) => ({
        id: String(i),
        code: `P-${i}`,
        name: 'Paita',
        variations: [],
      })),
    );
    const found = searchCatalog(many, 'paita', 20);
    expect(found.total).toBe(50);
    expect(found.choices).toHaveLength(20);
    expect(searchSummary('paita', found.total, 20, [])).toBe(
      '50 products match; the first 20 are shown. Type more to narrow the list.',
    );
  });
});

describe('near-misses of a code the store does not have', () => {
  it('offers the same code in another letter case first', () => {
    expect(codes(nearMisses(index, 'kirja-1'))).toEqual(['KIRJA-1']);
    expect(didYouMean(nearMisses(index, 'kirja-1'))).toBe('Did you mean KIRJA-1?');
  });

  it('offers codes a typing slip away, and names that contain what was typed', () => {
    expect(codes(nearMisses(index, 'KIRJA1'))[0]).toBe('KIRJA-1');
    expect(codes(nearMisses(index, 'KAHVl-1'))[0]).toBe('KAHVI-1');
    expect(codes(nearMisses(index, 'pähkinä'))).toEqual(['KIRJA-1']);
    expect(nearMisses(index, 'XYZZY-99')).toEqual([]);
    expect(didYouMean([])).toBe('');
  });

  it('never offers the code itself, and at most three', () => {
    expect(codes(nearMisses(index, 'KIRJA-1'))).not.toContain('KIRJA-1');
    expect(nearMisses(index, 'TS-100-X').length).toBeLessThanOrEqual(3);
  });

  it('checks chosen codes exactly, as the import matches them', () => {
    const [found, missing] = checkCodes(index, ['TS-100-M', 'kirja-1']);
    expect(found).toMatchObject({ code: 'TS-100-M', found: { variationOf: 'TS-100' } });
    expect(missing).toMatchObject({ code: 'kirja-1', nearMisses: [{ code: 'KIRJA-1' }] });
  });

  it('measures edit distance only as far as asked', () => {
    expect(editDistanceWithin('kirja1', 'kirja-1', 2)).toBe(1);
    expect(editDistanceWithin('abc', 'abc', 0)).toBe(0);
    expect(editDistanceWithin('abcdef', 'uvwxyz', 2)).toBeUndefined();
    expect(editDistanceWithin('a', 'abcd', 2)).toBeUndefined();
  });
});

describe('the store products kept for the picker', () => {
  it('reads once while fresh, again when stale or for another store, and forgets a failed read', async () => {
    let now = 0;
    const cache = new StoreProductCache(1000, () => now);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return products;
    };
    await cache.get('c1', 'store-a', read);
    await cache.get('c1', 'store-a', read);
    expect(reads).toBe(1);
    now = 1500;
    await cache.get('c1', 'store-a', read);
    expect(reads).toBe(2);
    await cache.get('c1', 'store-b', read);
    expect(reads).toBe(3);

    await expect(cache.get('c2', 'store-a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await cache.get('c2', 'store-a', read)).size).toBe(products.length);
  });
});
