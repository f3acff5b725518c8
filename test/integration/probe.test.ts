import { describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import { ASSUMPTIONS } from '../../src/connections/probe/assumptions.ts';
import type { ProbeCheck } from '../../src/connections/probe/check.ts';
import type { ProbeReport } from '../../src/connections/probe/run-probe.ts';
import { clearLogs, createImportCli, type CliResult, type LoggedRequest } from '../helpers/import-cli.ts';
import { MCF_USER, smallScenario } from '../helpers/scenarios.ts';
import { simControl } from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { placeOrder } from '../helpers/worker-process.ts';

/*
 * `netbaron probe` over real HTTP against the simulators, in the plain model and in each variant the
 * simulators can answer in: what it reports, and that it never sends anything but GET.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const ALL_QUIRKS = {
  emptyRelationsAsArray: true,
  numbersAsStrings: true,
  longPurchasePrices: true,
  timestampsZulu: true,
};

async function scene(
  onTestFinished: (fn: () => Promise<void>) => void,
  options: {
    quirks?: Record<string, boolean>;
    netbaron?: Record<string, unknown>;
    order?: boolean;
    /** More products, so the store's list runs to a second page of 50. */
    extraProducts?: number;
  } = {},
): Promise<RunningSimulators> {
  const base = smallScenario();
  const extra = Array.from({ length: options.extraProducts ?? 0 }, (_, i) => ({
    id: 100 + i,
    product_code: `LISÄ-${100 + i}`,
    name: `Lisätuote ${i}`,
    price: 1.5,
    vat_rate: 25.5,
  }));
  const store = base.mycashflow as { products: unknown[] };
  const sims = await startSimulators({
    scenario: {
      mycashflow: {
        ...store,
        products: [...store.products, ...extra],
        ...(options.quirks ? { quirks: options.quirks } : {}),
      },
      netbaron: { ...base.netbaron, ...options.netbaron },
    },
  });
  onTestFinished(() => sims.close());
  if (options.order !== false) await placeOrder(sims);
  await clearLogs(sims);
  return sims;
}

async function requests(url: string): Promise<LoggedRequest[]> {
  return (await simControl<{ requests: LoggedRequest[] }>(`${url}/__sim/requests`)).requests;
}

