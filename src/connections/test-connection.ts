import { isRemoteError, type RemoteError } from '../http/remote-error.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import type { Logger } from '../observability/logger.ts';
import { mycashflowClientFromSettings, netbaronClientFromSettings } from './clients.ts';
import type { Secrets, StoredSettings } from './settings.ts';

export interface ConnectionTest {
  system: 'MyCashflow' | 'NetBaron';
  ok: boolean;
  /** One line per part tested, naming the part that failed and what to check. */
  lines: string[];
}

/** Which part of the settings a failure points at, in the settings page's words. */
export function failingPart(system: 'MyCashflow' | 'NetBaron', err: unknown): string {
  if (!isRemoteError(err)) return `Unexpected error: ${(err as Error).message}`;
  const e: RemoteError = err;
  const part: Partial<Record<RemoteError['kind'], string>> = {
    connection: 'Address: the server could not be reached',
    timeout: 'Address: the server did not answer in time',
    'not-found': `Address: this is not a ${system} API address`,
    'invalid-response': `Address: the answer was not ${system}'s`,
    'not-acceptable': `Address: the answer was not ${system}'s`,
    authentication:
      system === 'MyCashflow'
        ? 'API user or API key: refused'
        : 'Organisation, password or module interface number: refused',
    plan: "Plan: the store's plan has no API access (a paid plan is needed)",
    'ip-not-allowed': "IP address: this server's address is not allowed",
    forbidden: 'Access: refused for this user',
    'rate-limited': 'Busy: the system asked to slow down; try again in a moment',
    unavailable: 'Unavailable: the system is temporarily down; try again later',
    server: 'Server error on their side; try again later',
  };
  return `${part[e.kind] ?? 'Failed'}. ${e.message}`;
}

export async function testMyCashflow(mcf: MyCashflowClient): Promise<ConnectionTest> {
  try {
    let versions = 0;
    for await (const version of mcf.listVersions()) if (version) versions += 1;
    return {
      system: 'MyCashflow',
      ok: true,
      lines: [`API access works: ${versions} store version(s) found.`],
    };
  } catch (err) {
    return { system: 'MyCashflow', ok: false, lines: [failingPart('MyCashflow', err)] };
  }
}

/** Each NetBaron module has its own password and interface: each is tested and reported on its own. */
export async function testNetBaron(
  nb: NetBaronClient,
  has: { products: boolean; salesorder: boolean },
): Promise<ConnectionTest> {
  const lines: string[] = [];
  let ok = true;
  if (!has.products) {
    ok = false;
    lines.push('Product API: no password typed or saved.');
  } else {
    try {
      const marketplaces = await nb.listMarketplaces();
      lines.push(`Product API works: ${marketplaces.length} marketplace(s).`);
    } catch (err) {
      ok = false;
      lines.push(`Product API: ${failingPart('NetBaron', err)}`);
    }
  }
  if (!has.salesorder) {
    ok = false;
    lines.push('Order API: no password typed or saved (orders cannot be exported).');
  } else {
    try {
      const methods = await nb.listPaymentMethods();
      lines.push(`Order API works: ${methods.length} payment method(s).`);
    } catch (err) {
      ok = false;
      lines.push(`Order API: ${failingPart('NetBaron', err)}`);
    }
  }
  return { system: 'NetBaron', ok, lines };
}

/**
 * Tests one system with these settings and credentials, the form's or the saved ones, on fresh clients:
 * a test must not wait behind the retries of a running job's client, nor use what is not in the form.
 */
export async function testSystem(
  system: 'mycashflow' | 'netbaron',
  settings: Pick<StoredSettings, 'mycashflow' | 'netbaron'>,
  secrets: Secrets,
  logger: Logger,
): Promise<ConnectionTest> {
  if (system === 'netbaron') {
    const nb = netbaronClientFromSettings(settings.netbaron, secrets, logger);
    if (!nb)
      return {
        system: 'NetBaron',
        ok: false,
        lines: ['Not tested: fill in the NetBaron server and organisation first.'],
      };
    return testNetBaron(nb, {
      products: Boolean(secrets.productApiPassword),
      salesorder: Boolean(secrets.orderApiPassword),
    });
  }
  const mcf = mycashflowClientFromSettings(settings.mycashflow, secrets, logger);
  if (!mcf)
    return {
      system: 'MyCashflow',
      ok: false,
      lines: ['Not tested: fill in the store address, the API user and the API key first.'],
    };
  return testMyCashflow(mcf);
}
