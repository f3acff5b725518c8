import { describe, expect, it } from 'vitest';
import { parseConnection } from '../../../src/config/connection-file.ts';
import type { ProbeCheck } from '../../../src/connections/probe/check.ts';
import { redactReport } from '../../../src/connections/probe/redact-report.ts';
import type { ProbeReport } from '../../../src/connections/probe/run-probe.ts';
import { html, type Html } from '../../../src/util/html.ts';
import { probeNotReadyPage, probePage } from '../../../src/server/views/pages/probe.ts';

/** The markup without layout whitespace (prettier lays out the templates), so tests read the structure. */
const norm = (page: Html): string => page.text.replace(/\s+/g, ' ').replace(/\s*(<|>)\s*/g, '$1');

const EVIL = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const data = { base: '/connections/shop', csrf: html`<input type="hidden" name="_csrf" value="t" />` };

const check = (over: Partial<ProbeCheck> & Pick<ProbeCheck, 'id' | 'status'>): ProbeCheck => ({
  system: over.id.startsWith('nb.') ? 'NetBaron' : 'MyCashflow',
  assumption: `assumed of ${over.id}`,
  observed: `seen of ${over.id}`,
  ...over,
});

function report(checks: ProbeCheck[], blocked: ProbeReport['blocked'] = []): ProbeReport {
  const counts = {
    matched: checks.filter((c) => c.status === 'matched').length,
    handled: checks.filter((c) => c.status === 'differed' && c.handled).length,
    needsAttention: checks.filter((c) => c.status === 'differed' && !c.handled).length,
    unchecked: checks.filter((c) => c.status === 'unchecked').length,
  };
  return {
    connection: 'Shop',
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:01.500Z',
    blocked,
    counts,
    needsAttention: counts.needsAttention > 0 || blocked.length > 0,
    checks,
  };
}

const verdict = (page: string): string => /id="probe-verdict">(.*?)<\/div>/.exec(page)?.[1] ?? '';

describe('probePage', () => {
  it('labels each row in words, groups rows by system and escapes what the systems said', () => {
    const page = norm(
      probePage(
        data,
        report([
          check({ id: 'mcf.auth', status: 'matched', observed: EVIL, requests: [`GET /api/v1/${EVIL}`] }),
          check({ id: 'mcf.numbers-as-text', status: 'differed', handled: true }),
          check({ id: 'nb.products-read', status: 'differed', handled: false, assumption: EVIL }),
          check({ id: 'nb.writes', status: 'unchecked' }),
        ]),
      ),
    );
    expect(page).not.toContain(EVIL);
    // The row, the request in the details, and the whole report in JSON: each escaped.
    expect(page.split(ESCAPED).length).toBeGreaterThanOrEqual(5);
    expect(page).toContain('<span class="state state-matched">Matched</span>');
    expect(page).toContain('<span class="state state-handled">Differs, handled by the connector</span>');
    expect(page).toContain('<span class="state state-needs-change">Differs, needs a change</span>');
    expect(page).toContain('<span class="state state-unchecked">Not checked</span>');
    expect(page.indexOf('<h2>MyCashflow</h2>')).toBeLessThan(page.indexOf('data-check="mcf.auth"'));
    expect(page.indexOf('<h2>NetBaron</h2>')).toBeLessThan(page.indexOf('data-check="nb.writes"'));
    expect(verdict(page)).toContain('1 thing needs a change before this connection runs.');
    expect(page).toContain('in 1.5 s');
    expect(page).toMatch(/<details class="document" id="probe-details"><summary>Technical details/);
    expect(page).toContain('<form method="post" action="/connections/shop/probe" class="inline">');
  });

  it('says nothing needs a change, or how many things do', () => {
    const ok = norm(probePage(data, report([check({ id: 'mcf.auth', status: 'matched' })])));
    expect(verdict(ok)).toBe('<p><strong>Nothing needs a change.</strong></p>');
    expect(ok).toContain('<div class="notice ok"');
    const two = norm(
      probePage(
        data,
        report([
          check({ id: 'mcf.auth', status: 'differed', handled: false }),
          check({ id: 'nb.auth', status: 'differed', handled: false }),
        ]),
      ),
    );
    expect(verdict(two)).toContain('2 things need a change before this connection runs.');
    expect(two).toContain('<div class="notice warn"');
  });

  it('names a system that could not be read first, and says the other one was', () => {
    const page = norm(
      probePage(
        data,
        report(
          [
            check({ id: 'mcf.auth', status: 'unchecked' }),
            check({ id: 'mcf.products-read', status: 'unchecked' }),
            check({ id: 'nb.auth', status: 'matched' }),
          ],
          [{ system: 'MyCashflow', reason: 'API user or API key: refused.' }],
        ),
      ),
    );
    expect(verdict(page)).toMatch(
      /^<p><strong>MyCashflow could not be checked: API user or API key: refused\.<\/strong><\/p><p><strong>NetBaron: nothing needs a change\.<\/strong><\/p>/,
    );
    expect(page).toContain('<div class="notice error"');
    expect(page).toContain('None of its 2 checks could be made: MyCashflow could not be read');
    expect(page).not.toContain('data-check="mcf.auth"');
    expect(page).toContain('data-check="nb.auth"');
  });

  it('a connection not complete: what to fill in, no check', () => {
    const page = norm(probeNotReadyPage(data, ['MyCashflow API key', `NetBaron ${EVIL}`]));
    expect(page).toContain('Set MyCashflow API key, NetBaron');
    expect(page).not.toContain(EVIL);
    expect(page).not.toContain('data-check');
  });
});

describe('redactReport', () => {
  it('removes the connection’s credentials and their Basic encodings from every text', () => {
    const connection = parseConnection({
      id: 'shop',
      name: 'Shop',
      mycashflow: { baseUrl: 'https://shop.example/api/v1', user: 'api@shop.example', apiKey: 'key-Ää-1234' },
      netbaron: {
        baseUrl: 'https://nb.example',
        organisation: 'org',
        productApiPassword: 'prod-pass-1',
        orderApiPassword: 'order-pass-2',
        marketplace: '3',
      },
    });
    const basic = Buffer.from('org:prod-pass-1').toString('base64');
    const r = redactReport(
      report(
        [
          check({
            id: 'mcf.auth',
            status: 'differed',
            handled: false,
            observed: 'echoed key-Ää-1234 and key-%C3%84%C3%A4-1234',
            requests: [`GET /x?auth=${basic}`],
          }),
        ],
        [{ system: 'NetBaron', reason: 'said order-pass-2' }],
      ),
      connection,
    );
    const text = JSON.stringify(r);
    for (const secret of ['key-Ää-1234', 'key-%C3%84%C3%A4-1234', basic, 'order-pass-2'])
      expect(text).not.toContain(secret);
    expect(r.checks[0]!.observed).toBe('echoed [redacted] and [redacted]');
    expect(r.counts).toEqual({ matched: 0, handled: 0, needsAttention: 1, unchecked: 0 });
    expect(r.connection).toBe('Shop');
  });
});
