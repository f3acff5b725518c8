import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../../simulators/scenario.ts';
import type { ConnectionRecord } from '../../../src/connections/connection-store.ts';
import type { ProbeReport } from '../../../src/connections/probe/run-probe.ts';
import { simControl } from '../../helpers/sims.ts';
import {
  AdminClient,
  addConnection,
  alsoSearchFor,
  connectionFileFor,
  credentialNeedles,
  startStoreSims,
  startTestService,
  type TestService,
} from '../../helpers/service.ts';

/*
 * "Check compatibility" on the settings page, over real HTTP against the whole service and both
 * simulators: the verdict and a label per check, the technical detail for support, only GET requests to
 * either system, a store that refuses the saved key, and a connection not complete yet.
 */

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

const OTHER_KEY = 'another-key-Öö-5581';
alsoSearchFor(OTHER_KEY);

let t: TestService;
let sims: RunningSimulators;
let shop: ConnectionRecord;
let admin: AdminClient;

const sideUrls = () => [sims.mycashflow.url, sims.netbaron.url];

async function clearRequestLogs(): Promise<void> {
  for (const url of sideUrls()) await simControl(`${url}/__sim/requests`, 'DELETE');
}

async function loggedRequests(): Promise<LoggedRequest[]> {
  const logs = await Promise.all(
    sideUrls().map((url) => simControl<{ requests: LoggedRequest[] }>(`${url}/__sim/requests`)),
  );
  return logs.flatMap((l) => l.requests);
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (text: string): string => text.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
/** A piece of the page as a person reads it: no tags, entities decoded, white space made one space. */
const readable = (markup: string): string =>
  decode(markup.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/** Each check's row of the page: its status attribute and its text. */
function rows(page: string): Map<string, { status: string; text: string }> {
  const found = new Map<string, { status: string; text: string }>();
  for (const m of page.matchAll(/<tr data-check="([^"]+)" data-status="([^"]+)">([\s\S]*?)<\/tr>/g))
    found.set(m[1]!, { status: m[2]!, text: readable(m[3]!) });
  return found;
}

const verdictOf = (page: string): string =>
  readable(/<(div|p) [^>]*id="probe-verdict">([\s\S]*?)<\/\1>/.exec(page)?.[2] ?? '');

/** The report the page offers for a support ticket, read back from its <pre>. */
const reportOf = (page: string): ProbeReport =>
  JSON.parse(decode(/<pre id="probe-json">([\s\S]*?)<\/pre>/.exec(page)![1]!)) as ProbeReport;

function expectNoCredential(page: string): void {
  for (const needle of credentialNeedles()) expect(page).not.toContain(needle);
}

beforeAll(async () => {
  t = await startTestService();
  sims = await startStoreSims();
  shop = await addConnection(t, connectionFileFor(sims, 'kauppa', 'Kauppa'));
  admin = new AdminClient(t.url);
  await admin.signIn();
});

describe('Check compatibility', () => {
  it('is a button on the settings page that posts with the CSRF token', async () => {
    const settings = await admin.get('/connections/kauppa/settings');
    expect(settings.status).toBe(200);
    const form = /<form method="post" action="\/connections\/kauppa\/probe"[\s\S]*?<\/form>/.exec(
      settings.text,
    );
    expect(form?.[0]).toContain('name="_csrf"');
    expect(readable(form![0])).toBe('Check compatibility');
  });

  it('runs the probe on the saved settings: the verdict, a label per check, the detail for support, only GETs', async () => {
    await clearRequestLogs();
    const answer = await admin.post('/connections/kauppa/probe');
    expect(answer.status).toBe(200);
    const requests = await loggedRequests();

    expect(verdictOf(answer.text)).toMatch(/^Nothing needs a change\./);
    const checks = rows(answer.text);
    expect(checks.get('mcf.products-read')).toMatchObject({ status: 'matched' });
    expect(checks.get('mcf.products-read')?.text).toMatch(/^Matched .*\d+ product\(s\)/);
    expect(checks.get('nb.writes')).toMatchObject({ status: 'unchecked' });
    expect(checks.get('nb.writes')?.text).toMatch(/^Not checked /);
    // Grouped by system: every MyCashflow row comes before the NetBaron heading, every NetBaron row after.
    const nbHeading = answer.text.indexOf('<h2>NetBaron</h2>');
    expect(answer.text.indexOf('<h2>MyCashflow</h2>')).toBeLessThan(nbHeading);
    expect(answer.text.indexOf('data-check="mcf.products-read"')).toBeLessThan(nbHeading);
    expect(answer.text.indexOf('data-check="nb.writes"')).toBeGreaterThan(nbHeading);

    // The technical detail is one click away, and the report in it is the page's.
    const details = /<details class="document" id="probe-details">([\s\S]*?)<\/details>/.exec(answer.text);
    expect(details?.[1]).toContain('<code>mcf.products-read</code>');
    expect(details?.[1]).toMatch(/<code>GET \/api\/v1\/products/);
    const report = reportOf(answer.text);
    expect(report.connection).toBe('Kauppa');
    expect(report.needsAttention).toBe(false);
    expect(report.checks.map((c) => c.id).sort()).toEqual([...checks.keys()].sort());

    // Only reads, of both systems.
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(new Set(requests.map((r) => r.path.split('/')[1]))).toEqual(new Set(['api', 'ws']));

    const logged = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => l.msg === 'compatibility checked').at(-1)).toMatchObject({
      connection: 'kauppa',
      matched: report.counts.matched,
      needsAttention: 0,
      unchecked: report.counts.unchecked,
      blocked: [],
    });
    expectNoCredential(answer.text);
  });

  it('a store that refuses the saved API key: MyCashflow could not be checked, the key named, never shown', async ({
    onTestFinished,
  }) => {
    const stateUrl = `${sims.mycashflow.url}/__sim/state`;
    const state = await simControl<{ api_users: Array<{ api_key: string }> }>(stateUrl);
    await simControl(stateUrl, 'PUT', {
      ...state,
      api_users: state.api_users.map((u) => ({ ...u, api_key: OTHER_KEY })),
    });
    onTestFinished(async () => {
      await simControl(stateUrl, 'PUT', state);
    });
    await clearRequestLogs();

    const answer = await admin.post('/connections/kauppa/probe');
    expect(answer.status).toBe(200);
    const verdict = verdictOf(answer.text);
    expect(verdict).toMatch(/^MyCashflow could not be checked: API user or API key: refused/);
    expect(verdict).toContain('NetBaron: nothing needs a change.');
    expect(verdict).toContain('Correct the settings and check again.');
    // NetBaron was still read; MyCashflow's checks are one line, not a row each with the same reason.
    const checks = rows(answer.text);
    expect(checks.get('nb.auth')?.status).toBe('matched');
    expect([...checks.keys()].filter((id) => id.startsWith('mcf.'))).toEqual([]);
    expect(answer.text).toMatch(/id="probe-unread-mycashflow">\s*None of its \d+ checks could be made/);
    expect(reportOf(answer.text).blocked).toEqual([{ system: 'MyCashflow', reason: expect.any(String) }]);
    expect(answer.text).not.toContain(OTHER_KEY);
    expectNoCredential(answer.text);
    expect((await loggedRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
    const logged = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.filter((l) => l.msg === 'compatibility checked').at(-1)).toMatchObject({
      connection: 'kauppa',
      blocked: ['MyCashflow'],
    });
  });

  it('a paused connection may be checked: it only reads', async ({ onTestFinished }) => {
    await t.service.store.pause(shop.id);
    onTestFinished(async () => {
      await t.service.store.resume(shop.id);
    });
    const answer = await admin.post('/connections/kauppa/probe');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('id="paused-banner"');
    expect(verdictOf(answer.text)).toMatch(/^Nothing needs a change\./);
  });

  it('a connection not complete yet: names what to fill in, and checks nothing', async () => {
    const added = await admin.post('/connections', { name: 'Uusi kauppa' });
    expect(added.location).toBe('/connections/uusi-kauppa/settings');
    await clearRequestLogs();
    const answer = await admin.post('/connections/uusi-kauppa/probe');
    expect(answer.status).toBe(200);
    expect(verdictOf(answer.text)).toMatch(
      /^Not checked: the settings are not complete\. Set .*MyCashflow API key/,
    );
    expect(rows(answer.text).size).toBe(0);
    expect(await loggedRequests()).toEqual([]);
  });
});
