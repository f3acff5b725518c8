import { describe, expect, it } from 'vitest';
import { containsPattern, orderNumberOf } from '../../../src/db/order-list.ts';
import {
  orderListQuery,
  orderListUrl,
  requeuedOf,
  SEARCH_MAX_LENGTH,
} from '../../../src/server/forms/order-list-query.ts';

const read = (qs: string) => orderListQuery(new URLSearchParams(qs));

describe('orderListQuery', () => {
  it('reads the state, the page, the search text and the days', () => {
    expect(read('state=outcome-unknown&page=3&q=Anna&from=2026-11-01&to=2026-11-30')).toEqual({
      filter: 'outcome-unknown',
      page: 3,
      text: 'Anna',
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(read('')).toEqual({ filter: 'all', page: 1, text: '' });
  });

  it('drops each malformed part on its own, so that no address is an error', () => {
    expect(read('state=<b>&page=-2')).toEqual({ filter: 'all', page: 1, text: '' });
    expect(read('page=1.5&state=sent')).toEqual({ filter: 'sent', page: 1, text: '' });
    expect(read('page=0')).toMatchObject({ page: 1 });
    expect(read('page=99999999999999999999')).toMatchObject({ page: 1 });
    expect(read('page=%ZZ')).toMatchObject({ page: 1 });
    // Not days: a wrong shape, a day that does not exist, a year PostgreSQL has no date for.
    for (const day of ['2026-2-1', '2026-02-30', '0000-01-01', '20260101', "2026-01-01' or 1=1"])
      expect(read(`from=${encodeURIComponent(day)}&q=x`)).toEqual({ filter: 'all', page: 1, text: 'x' });
    expect(read('from=2024-02-29')).toMatchObject({ from: '2024-02-29' });
  });

  it('tidies the search text: spaces, control characters, length', () => {
    expect(read('q=%20%20Maija%20%20%0A%20Meik%C3%A4l%C3%A4inen%20').text).toBe('Maija Meikäläinen');
    expect(read(`q=${'a'.repeat(300)}`).text).toHaveLength(SEARCH_MAX_LENGTH);
    expect(read('q=%20%20').text).toBe('');
  });

  it('swaps days given the wrong way round', () => {
    expect(read('from=2026-11-30&to=2026-11-01')).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('orderListUrl', () => {
  it('writes only what differs from the defaults, and keeps the search over a change of page or state', () => {
    const q = read('q=a%26b&from=2026-11-01&state=sent&page=2');
    expect(orderListUrl('/c/x', q)).toBe('/c/x/orders?q=a%26b&from=2026-11-01&state=sent&page=2');
    expect(orderListUrl('/c/x', q, { page: 1, filter: 'all' })).toBe('/c/x/orders?q=a%26b&from=2026-11-01');
    expect(orderListUrl('/c/x', read(''))).toBe('/c/x/orders');
    // What it writes reads back the same.
    expect(read(orderListUrl('', q).split('?')[1]!)).toEqual(q);
  });
});

describe('requeuedOf', () => {
  it('reads a count, and nothing else', () => {
    expect(requeuedOf(new URLSearchParams('requeued=3'))).toBe(3);
    expect(requeuedOf(new URLSearchParams('requeued=0'))).toBe(0);
    expect(requeuedOf(new URLSearchParams('requeued=x'))).toBeUndefined();
    expect(requeuedOf(new URLSearchParams(''))).toBeUndefined();
  });
});

describe('the search in SQL terms', () => {
  it("matches the text anywhere, taking LIKE's wildcards literally", () => {
    expect(containsPattern('Öberg')).toBe('%Öberg%');
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('reads an order number, with or without #, within the range of a bigint', () => {
    expect(orderNumberOf('10023')).toBe('10023');
    expect(orderNumberOf('#10023')).toBe('10023');
    expect(orderNumberOf('TS-100')).toBeUndefined();
    expect(orderNumberOf('99999999999999999999')).toBeUndefined();
    expect(orderNumberOf('9223372036854775807')).toBeUndefined(); // 19 digits: beyond what is read
    expect(orderNumberOf('922337203685477580')).toBe('922337203685477580');
  });
});
