import { beforeAll, describe, expect, it } from 'vitest';
import { enqueueImport } from '../../../src/jobs/import-jobs.ts';
import type { Route } from '../../../src/server/http/router.ts';
import { MCF_USER } from '../../helpers/scenarios.ts';
import {
  ADMIN_PASSWORD,
  AdminClient,
  addConnection,
  assertNoCredentialShown,
  connectionFileFor,
  seenResponseBytes,
  startStoreSims,
  startTestService,
  type TestService,
} from '../../helpers/service.ts';
import { placeOrder, waitFor } from '../../helpers/worker-process.ts';

/*
 * Every route of the service, taken from the router itself (a new route is covered by being added):
 * an admin route refuses a request without a session, a state-changing form refuses one without the
 * session's CSRF token, and nothing the service says or stores shows a credential.
 */

let t: TestService;
let routes: readonly Route[];
const params: Record<string, string> = { slug: 'alpha', file: 'app.css' };

const fill = (path: string): string =>
  path.replace(/:([a-zA-Z]+)/g, (_, name: string) => params[name] ?? 'x');

beforeAll(async () => {
  t = await startTestService();
  const sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'alpha', 'Alpha'));
  routes = t.service.app.router.routes;
  // Real ids for every parameter, so a refusal is the protection's and not a 404.
  const jobId = (await enqueueImport(t.service.boss, { connectionId: record.id, dryRun: true }))!;
  params.jobId = jobId;
  const order = await placeOrder(sims);
  params.orderId = String(order.id);
  await waitFor(
    'the dry run and the order',
    async () => {
      const run = await t.service.database.db
        .selectFrom('import_runs')
        .select('id')
        .where('job_id', '=', jobId)
        .executeTakeFirst();
      if (run) params.runId = run.id;
      const sent = await t.service.database.db
        .selectFrom('order_ledger')
        .select('state')
        .where('order_id', '=', String(order.id))
        .executeTakeFirst();
      return run && sent?.state === 'sent' ? true : undefined;
    },
    { timeoutMs: 20_000 },
  );
});

describe('every route of the service', () => {
  it('knows the protection of each route, and has admin routes of both methods', () => {
    const kinds = new Set(routes.map((r) => r.access));
    for (const kind of kinds) expect(['public', 'admin', 'webhook', 'metrics']).toContain(kind);
    expect(routes.filter((r) => r.access === 'admin' && r.method === 'GET').length).toBeGreaterThan(8);
    expect(routes.filter((r) => r.access === 'admin' && r.method === 'POST').length).toBeGreaterThan(5);
    expect(
      routes
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['GET /assets/:file', 'GET /healthz', 'GET /readyz', 'GET /sign-in', 'POST /sign-in']);
  });

  it('refuses every admin route without a session, before its handler runs', async () => {
    const connectionsBefore = (await t.service.store.list()).length;
    const anonymous = new AdminClient(t.url);
    for (const route of routes.filter((r) => r.access === 'admin')) {
      const path = fill(route.path);
      const answer = await anonymous.request(
        route.method,
        path,
        route.method === 'POST' ? { form: { name: 'Intruder', _csrf: 'x' } } : {},
      );
      if (route.method === 'GET') {
        expect([303, 401], `${route.method} ${route.path}`).toContain(answer.status);
        if (answer.status === 303) expect(answer.location).toMatch(/^\/sign-in\?next=/);
      } else {
        expect(answer.status, `${route.method} ${route.path}`).toBe(401);
      }
      expect(answer.text).not.toContain('Alpha');
    }
    // The event stream asks for events, not a page: 401 rather than a redirect.
    const events = routes.find((r) => r.path.endsWith('/events'))!;
    expect((await anonymous.get(fill(events.path), { Accept: 'text/event-stream' })).status).toBe(401);
    expect((await t.service.store.list()).length).toBe(connectionsBefore);
  });

  it('refuses every state-changing form without a valid CSRF token, and with a wrong one', async () => {
    const admin = new AdminClient(t.url);
    await admin.signIn();
    const connectionsBefore = (await t.service.store.list()).length;
    const posts = routes.filter((r) => r.method === 'POST' && r.access !== 'webhook');
    expect(posts.length).toBeGreaterThan(5);
    for (const route of posts.filter((r) => r.access === 'admin')) {
      const path = fill(route.path);
      const missing = await admin.request('POST', path, { form: { name: 'Forged' } });
      expect(missing.status, `${route.path} without a token`).toBe(403);
      const wrong = await admin.request('POST', path, { form: { name: 'Forged', _csrf: `${admin.csrf}x` } });
      expect(wrong.status, `${route.path} with a wrong token`).toBe(403);
      const header = await admin.request('POST', path, { headers: { 'X-CSRF-Token': 'not-the-token' } });
      expect(header.status, `${route.path} with a wrong header`).toBe(403);
    }
    expect((await t.service.store.list()).length).toBe(connectionsBefore);
    // The sign-in form has its own token (no session yet): without it, even the right password fails.
    const fresh = new AdminClient(t.url);
    const noToken = await fresh.request('POST', '/sign-in', { form: { password: ADMIN_PASSWORD } });
    expect(noToken.status).toBe(403);
    expect(noToken.headers.getSetCookie().join(';')).not.toContain('nb_session');
    // A token that works: the same request with it succeeds (the refusals above were the token's).
    const ok = await admin.post('/connections', { name: 'Beta' });
    expect(ok.status).toBe(303);
  });

  it('refuses a webhook without the subscription uuid', async () => {
    const hook = routes.find((r) => r.access === 'webhook')!;
    const res = await fetch(`${t.url}${fill(hook.path)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ topic: 'order.created', uuid: 'guess', data: { id: 1 } }),
    });
    expect(res.status).toBe(401);
  });

  it('shows no credential in any page, log line or stored setting', async () => {
    const admin = new AdminClient(t.url);
    await admin.signIn();
    for (const route of routes.filter((r) => r.method === 'GET' && r.access !== 'webhook')) {
      if (route.path.endsWith('/events')) continue;
      const answer = await admin.get(fill(route.path));
      expect(answer.status, route.path).toBeLessThan(400);
    }
    for (const path of ['/connections/alpha/check?run=1', '/connections/alpha/stock?run=1']) {
      const answer = await admin.get(path);
      expect(answer.status).toBe(200);
    }
    // A test of each side, which handles the credentials most directly.
    await admin.get('/connections/alpha/settings');
    for (const side of ['mycashflow', 'netbaron']) {
      const answer = await admin.post(`/connections/alpha/test/${side}`);
      expect(answer.text).toContain('connection works');
    }
    // The same search every test service gets when its file ends, here after every route was seen.
    expect(seenResponseBytes()).toBeGreaterThan(10_000);
    expect(t.logs.join('\n')).toContain('request');
    await assertNoCredentialShown(t.service, t.logs);
    const stored = await t.service.database.db.selectFrom('connections').selectAll().execute();
    // The credentials are in the database, sealed: present as ciphertext, and openable by the service.
    expect(stored.find((c) => c.slug === 'alpha')?.secrets).toMatch(/^v1\./);
    const assembled = await t.service.store.assemble(stored.find((c) => c.slug === 'alpha')!.id);
    expect(assembled?.ok && assembled.connection.mycashflow.apiKey).toBe(MCF_USER.api_key);
  });

  // Last: every request here comes from one address, which this leaves blocked.
  it('rate-limits sign-in after repeated failures', async () => {
    const client = new AdminClient(t.url);
    await client.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await client.post('/sign-in', { password: `wrong-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right password waits out the window.
    const blocked = await client.post('/sign-in', { password: ADMIN_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
