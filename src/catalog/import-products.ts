import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import { nbMarketplaceId } from '../domain/ids.ts';
import type { RequestStats } from '../http/request-loop.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { StoreWrites } from './apply-action.ts';
import { executeRun, type Progress } from './executor.ts';
import { judgeGuards, type GuardVerdict } from './guards.ts';
import { memoryPlanSource, planInChunks, type ChunkedPlan, type PlanStaging } from './chunked-planning.ts';
import type { ImportRunStore } from './import-store.ts';
import type { HeldStock, PlanCounts, PlannedAction, Problem } from './plan.ts';
import type { NetBaronListing, ReturnsInput } from './planner.ts';
import type { NbProduct } from '../netbaron/wire/products.ts';
import {
  readStoreThroughMirror,
  refreshAfterRun,
  returnsThroughMirror,
  type MirrorContext,
  type MirrorReads,
} from './mirror-reading.ts';
import type { MirrorReading } from './store-mirror.ts';
import { readReturnChanges, type StockChangeReads } from './returns.ts';
import {
  readStoreProducts,
  type StoreCatalog,
  type StoreProduct,
  type UnreadableStoreProduct,
} from './store-catalog.ts';

/** The store's reads behind its catalog as the planner sees it (`readStoreCatalog`). */
export type StoreCatalogReads = Pick<MyCashflowClient, 'listVersions' | 'productPages'>;

/** NetBaron's product pages of a marketplace (`readNetBaronListing`). */
export type NetBaronListingReads = Pick<NetBaronClient, 'productPages'>;

/**
 * What an import asks of the store: its catalog and its returns, the writes of the plan, and the
 * client's request counts (the summary's) and retries (the executor slows down on them).
 */
export type ImportStoreApi = StoreCatalogReads &
  StockChangeReads &
  StoreWrites & { readonly stats: Pick<RequestStats, 'byMethod' | 'watchRetries'> } & Partial<MirrorReads>;

/** The reads of changes a mirror needs; a store API without them is read whole every time. */
const readsChanges = (mcf: ImportStoreApi): mcf is ImportStoreApi & MirrorReads =>
  Boolean(mcf.listVariations && mcf.countProducts && mcf.latestStockChange && mcf.clock);

/** What an import asks of NetBaron: its product pages, and the client's request counts. */
export type ImportNetBaronApi = NetBaronListingReads & { readonly stats: Pick<RequestStats, 'byMethod'> };

export interface ImportOptions {
  runs: ImportRunStore;
  connection: ConnectionFile;
  mcf: ImportStoreApi;
  nb: ImportNetBaronApi;
  dryRun?: boolean;
  force?: boolean;
  logger?: Logger;
  onProgress?: (progress: Progress) => void;
  /** Tells what the run is doing before the writes start (reading, planning). */
  onStage?: (stage: string) => void;
  signal?: AbortSignal;
  /** Recorded with the run: what started it, and the job that carries it (the admin page follows it). */
  trigger?: 'cli' | 'manual' | 'schedule' | 'retry' | 'overwrite-held';
  jobId?: string;
  /**
   * Plan only these codes, against both systems as they are now ("Retry failed" of run `retryOf`, or
   * "Overwrite with NetBaron's balance" for some held codes), and write what is still needed.
   */
  only?: { codes: string[]; retryOf?: string };
  /**
   * Write NetBaron's balance over held codes (returns the store has and NetBaron not): every held code,
   * or these. Only ever a person's choice: a scheduled import never overwrites a held code.
   */
  overwriteHeld?: 'all' | string[];
  /** Resume this run, which a person cancelled (its page's "Resume"). */
  resumeRunId?: string;
}

/** The reason an `AbortSignal` carries when a person cancelled the import (not a shutdown). */
export const CANCELLED_BY_PERSON = 'cancelled';

/** Thrown when the import was stopped before its plan was stored: nothing was written. */
export class ImportStopped extends Error {
  override name = 'ImportStopped';
  constructor(readonly cancelled: boolean) {
    super(
      cancelled
        ? 'the import was cancelled before it wrote anything'
        : 'the import was stopped before it wrote anything',
    );
  }
}

