import { describe, expect, it } from 'vitest';
import { failingPart } from '../../../src/connections/test-connection.ts';
import { RemoteError } from '../../../src/http/remote-error.ts';
import { parseCookies, parseForm } from '../../../src/server/http/request.ts';
import { Router } from '../../../src/server/http/router.ts';
import { safeNext } from '../../../src/server/routes/auth.ts';
import { html, raw } from '../../../src/util/html.ts';

const noop = async () => undefined;

describe('the admin app’s building blocks', () => {
  it('escapes every interpolated value, but not nested templates', () => {
    const name = `<script>alert("x")</script>&'`;
    const out = html`<p title="${name}">${name}${html`<b>${name}</b>`}${[name, raw('<i>ok</i>')]}</p>`.text;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(out).toContain('<b>&lt;script&gt;');
    expect(out).toContain('<i>ok</i>');
  });

  it('matches paths with parameters, tells 405 from 404, and refuses odd segments', () => {
    const router = new Router().add(
      { method: 'GET', path: '/connections/:slug/orders/:orderId', access: 'admin', handler: noop },
      { method: 'POST', path: '/connections/:slug/orders/:orderId/retry', access: 'admin', handler: noop },
    );
    const found = router.match('GET', '/connections/demo/orders/10023');
    expect(found && 'route' in found && found.params).toEqual({ slug: 'demo', orderId: '10023' });
    expect(router.match('GET', '/connections/demo/orders/10023/retry')).toEqual({ allowed: ['POST'] });
    expect(router.match('GET', '/connections/de%2Fmo/orders/1')).toBeUndefined();
    expect(router.match('GET', '/connections/demo/orders')).toBeUndefined();
  });

  it('redirects after sign-in only within the site', () => {
    expect(safeNext('/connections/demo?x=1')).toBe('/connections/demo?x=1');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '',
      null,
      'javascript:alert(1)',
    ])
      expect(safeNext(bad)).toBe('/');
  });

  it('reads cookies and forms, keeping repeated fields', () => {
    expect(parseCookies('a=1; nb_session=abc%3D; bad')).toEqual({ a: '1', nb_session: 'abc=' });
    expect(parseForm(Buffer.from('x=1&x=2&y=%C3%A4+b'))).toEqual({ x: ['1', '2'], y: 'ä b' });
  });

  it('names the failing part of a connection test', () => {
    const error = (kind: RemoteError['kind']) =>
      new RemoteError('details', {
        system: 'netbaron',
        kind,
        disposition: 'fatal',
        request: 'GET /x',
        attempts: 1,
      });
    expect(failingPart('NetBaron', error('authentication'))).toMatch(
      /^Organisation, password or module interface number/,
    );
    expect(failingPart('MyCashflow', error('authentication'))).toMatch(/^API user or API key/);
    expect(failingPart('MyCashflow', error('plan'))).toMatch(/^Plan: .*no API access/);
    expect(failingPart('NetBaron', error('ip-not-allowed'))).toMatch(/^IP address/);
    expect(failingPart('MyCashflow', error('connection'))).toMatch(/^Address/);
  });
});
