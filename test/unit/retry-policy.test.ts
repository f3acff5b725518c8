import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultRetryPolicy, parseRetryAfter } from '../../src/http/retry-policy.ts';

describe('retry policy', () => {
  const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };

  it('grows exponentially with jitter between half and all of the step, capped', () => {
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(100);
    expect(backoffDelay(policy, 3, undefined, () => 0)).toBe(200);
    expect(backoffDelay(policy, 3, undefined, () => 0.999999)).toBe(400);
    expect(backoffDelay(policy, 10, undefined, () => 0.999999)).toBe(1000);
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelay(policy, 1, 3000, () => 0)).toBe(3000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(
      parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', Date.parse('Fri, 27 Nov 2026 10:00:00 GMT')),
    ).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