const cancelledBy = (signal: AbortSignal | undefined): boolean =>
  Boolean(signal?.aborted) && signal?.reason === CANCELLED_BY_PERSON;

export interface ImportSummary {
  runId: string;
  connection: string;
  /** `completed-with-failures`: every action was tried and `failed` writes failed (retry them). */
  status: 'completed' | 'completed-with-failures' | 'interrupted' | 'cancelled' | 'blocked' | 'dry-run';
  dryRun: boolean;
  resumed: boolean;
  /** A retry run: the run whose failed writes it retried. */
  retryOf?: string;
  /** Codes whose stock was not written: the store's returns are not yet in NetBaron. */
  held: HeldStock[];
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
  /**
   * How the store was read: `changes` since the last reading (through the mirror), or `full`, with why.
   * Absent for a resumed run, which reads nothing.
   */
  storeRead?: MirrorReading;
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
export const RESUME_WITHIN_HOURS = 24;

export async function readStoreCatalog(mcf: StoreCatalogReads, signal?: AbortSignal): Promise<StoreCatalog> {
  const versions = [];
  for await (const v of mcf.listVersions()) versions.push(v.id);
  const products: StoreProduct[] = [];
  const unreadable: UnreadableStoreProduct[] = [];
  await readStoreProducts(
    mcf,
    {},
    async (page, bad) => {
      products.push(...page);
      unreadable.push(...bad);
    },
    signal,
  );
  return { versions, products, unreadable };
}

/**
 * NetBaron's listing of a marketplace. Descriptions are asked for only when the import writes them
 * (`updateDescriptions`): without them a listing of 100 000 is a good deal smaller to read and to hold.
 */
export async function readNetBaronListing(
  nb: NetBaronListingReads,
  marketplace: string,
  {
    signal,
    descriptions = true,
    onPage,
  }: {
    signal?: AbortSignal | undefined;
    descriptions?: boolean;
    /**
     * Takes each page instead of the listing (which then has no products): `firstSeq` is how many
     * entries came before it. A page is handled while the next one is read, one at a time.
     */
    onPage?: (products: NbProduct[], firstSeq: number) => Promise<void>;
  } = {},
): Promise<NetBaronListing> {
  const listing: NetBaronListing = { products: [], invalid: [], complete: false };
  let handling: Promise<void> = Promise.resolve();
  let seq = 0;
  try {
    for await (const page of nb.productPages({
      marketplace: nbMarketplaceId(marketplace),
      prices: true,
      quantity: true,
      packaging: true,
      descriptions,
      onInvalidItem: (item) => listing.invalid.push(item),
    })) {
      if (onPage) {
        await handling;
        handling = onPage(page.items, seq);
        seq += page.items.length;
      } else listing.products.push(...page.items);
      // Stopped while reading: the listing is incomplete, and the caller plans nothing from it.
      if (signal?.aborted) break;
    }
  } finally {
    await handling;
  }
  listing.complete = !signal?.aborted;
  return listing;
}

/**
 * The store's returns since the last completed import began reading, and the holds earlier imports
 * left. Before any completed import there is nothing to protect: the first import sets the store's
 * stock from NetBaron, as the extension does.
 */
async function readReturns(ctx: RunContext, since: Date | null): Promise<ReturnsInput> {
  const holds = await ctx.runs.loadHolds(ctx.connectionId);
  const mirrored = since && ctx.mirror ? await returnsThroughMirror(ctx.mirror, since) : undefined;
  const changes = since ? (mirrored ?? (await readReturnChanges(ctx.mcf, since)).returns) : [];
  const overwrite = ctx.overwriteHeld;
  return {
    changes,
    holds,
    ...(overwrite ? { overwrite: overwrite === 'all' ? 'all' : new Set(overwrite) } : {}),
  };
}

/** Where a run stands before its writes: a fresh plan, a resumed one, or a plan that ends here. */
interface Prepared {
  runId: string;
  resumed: boolean;
  counts: PlanCounts;
  linked: string[];
  removed: string[];
  totalActions: number;
  alreadyCompleted: number;
  guard: Pick<GuardVerdict, 'ok' | 'reasons'>;
}

type RunContext = ImportOptions & {
  connectionId: string;
  slug: string;
  started: number;
  logger: Logger;
  /** The store read through its mirror (`store-mirror.ts`); absent: read whole. */
  mirror?: MirrorContext;
  /** How this run read the store, once it did. */
  storeRead?: MirrorReading;
};

/**
 * The store's catalog, through the mirror when there is one; returns are read after it. A mirror that
 * is planned from in parts stays in the database: only the versions come back then.
 */
async function readStore(ctx: RunContext, returnsFrom: Date): Promise<StoreCatalog> {
  if (!ctx.mirror) {
    ctx.storeRead = { kind: 'full', why: 'the store is read whole at every import' };
    return readStoreCatalog(ctx.mcf, ctx.signal);
  }
  const { catalog, reading } = await readStoreThroughMirror(ctx.mirror, returnsFrom, {
    load: !ctx.runs.staging,
  });
  ctx.storeRead = reading;
  ctx.logger.info(reading.kind === 'full' ? 'read the whole store' : 'read what changed in the store', {
    ...(reading.kind === 'full' ? { why: reading.why } : {}),
  });
  return catalog;
}

const requestsOf = (o: ImportOptions) => ({
  mycashflow: { ...o.mcf.stats.byMethod },
  netbaron: { ...o.nb.stats.byMethod },
});

type Tally = Pick<
  ImportSummary,
  'created' | 'updated' | 'unchanged' | 'hidden' | 'deleted' | 'variationsDeleted' | 'failed'
>;

/** A run's summary, whether the run ended at its plan (preview, blocked) or carried it out. */
function summarize(
  ctx: RunContext,
  run: Pick<ImportSummary, 'runId' | 'status' | 'resumed' | 'held' | 'problems' | 'guard'> & {
    tally: Tally;
    interruptedBecause?: string;
  },
): ImportSummary {
  return {
    runId: run.runId,
    connection: ctx.slug,
    status: run.status,
    dryRun: Boolean(ctx.dryRun),
    resumed: run.resumed,
    ...(ctx.only?.retryOf ? { retryOf: ctx.only.retryOf } : {}),
    held: run.held,
    ...run.tally,
    problems: run.problems,
    guard: run.guard,
    requests: requestsOf(ctx),
    durationMs: Date.now() - ctx.started,
    ...(ctx.storeRead ? { storeRead: ctx.storeRead } : {}),
    peakRssMb: peakRssMb(),
    ...(run.interruptedBecause ? { interruptedBecause: run.interruptedBecause } : {}),
  };
}

async function resumeRun(ctx: RunContext): Promise<Prepared | undefined> {
  const { runs, connectionId } = ctx;
  if (ctx.dryRun || ctx.only) return undefined;
  const run = await runs.findResumableRun(connectionId, RESUME_WITHIN_HOURS, ctx.resumeRunId);
  if (!run) return undefined;
  await runs.attachJob(run.id, ctx.jobId);
  const tallies = await runs.actionTallies(run.id);
  const totalActions = tallies.reduce((n, t) => n + t.n, 0);
  const alreadyCompleted = tallies
    .filter((t) => t.status === 'done' || t.status === 'failed')
    .reduce((n, t) => n + t.n, 0);
  ctx.logger.info('resuming an interrupted import', { runId: run.id, totalActions, alreadyCompleted });
  ctx.onStage?.(`Resuming run ${run.id}: ${totalActions - alreadyCompleted} of ${totalActions} actions left`);
  return {
    runId: run.id,
    resumed: true,
    counts: run.counts as PlanCounts,
    guard: run.guard as GuardVerdict,
    linked: run.linked_codes,
    removed: run.removed_codes,
    totalActions,
    alreadyCompleted,
  };
}

/** Reads both sides and plans; a plan that is only shown (preview, blocked) ends the run here. */
async function planRun(ctx: RunContext): Promise<Prepared | ImportReport> {
  const { runs, connectionId } = ctx;
  if (ctx.only) {
    // A partial run must not overtake an unfinished one: that run holds the plan the codes belong to.
    if (await runs.hasUnfinishedRun(connectionId, RESUME_WITHIN_HOURS))
      throw new Error(
        'an unfinished import of this store must finish first; fetch all products to resume it, then retry what still fails',
      );
  } else {
    await runs.abandonStaleRuns(connectionId);
  }
  // Staged in the database only beside a mirror: the store is then planned from there too.
  const staging = ctx.mirror ? runs.staging : undefined;
  if (!staging) return planStaged(ctx, undefined);
  await staging.clear(connectionId);
  try {
    return await planStaged(ctx, staging);
  } finally {
    await staging.clear(connectionId);
  }
}

async function planStaged(
  ctx: RunContext,
  staging: PlanStaging | undefined,
): Promise<Prepared | ImportReport> {
  const { runs, connectionId, nb, connection } = ctx;
  const settings = connection.productImport;
  ctx.onStage?.('Reading NetBaron and the store');
  const readAt = new Date();
  const since = await runs.returnsBoundary(connectionId);
  const [listing, store, linkedBefore] = await Promise.all([
    readNetBaronListing(nb, connection.netbaron.marketplace, {
      signal: ctx.signal,
      descriptions: settings.updateDescriptions,
      ...(staging
        ? {
            onPage: (products: NbProduct[], firstSeq: number) =>
              staging.stageListing(connectionId, products, firstSeq),
          }
        : {}),
    }),
    readStore(ctx, since ?? readAt),
    runs.loadLinkedCodes(connectionId),
  ]);
  if (ctx.signal?.aborted) throw new ImportStopped(cancelledBy(ctx.signal));
  // After the store's reading: the mirror has the returns it read with the stock changes.
  const returns = await readReturns(ctx, since);
  ctx.onStage?.('Planning');
  const source = staging
    ? await staging.source(connectionId, {
        versions: store.versions,
        netbaron: listing,
        descriptions: settings.updateDescriptions,
      })
    : memoryPlanSource(listing, store);
  let plan: ChunkedPlan | undefined;
  let guard: GuardVerdict | undefined;
  let status: 'dry-run' | 'blocked' | 'running' = 'running';
  const runId = await runs.storePlannedRun(
    {
      connectionId,
      dryRun: Boolean(ctx.dryRun),
      forced: Boolean(ctx.force),
      settings,
      trigger: ctx.trigger,
      jobId: ctx.jobId,
      readAt,
      ...(ctx.only ? { scope: ctx.only.codes } : {}),
      ...(ctx.only?.retryOf ? { retryOf: ctx.only.retryOf } : {}),
    },
    async (append) => {
      plan = await planInChunks(
        source,
        {
          settings,
          linkedCodes: linkedBefore,
          returns,
          ...(ctx.only ? { onlyCodes: new Set(ctx.only.codes) } : {}),
        },
        append,
      );
      guard = judgeGuards(plan.guardFigures, settings.guards);
      status = ctx.dryRun ? 'dry-run' : !guard.ok && !ctx.force ? 'blocked' : 'running';
      return {
        status,
        counts: plan.counts,
        guard,
        linkedCodes: plan.linkedCodes,
        removedCodes: plan.removedCodes,
      };
    },
  );
  if (!plan || !guard) throw new Error('the plan was stored without being made');
  // Holds outlive the run that finds them; a plan only shown (preview, blocked) changes none.
  if (status === 'running') {
    await runs.saveHolds(connectionId, runId, readAt, plan.held, plan.holdsCleared);
    return {
      runId,
      resumed: false,
      counts: plan.counts,
      guard,
      linked: plan.linkedCodes,
      removed: plan.removedCodes,
      totalActions: plan.actionCount,
      alreadyCompleted: 0,
    };
  }
  const summary = summarize(ctx, {
    runId,
    status,
    resumed: false,
    held: plan.held,
    tally: {
      created: plan.counts.create,
      updated: plan.counts.update,
      unchanged: plan.counts.unchanged,
      hidden: plan.counts.hide,
      deleted: plan.counts.delete,
      variationsDeleted: plan.counts.deleteVariation,
      failed: 0,
    },
    problems: await runs.runProblems(runId),
    guard: { ok: guard.ok, reasons: guard.reasons },
  });
  await runs.finishRun(runId, status, summary);
  return { summary, actions: await runs.plannedActions(runId) };
}

/** "Fetch all products": read both sides, plan, guard, then carry the plan out (or resume one). */
export async function importProducts(options: ImportOptions): Promise<ImportReport> {
  const { runs, connection, mcf } = options;
  const slug = slugOf(connection);
  const connectionId = await runs.ensureConnection(slug, connection.name);
  const logger = options.logger ?? silentLogger;
  const ctx: RunContext = {
    ...options,
    connectionId,
    slug,
    started: Date.now(),
    logger,
    ...(runs.mirror && readsChanges(mcf)
      ? {
          mirror: {
            mcf,
            mirror: runs.mirror,
            connectionId,
            storeAddress: connection.mycashflow.baseUrl,
            settings: connection.productImport,
            logger,
            ...(options.signal ? { signal: options.signal } : {}),
          },
        }
      : {}),
  };

  return runs.withImportLock(slug, async () => {
    const prepared = (await resumeRun(ctx)) ?? (await planRun(ctx));
    if ('summary' in prepared) return prepared;
    const { runId } = prepared;

    const outcome = await executeRun({
      actions: runs,
      runId,
      mcf,
      concurrency: connection.productImport.concurrency,
      totalActions: prepared.totalActions,
      alreadyCompleted: prepared.alreadyCompleted,
      logger: ctx.logger.child({ runId }),
      onProgress: options.onProgress,
      signal: options.signal,
    });

    const lastWriteAt = Date.now();
    const tallies = await runs.actionTallies(runId);
    if (ctx.mirror && tallies.some((t) => t.status === 'done' || t.status === 'failed')) {
      await refreshAfterRun(ctx.mirror, {
        runId,
        lastWriteAt,
        completed: outcome.status === 'completed',
        onReadingBack: () => options.onStage?.('Reading back what the import changed in the store'),
      }).catch((err: unknown) =>
        // The next import reads these changes instead: its reading starts where the last one did.
        ctx.logger.warn('could not read back the store after the import', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
    const done = (kind: string) => tallies.find((t) => t.kind === kind && t.status === 'done')?.n ?? 0;
    const failed = tallies.filter((t) => t.status === 'failed').reduce((n, t) => n + t.n, 0);
    const status: ImportSummary['status'] =
      outcome.status === 'completed'
        ? failed > 0
          ? 'completed-with-failures'
          : 'completed'
        : cancelledBy(options.signal)
          ? 'cancelled'
          : 'interrupted';
    if (outcome.status === 'completed')
      await runs.saveLinks(connectionId, runId, prepared.linked, prepared.removed);
    const problems = await runs.runProblems(runId);
    const { guard } = prepared;
    const summary = summarize(ctx, {
      runId,
      status,
      resumed: prepared.resumed,
      held: await runs.heldByRun(connectionId, runId),
      tally: {
        created: done('create-product'),
        updated: await runs.updatedCodeCount(runId),
        unchanged: prepared.counts.unchanged,
        hidden: done('hide-product'),
        deleted: done('delete-product'),
        variationsDeleted: done('delete-variation'),
        failed,
      },
      problems,
      guard: { ok: guard.ok, reasons: guard.reasons, ...(guard.ok ? {} : { forced: true }) },
      interruptedBecause:
        status === 'cancelled' ? 'cancelled by you; resume it from its page' : outcome.reason,
    });
    await runs.finishRun(runId, status, summary, status === 'interrupted' ? outcome.reason : undefined);
    return { summary };
  });
}
