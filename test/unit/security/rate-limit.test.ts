import { describe, expect, it } from 'vitest';
import { SignInLimiter } from '../../../src/security/rate-limit.ts';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const MINUTE = 60_000;

describe('sign-in limiter', () => {
  it('blocks a key after five failures and says when to retry', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now });
    for (let i = 0; i < 4; i++) {
      limiter.recordFailure('alice');
      clock.advance(MINUTE);
    }
    expect(limiter.check('alice')).toEqual({ allowed: true });
    limiter.recordFailure('alice');
    // First failure was 4 minutes ago; the 15-minute window frees the key 11 minutes from now.
    expect(limiter.check('alice')).toEqual({ allowed: false, retryAfterSeconds: 11 * 60 });
    expect(limiter.check('bob')).toEqual({ allowed: true });
  });

  it('lets the key in again once the window has passed', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now });
    for (let i = 0; i < 5; i++) limiter.recordFailure('alice');
    clock.advance(15 * MINUTE - 1);
    expect(limiter.check('alice')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(limiter.check('alice')).toEqual({ allowed: true });
  });

  it('rounds retryAfter up to whole seconds', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now, perKey: 1, windowMs: 10_000 });
    limiter.recordFailure('k');
    clock.advance(1_500);
    expect(limiter.check('k')).toEqual({ allowed: false, retryAfterSeconds: 9 });
  });

  it('blocks everyone after the global number of failures across keys', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now, global: 10 });
    for (let i = 0; i < 9; i++) limiter.recordFailure(`user-${i}`);
    expect(limiter.check('new-user')).toEqual({ allowed: true });
    clock.advance(MINUTE);
    limiter.recordFailure('user-9');
    expect(limiter.check('new-user')).toEqual({ allowed: false, retryAfterSeconds: 14 * 60 });
    clock.advance(14 * MINUTE);
    expect(limiter.check('new-user')).toEqual({ allowed: true });
  });

  it('clears a key on success, without forgetting the global count', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now, global: 8 });
    for (let i = 0; i < 5; i++) limiter.recordFailure('alice');
    expect(limiter.check('alice').allowed).toBe(false);
    limiter.recordSuccess('alice');
    expect(limiter.check('alice')).toEqual({ allowed: true });
    for (let i = 0; i < 3; i++) limiter.recordFailure('bob');
    expect(limiter.check('carol').allowed).toBe(false);
  });

  it('keeps the number of tracked keys bounded, dropping the oldest', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now, perKey: 1, global: 1_000_000, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) {
      limiter.recordFailure(`user-${i}`);
      clock.advance(1);
    }
    expect(limiter.trackedKeys).toBe(100);
    expect(limiter.check('user-0')).toEqual({ allowed: true });
    expect(limiter.check('user-999').allowed).toBe(false);
  });

  it('uses the default cap of 10 000 keys', () => {
    const limiter = new SignInLimiter({ now: () => 0, global: 1_000_000 });
    for (let i = 0; i < 10_050; i++) limiter.recordFailure(`user-${i}`);
    expect(limiter.trackedKeys).toBe(10_000);
  });

  it('forgets keys whose failures have expired', () => {
    const clock = fakeClock();
    const limiter = new SignInLimiter({ now: clock.now });
    for (let i = 0; i < 50; i++) limiter.recordFailure(`user-${i}`);
    clock.advance(10 * MINUTE);
    limiter.recordFailure('late');
    expect(limiter.trackedKeys).toBe(51);
    clock.advance(5 * MINUTE);
    expect(limiter.check('anyone')).toEqual({ allowed: true });
    expect(limiter.trackedKeys).toBe(1);
  });

  it('rejects limits that would disable it', () => {
    expect(() => new SignInLimiter({ perKey: 0 })).toThrow(RangeError);
    expect(() => new SignInLimiter({ windowMs: 0 })).toThrow(RangeError);
  });
});
