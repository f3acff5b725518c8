import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import type { ImportSummary } from '../../src/catalog/import-products.ts';
import type { PlanCounts, Problem } from '../../src/catalog/plan.ts';
import type { ProductImportSettings } from '../../src/config/connection-file.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, NB_PRODUCTS_PASSWORD } from './scenarios.ts';
import { simControl } from './sims.ts';

/*
 * Scenario tests of the product import through the real CLI: a connection file in a temp folder pointing
 * at the in-process simulators, the CLI as a child process with the test file's own database, and the
 * simulators' control API (`/__sim/state`, `/__sim/requests`) to set the scene and read the outcome.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join('bin', 'netbaron.js');

/** `netbaron …` as a child process of this checkout, with its exit code and everything it printed. */
export async function runNetbaron(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  return { code, stdout, stderr };
}

export type Mode = ProductImportSettings['mode'];
export type WhenRemoving = ProductImportSettings['whenRemoving'];

export interface ImportSettingsInput {
  mode?: Mode;
  updateOnly?: string[];
  updateDescriptions?: boolean;
  whenRemoving?: WhenRemoving;
  vatRates?: number[];
  /** Merged over OPEN_GUARDS; `'default'` leaves the guards out of the file, so the defaults apply. */
  guards?: Partial<ProductImportSettings['guards']> | 'default';
  concurrency?: number;
}

export interface ConnectionSpec {
  /** The connection's key in the database: runs and product links are kept per connection. */
  id: string;
  marketplace?: string;
  productImport?: ImportSettingsInput;
}

/**
 * Removal and price guards wide open: the scenarios about the import's rules remove a large share of a
 * small catalog on purpose. The guard scenarios pass their own (or the defaults).
 */
export const OPEN_GUARDS = { maxRemovalShare: 1, maxPriceChangeShare: 1 };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ImportRun extends CliResult {
  summary: ImportSummary;
}

export interface CheckReport {
  problems: Problem[];
  wouldDo: PlanCounts;
  guard: { ok: boolean; reasons: string[] };
}

export interface CheckRun extends CliResult {
  report: CheckReport;
}

