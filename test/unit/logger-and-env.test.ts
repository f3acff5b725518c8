import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/util/config-error.ts';
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

  it('masks secret-named keys in arrays, in bindings and in errors, and keeps levels apart', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', format: 'json', write: (l) => lines.push(l) }).child({
      authorization: 'Basic abc',
    });
    log.info('below the level');
    log.warn('retrying', { attempts: [{ token: 't1' }, { ok: true }], err: new Error('refused') });
    log.error('gave up');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 'warn',
      msg: 'retrying',
      authorization: '[redacted]',
      attempts: [{ token: '[redacted]' }, { ok: true }],
      err: { name: 'Error', message: 'refused' },
    });
    expect(Number.isNaN(Date.parse(String(first.time)))).toBe(false);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'error', msg: 'gave up' });
    expect(lines.join('\n')).not.toMatch(/abc|t1/);
  });

  it('writes one short readable line in the pretty format, with no pid, host or secret', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'pretty', write: (l) => lines.push(l) });
    log.info('order sent', { connection: 'demo', apiKey: 'abc' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: order sent \{"connection":"demo","apiKey":"\[redacted\]"\}$/,
    );
    expect(lines[0]).not.toMatch(/pid|hostname|abc/);
  });

  it('writes JSON lines when it is not told to be pretty and writes elsewhere than a terminal', () => {
    const lines: string[] = [];
    createLogger({ format: 'auto', write: (l) => lines.push(l) }).info('started');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'started' });
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
      LOG_FORMAT: 'auto',
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

  it('validates LOG_FORMAT and LOG_LEVEL, and names DATABASE_URL and HOST without repeating a password', () => {
    expect(readEnv({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(readEnv({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(() => readEnv({ LOG_FORMAT: 'xml' })).toThrow(
      /LOG_FORMAT: LOG_FORMAT must be auto, json or pretty/,
    );
    expect(() => readEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be debug, info, warn or error/);
    let message = '';
    try {
      readEnv({ DATABASE_URL: 'postgres://admin:hunter2-secret@' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL: DATABASE_URL must be a URL such as postgres:/);
    expect(message).not.toContain('hunter2-secret');
    expect(readEnv({ DATABASE_URL: 'postgres://u:p@db.example.fi:5432/nb' }).DATABASE_URL).toBeDefined();
    expect(() => readEnv({ HOST: 'http://0.0.0.0:4000' })).toThrow(
      /HOST: HOST must be the address to listen on/,
    );
    expect(readEnv({ HOST: '::' }).HOST).toBe('::');
    expect(readEnv({ HOST: 'fe80::1%eth0' }).HOST).toBe('fe80::1%eth0');
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
