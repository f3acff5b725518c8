import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  formatFlag,
  nbWireFormatSchema,
  readDecimalText,
  readFlag,
  wireBooleanSchema,
} from '../../src/netbaron/wire/format.ts';
import { parseProductsPage, productsQuery, readProduct } from '../../src/netbaron/wire/products.ts';
import { cleanSalesOrder, writeSalesOrder } from '../../src/netbaron/wire/salesorder.ts';
import { withoutNonXmlChars } from '../../src/netbaron/wire/xml.ts';
import { exampleOrder } from '../helpers/orders.ts';

const UPPER = nbWireFormatSchema.parse({});
const LOWER = nbWireFormatSchema.parse({ booleanSpelling: 'lower' });
const COMMA = nbWireFormatSchema.parse({ decimalSeparator: ',' });

describe('NetBaron wire format: flags', () => {
  it('defaults to the documented TRUE/FALSE and a dot', () => {
    expect(UPPER).toEqual({ booleanSpelling: 'upper', decimalSeparator: '.' });
    expect([formatFlag(true, UPPER), formatFlag(false, UPPER)]).toEqual(['TRUE', 'FALSE']);
    expect([formatFlag(true, LOWER), formatFlag(false, LOWER)]).toEqual(['true', 'false']);
  });

  it('reads a boolean in any case, or as 1/0, and nothing else', () => {
    for (const t of ['TRUE', 'true', 'True', '1', ' true ']) expect(readFlag(t)).toBe(true);
    for (const t of ['FALSE', 'false', 'False', '0']) expect(readFlag(t)).toBe(false);
    for (const t of ['yes', '', '2', 'tru', 'ja']) expect(readFlag(t)).toBeUndefined();
    expect(wireBooleanSchema.safeParse('maybe').success).toBe(false);
    expect(wireBooleanSchema.parse('False')).toBe(false);
  });

  it('puts the spelling into every listing flag', () => {
    const query = productsQuery({ prices: true, page: 1, pageSize: 10 }, LOWER).toString();
    expect(query).toContain('GetPrices=true');
    expect(query).toContain('GetQuantity=false');
    expect(productsQuery({ prices: true, page: 1, pageSize: 10 }).toString()).toContain('GetPrices=TRUE');
  });

  it('reads Deleted as TRUE, True or 1', () => {
    const page = (deleted: string) =>
      parseProductsPage(
        `<ProductsResponse><Page>1</Page><PageCount>1</PageCount><Products><Product><ProductCode>A</ProductCode><VatPercent>24</VatPercent><Deleted>${deleted}</Deleted></Product></Products></ProductsResponse>`,
      ).rawProducts[0];
    for (const t of ['TRUE', 'True', '1']) {
      expect(readProduct(page(t))).toMatchObject({ ok: true, product: { code: 'A', deleted: true } });
    }
    expect(readProduct(page('FALSE'))).toMatchObject({ ok: true, product: { deleted: false } });
    expect(readProduct(page('yes'))).toMatchObject({ ok: false, reason: expect.stringMatching(/Deleted/) });
  });
});

describe('NetBaron wire format: decimals', () => {
  it('spells a decimal with the chosen separator and refuses what is not one', () => {
    expect(formatDecimal('24.90', UPPER)).toBe('24.90');
    expect(formatDecimal('24.90', COMMA)).toBe('24,90');
    expect(formatDecimal('-0.05', COMMA)).toBe('-0,05');
    expect(formatDecimal('3', COMMA)).toBe('3');
    expect(() => formatDecimal('1e3', COMMA)).toThrow(/not a decimal/);
  });

  it('writes every number of a sales order with a comma, and a comma document reads back exactly', async () => {
    const { readSalesOrder } = await import('../../src/netbaron/wire/salesorder.ts');
    const order = exampleOrder();
    const xml = writeSalesOrder(order, COMMA);
    expect(xml).toContain('<RowVatRatePercent>25,5</RowVatRatePercent>');
    expect(xml).not.toMatch(/>-?\d+\.\d+</);
    expect(readSalesOrder(xml)).toEqual(readSalesOrder(writeSalesOrder(order)));
  });
});

describe('NetBaron wire format: characters XML forbids', () => {
  it('drops control characters, lone surrogates and U+FFFE/U+FFFF, keeping tab, LF, CR and pairs', () => {
    expect(withoutNonXmlChars('a\u0000b\u0007c\u001Fd')).toEqual({ text: 'abcd', removed: 3 });
    expect(withoutNonXmlChars('x\uD800y\uDC00z\uFFFE\uFFFF')).toEqual({ text: 'xyz', removed: 4 });
    expect(withoutNonXmlChars('t\tl\nc\r😀')).toEqual({ text: 't\tl\nc\r😀', removed: 0 });
  });

  it('cleans an order field by field and names each field that lost characters', () => {
    const order = exampleOrder({ buyerContactPersonName: 'Åsa\u0007 Öberg' });
    order.rows[0]!.articleName = 'T-paita\u0000\u0001';
    const { order: clean, removals } = cleanSalesOrder(order);
    expect(clean.buyerContactPersonName).toBe('Åsa Öberg');
    expect(clean.rows[0]!.articleName).toBe('T-paita');
    expect(clean.rows[0]!.unitPriceVatIncluded).toBe(order.rows[0]!.unitPriceVatIncluded);
    expect(removals).toEqual(['buyerContactPersonName (1 character)', 'rows[1].articleName (2 characters)']);
    expect(cleanSalesOrder(clean).removals).toEqual([]);
  });

  it('never writes a forbidden character, even when a caller did not clean first', () => {
    const xml = writeSalesOrder(exampleOrder({ buyerContactPersonName: 'A\u0008B' }));
    expect(xml).toContain('<BuyerContactPersonName>AB</BuyerContactPersonName>');
  });
});

describe('decimals NetBaron sends', () => {
  it('reads a comma as a dot, and leaves anything ambiguous for the schema to refuse', () => {
    expect(readDecimalText('24,90')).toBe('24.90');
    expect(readDecimalText(' -3,5 ')).toBe('-3.5');
    expect(readDecimalText('24.90')).toBe('24.90');
    expect(readDecimalText('1.024,90')).toBe('1.024,90');
    expect(readDecimalText('1,024,90')).toBe('1,024,90');
    expect(readDecimalText(',5')).toBe(',5');
  });
});
