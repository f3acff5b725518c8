import { describe, expect, it } from 'vitest';
import { FaultInjector, faultRuleSchema } from '../../simulators/kit/faults.ts';

describe('the simulators’ fault rules', () => {
  it('fails only the requests beyond maxPerSecond in the trailing second', () => {
    let now = 0;
    const faults = new FaultInjector(1, () => now);
    faults.set([faultRuleSchema.parse({ path: '/api/*', status: 429, retryAfter: 1, maxPerSecond: 3 })]);
    const burst = [0, 1, 2, 3, 4].map(() => faults.decide('GET', '/api/v1/products').kind);
    expect(burst).toEqual(['none', 'none', 'none', 'status', 'status']);
    // A second later the window is empty again; a client at 2 per second is never refused.
    now = 1_500;
    const paced: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      now += 500;
      paced.push(faults.decide('GET', '/api/v1/products').kind);
    }
    expect(paced).toEqual(['none', 'none', 'none', 'none', 'none', 'none']);
    expect(faults.decide('GET', '/other').kind).toBe('none');
  });

  it('applies count and share as before, and refuses a rule with both', () => {
    const faults = new FaultInjector(7);
    faults.set([faultRuleSchema.parse({ status: 503, count: 2 })]);
    expect([1, 2, 3].map(() => faults.decide('PUT', '/ws/salesorder').kind)).toEqual([
      'status',
      'status',
      'none',
    ]);
    expect(faultRuleSchema.safeParse({ status: 503, count: 1, share: 0.5 }).success).toBe(false);
  });
});
