import { describe, expect, it } from 'vitest';
import type { StoreWrites } from '../../src/catalog/apply-action.ts';
import { executeRun } from '../../src/catalog/executor.ts';
import type { ActionOutcome, ActionQueue, ClaimedAction } from '../../src/catalog/import-store.ts';
import { phaseOf, type PlannedAction, type Problem } from '../../src/catalog/plan.ts';
import type { McfProductId } from '../../src/domain/ids.ts';
import { RemoteError } from '../../src/http/remote-error.ts';
import { RequestStats } from '../../src/http/request-loop.ts';
import { stockItemSchema } from '../../src/mycashflow/schemas.ts';

const stockItem = (quantity: number) =>
  stockItemSchema.parse({ id: 1, quantity, reserved: 0, balance: quantity });

/*
 * The executor on in-memory ports: a stored plan (the queue, with the database's claim rules) and a
 * store that records each write. The same runs against PostgreSQL and the simulator in
 * test/integration/import-*.test.ts and the fault suite.
 */

const stock = (code: string, quantity: number): PlannedAction => ({
  kind: 'set-stock',
  code,
  quantity,
  reason: 'stock',
  changes: [],
});
const remove = (code: string, productId: number): PlannedAction => ({
  kind: 'delete-product',
  code,
  productId: productId as McfProductId,
  reason: 'gone from NetBaron',
  changes: [],
});

function memoryQueue(actions: PlannedAction[]) {
  const rows = actions.map((action, i) => ({
    id: String(i + 1),
    action,
    phase: phaseOf(action.kind),
    status: 'pending' as ActionOutcome['status'],
    verify: false,
    attempts: 0,
    error: undefined as string | undefined,
  }));
  const problems: Problem[] = [];
  const queue = {
    async markInFlightForVerification() {
      const inFlight = rows.filter((r) => r.status === 'in-progress');
      for (const r of inFlight) Object.assign(r, { status: 'pending', verify: true });
      return inFlight.length;
    },
    async claimActions(_runId, phase, limit): Promise<ClaimedAction[]> {
      const claimed = rows.filter((r) => r.phase === phase && r.status === 'pending').slice(0, limit);
      for (const r of claimed) Object.assign(r, { status: 'in-progress', attempts: r.attempts + 1 });
      return claimed.map(({ id, action, verify, attempts }) => ({ id, action, verify, attempts }));
    },
    async recordOutcomes(outcomes) {
      for (const o of outcomes) {
        const r = rows.find((row) => row.id === o.id)!;
        const attempts = r.attempts - (o.untried ? 1 : 0);
        Object.assign(r, { status: o.status, verify: o.verify ?? false, error: o.error, attempts });
      }
    },
    async addProblems(_runId, found) {
      problems.push(...found);
    },
  } satisfies ActionQueue;
  return { queue, rows, problems };
}

/** A store that takes every write and keeps their order; `fail` decides, per write, to throw instead. */
function memoryStore(fail: (write: string) => RemoteError | undefined = () => undefined) {
  const writes: string[] = [];
  const stats = new RequestStats();
  const write = async (what: string) => {
    const err = fail(what);
    if (err) throw err;
    writes.push(what);
  };
  const unexpected = async (): Promise<never> => {
    throw new Error('not part of this plan');
  };
  const store = {
    stats,
    setStockQuantity: async (code, quantity) => {
      await write(`stock ${code}=${quantity}`);
      return stockItem(quantity);
    },
    deleteProduct: async (id) => write(`delete ${id}`),
    getStock: unexpected,
    getProduct: unexpected,
    createProduct: unexpected,
    updateProduct: unexpected,
    getVariation: unexpected,
    updateVariation: unexpected,
    deleteVariation: unexpected,
  } satisfies StoreWrites & { stats: RequestStats };
  return { store, writes, stats };
}

const storeError = (status: number, disposition: 'fatal' | 'retryable') =>
  new RemoteError(`MyCashflow answered ${status}`, {
    system: 'mycashflow',
    kind: status === 429 ? 'rate-limited' : status >= 500 ? 'server' : 'validation',
    disposition,
    request: 'PUT /stock',
    status,
    attempts: 1,
  });

