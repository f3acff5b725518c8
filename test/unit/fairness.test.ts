import { describe, expect, it } from 'vitest';
import { ArrivalWindow, burstPriority } from '../../src/jobs/fairness.ts';

describe('fair export priorities', () => {
  it('steps a burst down by one every ten orders, store by store, and forgets it after the window', () => {
    let now = 0;
    const window = new ArrivalWindow(10_000, () => now);
    const burst = Array.from({ length: 25 }, () => window.priorityFor('busy'));
    expect(burst.slice(0, 10)).toEqual(Array(10).fill(-0));
    expect(burst.slice(10, 20)).toEqual(Array(10).fill(-1));
    expect(burst.at(-1)).toBe(-2);
    // A quiet store's order goes ahead of the rest of the burst.
    expect(window.priorityFor('quiet')).toBe(-0);
    now = 10_001;
    expect(window.priorityFor('busy')).toBe(-0);
    expect([0, 9, 10, 99].map(burstPriority)).toEqual([-0, -0, -1, -9]);
  });
});
