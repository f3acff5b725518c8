import { describe, expect, it } from 'vitest';
import { passwordVerifications } from '../../../src/security/passwords.ts';
import { clearSignInLimits } from '../../../src/server/auth/sign-in-limit.ts';
import { ADMIN_PASSWORD, AdminClient, startTestService } from '../../helpers/service.ts';

/*
 * The sign-in limit is counted in PostgreSQL before the password is checked: a flood of simultaneous
 * guesses from one address costs at most five checks, in one process or two on one database; the
 * owner's own address still signs in; `admin-password`'s clearing lifts a lockout; the refusals are
 * a few log lines, not one per attempt.
 */

// One proxy in front, so each request can name its own client address.
const t = await startTestService({ trustProxy: 1 });
const second = await startTestService({ trustProxy: 1, database: t.database, dataDir: t.dataDir });

async function signInFrom(url: string, address: string, password: string) {
  const client = new AdminClient(url);
  await client.get('/sign-in');
  return client.request('POST', '/sign-in', {
    form: { _csrf: client.csrf, password, next: '/' },
    headers: { 'X-Forwarded-For': address },
  });
}

/** `count` wrong passwords from `address` at once, from one page's CSRF token; the statuses that came back. */
async function flood(urls: string[], address: string, count: number): Promise<number[]> {
  const clients = await Promise.all(
    urls.map(async (url) => {
      const client = new AdminClient(url);
      await client.get('/sign-in');
      return client;
    }),
  );
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      clients[i % clients.length]!.request('POST', '/sign-in', {
        form: { _csrf: clients[i % clients.length]!.csrf, password: `wrong-${i}` },
        headers: { 'X-Forwarded-For': address },
      }),
    ),
  );
  return answers.map((a) => a.status);
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('sign-in limit', () => {
  it('checks at most five of 1 000 simultaneous wrong passwords from one address; another address still signs in', async () => {
    const before = passwordVerifications();
    const statuses = await flood([t.url], '203.0.113.7', 1_000);
    expect(passwordVerifications() - before).toBeLessThanOrEqual(5);
    expect(tally(statuses)).toEqual({ 401: 5, 429: 995 });

    const owner = await signInFrom(t.url, '198.51.100.1', ADMIN_PASSWORD);
    expect(owner.status).toBe(303);
    // The flooding address stays refused, even with the right password.
    const blocked = await signInFrom(t.url, '203.0.113.7', ADMIN_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(blocked.text).toContain('netbaron admin-password');
  });

  it('shares the limit between two service processes on one database', async () => {
    const before = passwordVerifications();
    const statuses = await flood([t.url, second.url], '203.0.113.8', 400);
    expect(passwordVerifications() - before).toBeLessThanOrEqual(5);
    expect(tally(statuses)[401]).toBe(5);
    expect((await signInFrom(second.url, '203.0.113.8', ADMIN_PASSWORD)).status).toBe(429);
  });

  it('lifts every lockout when admin-password clears the limits', async () => {
    await flood([t.url], '203.0.113.9', 6);
    expect((await signInFrom(t.url, '203.0.113.9', ADMIN_PASSWORD)).status).toBe(429);
    expect(await clearSignInLimits(t.service.database.db)).toBeGreaterThan(0);
    expect((await signInFrom(t.url, '203.0.113.9', ADMIN_PASSWORD)).status).toBe(303);
    // A success clears the address's own count too.
    expect((await signInFrom(t.url, '203.0.113.9', 'wrong')).status).toBe(401);
  });

  it('summarises refusals in a few log lines, not one per attempt', async () => {
    // A service of its own: a fresh window for everyone, so that the checks are not slowed by the earlier
    // floods, and a summary minute that starts now, so that only the flush below writes the summaries,
    // however long the tests before took on a busy machine.
    const own = await startTestService({ trustProxy: 1 });
    const from = own.logs.length;
    await Promise.all(Array.from({ length: 21 }, (_, i) => flood([own.url], `192.0.2.${i + 1}`, 20)));
    own.service.context.limiter.flushLog();
    const lines = own.logs.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);
    const summaries = lines.filter((l) => String(l.msg).startsWith('sign-ins refused'));
    // 420 refusals from 21 addresses: one line for each of the first 20, one for the rest.
    expect(summaries.length).toBe(21);
    expect(summaries.reduce((n, l) => n + Number(l.total), 0)).toBe(420);
    expect(lines.filter((l) => String(l.msg).includes('sign-in')).length).toBe(summaries.length);
  });
});
