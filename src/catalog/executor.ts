import { setTimeout as sleep } from 'node:timers/promises';
import { isRemoteError } from '../http/remote-error.ts';
import type { RequestStats } from '../http/request-loop.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { AdaptiveLimit } from './adaptive-limit.ts';
import { applyAction, type StoreWrites } from './apply-action.ts';
import type { ActionOutcome, ActionQueue, ClaimedAction } from './import-store.ts';
import type { Problem } from './plan.ts';

export interface Progress {
  total: number;
  completed: number;
  failed: number;
  concurrency: number;
  /** Seconds left at the pace of this execution so far; undefined until there is a pace. */
  etaSeconds?: number;
}

export interface ExecuteOptions {
  actions: ActionQueue;
  runId: string;
  /** The writes, and the client's retries: a 429 or 5xx it retries slows this run down. */
  mcf: StoreWrites & { stats: Pick<RequestStats, 'watchRetries'> };
  concurrency: number;
  totalActions: number;
  alreadyCompleted?: number;
  logger?: Logger;
  onProgress?: (progress: Progress) => void;
  /** Stop taking new actions: in-flight ones finish and are recorded, the rest stay for a resume. */
  signal?: AbortSignal;
  /** After this many failures in a row that may pass (the store down), the run stops, resumable. */
  maxConsecutiveFailures?: number;
}

export interface ExecuteResult {
  status: 'completed' | 'interrupted';
  reason?: string;
  concurrencyDecreases: number;
}

const BATCH = 200;
const FLUSH_EVERY = 25;
const FLUSH_AFTER_MS = 1000;
/** Claims of one action before a failure that might pass is taken as final for this run. */
const MAX_ATTEMPTS = 5;

/**
 * Carries out a stored plan: phase 1 (creates, updates, stock, variation deletes), then phase 2 (product
 * removals). Each claimed action is marked in progress in the database before its write, and its
 * outcome after, so that a run killed at any point resumes with only the uncertain actions verified.
 */
