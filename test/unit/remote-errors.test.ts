import { describe, expect, it } from 'vitest';
import { toMcfError } from '../../src/mycashflow/errors.ts';
import { toNbError } from '../../src/netbaron/errors.ts';

const answer = (status: number, body = '') => ({ answer: { status, headers: new Headers(), body } });
const mcf = (idempotent: boolean) => ({
  method: idempotent ? 'GET' : 'POST',
  describe: 'X /api/v1/x',
  idempotent,
  secrets: ['s3cr3t'],
});
const nb = (method: string) => ({
  module: 'salesorder' as const,
  modulePath: '/ws/salesorder',
  method,
  describe: `${method} /ws/salesorder`,
  secrets: ['pw-123'],
});

describe('MyCashflow error classes', () => {
  it.each([
    [401, true, 'authentication', 'fatal'],
    [404, true, 'not-found', 'fatal'],
    [406, true, 'not-acceptable', 'fatal'],
    [409, false, 'conflict', 'fatal'],
    [400, false, 'validation', 'fatal'],
    [429, false, 'rate-limited', 'retryable'],
    [503, false, 'unavailable', 'retryable'],
    [500, true, 'server', 'retryable'],
    [500, false, 'server', 'outcome-unknown'],
    [504, false, 'server', 'outcome-unknown'],
  ] as const)('%i (idempotent %s) is %s / %s', (status, idempotent, kind, disposition) => {
    expect(toMcfError(answer(status), 1, mcf(idempotent))).toMatchObject({ kind, disposition, status });
  });

  it('tells the plan refusal from other 403s by the error body', () => {
    const body = JSON.stringify({
      code: 403,
      error: 'Forbidden',
      message: 'The API needs a paid plan (Advanced, Pro or Enterprise).',
    });
    expect(toMcfError(answer(403, body), 1, mcf(true)).kind).toBe('plan');
    expect(toMcfError(answer(403, '{}'), 1, mcf(true)).kind).toBe('forbidden');
  });

  it('scrubs a secret that the remote system echoes back', () => {
    const body = JSON.stringify({ code: 400, error: 'Bad Request', message: 'key s3cr3t is odd' });
    const err = toMcfError(answer(400, body), 1, mcf(true));
    expect(err.message).not.toContain('s3cr3t');
    expect(err.remoteMessage).toBe('key [redacted] is odd');
  });

  it('treats a broken connection as retryable for reads and unknown for creates', () => {
    const failure = { failure: { phase: 'sent' as const, reason: 'broke' } };
    expect(toMcfError(failure, 1, mcf(true)).disposition).toBe('retryable');
    expect(toMcfError(failure, 1, mcf(false)).disposition).toBe('outcome-unknown');
    expect(toMcfError({ failure: { phase: 'not-sent', reason: 'refused' } }, 1, mcf(false)).disposition).toBe(
      'retryable',
    );
  });
});

describe('NetBaron error classes', () => {
  const xml = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

  it('reads the <Error> body into kinds', () => {
    expect(
      toNbError(
        answer(422, xml('UNKNOWN_PAYMENT_METHOD', 'Payment method "Klarna" does not exist in NetBaron.')),
        1,
        nb('PUT'),
      ),
    ).toMatchObject({
      kind: 'unknown-payment-method',
      disposition: 'fatal',
      remoteCode: 'UNKNOWN_PAYMENT_METHOD',
    });
    expect(toNbError(answer(403, xml('IP_NOT_ALLOWED', 'no')), 1, nb('GET')).kind).toBe('ip-not-allowed');
    expect(toNbError(answer(401, xml('AUTHENTICATION_FAILED', 'no')), 1, nb('GET')).message).toMatch(
      /Order API password/,
    );
  });

  it('makes every 5xx on a PUT an unknown outcome and on a GET retryable', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(toNbError(answer(status), 1, nb('PUT')).disposition).toBe('outcome-unknown');
      expect(toNbError(answer(status), 1, nb('GET')).disposition).toBe('retryable');
    }
    expect(toNbError(answer(429), 1, nb('PUT')).disposition).toBe('retryable');
  });
});
