import { afterAll } from 'vitest';
import { startSimulators, type RunningSimulators, type Scenario } from '../../simulators/scenario.ts';
import { MyCashflowClient, type McfClientOptions } from '../../src/mycashflow/client.ts';
import { NetBaronClient, type NbClientOptions } from '../../src/netbaron/client.ts';
import type { Logger } from '../../src/observability/logger.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, NB_PRODUCTS_PASSWORD } from './scenarios.ts';

export { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, NB_PRODUCTS_PASSWORD };

/** Fast retries so that fault tests finish in milliseconds, with the same policy shape as production. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50, budgetMs: 5_000 };

/** Starts both simulators for the calling test file and closes them when it ends. */
export async function useSimulators(scenario: Scenario = {}): Promise<RunningSimulators> {
  const sims = await startSimulators({ scenario });
  afterAll(() => sims.close());
  return sims;
}

export function mcfClient(
  sims: RunningSimulators,
  overrides: Partial<McfClientOptions> = {},
  logger?: Logger,
): MyCashflowClient {
  return new MyCashflowClient(
    {
      baseUrl: `${sims.mycashflow.url}/api/v1`,
      email: MCF_USER.email,
      apiKey: MCF_USER.api_key,
      retry: FAST_RETRY,
      timeoutMs: 5_000,
      ...overrides,
    },
    logger,
  );
}

export function nbClient(
  sims: RunningSimulators,
  overrides: Partial<NbClientOptions> = {},
  logger?: Logger,
): NetBaronClient {
  return new NetBaronClient(
    {
      baseUrl: sims.netbaron.url,
      organisation: NB_ORG,
      products: { password: NB_PRODUCTS_PASSWORD },
      salesorder: { password: NB_ORDERS_PASSWORD },
      retry: FAST_RETRY,
      timeoutMs: 5_000,
      ...overrides,
    },
    logger,
  );
}

/** Sets fault rules on a simulator through its control API, as an operator or a test harness would. */
export async function setFaults(baseUrl: string, rules: unknown[], seed?: number): Promise<void> {
  const res = await fetch(`${baseUrl}/__sim/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(seed === undefined ? { rules } : { rules, seed }),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

export async function requestCounts(
  baseUrl: string,
): Promise<{ total: number; counts: { byMethod: Record<string, number>; byPath: Record<string, number> } }> {
  const res = await fetch(`${baseUrl}/__sim/requests`);
  return (await res.json()) as {
    total: number;
    counts: { byMethod: Record<string, number>; byPath: Record<string, number> };
  };
}

export async function clearRequests(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/__sim/requests`, { method: 'DELETE' });
}

/** A call of a simulator's control API (`/__sim/...`): JSON in and out, an error naming the status. */
export async function simControl<T = unknown>(url: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} failed: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The stock quantity of each code of the store's products, as MyCashflow's simulator holds them now. */
export async function storeStockByCode(sims: RunningSimulators): Promise<Map<string, number | undefined>> {
  const state = await simControl<{
    products: Array<{ product_code: string | null; stock_item?: { quantity: number } | null }>;
  }>(`${sims.mycashflow.url}/__sim/state`);
  return new Map(state.products.map((p) => [p.product_code ?? '', p.stock_item?.quantity]));
}
