import { describe, expect, it } from 'vitest';
import { AdminClient, ADMIN_PASSWORD, startTestService } from '../../helpers/service.ts';

/*
 * Behind a reverse proxy (TRUST_PROXY=1) every request's TCP peer is the proxy: the sign-in limit must
 * count each client by the address the proxy appended, or one client's failures would lock out all.
 */

const t = await startTestService({ trustProxy: 1 });

async function signIn(client: AdminClient, forwardedFor: string, password: string): Promise<number> {
  const answer = await client.request('POST', '/sign-in', {
    form: { _csrf: client.csrf, password, next: '/' },
    headers: { 'X-Forwarded-For': forwardedFor },
  });
  return answer.status;
}

describe('the sign-in limit behind a proxy', () => {
  it('blocks the client that failed, not the others behind the same proxy', async () => {
    const attacker = new AdminClient(t.url);
    await attacker.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await signIn(attacker, '203.0.113.7', `wrong-${i}`));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // A made-up address written before the proxy's entry does not get the attacker out.
    expect(await signIn(attacker, '198.51.100.1, 203.0.113.7', ADMIN_PASSWORD)).toBe(429);

    const merchant = new AdminClient(t.url);
    await merchant.get('/sign-in');
    expect(await signIn(merchant, '203.0.113.8', ADMIN_PASSWORD)).toBe(303);
    // Refusals are summarised, one line per address.
    t.service.context.limiter.flushLog();
    const summary = t.logs.filter((l) => l.includes('sign-ins refused') && l.includes('203.0.113.7'));
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0]!)).toMatchObject({ failed: 5, limited: 2 });
    expect(t.logs.some((l) => l.includes('sign-ins refused') && l.includes('203.0.113.8'))).toBe(false);
  });
});
