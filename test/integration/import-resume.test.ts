import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoScenario } from '../../simulators/demo/index.ts';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * A run killed (SIGKILL) at random points and resumed ends in exactly the state of an uninterrupted
 * run, and writes every action exactly once: the request counts of the interrupted run, summed over
 * its attempts, equal those of the uninterrupted one, path by path.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const scenario = generateDemoScenario({ products: 300, seed: 7 });
const database = await createTestDatabase();
const folder = await mkdtemp(path.join(tmpdir(), 'import-resume-'));
const running: RunningSimulators[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
});

async function simulators(): Promise<RunningSimulators> {
  const sims = await startSimulators({ scenario: structuredClone(scenario) });
  running.push(sims);
  // Slow writes down a little, so that a kill lands while many are still to come.
  await fetch(`${sims.mycashflow.url}/__sim/faults`, {
    method: 'PUT',
    body: JSON.stringify({
      rules: [
        { path: '/api/v1/*', method: 'PATCH', latencyMs: 8 },
        { path: '/api/v1/*', method: 'POST', latencyMs: 8 },
      ],
    }),
  });
  return sims;
}

async function connectionFile(id: string, sims: RunningSimulators): Promise<string> {
  const mcf = scenario.mycashflow as { api_users: Array<{ email: string; api_key: string }> };
  const nb = scenario.netbaron as { organisation: string; modules: { products: { password: string } } };
  const file = path.join(folder, `${id}.json`);
  await writeFile(
    file,
    JSON.stringify({
      id,
      name: `Resume test ${id}`,
      mycashflow: {
        baseUrl: `${sims.mycashflow.url}/api/v1`,
        user: mcf.api_users[0]!.email,
        apiKey: mcf.api_users[0]!.api_key,
      },
      netbaron: {
        baseUrl: sims.netbaron.url,
        organisation: nb.organisation,
        productApiPassword: nb.modules.products.password,
        marketplace: '3',
      },
      productImport: {
        mode: 'import-new',
        updateDescriptions: true,
        whenRemoving: 'hide',
        concurrency: 4,
        guards: { maxRemovalShare: 1, maxPriceChangeShare: 1, priceChangePercent: 1000 },
      },
    }),
  );
  return file;
}

function startImport(config: string) {
  const child = spawn(
    process.execPath,
    ['bin/netbaron.js', 'import-products', '--config', config, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

interface RequestLog {
  counts: { byMethod: Record<string, number>; byPath: Record<string, number> };
}
const requestLog = async (sims: RunningSimulators): Promise<RequestLog> =>
  (await fetch(`${sims.mycashflow.url}/__sim/requests`)).json() as Promise<RequestLog>;
const writesOf = (log: RequestLog) =>
  Object.fromEntries(Object.entries(log.counts.byPath).filter(([route]) => !route.startsWith('GET ')));

/** The store by product code, without ids and timestamps (created products may get other ids). */
async function storeByCode(sims: RunningSimulators) {
  const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
    products: Array<
      Record<string, unknown> & {
        variations: Array<Record<string, unknown>>;
        visibilities: unknown[];
        stock_item: { quantity: number } | null;
      }
    >;
  };
  const strip = (o: Record<string, unknown>): Record<string, unknown> => {
    const { id: _id, created_at: _c, updated_at: _u, product_id: _p, stock_item, ...rest } = o;
    return { ...rest, stock: (stock_item as { quantity: number } | null)?.quantity ?? null };
  };
  return Object.fromEntries(
    state.products.map((p) => [
      String(p.product_code ?? `#${String(p.id)}`),
      {
        ...strip(p),
        variations: p.variations
          .map(strip)
          .sort((a, b) => String(a.product_code).localeCompare(String(b.product_code))),
      },
    ]),
  );
}

describe('an import killed at random points and resumed', () => {
  it('ends exactly like an uninterrupted run, with no action written twice', async () => {
    const reference = await simulators();
    const plain = await startImport(await connectionFile('reference', reference)).exited;
    expect(plain.code, plain.stderr).toBe(0);
    const plainSummary = JSON.parse(plain.stdout) as {
      created: number;
      updated: number;
      hidden: number;
      status: string;
    };
    expect(plainSummary.status).toBe('completed');
    expect(plainSummary.created).toBeGreaterThan(20);
    const referenceWrites = writesOf(await requestLog(reference));
    const totalWrites = Object.values(referenceWrites).reduce((a, b) => a + b, 0);

    const sims = await simulators();
    const config = await connectionFile('killed', sims);
    const kills: number[] = [];
    for (let k = 0; k < 2; k += 1) {
      const run = startImport(config);
      const already = Object.values(writesOf(await requestLog(sims))).reduce((a, b) => a + b, 0);
      // A random point between a few writes in and most of what is left.
      const target = already + 3 + Math.floor(Math.random() * Math.max(1, (totalWrites - already) * 0.6));
      for (;;) {
        const writes = Object.values(writesOf(await requestLog(sims))).reduce((a, b) => a + b, 0);
        if (writes >= target) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      run.child.kill('SIGKILL');
      const killed = await run.exited;
      expect(killed.signal).toBe('SIGKILL');
      kills.push(target);
    }
    const resumed = await startImport(config).exited;
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as {
      status: string;
      resumed: boolean;
      created: number;
      hidden: number;
    };
    expect(summary).toMatchObject({
      status: 'completed',
      resumed: true,
      created: plainSummary.created,
      hidden: plainSummary.hidden,
    });

    expect(await storeByCode(sims)).toEqual(await storeByCode(reference));
    expect(writesOf(await requestLog(sims)), `killed after ${kills.join(' and ')} writes`).toEqual(
      referenceWrites,
    );
  }, 120_000);
});
