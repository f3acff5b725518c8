import { describe, expect, it } from 'vitest';
import { firstMissingStockChange, mirrorReading, type MirrorState } from '../../src/catalog/store-mirror.ts';

const now = new Date('2026-12-03T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const settings = { fullStoreReadEveryHours: 24, stockChangesKeptDays: 30 };
const STORE = 'https://kauppa.example/api/v1';
const trusted: MirrorState = {
  storeAddress: STORE,
  fullReadAt: hoursAgo(2),
  productsFrom: hoursAgo(1),
  stockChange: { id: 41, at: hoursAgo(1) },
  stockReadAt: hoursAgo(1),
  returnsFrom: hoursAgo(2),
  doubt: null,
  productCount: 10,
};

describe('mirrorReading', () => {
  it('reads changes only while the mirror is trusted', () => {
    expect(mirrorReading(trusted, now, settings, STORE)).toEqual({ kind: 'changes' });
  });

  it.each([
    ['never filled', undefined, 'the store was never read whole'],
    ['a full reading that did not end', { ...trusted, fullReadAt: null }, 'the store was never read whole'],
    ['in doubt', { ...trusted, doubt: 'the store answered 404 to a write of A-1' }, 'answered 404'],
    ['read whole a day ago', { ...trusted, fullReadAt: hoursAgo(24) }, 'last read whole 24 h ago'],
    [
      'read from another store address',
      { ...trusted, storeAddress: 'https://toinen.example/api/v1' },
      'another store address',
    ],
    ['stock changes read 30 days ago', { ...trusted, stockReadAt: hoursAgo(30 * 24) }, '30 days ago'],
  ])('reads the whole store when %s', (_, state, why) => {
    const reading = mirrorReading(state, now, settings, STORE);
    expect(reading.kind).toBe('full');
    expect(reading.kind === 'full' && reading.why).toContain(why);
  });

  it('follows the connection’s own period', () => {
    const state = { ...trusted, fullReadAt: hoursAgo(5) };
    expect(mirrorReading(state, now, { ...settings, fullStoreReadEveryHours: 6 }, STORE).kind).toBe(
      'changes',
    );
    expect(mirrorReading(state, now, { ...settings, fullStoreReadEveryHours: 4 }, STORE).kind).toBe('full');
  });
});

describe('firstMissingStockChange', () => {
  it('accepts ids that follow the last one read without a gap, or none', () => {
    expect(firstMissingStockChange(41, [])).toBeUndefined();
    expect(firstMissingStockChange(41, [42, 43, 44])).toBeUndefined();
  });
  it('names the first id missing', () => {
    expect(firstMissingStockChange(41, [43])).toBe(42);
    expect(firstMissingStockChange(41, [42, 43, 45])).toBe(44);
  });
});
