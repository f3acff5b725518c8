import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../src/server/http/client-address.ts';

const request = (forwardedFor: string | string[] | undefined, peer = '10.0.0.2') => ({
  headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  socket: { remoteAddress: peer },
});

describe('clientAddress', () => {
  it('is the TCP peer when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress(request('203.0.113.7'), 0)).toBe('10.0.0.2');
  });

  it('is the entry the nearest trusted proxy appended, not what the client wrote before it', () => {
    expect(clientAddress(request('203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.1, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.1, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request(['198.51.100.1', '203.0.113.7']), 1)).toBe('203.0.113.7');
  });

  it('falls back to the TCP peer when the header did not come through every proxy', () => {
    expect(clientAddress(request(undefined), 1)).toBe('10.0.0.2');
    expect(clientAddress(request(' , '), 1)).toBe('10.0.0.2');
    expect(clientAddress(request('203.0.113.7'), 2)).toBe('10.0.0.2');
  });
});
