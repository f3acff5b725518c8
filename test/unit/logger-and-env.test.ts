import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from '../../src/config/env.ts';
import { redactSecrets, safeUrl } from '../../src/http/redact.ts';
import { createLogger } from '../../src/observability/logger.ts';

describe('logger', () => {
  it('writes one JSON object per line and masks keys that name secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), bindings: { run: 'r1' } }).child({
      order: 10023,
    });
    log.info('sent', { apiKey: 'abc', nested: { password: 'p', ok: 1 } });
    log.debug('not shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'sent',
      run: 'r1',
      order: 10023,
      apiKey: '[redacted]',
      nested: { password: '[redacted]', ok: 1 },
    });
  });
});

describe('redaction', () => {
  it('removes secrets and their URL encodings, and user info from URLs', () => {
    expect(redactSecrets('key=a b&c, again a b', ['a b'])).toBe('key=[redacted]&c, again [redacted]');
    expect(redactSecrets('x%C3%A4y', ['xäy'])).toBe('[redacted]');
    expect(safeUrl('https://u:p@host/path?x=1')).toBe('https://host/path?x=1');
  });
});

describe('environment', () => {
  it('applies defaults and refuses a malformed DATABASE_URL with a readable message', () => {
    expect(readEnv({})).toEqual({
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      PORT: 4000,
      HOST: '127.0.0.1',
      COOKIE_SECURE: 'auto',
      TRUST_PROXY: 0,
    });
    expect(readEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(() => readEnv({ TRUST_PROXY: 'yes' })).toThrow(
      /TRUST_PROXY must be the number of reverse proxies/,
    );
    expect(() => readEnv({ TRUST_PROXY: '9' })).toThrow(/TRUST_PROXY must be at most 5/);
    expect(() => readEnv({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => readEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
    expect(readEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names the variable and never repeats a secret value', () => {
    const secret = 'tiny-secret';
    let message = '';
    try {
      readEnv({ ADMIN_PASSWORD: secret });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_PASSWORD: ADMIN_PASSWORD must be at least 12 characters/);
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT: PORT must be a port number/);
    expect(message).not.toContain(secret);
    expect(() => readEnv({ PUBLIC_URL: 'https://user:pw@host' })).toThrow(/PUBLIC_URL must be/);
  });
});