export async function executeRun(options: ExecuteOptions): Promise<ExecuteResult> {
  const { actions, runId, mcf } = options;
  const logger = options.logger ?? silentLogger;
  const limit = new AdaptiveLimit(options.concurrency);
  const maxFailures = options.maxConsecutiveFailures ?? 20;
  // When the store says when to come back (429 with Retry-After), no new write starts before then:
  // the writes already waiting would otherwise be joined by more, each refused in turn.
  let pausedUntil = 0;
  const stopWatching = mcf.stats.watchRetries((err, delayMs) => {
    if (err.kind === 'rate-limited' || err.kind === 'unavailable' || err.kind === 'server') limit.pushback();
    if (err.kind === 'rate-limited') pausedUntil = Math.max(pausedUntil, Date.now() + delayMs);
  });

  const verifying = await actions.markInFlightForVerification(runId);
  if (verifying > 0)
    logger.info('resuming: actions in flight at the interruption are verified first', { runId, verifying });

  const started = Date.now();
  let completed = options.alreadyCompleted ?? 0;
  const completedAtStart = completed;
  let failed = 0;
  let consecutiveFailures = 0;
  let stopReason: string | undefined;
  const buffer: ActionOutcome[] = [];
  const problems: Problem[] = [];

  // Outcomes are recorded in the background, one flush after another, so that no slot waits for the
  // database; a flush that fails stops the run (its outcomes are unknown to the database: resumable).
  let lastFlush = Date.now();
  let flushing: Promise<void> = Promise.resolve();
  let flushError: unknown;
  const flush = (): Promise<void> => {
    lastFlush = Date.now();
    const outcomes = buffer.splice(0, buffer.length);
    const found = problems.splice(0, problems.length);
    flushing = flushing.then(async () => {
      if (outcomes.length) await actions.recordOutcomes(outcomes);
      if (found.length) await actions.addProblems(runId, found);
    });
    flushing.catch((err: unknown) => {
      flushError ??= err;
      stopReason ??= `the outcomes could not be recorded (${(err as Error).message})`;
    });
    return flushing;
  };
  const report = () => {
    const doneHere = completed - completedAtStart;
    const elapsed = (Date.now() - started) / 1000;
    const left = options.totalActions - completed;
    options.onProgress?.({
      total: options.totalActions,
      completed,
      failed,
      concurrency: limit.value,
      etaSeconds: doneHere > 0 && elapsed > 0 ? (left * elapsed) / doneHere : undefined,
    });
  };

  const runOne = async (claimed: ClaimedAction): Promise<void> => {
    const { action } = claimed;
    try {
      const result = await applyAction(mcf, action, claimed.verify);
      buffer.push({ id: claimed.id, status: 'done', result });
      consecutiveFailures = 0;
      completed += 1;
      limit.success();
    } catch (err) {
      if (isRemoteError(err) && err.disposition !== 'fatal' && claimed.attempts < MAX_ATTEMPTS) {
        // It may pass (the store busy or down): back in the queue, verified first if it may have landed.
        buffer.push({
          id: claimed.id,
          status: 'pending',
          verify: claimed.verify || err.disposition === 'outcome-unknown',
          error: err.message,
        });
        consecutiveFailures += 1;
        if (consecutiveFailures >= maxFailures) stopReason ??= `MyCashflow kept failing (${err.message})`;
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      // The store's status and the error's class: the inbox groups failed writes by them.
      const failure = isRemoteError(err)
        ? { status: err.status ?? null, kind: err.kind }
        : { kind: 'internal' };
      buffer.push({ id: claimed.id, status: 'failed', error: message, result: { failure } });
      problems.push({
        kind: 'write-failed',
        code: action.code,
        reason: `${action.code}: the ${action.kind} could not be written. ${message}`,
      });
      completed += 1;
      failed += 1;
    }
    // In batches for speed, but at least each second: the progress others read is the database's.
    if (buffer.length >= FLUSH_EVERY || Date.now() - lastFlush >= FLUSH_AFTER_MS) void flush();
  };

  const stopping = () => Boolean(stopReason || options.signal?.aborted);
  /**
   * One phase as a pipeline: the next batch is claimed while the writes of the last are still in flight,
   * so that `concurrency` writes stay in flight to the end. When no pending action is left, the outcomes
   * are recorded and one more claim is made: a write that failed in a way that may pass went back to
   * pending and is taken again.
   */
  const runPhase = async (phase: number): Promise<void> => {
    const queue: ClaimedAction[] = [];
    const active = new Set<Promise<void>>();
    let claiming: Promise<void> | undefined;
    let exhausted = false;
    const claim = () =>
      (claiming ??= (async () => {
        const batch = await actions.claimActions(runId, phase, BATCH);
        exhausted = batch.length === 0;
        queue.push(...batch);
      })().finally(() => (claiming = undefined)));
    for (;;) {
      if (!exhausted && !stopping() && queue.length < Math.max(limit.value * 2, FLUSH_EVERY)) void claim();
      while (queue.length > 0 && active.size < limit.value && !stopping() && Date.now() >= pausedUntil) {
        const task = runOne(queue.shift()!).finally(() => {
          active.delete(task);
          report();
        });
        active.add(task);
      }
      if (stopping() && active.size === 0 && !claiming) break;
      if (queue.length === 0 && active.size === 0 && !claiming) {
        if (!exhausted) continue;
        // Nothing pending was left at the last claim: once the outcomes are in, once more.
        await flush();
        if (stopping()) break;
        await claim();
        if (exhausted) break;
        continue;
      }
      const pause = pausedUntil - Date.now();
      const waits: Array<Promise<unknown>> = [...active];
      if (claiming) waits.push(claiming);
      // At the end of a Retry-After pause, or earlier when a write in flight ends.
      if (queue.length > 0 && !stopping() && pause > 0) waits.push(sleep(pause));
      await Promise.race(waits);
    }
    // Claimed but never started (a stop came): back to pending, untouched.
    for (const left of queue)
      buffer.push({ id: left.id, status: 'pending', verify: left.verify, untried: true });
  };

  try {
    report();
    for (const phase of [1, 2]) {
      if (stopping()) break;
      await runPhase(phase);
    }
  } finally {
    await flush().catch(() => undefined);
    stopWatching();
  }
  if (flushError) throw flushError;

  if (stopReason || options.signal?.aborted) {
    return {
      status: 'interrupted',
      reason: stopReason ?? 'stopped on request',
      concurrencyDecreases: limit.decreases,
    };
  }
  return { status: 'completed', concurrencyDecreases: limit.decreases };
}
