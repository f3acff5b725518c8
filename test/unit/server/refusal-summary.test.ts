import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { RefusalSummary } from '../../../src/server/auth/refusal-summary.ts';
import { jsonDepthWithin } from '../../../src/server/http/json-depth.ts';

describe('refused sign-ins in the log', () => {
  it('writes one line per address per interval, and one for the addresses past the bound', () => {
    const lines: string[] = [];
    const summary = new RefusalSummary({
      logger: createLogger({ write: (l) => lines.push(l) }),
      maxAddresses: 2,
    });
    for (let i = 0; i < 1_000; i += 1) summary.count(`10.0.0.${i % 5}`, i % 2 ? 'limited' : 'failed');
    expect(lines).toEqual([]);
    summary.stop();
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatchObject({
      msg: 'sign-ins refused',
      remoteAddress: '10.0.0.0',
      failed: 100,
      limited: 100,
      total: 200,
    });
    expect(logged[2]).toMatchObject({
      msg: 'sign-ins refused from further addresses',
      addresses: 3,
      total: 600,
    });
    summary.flush();
    expect(lines).toHaveLength(3);
  });
});

describe('JSON nesting depth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthWithin('{"a":[1,{"b":2}]}', 3)).toBe(true);
    expect(jsonDepthWithin('{"a":[1,{"b":2}]}', 2)).toBe(false);
    expect(jsonDepthWithin(`{"a":"${'['.repeat(1000)}\\"["}`, 1)).toBe(true);
    expect(jsonDepthWithin('['.repeat(65), 64)).toBe(false);
  });
});
