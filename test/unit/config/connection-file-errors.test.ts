import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConnectionFileError,
  parseConnectionText,
  readConnectionFile,
} from '../../../src/config/connection-file.ts';
import { jsonErrorOffset } from '../../../src/config/json-error-position.ts';
import { isRemoteAddress, sameRemoteAddress } from '../../../src/config/remote-address.ts';

const valid = {
  id: 'shop',
  name: 'Shop',
  mycashflow: { baseUrl: 'https://shop.mycashflow.fi/api/v1', user: 'api@shop.fi', apiKey: 'k-123' },
  netbaron: { baseUrl: 'https://nb.example.fi', organisation: 'org', marketplace: '3' },
};
const text = (value: unknown): string => JSON.stringify(value, null, 2);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectionFileError);
    return (err as Error).message;
  }
  throw new Error('expected a ConnectionFileError');
}

describe('connection file syntax errors', () => {
  it('names line and column and repeats nothing of the file (an unquoted secret-looking key)', () => {
    const secret = 'sk_live_Zq81xUnquotedKey';
    const file = `{\n  "name": "Shop",\n  ${secret}: "k-9f3a2b"\n}\n`;
    const message = messageOf(() => parseConnectionText(file, 'shop.json'));
    expect(message).toMatch(/^shop\.json is not valid JSON at line 3, column 3: /);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('sk_');
    expect(message).not.toContain('k-9f3a2b');
    expect(message).not.toContain('Shop"');
  });

  it('points at the place JSON.parse points at, whatever the kind of fault', () => {
    const cases = [
      '{"a": 1,}',
      '{"a": tru}',
      '{"a": 1}}',
      '[1 2]',
      '{"a": "x\ny"}',
      '{"a": "\\q"}',
      '{"a" 1}',
      '{"a": 01}',
      '{"a": -}',
      '{"a": [1, 2,]}',
      '{"a": {"b": nul}}',
    ];
    for (const c of cases) {
      let position: number | undefined;
      try {
        JSON.parse(c);
      } catch (err) {
        const m = /position (\d+)/.exec((err as Error).message);
        if (m) position = Number(m[1]);
      }
      if (position !== undefined) expect(jsonErrorOffset(c), c).toBe(position);
      expect(jsonErrorOffset(c), c).toBeLessThan(c.length);
    }
    expect(jsonErrorOffset('{"a": [1, {"b": "c"}], "d": -1.5e3, "e": null}')).toBe(46);
  });

  it('says where a file ends too early', () => {
    const message = messageOf(() => parseConnectionText('{\n  "name": "Shop",\n', 'x.json'));
    expect(message).toMatch(/line 3, column 1/);
  });

  it('accepts a UTF-8 byte order mark, from the text and from a file', async () => {
    expect(parseConnectionText(`\uFEFF${text(valid)}`).name).toBe('Shop');
    const dir = await mkdtemp(join(tmpdir(), 'nb-conn-'));
    afterAll(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'bom.json');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text(valid))]));
    expect((await readConnectionFile(path)).id).toBe('shop');
    await expect(readConnectionFile(join(dir, 'missing.json'))).rejects.toThrow(
      /cannot read .*missing\.json: no such file; check the path given to --config/,
    );
  });
});

describe('addresses in a connection file', () => {
  it('takes http and https and refuses other schemes and a user or password, without repeating them', () => {
    const withAddresses = (mcf: string, nb: string) =>
      text({
        ...valid,
        mycashflow: { ...valid.mycashflow, baseUrl: mcf },
        netbaron: { ...valid.netbaron, baseUrl: nb },
      });
    expect(
      parseConnectionText(withAddresses('http://127.0.0.1:4100/api/v1', 'http://127.0.0.1:4200')).id,
    ).toBe('shop');
    const userInfo = messageOf(() =>
      parseConnectionText(
        withAddresses('https://api:pw-Secret9@shop.mycashflow.fi/api/v1', 'https://nb.example.fi'),
      ),
    );
    expect(userInfo).toMatch(
      /mycashflow\.baseUrl: mycashflow\.baseUrl must be an http or https address without a user or password/,
    );
    expect(userInfo).not.toContain('pw-Secret9');
    const scheme = messageOf(() =>
      parseConnectionText(withAddresses('https://shop.mycashflow.fi/api/v1', 'ftp://nb.example.fi')),
    );
    expect(scheme).toMatch(/netbaron\.baseUrl: netbaron\.baseUrl must be an http or https address/);
    expect(() => parseConnectionText(withAddresses('javascript:alert(1)', 'https://nb.example.fi'))).toThrow(
      /mycashflow\.baseUrl/,
    );
  });

  it('shares one rule with the settings form, and compares addresses as a client reaches them', () => {
    expect(isRemoteAddress('https://nb.example.fi')).toBe(true);
    expect(isRemoteAddress('https://user@nb.example.fi')).toBe(false);
    expect(isRemoteAddress('file:///etc/passwd')).toBe(false);
    expect(sameRemoteAddress('https://NB.example.fi/', 'https://nb.example.fi')).toBe(true);
    expect(sameRemoteAddress('https://nb.example.fi', 'https://nb.example.fi:8443')).toBe(false);
    expect(sameRemoteAddress('https://nb.example.fi', 'http://nb.example.fi')).toBe(false);
  });
});

describe('connection file: NetBaron wire format', () => {
  it('defaults to TRUE/FALSE flags and a decimal dot, and takes the other spellings', () => {
    const parsed = parseConnectionText(text(valid), 'shop.json');
    expect(parsed.netbaron).toMatchObject({ booleanSpelling: 'upper', decimalSeparator: '.' });
    const other = parseConnectionText(
      text({ ...valid, netbaron: { ...valid.netbaron, booleanSpelling: 'lower', decimalSeparator: ',' } }),
      'shop.json',
    );
    expect(other.netbaron).toMatchObject({ booleanSpelling: 'lower', decimalSeparator: ',' });
  });

  it('names the setting when its value is not one of the choices', () => {
    const message = messageOf(() =>
      parseConnectionText(
        text({ ...valid, netbaron: { ...valid.netbaron, decimalSeparator: ';' } }),
        'shop.json',
      ),
    );
    expect(message).toMatch(/netbaron\.decimalSeparator/);
  });
});

describe('connection file: NetBaron wire format kept by the service', () => {
  it('survives the split into stored settings and the assembly back', async () => {
    const { splitConnectionFile, assembleConnection } = await import('../../../src/connections/settings.ts');
    const file = parseConnectionText(
      text({
        ...valid,
        netbaron: {
          ...valid.netbaron,
          orderApiPassword: 'o',
          booleanSpelling: 'lower',
          decimalSeparator: ',',
        },
      }),
      'shop.json',
    );
    const { settings, secrets } = splitConnectionFile(file);
    expect(settings.netbaron).toMatchObject({ booleanSpelling: 'lower', decimalSeparator: ',' });
    const back = assembleConnection('shop', 'Shop', settings, secrets);
    expect(back.ok && back.connection.netbaron).toMatchObject({
      booleanSpelling: 'lower',
      decimalSeparator: ',',
    });
  });
});