async function probe(
  sims: RunningSimulators,
  id: string,
  flags = ['--json'],
): Promise<{ result: CliResult; report: ProbeReport; methods: string[] }> {
  const result = await cli.run(sims, 'probe', { id }, flags);
  let report: ProbeReport;
  try {
    report = JSON.parse(result.stdout) as ProbeReport;
  } catch {
    throw new Error(`probe printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  const logged = [...(await requests(sims.mycashflow.url)), ...(await requests(sims.netbaron.url))];
  return { result, report, methods: logged.map((r) => r.method) };
}

const byId = (report: ProbeReport): Map<string, ProbeCheck> => new Map(report.checks.map((c) => [c.id, c]));
const statusOf = (report: ProbeReport, id: string) => {
  const c = byId(report).get(id);
  return c && (c.status === 'differed' ? `differed/${c.handled ? 'handled' : 'attention'}` : c.status);
};

describe('netbaron probe', () => {
  it('the plain model: everything readable matches, writes are listed as not checked, and only GET is sent', async ({
    onTestFinished,
  }) => {
    const sims = await scene(onTestFinished, { extraProducts: 55 });
    const { result, report, methods } = await probe(sims, 'probe-plain');
    expect(result.code, result.stderr).toBe(0);
    // Every assumption once, in either system.
    expect(report.checks.map((c) => c.id).sort()).toEqual(Object.keys(ASSUMPTIONS).sort());
    expect(report.blocked).toEqual([]);
    expect(report.needsAttention).toBe(false);
    const notMatched = report.checks
      .filter((c) => c.status !== 'matched')
      .map((c) => `${c.id}: ${c.observed}`);
    expect(notMatched.map((line) => line.split(':')[0]).sort()).toEqual(
      ['mcf.rate-limit', 'mcf.webhook-delivery', 'mcf.writes', 'nb.writes'].sort(),
    );
    expect(statusOf(report, 'mcf.order-totals')).toBe('matched');
    expect(byId(report).get('mcf.products-read')?.observed).toMatch(/^6\d product\(s\)/);
    expect(byId(report).get('mcf.next-url')?.observed).toBe('a full http URL');
    expect(statusOf(report, 'nb.order-lookup')).toBe('matched');
    expect(methods.length).toBeGreaterThan(10);
    expect(methods.filter((m) => m !== 'GET')).toEqual([]);
  });

  it('a store answering with every quirk: each variant reported as a difference the connector reads', async ({
    onTestFinished,
  }) => {
    const sims = await scene(onTestFinished, { quirks: ALL_QUIRKS });
    const { result, report, methods } = await probe(sims, 'probe-quirks');
    expect(result.code, result.stderr).toBe(0);
    expect(report.needsAttention).toBe(false);
    for (const id of [
      'mcf.numbers-as-text',
      'mcf.empty-relations',
      'mcf.purchase-price-decimals',
      'mcf.timestamps',
    ])
      expect(statusOf(report, id), id).toBe('differed/handled');
    expect(byId(report).get('mcf.numbers-as-text')?.observed).toMatch(/price = "\d+\.\d{2}"/);
    expect(byId(report).get('mcf.timestamps')?.observed).toMatch(/Z;/);
    // Still readable, which is what the tolerances are for.
    expect(statusOf(report, 'mcf.products-read')).toBe('matched');
    expect(statusOf(report, 'mcf.order-read')).toBe('matched');
    expect(methods.filter((m) => m !== 'GET')).toEqual([]);
  });

  it('timestamps without an offset are reported as read in Helsinki time', async ({ onTestFinished }) => {
    const sims = await scene(onTestFinished, { quirks: { timestampsWithoutOffset: true } });
    const { report } = await probe(sims, 'probe-local-time');
    expect(statusOf(report, 'mcf.timestamps')).toBe('differed/handled');
    expect(byId(report).get('mcf.timestamps')?.observed).toMatch(/Helsinki time/);
    expect(statusOf(report, 'mcf.numbers-as-text')).toBe('matched');
  });

  it('a code NetBaron lists twice is reported as a difference the import handles', async ({
    onTestFinished,
  }) => {
    const base = smallScenario().netbaron as { products: Array<Record<string, unknown>> };
    const twice = { ...base.products[0]!, Name: 'Toinen kahvi' };
    const sims = await scene(onTestFinished, { netbaron: { products: [...base.products, twice] } });
    const { result, report } = await probe(sims, 'probe-duplicate');
    expect(result.code, result.stderr).toBe(0);
    expect(statusOf(report, 'nb.duplicate-codes')).toBe('differed/handled');
    expect(byId(report).get('nb.duplicate-codes')?.observed).toContain('KAHVI-1');
  });

  it('NetBaron writing decimals with a comma: a difference the connector reads', async ({
    onTestFinished,
  }) => {
    const base = smallScenario().netbaron as { products: Array<Record<string, unknown>> };
    const [first, ...rest] = base.products;
    const sims = await scene(onTestFinished, {
      netbaron: { products: [{ ...first, SalesPriceVatIncluded: '8,90', VatPercent: '14,0' }, ...rest] },
    });
    const { result, report } = await probe(sims, 'probe-comma');
    expect(result.code, result.stderr).toBe(0);
    expect(statusOf(report, 'nb.products-read')).toBe('differed/handled');
    expect(byId(report).get('nb.products-read')?.observed).toContain('KAHVI-1 SalesPriceVatIncluded = 8,90');
  });

  it('a store with no orders: what needs an order is not checked, and nothing else changes', async ({
    onTestFinished,
  }) => {
    const sims = await scene(onTestFinished, { order: false });
    const { result, report } = await probe(sims, 'probe-no-orders');
    expect(result.code, result.stderr).toBe(0);
    expect(statusOf(report, 'mcf.order-read')).toBe('unchecked');
    expect(byId(report).get('mcf.order-totals')?.observed).toMatch(/no orders yet/);
  });

  it('refused credentials: the store is not probed, the reason names the setting, exit 2, no key printed', async ({
    onTestFinished,
  }) => {
    const base = smallScenario();
    const sims = await scene(onTestFinished);
    // The connection file keeps the scenario's key; the store now knows another one.
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', {
      ...base.mycashflow,
      api_users: [{ ...MCF_USER, api_key: 'another-key-entirely' }],
    });
    await clearLogs(sims);
    const { result, report, methods } = await probe(sims, 'probe-refused');
    expect(result.code).toBe(2);
    expect(report.blocked).toEqual([
      { system: 'MyCashflow', reason: expect.stringMatching(/^API user or API key: refused/) },
    ]);
    expect(
      report.checks.filter((c) => c.system === 'MyCashflow').every((c) => c.status === 'unchecked'),
    ).toBe(true);
    expect(statusOf(report, 'nb.products-read')).toBe('matched');
    expect(result.stdout + result.stderr).not.toContain(MCF_USER.api_key);
    expect(methods.filter((m) => m !== 'GET')).toEqual([]);
  });

  it('prints a readable report without --json', async ({ onTestFinished }) => {
    const sims = await scene(onTestFinished, { quirks: { numbersAsStrings: true } });
    const result = await cli.run(sims, 'probe', { id: 'probe-text' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Compatibility of "Scenario probe-text"/);
    expect(result.stdout).toMatch(/\[differed \(handled\)\] mcf\.numbers-as-text/);
    expect(result.stdout).toMatch(/\[not checked\] nb\.writes/);
    expect(result.stdout).toContain('Nothing needs a change');
  });
});
