import {
  generateDemoScenario,
  type McfState,
  type NbProduct,
  type NbState,
} from '../../simulators/demo/index.ts';

/** The marketplace the demo's web shop imports from, and the connection file names. */
export const MARKETPLACE = '3';

export interface BenchScenario {
  /** Live NetBaron products of the marketplace: exactly what a full import into an empty store creates. */
  size: number;
  /** Entries of the marketplace listing, deleted ones included (they need no action in an empty store). */
  listed: number;
  /** Live products with a stock quantity other than 0: a create writes their stock with a second request. */
  withStock: number;
  mycashflow: McfState;
  netbaron: NbState;
}

const isLive = (p: NbProduct): boolean => !p.Deleted && p.Marketplaces.includes(MARKETPLACE);

/**
 * The demo generator's NetBaron side, cut so that the marketplace holds exactly `size` live products,
 * and the demo's MyCashflow store with no products and no orders: every NetBaron code is new to it.
 * The demo gives about 1.3 NetBaron codes per catalog product (clothing comes in sizes), so a demo of
 * `size` catalog products always has enough.
 */
export function buildScenario(size: number): BenchScenario {
  const demo = generateDemoScenario({ products: size, orders: 0 });
  const products: NbProduct[] = [];
  let live = 0;
  for (const p of demo.netbaron.products) {
    if (live === size) break;
    products.push(p);
    if (isLive(p)) live += 1;
  }
  if (live < size) throw new Error(`the demo of ${size} products has only ${live} live NetBaron products`);
  return {
    size,
    listed: products.filter((p) => p.Marketplaces.includes(MARKETPLACE)).length,
    withStock: products.filter((p) => isLive(p) && p.Quantity !== 0).length,
    mycashflow: { ...demo.mycashflow, products: [], orders: [] },
    netbaron: { ...demo.netbaron, products },
  };
}

export interface Change {
  state: NbState;
  prices: number;
  stocks: number;
}

/**
 * 1 % of the live products changed, spread evenly over the listing: every other one gets a price 10 %
 * higher (well under the price guard's 30 %), the others 5 more in stock. Each change is one write.
 */
export function changeOnePercent(state: NbState): Change {
  const live = state.products.flatMap((p, i) => (isLive(p) ? [i] : []));
  const n = Math.max(1, Math.round(live.length / 100));
  const products = [...state.products];
  let prices = 0;
  let stocks = 0;
  for (let k = 0; k < n; k++) {
    const i = live[Math.floor((k * live.length) / n)]!;
    const p = { ...products[i]! };
    if (k % 2 === 0) {
      const cents = Math.round(p.SalesPriceVatIncluded * 100);
      p.SalesPriceVatIncluded = Math.max(cents + 1, Math.round(cents * 1.1)) / 100;
      prices += 1;
    } else {
      p.Quantity += 5;
      stocks += 1;
    }
    products[i] = p;
  }
  return { state: { ...state, products }, prices, stocks };
}

/** The connection file of the demo store, pointed at the simulators. */
export function connectionFile(
  scenario: BenchScenario,
  urls: { mycashflow: string; netbaron: string },
  concurrency: number,
): unknown {
  const user = scenario.mycashflow.api_users[0]!;
  return {
    id: 'bench',
    name: 'Benchmark',
    mycashflow: { baseUrl: `${urls.mycashflow}/api/v1`, user: user.email, apiKey: user.api_key },
    netbaron: {
      baseUrl: urls.netbaron,
      organisation: scenario.netbaron.organisation,
      productApiPassword: scenario.netbaron.modules.products.password,
      productsInterface: scenario.netbaron.modules.products.interface,
      marketplace: MARKETPLACE,
    },
    productImport: { mode: 'import-new', updateDescriptions: true, whenRemoving: 'hide', concurrency },
  };
}
