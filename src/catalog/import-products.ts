import { sql, type Kysely } from 'kysely';
import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import {
  abandonStaleRuns,
  actionTallies,
  attachJob,
  ensureConnection,
  findResumableRun,
  finishRun,
  loadLinkedCodes,
  runProblems,
  saveLinks,
  storePlannedRun,
  updatedCodeCount,
} from '../db/import-runs.ts';
import type { Database } from '../db/schema.ts';
import { nbMarketplaceId } from '../domain/ids.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { executeRun, type Progress } from './executor.ts';
import { evaluateGuards, type GuardVerdict } from './guards.ts';
import type { PlanCounts, PlannedAction, Problem } from './plan.ts';
import { planImport, type NetBaronListing } from './planner.ts';
import {
  STORE_CATALOG_EXPANDS,
  storeProductFrom,
  type StoreCatalog,
  type UnreadableStoreProduct,
} from './store-catalog.ts';

export interface ImportOptions {
  db: Kysely<Database>;
  connection: ConnectionFile;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
  dryRun?: boolean;
  force?: boolean;
  logger?: Logger;
  onProgress?: (progress: Progress) => void;
  /** Tells what the run is doing before the writes start (reading, planning). */
  onStage?: (stage: string) => void;
  signal?: AbortSignal;
  /** Recorded with the run: what started it, and the job that carries it (the admin page follows it). */
  trigger?: 'cli' | 'manual' | 'schedule';
  jobId?: string;
}

export interface ImportSummary {
  runId: string;
  connection: string;
  status: 'completed' | 'interrupted' | 'blocked' | 'dry-run';
  dryRun: boolean;
  resumed: boolean;
  created: number;
  updated: number;
  unchanged: number;
  hidden: number;
  deleted: number;
  variationsDeleted: number;
  failed: number;
  problems: Problem[];
  /** The guards' verdict on the plan; `forced` when --force wrote despite it. */
  guard: Pick<GuardVerdict, 'ok' | 'reasons'> & { forced?: boolean };
  requests: { mycashflow: Record<string, number>; netbaron: Record<string, number> };
  durationMs: number;
  /** Peak resident memory of this process so far, in MB. */
  peakRssMb: number;
  interruptedBecause?: string;
}

