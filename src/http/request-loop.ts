import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import { RemoteError, type RemoteSystem } from './remote-error.ts';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry-policy.ts';
import {
  exchange,
  type HttpAnswer,
  type HttpRequest,
  TransportError,
  type TransportFailure,
} from './transport.ts';

/** Counts of what a client sent, for run summaries and metrics. */
export class RequestStats {
  readonly byMethod: Record<string, number> = {};
  retries = 0;
  readonly #retryWatchers = new Set<(error: RemoteError, delayMs: number) => void>();

  /**
   * Tells `watcher` of every failed attempt that will be retried, so that a caller can slow down (429,
   * 5xx), until the returned function is called. Several may watch at once; none replaces another.
   */
  watchRetries(watcher: (error: RemoteError, delayMs: number) => void): () => void {
    this.#retryWatchers.add(watcher);
    return () => this.#retryWatchers.delete(watcher);
  }

  retried(error: RemoteError, delayMs: number): void {
    this.retries += 1;
    for (const watcher of this.#retryWatchers) watcher(error, delayMs);
  }

  count(method: string): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.byMethod).reduce((a, b) => a + b, 0);
  }
}

/** One attempt's end, for metrics: the HTTP status, or the kind of failure when no answer came. */
export interface AttemptRecord {
  system: RemoteSystem;
  method: string;
  outcome: string;
  seconds: number;
  retried: boolean;
}

const attemptObservers = new Set<(record: AttemptRecord) => void>();

/** Process-wide: the service's metrics see every attempt of every client without being passed around. */
export function observeAttempts(observer: (record: AttemptRecord) => void): () => void {
  attemptObservers.add(observer);
  return () => attemptObservers.delete(observer);
}

export interface LoopOptions {
  system: RemoteSystem;
  request: HttpRequest;
  /** Method and path as they may be shown: never the host's credentials. */
  describe: string;
  policy: RetryPolicy;
  /** The system's own reading of a non-2xx answer or of a transport failure, given the attempts so far. */
  toError(outcome: { answer: HttpAnswer } | { failure: TransportFailure }, attempts: number): RemoteError;
  stats: RequestStats;
  logger: Logger;
  random?: () => number;
}

/**
 * The retry loop both clients run their single request path through. Only errors the system marks
 * `retryable` are tried again, within the policy's attempts and time budget; anything else, an
 * outcome-unknown write above all, goes straight back to the caller.
 */
export async function requestWithRetry(options: LoopOptions): Promise<HttpAnswer> {
  const { policy, request } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    options.stats.count(request.method);
    let error: RemoteError;
    let retryAfterMs: number | undefined;
    const attemptStarted = process.hrtime.bigint();
    const record = (outcome: string, retried: boolean): void => {
      if (attemptObservers.size === 0) return;
      const seconds = Number(process.hrtime.bigint() - attemptStarted) / 1e9;
      for (const observe of attemptObservers)
        observe({ system: options.system, method: request.method, outcome, seconds, retried });
    };
    try {
      const answer = await exchange(request);
      if (answer.status >= 200 && answer.status < 300) {
        record(String(answer.status), false);
        return answer;
      }
      error = options.toError({ answer }, attempt);
      retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      error = options.toError({ failure: err.failure }, attempt);
    }
    const delay = backoffDelay(policy, attempt, retryAfterMs, options.random);
    const retry =
      error.disposition === 'retryable' &&
      attempt < policy.maxAttempts &&
      Date.now() - started + delay <= policy.budgetMs;
    record(error.status ? String(error.status) : error.kind, retry);
    // The caller that gives up for now learns when the system asked to be called again.
    if (!retry)
      throw retryAfterMs === undefined ? error : new RemoteError(error.message, { ...error, retryAfterMs });
    options.stats.retried(error, delay);
    options.logger.warn('remote call failed, retrying', {
      system: error.system,
      request: options.describe,
      status: error.status,
      kind: error.kind,
      attempt,
      delayMs: delay,
    });
    await sleep(delay);
  }
}
