import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadScenarioFile, startSimulators } from '../../simulators/scenario.ts';

export interface ContractTargets {
  source: 'environment' | 'simulators';
  mycashflow: { baseUrl: string; email: string; apiKey: string };
  netbaron: {
    baseUrl: string;
    organisation: string;
    products: { password: string; interface: number };
    salesorder: { password: string; interface: number };
    marketplace?: string;
  };
}

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/small-store.json');

/**
 * Where the contract suite points: the endpoints in CONTRACT_* variables when they are set (a MyCashflow
 * test store, a NetBaron test organisation), otherwise both simulators seeded with the example scenario.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  if (env.CONTRACT_MCF_BASE_URL && env.CONTRACT_NB_BASE_URL) {
    project.provide('contractTargets', {
      source: 'environment',
      mycashflow: {
        baseUrl: env.CONTRACT_MCF_BASE_URL,
        email: env.CONTRACT_MCF_EMAIL ?? '',
        apiKey: env.CONTRACT_MCF_API_KEY ?? '',
      },
      netbaron: {
        baseUrl: env.CONTRACT_NB_BASE_URL,
        organisation: env.CONTRACT_NB_ORGANISATION ?? '',
        products: {
          password: env.CONTRACT_NB_PRODUCTS_PASSWORD ?? '',
          interface: Number(env.CONTRACT_NB_PRODUCTS_INTERFACE ?? 1),
        },
        salesorder: {
          password: env.CONTRACT_NB_ORDERS_PASSWORD ?? '',
          interface: Number(env.CONTRACT_NB_ORDERS_INTERFACE ?? 1),
        },
        marketplace: env.CONTRACT_NB_MARKETPLACE,
      },
    } satisfies ContractTargets);
    return async () => {};
  }
  const scenario = await loadScenarioFile(EXAMPLE);
  const sims = await startSimulators({ scenario });
  const mcf = (scenario.mycashflow as { api_users: Array<{ email: string; api_key: string }> }).api_users[0]!;
  const nb = scenario.netbaron as {
    organisation: string;
    modules: Record<'products' | 'salesorder', { password: string; interface?: number }>;
    marketplaces: Array<{ Id: string }>;
  };
  project.provide('contractTargets', {
    source: 'simulators',
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, email: mcf.email, apiKey: mcf.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation: nb.organisation,
      products: { password: nb.modules.products.password, interface: nb.modules.products.interface ?? 1 },
      salesorder: {
        password: nb.modules.salesorder.password,
        interface: nb.modules.salesorder.interface ?? 1,
      },
      marketplace: nb.marketplaces[0]?.Id,
    },
  } satisfies ContractTargets);
  return () => sims.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    contractTargets: ContractTargets;
  }
}