export interface ImportReport {
  summary: ImportSummary;
  /** The plan, for a dry run or a run stopped by a guard. */
  actions?: PlannedAction[];
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** An unfinished run older than this is not resumed: its plan is stale, so a new one is made. */
const RESUME_WITHIN_HOURS = 24;

export async function readStoreCatalog(mcf: MyCashflowClient): Promise<StoreCatalog> {
  const versions = [];
  for await (const v of mcf.listVersions()) versions.push(v.id);
  const products = [];
  const unreadable: UnreadableStoreProduct[] = [];
  for await (const page of mcf.productPages({
    expand: STORE_CATALOG_EXPANDS,
    // One product the store sends in an unreadable shape is reported and left alone; the rest goes on.
    onInvalidItem: (bad) =>
      unreadable.push({
        ...(bad.id !== undefined ? { id: String(bad.id) } : {}),
        codes: bad.codes,
        reason: bad.reason,
      }),
  })) {
    for (const p of page.items) products.push(storeProductFrom(p));
  }
  return { versions, products, unreadable };
}

export async function readNetBaronListing(nb: NetBaronClient, marketplace: string): Promise<NetBaronListing> {
  const listing: NetBaronListing = { products: [], invalid: [], complete: false };
  for await (const page of nb.productPages({
    marketplace: nbMarketplaceId(marketplace),
    prices: true,
    quantity: true,
    packaging: true,
    descriptions: true,
    onInvalidItem: (item) => listing.invalid.push(item),
  })) {
    listing.products.push(...page.items);
  }
  listing.complete = true;
  return listing;
}

/**
 * Two imports of one connection must never interleave: a session-level advisory lock, held on one
 * pooled connection for the whole run, makes a second process wait its turn or refuse.
 */
const importLockKey = (slug: string) => sql`hashtextextended(${`product-import:${slug}`}, 0)`;

/** Whether no process holds the import lock of this connection now (so a run marked running is orphaned). */
export async function importLockFree(db: Kysely<Database>, slug: string): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${importLockKey(slug)}) as locked`.execute(conn);
    if (rows[0]?.locked) await sql`select pg_advisory_unlock(${importLockKey(slug)})`.execute(conn);
    return Boolean(rows[0]?.locked);
  });
}

async function withConnectionLock<T>(db: Kysely<Database>, slug: string, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const key = importLockKey(slug);
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
      conn,
    );
    if (!rows[0]?.locked)
      throw new Error(
        `another product import of connection "${slug}" is running; try again when it has finished`,
      );
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

/** "Fetch all products": read both sides, plan, guard, then carry the plan out (or resume one). */
export async function importProducts(options: ImportOptions): Promise<ImportReport> {
  const { db, connection, mcf, nb } = options;
  const logger = options.logger ?? silentLogger;
  const started = Date.now();
  const slug = slugOf(connection);
  const settings = connection.productImport;
  const connectionId = await ensureConnection(db, slug, connection.name);

  return withConnectionLock(db, slug, async () => {
    let runId: string;
    let resumed = false;
    let counts: PlanCounts;
    let linked: string[];
    let removed: string[];
    let totalActions: number;
    let alreadyCompleted = 0;
    let guardVerdict: Pick<GuardVerdict, 'ok' | 'reasons'>;

    const resumable = options.dryRun
      ? undefined
      : await findResumableRun(db, connectionId, RESUME_WITHIN_HOURS);
    if (resumable) {
      runId = resumable.id;
      resumed = true;
      if (options.jobId) await attachJob(db, runId, options.jobId);
      counts = resumable.counts as PlanCounts;
      guardVerdict = resumable.guard as GuardVerdict;
      linked = resumable.linked_codes;
      removed = resumable.removed_codes;
      const tallies = await actionTallies(db, runId);
      totalActions = tallies.reduce((n, t) => n + t.n, 0);
      alreadyCompleted = tallies
        .filter((t) => t.status === 'done' || t.status === 'failed')
        .reduce((n, t) => n + t.n, 0);
      logger.info('resuming an interrupted import', { runId, totalActions, alreadyCompleted });
      options.onStage?.(
        `Resuming run ${runId}: ${totalActions - alreadyCompleted} of ${totalActions} actions left`,
      );
    } else {
      await abandonStaleRuns(db, connectionId);
      options.onStage?.('Reading NetBaron and the store');
      const [listing, store, linkedBefore] = await Promise.all([
        readNetBaronListing(nb, connection.netbaron.marketplace),
        readStoreCatalog(mcf),
        loadLinkedCodes(db, connectionId),
      ]);
      options.onStage?.('Planning');
      const plan = planImport({ netbaron: listing, store, settings, linkedCodes: linkedBefore });
      const guard = evaluateGuards(plan, settings.guards);
      const status = options.dryRun ? 'dry-run' : !guard.ok && !options.force ? 'blocked' : 'running';
      runId = await storePlannedRun(
        db,
        {
          connectionId,
          status,
          dryRun: Boolean(options.dryRun),
          forced: Boolean(options.force),
          settings,
          counts: plan.counts,
          guard,
          linkedCodes: plan.linkedCodes,
          removedCodes: plan.removedCodes,
          trigger: options.trigger,
          jobId: options.jobId,
        },
        plan.actions,
        plan.problems,
      );
      if (status !== 'running') {
        const summary: ImportSummary = {
          runId,
          connection: slug,
          status,
          dryRun: Boolean(options.dryRun),
          resumed: false,
          created: plan.counts.create,
          updated: plan.counts.update,
          unchanged: plan.counts.unchanged,
          hidden: plan.counts.hide,
          deleted: plan.counts.delete,
          variationsDeleted: plan.counts.deleteVariation,
          failed: 0,
          problems: plan.problems,
          guard: { ok: guard.ok, reasons: guard.reasons },
          requests: { mycashflow: { ...mcf.stats.byMethod }, netbaron: { ...nb.stats.byMethod } },
          durationMs: Date.now() - started,
          peakRssMb: peakRssMb(),
        };
        await finishRun(db, runId, status, summary);
        return { summary, actions: plan.actions };
      }
      counts = plan.counts;
      guardVerdict = guard;
      linked = plan.linkedCodes;
      removed = plan.removedCodes;
      totalActions = plan.actions.length;
    }

    const outcome = await executeRun({
      db,
      runId,
      mcf,
      concurrency: settings.concurrency,
      totalActions,
      alreadyCompleted,
      logger: logger.child({ runId }),
      onProgress: options.onProgress,
      signal: options.signal,
    });
    if (outcome.status === 'completed') await saveLinks(db, connectionId, runId, linked, removed);

    const tallies = await actionTallies(db, runId);
    const done = (kind: string) => tallies.find((t) => t.kind === kind && t.status === 'done')?.n ?? 0;
    const problems = (await runProblems(db, runId)).map((p) => ({
      kind: p.kind as Problem['kind'],
      code: p.code,
      reason: p.reason,
      ...(p.places ? { places: p.places } : {}),
    }));
    const summary: ImportSummary = {
      runId,
      connection: slug,
      status: outcome.status,
      dryRun: false,
      resumed,
      created: done('create-product'),
      updated: await updatedCodeCount(db, runId),
      unchanged: counts.unchanged,
      hidden: done('hide-product'),
      deleted: done('delete-product'),
      variationsDeleted: done('delete-variation'),
      failed: tallies.filter((t) => t.status === 'failed').reduce((n, t) => n + t.n, 0),
      problems,
      guard: {
        ok: guardVerdict.ok,
        reasons: guardVerdict.reasons,
        ...(guardVerdict.ok ? {} : { forced: true }),
      },
      requests: { mycashflow: { ...mcf.stats.byMethod }, netbaron: { ...nb.stats.byMethod } },
      durationMs: Date.now() - started,
      peakRssMb: peakRssMb(),
      ...(outcome.reason ? { interruptedBecause: outcome.reason } : {}),
    };
    await finishRun(db, runId, outcome.status, summary, outcome.reason);
    return { summary };
  });
}