function parseJson<T>(result: CliResult, what: string): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `${what} printed no JSON (exit ${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}

export interface ImportCli {
  /** Writes the connection file for these simulators and settings; returns its path. */
  writeConnection(sims: RunningSimulators, spec: ConnectionSpec): Promise<string>;
  /** Runs `netbaron <command> --config <file> <flags>` as a child process with the test database. */
  run(
    sims: RunningSimulators,
    command: 'import-products' | 'check' | 'probe',
    spec: ConnectionSpec,
    flags?: string[],
  ): Promise<CliResult>;
  /** `import-products --json` (with `--dry-run` / `--force`), its summary parsed. */
  importProducts(
    sims: RunningSimulators,
    spec: ConnectionSpec,
    options?: { dryRun?: boolean; force?: boolean; overwriteHeld?: boolean },
  ): Promise<ImportRun>;
  /** `check --json`, its report parsed. */
  check(sims: RunningSimulators, spec: ConnectionSpec): Promise<CheckRun>;
}

/**
 * A CLI runner for the calling test file, on the file's database; call it at the top of the file (its
 * temp folder is removed when the file ends). Connection ids must differ between the file's tests.
 */
export async function createImportCli(databaseUrl: string): Promise<ImportCli> {
  const dir = await mkdtemp(path.join(tmpdir(), 'import-cli-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const writeConnection = async (sims: RunningSimulators, spec: ConnectionSpec): Promise<string> => {
    const { guards, ...settings } = spec.productImport ?? {};
    const file = path.join(dir, `${spec.id}.json`);
    const connection = {
      id: spec.id,
      name: `Scenario ${spec.id}`,
      mycashflow: {
        baseUrl: `${sims.mycashflow.url}/api/v1`,
        user: MCF_USER.email,
        apiKey: MCF_USER.api_key,
      },
      netbaron: {
        baseUrl: sims.netbaron.url,
        organisation: NB_ORG,
        productApiPassword: NB_PRODUCTS_PASSWORD,
        orderApiPassword: NB_ORDERS_PASSWORD,
        productsInterface: 1,
        salesOrderInterface: 1,
        marketplace: spec.marketplace ?? '3',
      },
      productImport: {
        mode: 'import-new',
        updateOnly: [],
        updateDescriptions: false,
        whenRemoving: 'hide',
        ...settings,
        ...(guards === 'default' ? {} : { guards: { ...OPEN_GUARDS, ...guards } }),
      },
      orderExport: {},
    };
    await writeFile(file, `${JSON.stringify(connection, null, 2)}\n`, 'utf8');
    return file;
  };

  const run: ImportCli['run'] = async (sims, command, spec, flags = []) => {
    const config = await writeConnection(sims, spec);
    return runNetbaron([command, '--config', config, ...flags], {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
    });
  };

  return {
    writeConnection,
    run,
    async importProducts(sims, spec, options = {}) {
      const flags = ['--json'];
      if (options.dryRun) flags.push('--dry-run');
      if (options.force) flags.push('--force');
      if (options.overwriteHeld) flags.push('--overwrite-held');
      const result = await run(sims, 'import-products', spec, flags);
      return { ...result, summary: parseJson<ImportSummary>(result, 'import-products') };
    },
    async check(sims, spec) {
      const result = await run(sims, 'check', spec, ['--json']);
      return { ...result, report: parseJson<CheckReport>(result, 'check') };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Simulator state and request log

/** A product of the MyCashflow state document, as `GET /__sim/state` writes it out. */
export interface StoreProductDoc {
  id: number;
  product_code: string | null;
  name: string;
  description: string;
  information: string;
  price: number;
  purchase_price: number;
  vat_rate: number;
  weight: number;
  parcel_type: string | null;
  visibilities: Array<{ version_id: number; is_visible: boolean }>;
  stock_item: { quantity: number } | null;
  variations: Array<{
    id: number;
    product_code: string | null;
    name: string;
    price: number;
    purchase_price: number;
    stock_item: { quantity: number } | null;
  }>;
}

export interface StoreState {
  products: StoreProductDoc[];
}

/** The store as a hand-written scenario gives it: two versions, so that "hidden" means hidden in both. */
export function storeState(products: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    store: { name: 'Testikauppa', plan: 'advanced' },
    api_users: [MCF_USER],
    versions: [
      { id: 1, name: 'Suomi', language: 'fi' },
      { id: 2, name: 'Sverige', language: 'sv' },
    ],
    products,
  };
}

/** NetBaron's register with marketplace 3 (the store's) and 5 (another one). */
export function netbaronState(products: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    organisation: NB_ORG,
    modules: {
      products: { password: NB_PRODUCTS_PASSWORD, interface: 1 },
      salesorder: { password: NB_ORDERS_PASSWORD, interface: 1 },
    },
    marketplaces: [
      { Id: '3', Name: 'Verkkokauppa' },
      { Id: '5', Name: 'B2B-kauppa' },
    ],
    products,
  };
}

/** A NetBaron product of marketplace 3 with every field given; `fields` overrides. */
export function nbProduct(code: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ProductCode: code,
    EAN: '',
    Name: `NB ${code}`,
    Description: '',
    AdditionalInformation: '',
    VatPercent: 25.5,
    SalesPriceVatIncluded: 10,
    PurchasePrice: 4,
    Weight: 0.5,
    PackageType: 'S',
    Quantity: 5,
    Marketplaces: ['3'],
    ...fields,
  };
}

const control = simControl;

export interface Scene {
  store: Array<Record<string, unknown>>;
  netbaron: Array<Record<string, unknown>>;
}

/**
 * Both simulators for one test, started in this process (so that the tests of a file can run
 * concurrently, each against its own pair) and closed when the test finishes; the scene is set through
 * `PUT /__sim/state`, and the request logs start empty.
 */
export async function startScene(
  scene: Scene,
  onTestFinished: (fn: () => Promise<void>) => void,
): Promise<RunningSimulators> {
  const sims = await startSimulators();
  onTestFinished(() => sims.close());
  await control(`${sims.mycashflow.url}/__sim/state`, 'PUT', storeState(scene.store));
  await control(`${sims.netbaron.url}/__sim/state`, 'PUT', netbaronState(scene.netbaron));
  await clearLogs(sims);
  return sims;
}

/** Replaces NetBaron's products only (the store is left as the previous run made it). */
export async function setNetBaronProducts(
  sims: RunningSimulators,
  products: Array<Record<string, unknown>>,
): Promise<void> {
  await control(`${sims.netbaron.url}/__sim/state`, 'PUT', netbaronState(products));
}

export async function clearLogs(sims: RunningSimulators): Promise<void> {
  await control(`${sims.mycashflow.url}/__sim/requests`, 'DELETE');
  await control(`${sims.netbaron.url}/__sim/requests`, 'DELETE');
}

export async function readStore(sims: RunningSimulators): Promise<StoreState> {
  return (await control(`${sims.mycashflow.url}/__sim/state`, 'GET')) as StoreState;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | null;
}

/** Every request MyCashflow's simulator logged since the last clear. */
export async function storeRequests(sims: RunningSimulators): Promise<LoggedRequest[]> {
  const log = (await control(`${sims.mycashflow.url}/__sim/requests`, 'GET')) as {
    requests: LoggedRequest[];
  };
  return log.requests;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** The writes MyCashflow received since the last clear, as `METHOD /api/v1/...` lines. */
export async function storeWrites(sims: RunningSimulators): Promise<string[]> {
  return (await storeRequests(sims))
    .filter((r) => WRITE_METHODS.has(r.method))
    .map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
}

// ---------------------------------------------------------------------------------------------------
// Reading the outcome

export function productByCode(state: StoreState, code: string): StoreProductDoc | undefined {
  return state.products.find((p) => p.product_code === code);
}

export function productById(state: StoreState, id: number): StoreProductDoc | undefined {
  return state.products.find((p) => p.id === id);
}

/** Visible in no store version. */
export const isHidden = (p: StoreProductDoc): boolean => p.visibilities.every((v) => !v.is_visible);
/** Visible in every store version. */
export const isVisible = (p: StoreProductDoc): boolean => p.visibilities.every((v) => v.is_visible);

export const problemsOf = (problems: Problem[], kind: Problem['kind']): Problem[] =>
  problems.filter((p) => p.kind === kind);

/** Counts of the store's writes, by method. */
export function writeCounts(writes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of writes) {
    const method = w.split(' ')[0]!;
    counts[method] = (counts[method] ?? 0) + 1;
  }
  return counts;
}

/** Every combination of the two settings the extension's rules depend on. */
export const MODES_AND_REMOVALS: Array<{ mode: Mode; whenRemoving: WhenRemoving }> = [
  { mode: 'import-new', whenRemoving: 'hide' },
  { mode: 'import-new', whenRemoving: 'delete' },
  { mode: 'update-existing', whenRemoving: 'hide' },
  { mode: 'update-existing', whenRemoving: 'delete' },
];

/** A store product in the MyCashflow state document, with ordinary values the scenarios then vary. */
export const storeItem = (id: number, code: string, extra: Record<string, unknown> = {}) => ({
  id,
  product_code: code,
  name: `Tuote ${code}`,
  price: 10,
  purchase_price: 4,
  stock_item: { quantity: 5 },
  ...extra,
});