describe('carrying out a stored plan', () => {
  it('writes every phase-1 action before any removal, and records each as done', async () => {
    const { queue, rows } = memoryQueue([remove('OLD', 9), stock('A', 1), stock('B', 2)]);
    const { store, writes } = memoryStore();
    const result = await executeRun({
      actions: queue,
      runId: 'r',
      mcf: store,
      concurrency: 1,
      totalActions: 3,
    });
    expect(result.status).toBe('completed');
    expect(writes).toEqual(['stock A=1', 'stock B=2', 'delete 9']);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });

  it('fails a write the store refuses for good, reports it, and goes on with the rest', async () => {
    const { queue, rows, problems } = memoryQueue([stock('A', 1), stock('BAD', 2), stock('C', 3)]);
    const { store, writes } = memoryStore((w) =>
      w.startsWith('stock BAD') ? storeError(422, 'fatal') : undefined,
    );
    const progress: number[] = [];
    const result = await executeRun({
      actions: queue,
      runId: 'r',
      mcf: store,
      concurrency: 2,
      totalActions: 3,
      onProgress: (p) => progress.push(p.failed),
    });
    expect(result.status).toBe('completed');
    expect(writes.sort()).toEqual(['stock A=1', 'stock C=3']);
    expect(rows.map((r) => r.status)).toEqual(['done', 'failed', 'done']);
    expect(problems).toEqual([expect.objectContaining({ kind: 'write-failed', code: 'BAD' })]);
    expect(progress.at(-1)).toBe(1);
  });

  it('stops, resumable, when the store keeps failing, and leaves the untried actions pending', async () => {
    const { queue, rows } = memoryQueue([stock('A', 1), stock('B', 2), stock('C', 3), stock('D', 4)]);
    const { store, writes } = memoryStore(() => storeError(503, 'retryable'));
    const result = await executeRun({
      actions: queue,
      runId: 'r',
      mcf: store,
      concurrency: 1,
      totalActions: 4,
      maxConsecutiveFailures: 2,
    });
    expect(result).toMatchObject({
      status: 'interrupted',
      reason: expect.stringContaining('MyCashflow kept failing'),
    });
    expect(writes).toEqual([]);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    // Claimed but never started, C and D have used none of their attempts.
    expect(rows.map((r) => r.attempts)).toEqual([1, 1, 0, 0]);
  });

  it('verifies first the actions a killed run left in flight', async () => {
    const { queue, rows } = memoryQueue([stock('A', 1), stock('B', 2)]);
    rows[0]!.status = 'in-progress';
    const { store } = memoryStore();
    await executeRun({ actions: queue, runId: 'r', mcf: store, concurrency: 1, totalActions: 2 });
    // set-stock verifies by reading the stock: this store refuses reads, so the action fails visibly.
    expect(rows[0]!.status).toBe('failed');
    expect(rows[0]!.error).toContain('not part of this plan');
    expect(rows[1]!.status).toBe('done');
  });

  it('slows down when the client retries a 429, and stops listening when the run ends', async () => {
    const { queue } = memoryQueue(Array.from({ length: 6 }, (_, i) => stock(`S${i}`, i)));
    const { store, stats } = memoryStore();
    const heard: number[] = [];
    const stopOther = stats.watchRetries((_err, delay) => heard.push(delay));
    let first = true;
    store.setStockQuantity = async (_code, quantity) => {
      // The client's retry of the first write: the executor hears of it as any watcher does.
      if (first) {
        first = false;
        stats.retried(storeError(429, 'retryable'), 50);
      }
      return stockItem(quantity);
    };
    const result = await executeRun({
      actions: queue,
      runId: 'r',
      mcf: store,
      concurrency: 4,
      totalActions: 6,
    });
    expect(result.status).toBe('completed');
    expect(result.concurrencyDecreases).toBeGreaterThan(0);
    // The other watcher heard the retry too: none replaces another.
    expect(heard).toEqual([50]);
    stopOther();
    stats.retried(storeError(429, 'retryable'), 10);
    expect(heard).toEqual([50]);
  });

  it('keeps every slot busy across the stored plan’s batches, down to the last writes', async () => {
    const concurrency = 4;
    const { queue, rows } = memoryQueue(Array.from({ length: 450 }, (_, i) => stock(`S${i}`, i)));
    const { store } = memoryStore();
    let inFlight = 0;
    const atEachEnd: number[] = [];
    store.setStockQuantity = async (_code, quantity) => {
      inFlight += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      atEachEnd.push(inFlight);
      inFlight -= 1;
      return stockItem(quantity);
    };
    const result = await executeRun({
      actions: queue,
      runId: 'r',
      mcf: store,
      concurrency,
      totalActions: 450,
    });
    expect(result.status).toBe('completed');
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    // Only the run's last writes end with a slot already empty: no batch of the plan waits for its
    // slowest write before the next begins (the plan is claimed 200 at a time).
    expect(atEachEnd.slice(0, -(concurrency - 1)).every((n) => n === concurrency)).toBe(true);
  });
});
